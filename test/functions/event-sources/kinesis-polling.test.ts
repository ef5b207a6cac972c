/**
 * @module test/functions/event-sources/kinesis-polling.test — Kinesis event source mappings at work
 * (spec §7.2, §7.4), through the real Kinesis and Lambda SDKs: records reach the function in order per
 * shard with AWS's event shape; a failing record is retried, bisected down to itself and reported to the
 * on-failure destination while the rest of the shard moves on; partial batch responses; retry limits and
 * record age; batching by size and window. Waits end on the functions' log blocks, never on sleeps.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, type CreateEventSourceMappingCommandInput } from '@aws-sdk/client-lambda';
import { ROLE } from '../../helpers/lambda.js';
import { batchesOf, batchLogger, createFunction, createStream, eventually, FUNCTION_ARN, logged, putRecords, RECORDER, SHARD0, startEsmHako, untilLogged, type EsmHako } from './helpers.js';

let esm: EsmHako;
before(async () => {
  esm = await startEsmHako();
});
after(async () => {
  await esm.close();
});

async function map(functionName: string, eventSourceArn: string, input: Partial<CreateEventSourceMappingCommandInput> = {}): Promise<string> {
  const created = await esm.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: functionName, EventSourceArn: eventSourceArn, StartingPosition: 'TRIM_HORIZON', ...input }));
  return created.UUID ?? assert.fail('no UUID');
}

const mappingOf = (uuid: string) => esm.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
const flat = (batches: string[][]): string[] => batches.flat();

interface KinesisEvent {
  Records: Array<{ kinesis: { kinesisSchemaVersion: string; partitionKey: string; sequenceNumber: string; data: string; approximateArrivalTimestamp: number }; eventID: string; [key: string]: unknown }>;
}

test('records reach the function in order per shard, one shard per batch, with AWS\'s Kinesis event shape', async () => {
  const arn = await createStream(esm.kinesis, 'shaped', 2);
  await createFunction(esm.lambda, 'shape-recorder', RECORDER);
  await map('shape-recorder', arn);
  const upper = '170141183460469231731687303715884105728'; // 2^127: the second of two shards
  const sent = { 'shardId-000000000000': [] as string[], 'shardId-000000000001': [] as string[] };
  for (let round = 0; round < 3; round++) {
    sent['shardId-000000000000'].push(...(await putRecords(esm.kinesis, 'shaped', [`a${round}-0`, `a${round}-1`], '0')));
    sent['shardId-000000000001'].push(...(await putRecords(esm.kinesis, 'shaped', [`b${round}-0`, `b${round}-1`], upper)));
  }
  const events = await untilLogged(esm.hako, 'shape-recorder', () => logged<KinesisEvent>(esm.hako, 'shape-recorder', 'RECORD '), (e) => e.flatMap((x) => x.Records).length >= 12);
  const byShard = new Map<string, string[]>();
  for (const event of events) {
    const shards = new Set(event.Records.map((r) => r.eventID.split(':')[0]));
    assert.equal(shards.size, 1, 'a batch holds one shard\'s records');
    for (const r of event.Records) byShard.set(r.eventID.split(':')[0] ?? '', [...(byShard.get(r.eventID.split(':')[0] ?? '') ?? []), r.kinesis.sequenceNumber]);
  }
  assert.deepEqual(Object.fromEntries(byShard), sent, 'every record once, in sequence order, per shard');

  const first = events.flatMap((e) => e.Records).find((r) => r.kinesis.sequenceNumber === sent['shardId-000000000000'][0]);
  const { ShardIterator } = await esm.kinesis.send(new GetShardIteratorCommand({ StreamName: 'shaped', ShardId: SHARD0, ShardIteratorType: 'TRIM_HORIZON' }));
  const stored = (await esm.kinesis.send(new GetRecordsCommand({ ShardIterator }))).Records?.[0];
  assert.deepEqual(first, {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: 'key-a0-0',
      sequenceNumber: sent['shardId-000000000000'][0],
      data: Buffer.from('a0-0').toString('base64'),
      approximateArrivalTimestamp: (stored?.ApproximateArrivalTimestamp?.getTime() ?? 0) / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${SHARD0}:${sent['shardId-000000000000'][0]}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: ROLE,
    awsRegion: 'us-east-1',
    eventSourceARN: arn,
  });
});

test('a mapping whose function fails on one record retries, bisects and reports that record to the failure destination while the rest of the shard moves on in order', async () => {
  const arn = await createStream(esm.kinesis, 'with-poison');
  await createFunction(esm.lambda, 'picky', batchLogger());
  await createFunction(esm.lambda, 'poison-sink', RECORDER);
  const uuid = await map('picky', arn, { BatchSize: 10, BisectBatchOnFunctionError: true, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: `${FUNCTION_ARN}:poison-sink` } } });
  const seqs = await putRecords(esm.kinesis, 'with-poison', ['r0', 'r1', 'r2', 'r3', 'r4', 'poison', 'r6', 'r7']);
  const [failure] = await untilLogged(esm.hako, 'poison-sink', () => logged<Record<string, unknown>>(esm.hako, 'poison-sink', 'RECORD '), (records) => records.length === 1);
  await putRecords(esm.kinesis, 'with-poison', ['r8', 'r9']);
  const batches = await untilLogged(esm.hako, 'picky', () => batchesOf(esm.hako, 'picky'), (b) => flat(b).includes('r9'));
  assert.deepEqual(batches, [
    ['r0', 'r1', 'r2', 'r3', 'r4', 'poison', 'r6', 'r7'], // fails: split in halves
    ['r0', 'r1', 'r2', 'r3'], // succeeds: checkpoint after r3
    ['r4', 'poison', 'r6', 'r7'], // fails: split
    ['r4', 'poison'], // fails: split
    ['r4'], // succeeds
    ['poison'], // fails: one record cannot be split; retried once (MaximumRetryAttempts 1)
    ['poison'], // fails again: given up, reported
    ['r6', 'r7'], // the rest of the shard, in order
    ['r8', 'r9'],
  ]);
  assert.match(String(failure?.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const context = failure?.requestContext as { requestId: string };
  assert.match(context.requestId, /^[0-9a-f-]{36}$/);
  assert.deepEqual({ ...failure, timestamp: undefined, KinesisBatchInfo: { ...(failure?.KinesisBatchInfo as object), approximateArrivalOfFirstRecord: undefined, approximateArrivalOfLastRecord: undefined } }, {
    requestContext: { requestId: context.requestId, functionArn: `${FUNCTION_ARN}:picky`, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 5 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: undefined,
    KinesisBatchInfo: { shardId: SHARD0, startSequenceNumber: seqs[5], endSequenceNumber: seqs[5], approximateArrivalOfFirstRecord: undefined, approximateArrivalOfLastRecord: undefined, batchSize: 1, streamArn: arn },
  });
  const info = failure?.KinesisBatchInfo as { approximateArrivalOfFirstRecord: string; approximateArrivalOfLastRecord: string };
  assert.ok(Math.abs(Date.parse(info.approximateArrivalOfFirstRecord) - Date.now()) < 60_000);
  assert.equal(info.approximateArrivalOfFirstRecord, info.approximateArrivalOfLastRecord);
  const mapping = await eventually(() => mappingOf(uuid), (m) => m.LastProcessingResult === 'OK');
  assert.equal(mapping.State, 'Enabled');
  const metrics = await esm.hako.functions.metrics.text();
  assert.match(metrics, new RegExp(`hako_event_source_discarded_records_total\\{function="picky",mapping="${uuid}",condition="RetryAttemptsExhausted"\\} 1`));
  assert.match(metrics, new RegExp(`hako_event_source_batches_total\\{function="picky",mapping="${uuid}",outcome="function_error"\\} 5`));
  assert.match(metrics, new RegExp(`hako_event_source_iterator_age_milliseconds\\{function="picky",mapping="${uuid}"\\} \\d+`));
});

test('ReportBatchItemFailures: checkpoint before the lowest reported record and retry from there; a malformed answer fails the whole batch', async () => {
  const arn = await createStream(esm.kinesis, 'partial');
  // Each `once-*` record is reported failed the first time it is seen; `malformed-once` answers an empty identifier once.
  await createFunction(esm.lambda, 'partial-reporter', batchLogger(`
  const failed = records.filter((r) => r.data.startsWith('once-') && !existsSync(process.env.MARKS + '/' + r.data));
  for (const r of failed) writeFileSync(process.env.MARKS + '/' + r.data, '');
  if (failed.length > 0) return { batchItemFailures: failed.reverse().map((r) => ({ itemIdentifier: r.seq })) };
  const odd = records.find((r) => r.data === 'malformed-once' && !existsSync(process.env.MARKS + '/malformed'));
  if (odd) { writeFileSync(process.env.MARKS + '/malformed', ''); return { batchItemFailures: [{ itemIdentifier: '' }] }; }
  return { batchItemFailures: [] };`), { MARKS: esm.dataDir });
  const uuid = await map('partial-reporter', arn, { FunctionResponseTypes: ['ReportBatchItemFailures'] });
  await putRecords(esm.kinesis, 'partial', ['a', 'b', 'once-c', 'once-d', 'e']);
  await untilLogged(esm.hako, 'partial-reporter', () => batchesOf(esm.hako, 'partial-reporter'), (b) => b.length === 2);
  await putRecords(esm.kinesis, 'partial', ['malformed-once', 'f']);
  const batches = await untilLogged(esm.hako, 'partial-reporter', () => batchesOf(esm.hako, 'partial-reporter'), (b) => b.length === 4);
  assert.deepEqual(batches, [
    ['a', 'b', 'once-c', 'once-d', 'e'],
    ['once-c', 'once-d', 'e'], // a and b were done with
    ['malformed-once', 'f'],
    ['malformed-once', 'f'], // the empty itemIdentifier failed all of it
  ]);
  await eventually(() => mappingOf(uuid), (m) => m.LastProcessingResult === 'OK');
});

test('MaximumRetryAttempts: the batch runs 1 + N times, then its description goes to an on-failure stream and the shard moves on', async () => {
  const arn = await createStream(esm.kinesis, 'retried');
  const failures = await createStream(esm.kinesis, 'retried-failures');
  await createFunction(esm.lambda, 'retrier', batchLogger());
  await map('retrier', arn, { MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: failures } } });
  const seqs = await putRecords(esm.kinesis, 'retried', ['poison', 'ok1']);
  await untilLogged(esm.hako, 'retrier', () => batchesOf(esm.hako, 'retrier'), (b) => b.length === 3);
  await putRecords(esm.kinesis, 'retried', ['ok2']);
  const batches = await untilLogged(esm.hako, 'retrier', () => batchesOf(esm.hako, 'retrier'), (b) => b.length === 4);
  assert.deepEqual(batches, [['poison', 'ok1'], ['poison', 'ok1'], ['poison', 'ok1'], ['ok2']]);
  const { ShardIterator } = await esm.kinesis.send(new GetShardIteratorCommand({ StreamName: 'retried-failures', ShardId: SHARD0, ShardIteratorType: 'TRIM_HORIZON' }));
  const [delivered, ...more] = (await esm.kinesis.send(new GetRecordsCommand({ ShardIterator }))).Records ?? [];
  assert.equal(more.length, 0);
  assert.equal(delivered?.PartitionKey, SHARD0);
  const record = JSON.parse(Buffer.from(delivered?.Data ?? []).toString('utf8')) as { requestContext: Record<string, unknown>; KinesisBatchInfo: Record<string, unknown> };
  assert.deepEqual([record.requestContext.condition, record.requestContext.approximateInvokeCount], ['RetryAttemptsExhausted', 3]);
  assert.deepEqual([record.KinesisBatchInfo.startSequenceNumber, record.KinesisBatchInfo.endSequenceNumber, record.KinesisBatchInfo.batchSize], [seqs[0], seqs[1], 2]);
});

test('MaximumRecordAgeInSeconds: a record retried forever (-1) is given up once it is older than the limit', async () => {
  const arn = await createStream(esm.kinesis, 'aging');
  await createFunction(esm.lambda, 'ager', batchLogger());
  await createFunction(esm.lambda, 'aged-sink', RECORDER);
  const uuid = await map('ager', arn, { MaximumRecordAgeInSeconds: 60, DestinationConfig: { OnFailure: { Destination: `${FUNCTION_ARN}:aged-sink` } } });
  const [poisonSeq] = await putRecords(esm.kinesis, 'aging', ['poison']);
  await untilLogged(esm.hako, 'ager', () => batchesOf(esm.hako, 'ager'), (b) => b.length >= 2, 30_000);
  assert.equal((await mappingOf(uuid)).LastProcessingResult, 'PROBLEM: Function call failed');
  esm.clock.advance(61_000); // hako's clock; the record is now older than a minute
  const [record] = await untilLogged(esm.hako, 'aged-sink', () => logged<{ requestContext: Record<string, unknown>; KinesisBatchInfo: Record<string, unknown> }>(esm.hako, 'aged-sink', 'RECORD '), (r) => r.length === 1);
  assert.equal(record?.requestContext.condition, 'RecordAgeExceeded');
  assert.ok(Number(record?.requestContext.approximateInvokeCount) >= 2);
  assert.deepEqual([record?.KinesisBatchInfo.startSequenceNumber, record?.KinesisBatchInfo.batchSize], [poisonSeq, 1]);
  await putRecords(esm.kinesis, 'aging', ['fresh']);
  const batches = await untilLogged(esm.hako, 'ager', () => batchesOf(esm.hako, 'ager'), (b) => flat(b).includes('fresh'));
  assert.deepEqual(batches.at(-1), ['fresh']);
  assert.ok(batches.slice(0, -1).every((b) => b.length === 1 && b[0] === 'poison'));
});

test('batching: BatchSize flushes a batch at once inside a long window; a short window gathers separate puts into one batch', async () => {
  const arn = await createStream(esm.kinesis, 'windowed');
  await createFunction(esm.lambda, 'by-size', batchLogger());
  await map('by-size', arn, { BatchSize: 3, MaximumBatchingWindowInSeconds: 300 });
  for (const data of ['w1', 'w2', 'w3', 'w4']) await esm.kinesis.send(new PutRecordCommand({ StreamName: 'windowed', PartitionKey: data, Data: Buffer.from(data) }));
  assert.deepEqual(await untilLogged(esm.hako, 'by-size', () => batchesOf(esm.hako, 'by-size'), (b) => b.length === 1), [['w1', 'w2', 'w3']], 'w4 waits for its window (300 s) or two more records');

  const gathered = await createStream(esm.kinesis, 'gathered');
  await createFunction(esm.lambda, 'by-window', batchLogger());
  await map('by-window', gathered, { BatchSize: 100, MaximumBatchingWindowInSeconds: 2 });
  const start = Date.now();
  await esm.kinesis.send(new PutRecordCommand({ StreamName: 'gathered', PartitionKey: 'x', Data: Buffer.from('x1') }));
  await esm.kinesis.send(new PutRecordCommand({ StreamName: 'gathered', PartitionKey: 'x', Data: Buffer.from('x2') }));
  const batches = await untilLogged(esm.hako, 'by-window', () => batchesOf(esm.hako, 'by-window'), (b) => b.length === 1);
  assert.deepEqual(batches, [['x1', 'x2']]);
  assert.ok(Date.now() - start >= 1900, 'the batch waited for the window to close');
});

test('starting positions: TRIM_HORIZON from the oldest record, AT_TIMESTAMP from the first that arrived at or after the time, LATEST after the newest', async () => {
  const arn = await createStream(esm.kinesis, 'positioned');
  await putRecords(esm.kinesis, 'positioned', ['old']);
  esm.clock.advance(10_000);
  const at = new Date(esm.clock.now());
  await putRecords(esm.kinesis, 'positioned', ['new']);
  for (const name of ['from-horizon', 'from-time', 'from-latest']) await createFunction(esm.lambda, name, batchLogger());
  await map('from-horizon', arn);
  await map('from-time', arn, { StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: at });
  await map('from-latest', arn, { StartingPosition: 'LATEST' });
  await putRecords(esm.kinesis, 'positioned', ['newest']);
  const seen = async (name: string): Promise<string[]> => flat(await untilLogged(esm.hako, name, () => batchesOf(esm.hako, name), (b) => flat(b).includes('newest')));
  assert.deepEqual(await seen('from-horizon'), ['old', 'new', 'newest']);
  assert.deepEqual(await seen('from-time'), ['new', 'newest']);
  assert.deepEqual(await seen('from-latest'), ['newest']);
});
