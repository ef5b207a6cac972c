/**
 * @module test/functions/event-sources/batch-core.test — the pure core of stream event source mappings,
 * table-driven: when waiting records become a batch (planBatch), what follows an invocation (success,
 * partial failure, function error with and without bisect, retry limits), record age, reading
 * `batchItemFailures`, and the on-failure record's shape.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelayMs, unavailableDelayMs } from '../../../src/functions/event-sources/backoff.js';
import { afterInvocation, expiredCount, type Batch, type InvocationOutcome, type RetryPolicy } from '../../../src/functions/event-sources/batch-outcome.js';
import { planBatch, type BatchLimits, type BatchPlan } from '../../../src/functions/event-sources/batch-plan.js';
import { readBatchResponse } from '../../../src/functions/event-sources/batch-response.js';
import { failureRecord } from '../../../src/functions/event-sources/failure-record.js';
import { eventBytesOf, kinesisEvent } from '../../../src/functions/event-sources/kinesis-event.js';
import type { SourceRecord } from '../../../src/functions/event-sources/stream-source.js';

const MB6 = 6 * 1024 * 1024;
const waiting = (...arrivals: number[]): Array<{ arrivalMs: number; eventBytes: number }> => arrivals.map((arrivalMs) => ({ arrivalMs, eventBytes: 500 }));

test('planBatch: invoke at BatchSize, at the payload limit, when the window closes (or at once with no window); otherwise wait or idle', () => {
  const cases: Array<{ name: string; records: Array<{ arrivalMs: number; eventBytes: number }>; limits: BatchLimits; now: number; plan: BatchPlan }> = [
    { name: 'nothing waits', records: [], limits: { batchSize: 10, windowMs: 0, maxEventBytes: MB6 }, now: 0, plan: { kind: 'idle' } },
    { name: 'no window: whatever is there', records: waiting(1, 2), limits: { batchSize: 10, windowMs: 0, maxEventBytes: MB6 }, now: 5, plan: { kind: 'invoke', count: 2 } },
    { name: 'BatchSize reached inside the window', records: waiting(1, 2, 3), limits: { batchSize: 3, windowMs: 60_000, maxEventBytes: MB6 }, now: 5, plan: { kind: 'invoke', count: 3 } },
    { name: 'more than BatchSize: one batch of BatchSize', records: waiting(1, 2, 3, 4), limits: { batchSize: 3, windowMs: 0, maxEventBytes: MB6 }, now: 5, plan: { kind: 'invoke', count: 3 } },
    { name: 'window open: wait until it closes, from the first arrival', records: waiting(1000, 1500), limits: { batchSize: 10, windowMs: 2000, maxEventBytes: MB6 }, now: 1600, plan: { kind: 'wait', untilMs: 3000 } },
    { name: 'window closed', records: waiting(1000, 1500), limits: { batchSize: 10, windowMs: 2000, maxEventBytes: MB6 }, now: 3000, plan: { kind: 'invoke', count: 2 } },
    { name: 'payload limit: the records that fit', records: waiting(1, 2, 3, 4), limits: { batchSize: 10, windowMs: 60_000, maxEventBytes: 64 + 3 * 501 }, now: 5, plan: { kind: 'invoke', count: 3 } },
    { name: 'one record always goes, whatever its size', records: [{ arrivalMs: 1, eventBytes: MB6 * 2 }], limits: { batchSize: 10, windowMs: 0, maxEventBytes: MB6 }, now: 5, plan: { kind: 'invoke', count: 1 } },
  ];
  for (const c of cases) assert.deepEqual(planBatch(c.records, c.limits, c.now), c.plan, c.name);
});

const batchOf = (records: string[], retries = 0, invocations = 0): Batch<string> => ({ records, retries, invocations });
const limited = (maximumRetryAttempts: number, bisectOnFunctionError = false): RetryPolicy => ({ maximumRetryAttempts, bisectOnFunctionError });

test('afterInvocation: checkpoints, retries, splits and discards as AWS does for streams', () => {
  const cases: Array<{ name: string; batch: Batch<string>; outcome: InvocationOutcome; policy: RetryPolicy; step: ReturnType<typeof afterInvocation<string>> }> = [
    {
      name: 'success: checkpoint after the last record',
      batch: batchOf(['a', 'b']), outcome: { kind: 'success' }, policy: limited(-1),
      step: { checkpointAfter: 'b', discard: undefined, next: [], backOff: false },
    },
    {
      name: 'function error, retries left: the same batch again, after a backoff',
      batch: batchOf(['a', 'b']), outcome: { kind: 'failed' }, policy: limited(2),
      step: { checkpointAfter: undefined, discard: undefined, next: [batchOf(['a', 'b'], 1, 1)], backOff: true },
    },
    {
      name: 'function error, infinite retries (-1): retried',
      batch: batchOf(['a'], 500, 500), outcome: { kind: 'failed' }, policy: limited(-1),
      step: { checkpointAfter: undefined, discard: undefined, next: [batchOf(['a'], 501, 501)], backOff: true },
    },
    {
      name: 'function error, retries used up: discarded, checkpoint after it',
      batch: batchOf(['a', 'b'], 2, 2), outcome: { kind: 'failed' }, policy: limited(2),
      step: { checkpointAfter: 'b', discard: { records: ['a', 'b'], condition: 'RetryAttemptsExhausted', invocations: 3 }, next: [], backOff: false },
    },
    {
      name: 'MaximumRetryAttempts 0: one invocation, then discarded',
      batch: batchOf(['a']), outcome: { kind: 'failed' }, policy: limited(0),
      step: { checkpointAfter: 'a', discard: { records: ['a'], condition: 'RetryAttemptsExhausted', invocations: 1 }, next: [], backOff: false },
    },
    {
      name: 'bisect: halves (first half larger), retries not consumed, no backoff',
      batch: batchOf(['a', 'b', 'c', 'd', 'e'], 1, 3), outcome: { kind: 'failed' }, policy: limited(1, true),
      step: { checkpointAfter: undefined, discard: undefined, next: [batchOf(['a', 'b', 'c'], 1, 4), batchOf(['d', 'e'], 1, 4)], backOff: false },
    },
    {
      name: 'bisect down to one record: retried like any batch',
      batch: batchOf(['a'], 0, 3), outcome: { kind: 'failed' }, policy: limited(1, true),
      step: { checkpointAfter: undefined, discard: undefined, next: [batchOf(['a'], 1, 4)], backOff: true },
    },
    {
      name: 'partial failure: checkpoint before the lowest failed record, retry from it',
      batch: batchOf(['a', 'b', 'c', 'd']), outcome: { kind: 'partial', failedIndex: 2 }, policy: limited(-1),
      step: { checkpointAfter: 'b', discard: undefined, next: [batchOf(['c', 'd'], 1, 1)], backOff: true },
    },
    {
      name: 'partial failure with bisect: split at the failed record, not in halves',
      batch: batchOf(['a', 'b', 'c', 'd']), outcome: { kind: 'partial', failedIndex: 1 }, policy: limited(-1, true),
      step: { checkpointAfter: 'a', discard: undefined, next: [batchOf(['b', 'c', 'd'], 1, 1)], backOff: true },
    },
    {
      name: 'partial failure of the first record: no progress, an attempt',
      batch: batchOf(['a', 'b']), outcome: { kind: 'partial', failedIndex: 0 }, policy: limited(3),
      step: { checkpointAfter: undefined, discard: undefined, next: [batchOf(['a', 'b'], 1, 1)], backOff: true },
    },
    {
      name: 'partial failure, retries used up: the failed rest is discarded',
      batch: batchOf(['a', 'b', 'c'], 1, 2), outcome: { kind: 'partial', failedIndex: 1 }, policy: limited(1),
      step: { checkpointAfter: 'c', discard: { records: ['b', 'c'], condition: 'RetryAttemptsExhausted', invocations: 3 }, next: [], backOff: false },
    },
  ];
  for (const c of cases) assert.deepEqual(afterInvocation(c.batch, c.outcome, c.policy), c.step, c.name);
});

test('afterInvocation: a poison record among eight, bisect on, one retry — the invocations AWS would make', () => {
  // Drives the core as the shard worker does: queue of batches, the function fails on any batch holding 'p'.
  const policy = limited(1, true);
  let queue: Batch<string>[] = [batchOf(['a', 'b', 'c', 'd', 'e', 'p', 'f', 'g'])];
  const invoked: string[][] = [];
  const checkpoints: string[] = [];
  const discarded: Array<{ records: readonly string[]; invocations: number }> = [];
  while (queue.length > 0) {
    const batch = queue[0] as Batch<string>;
    invoked.push([...batch.records]);
    const step = afterInvocation(batch, batch.records.includes('p') ? { kind: 'failed' } : { kind: 'success' }, policy);
    if (step.discard !== undefined) discarded.push({ records: step.discard.records, invocations: step.discard.invocations });
    if (step.checkpointAfter !== undefined) checkpoints.push(step.checkpointAfter);
    queue = [...step.next, ...queue.slice(1)];
  }
  assert.deepEqual(invoked, [['a', 'b', 'c', 'd', 'e', 'p', 'f', 'g'], ['a', 'b', 'c', 'd'], ['e', 'p', 'f', 'g'], ['e', 'p'], ['e'], ['p'], ['p'], ['f', 'g']]);
  assert.deepEqual(checkpoints, ['d', 'e', 'p', 'g'], 'the checkpoint only moves forward, past the poison record once it is given up');
  assert.deepEqual(discarded, [{ records: ['p'], invocations: 5 }]);
});

test('expiredCount: the leading records older than MaximumRecordAgeInSeconds (-1: none)', () => {
  const records = [{ arrivalMs: 1_000 }, { arrivalMs: 2_000 }, { arrivalMs: 70_000 }];
  const cases: Array<[now: number, maxAge: number, expired: number]> = [
    [100_000, -1, 0],
    [61_500, 60, 1],
    [62_001, 60, 2],
    [200_000, 60, 3],
    [60_999, 60, 0],
  ];
  for (const [now, maxAge, expired] of cases) assert.equal(expiredCount(records, now, maxAge), expired, `now ${now}, max age ${maxAge}`);
});

test('readBatchResponse: success, the lowest reported record, or a whole-batch failure for malformed answers', () => {
  const seqs = ['100', '200', '300'];
  const cases: Array<[payload: string, outcome: InvocationOutcome]> = [
    ['null', { kind: 'success' }],
    ['{}', { kind: 'success' }],
    ['"done"', { kind: 'success' }],
    ['{"batchItemFailures":null}', { kind: 'success' }],
    ['{"batchItemFailures":[]}', { kind: 'success' }],
    ['{"batchItemFailures":[{"itemIdentifier":"300"},{"itemIdentifier":"200"}]}', { kind: 'partial', failedIndex: 1 }],
    ['{"batchItemFailures":[{"itemIdentifier":"100"}]}', { kind: 'partial', failedIndex: 0 }],
    ['{"batchItemFailures":[{"itemIdentifier":""}]}', { kind: 'failed' }],
    ['{"batchItemFailures":[{"itemIdentifier":null}]}', { kind: 'failed' }],
    ['{"batchItemFailures":[{"id":"200"}]}', { kind: 'failed' }],
    ['{"batchItemFailures":[{"itemIdentifier":"999"}]}', { kind: 'failed' }],
    ['{"batchItemFailures":[{"itemIdentifier":200}]}', { kind: 'failed' }],
    ['{"batchItemFailures":"200"}', { kind: 'failed' }],
    ['{"batchItemFailures":[null]}', { kind: 'failed' }],
    ['not json', { kind: 'failed' }],
  ];
  for (const [payload, outcome] of cases) assert.deepEqual(readBatchResponse(payload, seqs), outcome, payload);
});

const record = (sequenceNumber: string, data: string, arrivalMs: number): SourceRecord => ({ sequenceNumber, partitionKey: `pk-${data}`, data: Buffer.from(data), arrivalMs });
const CONTEXT = { shardId: 'shardId-000000000000', eventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s', awsRegion: 'us-east-1', invokeIdentityArn: 'arn:aws:iam::000000000000:role/r' };

test('kinesisEvent: AWS\'s record shape; eventBytesOf bounds each record\'s share of the JSON from above', () => {
  const records = [record('49001', 'hello', 1_700_000_000_123), record('49002', '"quoted" \u0001', 1_700_000_000_456)];
  const event = kinesisEvent(records, CONTEXT);
  assert.deepEqual(event.Records[0], {
    kinesis: { kinesisSchemaVersion: '1.0', partitionKey: 'pk-hello', sequenceNumber: '49001', data: 'aGVsbG8=', approximateArrivalTimestamp: 1_700_000_000.123 },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: 'shardId-000000000000:49001',
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: CONTEXT.invokeIdentityArn,
    awsRegion: 'us-east-1',
    eventSourceARN: CONTEXT.eventSourceArn,
  });
  for (const [i, r] of records.entries()) assert.ok(JSON.stringify(event.Records[i]).length <= eventBytesOf(r, CONTEXT));
});

test('failureRecord: requestContext, responseContext of the last invocation, KinesisBatchInfo of the given-up records', () => {
  const records = [record('49001', 'a', Date.UTC(2026, 0, 2, 3, 4, 5, 6)), record('49002', 'b', Date.UTC(2026, 0, 2, 3, 4, 6, 7))];
  const base = { records, functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', shardId: CONTEXT.shardId, streamArn: CONTEXT.eventSourceArn, nowMs: Date.UTC(2026, 0, 2, 3, 5), newRequestId: () => 'fresh-id' };
  assert.deepEqual(failureRecord({ ...base, condition: 'RetryAttemptsExhausted', invocations: 3, lastInvocation: { requestId: 'req-1', executedVersion: '$LATEST', functionError: 'Error' } }), {
    requestContext: { requestId: 'req-1', functionArn: base.functionArn, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: '2026-01-02T03:05:00.000Z',
    KinesisBatchInfo: {
      shardId: CONTEXT.shardId,
      startSequenceNumber: '49001',
      endSequenceNumber: '49002',
      approximateArrivalOfFirstRecord: '2026-01-02T03:04:05.006Z',
      approximateArrivalOfLastRecord: '2026-01-02T03:04:06.007Z',
      batchSize: 2,
      streamArn: CONTEXT.eventSourceArn,
    },
  });
  const aged = failureRecord({ ...base, condition: 'RecordAgeExceeded', invocations: 0, lastInvocation: undefined });
  assert.deepEqual([aged.requestContext.requestId, aged.requestContext.approximateInvokeCount, 'responseContext' in aged], ['fresh-id', 0, false]);
});

test('backoff: retries 200 ms doubling to 5 s; unavailable functions 100 ms doubling to 2 s', () => {
  assert.deepEqual([1, 2, 3, 5, 6, 50].map(retryDelayMs), [200, 400, 800, 3200, 5000, 5000]);
  assert.deepEqual([1, 2, 5, 6, 99].map(unavailableDelayMs), [100, 200, 1600, 2000, 2000]);
});
