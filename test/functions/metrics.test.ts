/**
 * @module test/functions/metrics.test — Lambda's metrics on `/metrics` (Prometheus text): invocations,
 * errors and duration per function and version, throttles, asynchronous events received, concurrent
 * executions.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, PutFunctionConcurrencyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { hakoForFile, type TestHako } from '../helpers/hako.js';
import { lambdaClient, rejectsWithLambda, ROLE, zipOf } from '../helpers/lambda.js';

let hako: TestHako;
let client: LambdaClient;
hakoForFile(lambdaClient, (started) => {
  ({ hako, client } = started);
});

async function scrape(): Promise<string> {
  return (await fetch(`http://127.0.0.1:${hako.ports.http}/metrics`)).text();
}

/** The value of one sample line, e.g. `hako_function_invocations_total{function="m",version="$LATEST"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('invocations, errors, durations, throttles and async events are counted per function', async () => {
  await client.send(new CreateFunctionCommand({ FunctionName: 'measured', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.mjs': 'export const handler = async (e) => { if (e.fail) throw new Error("no"); return 1; };' }) } }));
  await client.send(new InvokeCommand({ FunctionName: 'measured', Payload: Buffer.from('{}') }));
  await client.send(new InvokeCommand({ FunctionName: 'measured', Payload: Buffer.from('{}') }));
  await client.send(new InvokeCommand({ FunctionName: 'measured', Payload: Buffer.from('{"fail":true}') }));
  const labels = '{function="measured",version="$LATEST"}';
  let text = await scrape();
  assert.equal(sample(text, `hako_function_invocations_total${labels}`), 3);
  assert.equal(sample(text, `hako_function_errors_total${labels}`), 1);
  assert.equal(sample(text, `hako_function_duration_milliseconds_count${labels}`), 3);
  assert.ok((sample(text, `hako_function_duration_milliseconds_sum${labels}`) ?? 0) > 0);
  assert.equal(sample(text, 'hako_function_concurrent_executions'), 0);
  assert.ok(sample(text, 'hako_mqtt_connections') !== undefined, 'the broker counters are still there');

  await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'measured', ReservedConcurrentExecutions: 0 }));
  await rejectsWithLambda(client.send(new InvokeCommand({ FunctionName: 'measured', Payload: Buffer.from('{}') })), 'TooManyRequestsException', 429);
  await client.send(new InvokeCommand({ FunctionName: 'measured', InvocationType: 'Event', Payload: Buffer.from('{}') }));
  text = await scrape();
  assert.equal(sample(text, 'hako_function_throttles_total{function="measured"}'), 1);
  assert.equal(sample(text, 'hako_function_async_events_received_total{function="measured"}'), 1);
});
