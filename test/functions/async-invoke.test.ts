/**
 * @module test/functions/async-invoke.test — asynchronous invocation through `@aws-sdk/client-lambda`
 * (spec §3): 202 with the request id the function then sees, retries that keep that request id, the
 * invocation record AWS sends to OnSuccess / OnFailure destinations, MaximumRetryAttempts, reserved
 * concurrency 0, the event invoke config API, and the limits. Retries are 50 ms apart here
 * (`functions.asyncRetryDelay`), AWS's are about a minute.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateFunctionCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  ListFunctionEventInvokeConfigsCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionEventInvokeConfigCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import type { LogBlock } from '../../src/functions/logs.js';
import { hakoForFile, type TestHako } from '../helpers/hako.js';
import { lambdaClient, rejectsWithLambda, ROLE, zipOf } from '../helpers/lambda.js';

let hako: TestHako;
let client: LambdaClient;
hakoForFile(lambdaClient, (started) => {
  ({ hako, client } = started);
}, { functions: { asyncRetryDelay: 0.05 } });

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';

const RECORDER = "export const handler = async (event) => { console.log('RECORD ' + JSON.stringify(event)); return 'recorded'; };";
const WORKER = `
export const handler = async (event, context) => {
  console.log('attempt ' + context.awsRequestId);
  if (event.fail) throw new Error('boom ' + context.awsRequestId);
  return { doubled: event.n * 2 };
};`;

async function createFunction(name: string, source: string): Promise<void> {
  await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.mjs': source }) } }));
}

/** The next invocation record a recorder function logs. */
function nextRecord(recorder: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const unsubscribe = hako.functions.logs.subscribe((block: LogBlock) => {
      if (block.functionName !== recorder) return;
      const line = block.text.split('\n').find((l) => l.includes('\tINFO\tRECORD '));
      if (line === undefined) return;
      unsubscribe();
      resolve(JSON.parse(line.slice(line.indexOf('RECORD ') + 7)) as Record<string, unknown>);
    });
  });
}

/** Request ids of the invocations of `name` so far (from its log). */
function invocationIds(name: string): string[] {
  return hako.functions.logs.read(name).map((block) => /START RequestId: (\S+)/.exec(block.text)?.[1] ?? '?');
}

test('a failing event is retried with the same request id, then its record goes to the OnFailure destination', async () => {
  await createFunction('flaky', WORKER);
  await createFunction('failures', RECORDER);
  const config = await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'flaky', MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: `${ARN}:failures` } } }));
  assert.deepEqual([config.FunctionArn, config.MaximumRetryAttempts, config.MaximumEventAgeInSeconds], [`${ARN}:flaky:$LATEST`, 2, 21600]);

  const record = nextRecord('failures');
  const accepted = await client.send(new InvokeCommand({ FunctionName: 'flaky', InvocationType: 'Event', Payload: Buffer.from('{"fail":true,"n":1}') }));
  assert.equal(accepted.StatusCode, 202);
  const requestId = accepted.$metadata.requestId;
  assert.match(requestId ?? '', /^[0-9a-f-]{36}$/);
  const delivered = await record;
  assert.deepEqual(invocationIds('flaky'), [requestId, requestId, requestId], 'three attempts, one request id');
  assert.match(String(delivered.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual(
    { ...delivered, timestamp: undefined },
    {
      version: '1.0',
      timestamp: undefined,
      requestContext: { requestId, functionArn: `${ARN}:flaky:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { fail: true, n: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: `boom ${requestId}`, trace: (delivered.responsePayload as { trace: string[] }).trace },
    },
  );
});

test('a successful event goes once, and its record (with the result) to the OnSuccess destination', async () => {
  await createFunction('steady', WORKER);
  await createFunction('successes', RECORDER);
  await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'steady', DestinationConfig: { OnSuccess: { Destination: `${ARN}:successes` } } }));
  const record = nextRecord('successes');
  const accepted = await client.send(new InvokeCommand({ FunctionName: 'steady', InvocationType: 'Event', Payload: Buffer.from('{"n":21}') }));
  const delivered = await record;
  assert.deepEqual(delivered.requestContext, { requestId: accepted.$metadata.requestId, functionArn: `${ARN}:steady:$LATEST`, condition: 'Success', approximateInvokeCount: 1 });
  assert.deepEqual([delivered.responseContext, delivered.responsePayload], [{ statusCode: 200, executedVersion: '$LATEST' }, { doubled: 42 }]);
  assert.equal(invocationIds('steady').length, 1);
});

test('MaximumRetryAttempts 0: one attempt; reserved concurrency 0: straight to the failure destination, never invoked', async () => {
  await createFunction('once', WORKER);
  await createFunction('once-failures', RECORDER);
  await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'once', MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: `${ARN}:once-failures` } } }));
  const first = nextRecord('once-failures');
  await client.send(new InvokeCommand({ FunctionName: 'once', InvocationType: 'Event', Payload: Buffer.from('{"fail":true}') }));
  assert.deepEqual([((await first).requestContext as { approximateInvokeCount: number }).approximateInvokeCount, invocationIds('once').length], [1, 1]);

  await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'once', ReservedConcurrentExecutions: 0 }));
  const second = nextRecord('once-failures');
  await client.send(new InvokeCommand({ FunctionName: 'once', InvocationType: 'Event', Payload: Buffer.from('{"n":1}') }));
  const record = await second;
  assert.deepEqual(record.requestContext, { requestId: (record.requestContext as { requestId: string }).requestId, functionArn: `${ARN}:once:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 0 });
  assert.equal('responsePayload' in record, false, 'it never ran');
  assert.equal(invocationIds('once').length, 1);
});

test('the event invoke config API: put replaces, update merges, get, list, delete; bad values are refused', async () => {
  await createFunction('configured', WORKER);
  await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'configured', MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 600 }));
  const merged = await client.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'configured', DestinationConfig: { OnFailure: { Destination: `${ARN}:configured` } } }));
  assert.deepEqual([merged.MaximumRetryAttempts, merged.MaximumEventAgeInSeconds, merged.DestinationConfig?.OnFailure?.Destination], [1, 600, `${ARN}:configured`]);
  const replaced = await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'configured', MaximumEventAgeInSeconds: 60 }));
  assert.deepEqual([replaced.MaximumRetryAttempts, replaced.MaximumEventAgeInSeconds, replaced.DestinationConfig?.OnFailure], [2, 60, undefined]);
  assert.ok(replaced.LastModified instanceof Date);
  assert.equal((await client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'configured' }))).MaximumEventAgeInSeconds, 60);
  assert.deepEqual((await client.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'configured' }))).FunctionEventInvokeConfigs?.map((c) => c.FunctionArn), [`${ARN}:configured:$LATEST`]);
  await client.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'configured' }));
  await rejectsWithLambda(client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'configured' })), 'ResourceNotFoundException', 404, /doesn't have an EventInvokeConfig/);
  await rejectsWithLambda(client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'configured', MaximumRetryAttempts: 3 })), 'InvalidParameterValueException', 400, /maximumRetryAttempts/);
  await rejectsWithLambda(client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'configured', MaximumEventAgeInSeconds: 30 })), 'InvalidParameterValueException', 400, /between 60 and 21600/);
  await rejectsWithLambda(
    client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'configured', DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:dlq' } } })),
    'InvalidParameterValueException',
    400,
    /hako delivers to Lambda functions/,
  );
});

test('asynchronous limits: a payload over 1 MB is 413, an unknown function 404, before anything is queued', async () => {
  await createFunction('limited', WORKER);
  const before = hako.functions.asyncQueue.metrics.received;
  await rejectsWithLambda(client.send(new InvokeCommand({ FunctionName: 'limited', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ big: 'x'.repeat(1024 * 1024) })) })), 'RequestTooLargeException', 413, /1048576 bytes/);
  await rejectsWithLambda(client.send(new InvokeCommand({ FunctionName: 'nobody-here', InvocationType: 'Event', Payload: Buffer.from('{}') })), 'ResourceNotFoundException', 404);
  await rejectsWithLambda(client.send(new InvokeCommand({ FunctionName: 'limited', InvocationType: 'Event', Payload: Buffer.from('{oops') })), 'InvalidRequestContentException', 400);
  assert.equal(hako.functions.asyncQueue.metrics.received, before);
});
