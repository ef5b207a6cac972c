/**
 * @module test/streams/delivery/firehose-transform.test — data transformation by a hako function, end to
 * end: `@aws-sdk/client-lambda` creates the function, `@aws-sdk/client-firehose` creates the stream with a
 * Lambda processor and puts records, and the bucket folder is read back. Ok records are delivered as the
 * function returned them (in several invocations when BufferSizeInMBs asks), Dropped ones vanish,
 * ProcessingFailed and unreturned ones go to `processing-failed/` as AWS's error records; a failing or
 * timing-out function is retried NumberOfRetries times, then its records go there as
 * `Lambda.FunctionError`; a stop transforms what is buffered before functions stop.
 * Deliveries are waited for with `flush` (or the stop), never with sleeps; the clock is frozen.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { createFolderStream, readObjects, startFirehoseHako, TestClock, type FirehoseHako } from './helpers.js';
import { createFunction, errorLines, FUNCTION_ARN, parameters } from './feature-helpers.js';

const T0 = Math.floor(Date.now() / 3600_000) * 3600_000 - 1000;
const ERRORS = 'errors/!{firehose:error-output-type}/';

/** Ok records get `seen`, the stream ARN, their arrival and the invocation id; `drop`/`fail`/`forget` do as said. */
const TRANSFORM = `
export const handler = async (event) => ({
  records: event.records.flatMap((r) => {
    const record = JSON.parse(Buffer.from(r.data, 'base64').toString());
    if (record.action === 'forget') return [];
    if (record.action === 'drop') return [{ recordId: r.recordId, result: 'Dropped', data: r.data }];
    if (record.action === 'fail') return [{ recordId: r.recordId, result: 'ProcessingFailed', data: r.data }];
    const out = { ...record, seen: true, stream: event.deliveryStreamArn, region: event.region, arrival: r.approximateArrivalTimestamp, invocation: event.invocationId };
    return [{ recordId: r.recordId, result: 'Ok', data: Buffer.from(JSON.stringify(out) + '\\n').toString('base64') }];
  }),
});`;

let h: FirehoseHako;
before(async () => {
  const clock = new TestClock();
  clock.freeze(T0);
  h = await startFirehoseHako({ clock });
  await createFunction(h, 'transform', TRANSFORM);
  await createFunction(h, 'broken', "export const handler = async () => { throw new TypeError('cannot transform'); };");
  await createFunction(h, 'slow', 'export const handler = async () => { await new Promise((resolve) => setTimeout(resolve, 3000)); return { records: [] }; };', { Timeout: 1 });
});
after(async () => h.close());

const pad = 'p'.repeat(600);
const record = (n: number, action = 'keep'): { Data: Buffer } => ({ Data: Buffer.from(`${JSON.stringify({ n, action, pad })}\n`) });
const lambdaStream = (name: string, lambda: Record<string, string>) => createFolderStream(h.firehose, name, {
  BucketARN: `arn:aws:s3:::${name}`,
  Prefix: 'data/',
  ErrorOutputPrefix: ERRORS,
  BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 900 },
  ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: parameters(lambda) }] },
});
const under = (bucket: string, folder: string): ReturnType<typeof readObjects> => readObjects(h.bucketDir(bucket)).filter((object) => object.key.startsWith(folder));

async function invocationsOf(name: string): Promise<number> {
  const lines = (await h.hako.functions.metrics.text()).split('\n').filter((line) => line.startsWith(`hako_function_invocations_total{function="${name}",`));
  return lines.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('Firehose data transformation by a hako function', () => {
  it('Ok records are delivered as returned, in several invocations; Dropped ones vanish; ProcessingFailed ones go to processing-failed/', async () => {
    await lambdaStream('transformed', { LambdaArn: FUNCTION_ARN('transform'), BufferSizeInMBs: '0.2' });
    const actions = (n: number): string => (n % 10 === 3 ? 'drop' : n % 10 === 7 ? 'fail' : 'keep');
    const batch = Array.from({ length: 400 }, (_, n) => record(n, actions(n)));
    assert.equal((await h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'transformed', Records: batch }))).FailedPutCount, 0);
    await h.hako.delivery.flush('transformed');

    const data = under('transformed', 'data/');
    assert.equal(data.length, 1, 'one object');
    const delivered = data[0]?.body.toString().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>) ?? [];
    assert.deepEqual(delivered.map((r) => r.n), Array.from({ length: 400 }, (_, n) => n).filter((n) => actions(n) === 'keep'), 'kept records, in order');
    assert.ok(delivered.every((r) => r.seen === true && r.stream === 'arn:aws:firehose:us-east-1:000000000000:deliverystream/transformed' && r.region === 'us-east-1' && r.arrival === T0));
    assert.ok(new Set(delivered.map((r) => r.invocation)).size >= 2, 'BufferSizeInMBs 0.2 splits ~250 KB into several invocations');

    const failed = under('transformed', 'errors/processing-failed/');
    assert.equal(failed.length, 1);
    const lines = errorLines(failed[0]?.body ?? Buffer.alloc(0));
    assert.equal(lines.length, 40);
    const failedNumbers = Array.from({ length: 400 }, (_, n) => n).filter((n) => actions(n) === 'fail');
    lines.forEach((line, i) => {
      assert.deepEqual(Object.keys(line), ['attemptsMade', 'arrivalTimestamp', 'errorCode', 'errorMessage', 'attemptEndingTimestamp', 'rawData', 'lambdaArn']);
      assert.deepEqual(line, {
        attemptsMade: 1,
        arrivalTimestamp: T0,
        errorCode: 'Lambda.ProcessingFailedStatus',
        errorMessage: 'ProcessingFailed status set for record',
        attemptEndingTimestamp: T0,
        rawData: record(failedNumbers[i] as number, 'fail').Data.toString('base64'),
        lambdaArn: `${FUNCTION_ARN('transform')}:$LATEST`,
      });
    });
    assert.equal(under('transformed', 'errors/').length, 1, 'nothing else in the error output');
  });

  it('a record the function does not return fails as Lambda.MissingRecordId; the rest are delivered', async () => {
    await lambdaStream('forgetful', { LambdaArn: FUNCTION_ARN('transform') });
    await h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'forgetful', Records: [record(1), record(2, 'forget'), record(3)] }));
    await h.hako.delivery.flush('forgetful');
    assert.deepEqual(under('forgetful', 'data/')[0]?.body.toString().split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { n: number }).n), [1, 3]);
    const [line] = errorLines(under('forgetful', 'errors/processing-failed/')[0]?.body ?? Buffer.alloc(0));
    assert.equal(line?.errorCode, 'Lambda.MissingRecordId');
    assert.equal(Buffer.from(String(line?.rawData), 'base64').toString(), record(2, 'forget').Data.toString());
  });

  it('a function that throws is retried NumberOfRetries times, then its records go to processing-failed/ as Lambda.FunctionError', async () => {
    await lambdaStream('broken', { LambdaArn: FUNCTION_ARN('broken'), NumberOfRetries: '2' });
    await h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'broken', Records: [record(1), record(2)] }));
    await h.hako.delivery.flush('broken');
    assert.equal(await invocationsOf('broken'), 3, 'one attempt and two retries');
    assert.deepEqual(under('broken', 'data/'), []);
    const lines = errorLines(under('broken', 'errors/processing-failed/')[0]?.body ?? Buffer.alloc(0));
    assert.deepEqual(lines.map((line) => [line.attemptsMade, line.errorCode, line.errorMessage, line.lambdaArn]), [1, 2].map(() => [3, 'Lambda.FunctionError', 'The Lambda function was successfully invoked but it returned an error result.', `${FUNCTION_ARN('broken')}:$LATEST`]));
    assert.deepEqual(lines.map((line) => Buffer.from(String(line.rawData), 'base64').toString()), [record(1).Data.toString(), record(2).Data.toString()]);
  });

  it('a function that times out fails the same way (NumberOfRetries 0: one attempt)', async () => {
    await lambdaStream('timeouts', { LambdaArn: FUNCTION_ARN('slow'), NumberOfRetries: '0' });
    await h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'timeouts', Records: [record(1)] }));
    await h.hako.delivery.flush('timeouts');
    const lines = errorLines(under('timeouts', 'errors/processing-failed/')[0]?.body ?? Buffer.alloc(0));
    assert.deepEqual(lines.map((line) => [line.attemptsMade, line.errorCode]), [[1, 'Lambda.FunctionError']]);
  });
});

describe('Firehose data transformation and stopping', () => {
  it('records still buffered at stop are transformed before functions stop', async () => {
    const clock = new TestClock();
    clock.freeze(T0);
    const own = await startFirehoseHako({ clock });
    try {
      await createFunction(own, 'transform', TRANSFORM);
      await createFolderStream(own.firehose, 'at-stop', { BucketARN: 'arn:aws:s3:::at-stop', Prefix: 'data/', ErrorOutputPrefix: ERRORS, ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: parameters({ LambdaArn: FUNCTION_ARN('transform') }) }] } });
      await own.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'at-stop', Records: [record(1), record(2)] }));
      await own.stop();
      const objects = readObjects(own.bucketDir('at-stop'));
      assert.deepEqual(objects.map((object) => object.key.split('/')[0]), ['data']);
      assert.ok(objects[0]?.body.toString().split('\n').filter(Boolean).every((line) => (JSON.parse(line) as { seen?: boolean }).seen === true));
    } finally {
      await own.close();
    }
  });
});
