/**
 * @module test/streams/delivery/transform.test — Firehose's contract with a transforming function, as
 * pure functions and tables: splitting records into invocations (BufferSizeInMBs, the 6 MB request
 * limit), the request document, reconciling every shape of response (Ok, Dropped, ProcessingFailed,
 * missing, unknown and duplicated ids, bad JSON, bad data, partition keys); then the invoking side with a
 * scripted invoker: retries, the error codes records fail with, attemptsMade, at most five invocations
 * at a time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../../src/core/logger.js';
import type { LambdaProcessorSettings } from '../../../src/streams/delivery/features.js';
import { invocationBatches, MAX_INVOCATION_PAYLOAD_BYTES, reconcileResponse, transformRequest, type TransformInput, type TransformOutcome } from '../../../src/streams/delivery/transform-contract.js';
import { executedArnOf, LambdaTransform, type FunctionInvoker } from '../../../src/streams/delivery/transform.js';

const input = (id: string, text: string, arrivalMs = 1_700_000_000_000): TransformInput => ({ id, data: Buffer.from(text), arrivalMs });
const b64 = (text: string): string => Buffer.from(text).toString('base64');
const SENT = [input('10000', 'a'), input('10001', 'b'), input('10002', 'c')];

/** An outcome in a comparable form: kind, id, and data or error code. */
function brief(outcome: TransformOutcome): string {
  if (outcome.kind === 'ok') return `ok ${outcome.input.id} ${outcome.data.toString()}${outcome.partitionKeys === undefined ? '' : ` ${JSON.stringify(outcome.partitionKeys)}`}`;
  if (outcome.kind === 'dropped') return `dropped ${outcome.input.id}`;
  return `failed ${outcome.input.id} ${outcome.errorCode}`;
}

describe('transform contract: reconciling the response', () => {
  const cases: Array<[string, unknown, string[]]> = [
    ['every record Ok, data replaced', { records: [{ recordId: '10000', result: 'Ok', data: b64('A') }, { recordId: '10001', result: 'Ok', data: b64('B') }, { recordId: '10002', result: 'Ok', data: b64('') }] }, ['ok 10000 A', 'ok 10001 B', 'ok 10002 ']],
    ['Ok, Dropped and ProcessingFailed', { records: [{ recordId: '10000', result: 'Ok', data: b64('A') }, { recordId: '10001', result: 'Dropped' }, { recordId: '10002', result: 'ProcessingFailed', data: b64('c') }] }, ['ok 10000 A', 'dropped 10001', 'failed 10002 Lambda.ProcessingFailedStatus']],
    ['answered out of order: outcomes in the order sent', { records: [{ recordId: '10002', result: 'Dropped' }, { recordId: '10000', result: 'Ok', data: b64('A') }, { recordId: '10001', result: 'Dropped' }] }, ['ok 10000 A', 'dropped 10001', 'dropped 10002']],
    ['a record not returned', { records: [{ recordId: '10000', result: 'Ok', data: b64('A') }, { recordId: '10002', result: 'Dropped' }] }, ['ok 10000 A', 'failed 10001 Lambda.MissingRecordId', 'dropped 10002']],
    ['an id that was not sent (the record it replaced is missing)', { records: [{ recordId: '10000', result: 'Dropped' }, { recordId: '99999', result: 'Ok', data: b64('x') }, { recordId: '10002', result: 'Dropped' }] }, ['dropped 10000', 'failed 10001 Lambda.MissingRecordId', 'dropped 10002']],
    ['an id returned twice', { records: [{ recordId: '10000', result: 'Ok', data: b64('A') }, { recordId: '10000', result: 'Ok', data: b64('A2') }, { recordId: '10001', result: 'Dropped' }, { recordId: '10002', result: 'Dropped' }] }, ['failed 10000 Lambda.DuplicatedRecordId', 'dropped 10001', 'dropped 10002']],
    ['an entry without a recordId (its record is missing)', { records: [{ result: 'Ok', data: b64('A') }, { recordId: 10001, result: 'Dropped' }, { recordId: '10002', result: 'Dropped' }] }, ['failed 10000 Lambda.MissingRecordId', 'failed 10001 Lambda.MissingRecordId', 'dropped 10002']],
    ['an unknown result', { records: [{ recordId: '10000', result: 'OK', data: b64('A') }, { recordId: '10001', result: 'Dropped' }, { recordId: '10002' }] }, ['failed 10000 Lambda.JsonProcessingException', 'dropped 10001', 'failed 10002 Lambda.JsonProcessingException']],
    ['Ok without data, or with data that is not base64', { records: [{ recordId: '10000', result: 'Ok' }, { recordId: '10001', result: 'Ok', data: 'not base64!' }, { recordId: '10002', result: 'Ok', data: 42 }] }, ['failed 10000 Lambda.JsonProcessingException', 'failed 10001 Lambda.JsonProcessingException', 'failed 10002 Lambda.JsonProcessingException']],
    ['no records array', { recs: [] }, ['failed 10000 Lambda.JsonProcessingException', 'failed 10001 Lambda.JsonProcessingException', 'failed 10002 Lambda.JsonProcessingException']],
    ['the function returned nothing (null)', null, ['failed 10000 Lambda.JsonProcessingException', 'failed 10001 Lambda.JsonProcessingException', 'failed 10002 Lambda.JsonProcessingException']],
    [
      'partition keys: strings kept, numbers and booleans as text, nulls left out; not a map of scalars fails',
      { records: [{ recordId: '10000', result: 'Ok', data: b64('A'), metadata: { partitionKeys: { customer: 'c1', year: 2024, vip: true, gone: null } } }, { recordId: '10001', result: 'Ok', data: b64('B'), metadata: { partitionKeys: { bad: { nested: 1 } } } }, { recordId: '10002', result: 'Ok', data: b64('C'), metadata: {} }] },
      ['ok 10000 A {"customer":"c1","year":"2024","vip":"true"}', 'failed 10001 Lambda.JsonProcessingException', 'ok 10002 C'],
    ],
  ];
  for (const [what, response, expected] of cases) {
    it(what, () => assert.deepEqual(reconcileResponse(SENT, Buffer.from(JSON.stringify(response))).map(brief), expected));
  }

  it('a response that is not JSON fails every record, with AWS\'s message and the parser\'s detail', () => {
    const outcomes = reconcileResponse(SENT, Buffer.from('{"records": ['));
    assert.deepEqual(outcomes.map(brief), SENT.map((r) => `failed ${r.id} Lambda.JsonProcessingException`));
    const first = outcomes[0] as TransformOutcome & { errorMessage: string };
    assert.match(first.errorMessage, /^There was an error parsing returned records from the Lambda function\. .*\(the response is not JSON: /);
  });

  it('failure messages are AWS\'s', () => {
    const [processing, missing] = reconcileResponse(SENT.slice(0, 2), Buffer.from(JSON.stringify({ records: [{ recordId: '10000', result: 'ProcessingFailed' }] }))) as Array<TransformOutcome & { errorMessage: string }>;
    assert.equal(processing?.errorMessage, 'ProcessingFailed status set for record');
    assert.match(missing?.errorMessage ?? '', /^One or more record Ids were not returned/);
  });
});

describe('transform contract: the request and its invocations', () => {
  it('the request document: invocationId, deliveryStreamArn, region, records with id, arrival (epoch ms) and base64 data', () => {
    const request = JSON.parse(transformRequest({ invocationId: 'inv-1', deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/ds', region: 'us-east-1' }, [input('10000', 'Hello World', 1510772160000)]).toString());
    assert.deepEqual(request, { invocationId: 'inv-1', deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/ds', region: 'us-east-1', records: [{ recordId: '10000', approximateArrivalTimestamp: 1510772160000, data: 'SGVsbG8gV29ybGQ=' }] });
  });

  it('records are split at BufferSizeInMBs of data; a record larger than that goes alone', () => {
    const records = [input('1', 'x'.repeat(400)), input('2', 'x'.repeat(400)), input('3', 'x'.repeat(400)), input('4', 'x'.repeat(2000)), input('5', 'x'.repeat(10))];
    assert.deepEqual(invocationBatches(records, 1000).map((batch) => batch.map((r) => r.id)), [['1', '2'], ['3'], ['4'], ['5']]);
    assert.deepEqual(invocationBatches([], 1000), []);
  });

  it('no request is over 6 MB, even when BufferSizeInMBs would allow more data (base64 grows it by a third)', () => {
    const records = Array.from({ length: 6 }, (_, i) => input(String(i), 'y'.repeat(1_000_000)));
    const batches = invocationBatches(records, 3 * 1024 * 1024 * 10);
    assert.ok(batches.length >= 2);
    for (const batch of batches) assert.ok(transformRequest({ invocationId: 'i', deliveryStreamArn: 'a', region: 'r' }, batch).length <= MAX_INVOCATION_PAYLOAD_BYTES);
    assert.equal(batches.flat().length, 6);
  });

  it('error records name the function as invoked: unqualified ARNs with :$LATEST', () => {
    assert.equal(executedArnOf('arn:aws:lambda:us-east-1:000000000000:function:f'), 'arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST');
    assert.equal(executedArnOf('arn:aws:lambda:us-east-1:000000000000:function:f:live'), 'arn:aws:lambda:us-east-1:000000000000:function:f:live');
  });
});

describe('transform: invoking the function', () => {
  const settings: LambdaProcessorSettings = { type: 'Lambda', lambdaArn: 'arn:aws:lambda:us-east-1:000000000000:function:t', numberOfRetries: 3, bufferSizeInMBs: 1, bufferIntervalInSeconds: 60 };
  const echo = (payload: Buffer): Buffer => {
    const request = JSON.parse(payload.toString()) as { records: Array<{ recordId: string; data: string }> };
    return Buffer.from(JSON.stringify({ records: request.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: r.data })) }));
  };
  const transformWith = (invoke: FunctionInvoker, overrides: Partial<LambdaProcessorSettings> = {}): LambdaTransform =>
    new LambdaTransform({ ...settings, ...overrides }, { invoke, deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/s', region: 'us-east-1', logger: silentLogger(), retryDelayMs: 0 });

  it('a function error is retried NumberOfRetries times, then every record fails with Lambda.FunctionError, attemptsMade 4', async () => {
    let calls = 0;
    const transform = transformWith(async () => (calls++, { payload: Buffer.from('{"errorType":"Error","errorMessage":"boom"}'), functionError: 'Unhandled' }));
    const results = await transform.run(SENT);
    assert.equal(calls, 4);
    for (const result of results) {
      assert.equal(result.kind, 'failed');
      assert.equal(result.attemptsMade, 4);
      assert.deepEqual([(result as { errorCode: string }).errorCode, (result as { errorMessage: string }).errorMessage], ['Lambda.FunctionError', 'The Lambda function was successfully invoked but it returned an error result.']);
    }
  });

  it('a failure then a success: the records are transformed, attemptsMade 2', async () => {
    let calls = 0;
    const results = await transformWith(async (_arn, payload) => (++calls === 1 ? { payload: Buffer.from('{}'), functionError: 'Unhandled' } : { payload: echo(payload), functionError: undefined })).run(SENT);
    assert.deepEqual(results.map((r) => [r.kind, r.attemptsMade]), [['ok', 2], ['ok', 2], ['ok', 2]]);
  });

  it('throttles and missing functions fail as Lambda.InvokeLimitExceeded and Lambda.ResourceNotFound; NumberOfRetries 0 means one attempt', async () => {
    const error = (name: string): Error => Object.assign(new Error(`${name}!`), { name });
    let calls = 0;
    const throttled = await transformWith(async () => (calls++, Promise.reject(error('TooManyRequestsException'))), { numberOfRetries: 0 }).run(SENT.slice(0, 1));
    assert.equal(calls, 1);
    assert.deepEqual(throttled.map((r) => [(r as { errorCode: string }).errorCode, r.attemptsMade]), [['Lambda.InvokeLimitExceeded', 1]]);
    const missing = await transformWith(async () => Promise.reject(error('ResourceNotFoundException')), { numberOfRetries: 1 }).run(SENT.slice(0, 1));
    assert.deepEqual(missing.map((r) => [(r as { errorCode: string }).errorCode, r.attemptsMade]), [['Lambda.ResourceNotFound', 2]]);
  });

  it('a bad response is final: not retried', async () => {
    let calls = 0;
    const results = await transformWith(async () => (calls++, { payload: Buffer.from('not json'), functionError: undefined })).run(SENT);
    assert.equal(calls, 1);
    assert.deepEqual(results.map((r) => (r as { errorCode: string }).errorCode), ['Lambda.JsonProcessingException', 'Lambda.JsonProcessingException', 'Lambda.JsonProcessingException']);
  });

  it('many invocations: at most five at a time, every record answered in order', async () => {
    let running = 0;
    let most = 0;
    const records = Array.from({ length: 40 }, (_, i) => input(String(10_000 + i), 'z'.repeat(300_000)));
    const results = await transformWith(async (_arn, payload) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return { payload: echo(payload), functionError: undefined };
    }).run(records);
    assert.equal(most, 5);
    assert.deepEqual(results.map((r) => r.input.id), records.map((r) => r.id));
  });
});
