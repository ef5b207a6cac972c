/**
 * @module test/functions/thread-isolation.test — what only a thread environment has to prove (the shared contract
 * is in test/contract/execution-environment): a function chooses it with its
 * `HAKO_FUNCTION_ISOLATION` variable through the Lambda API; code that never yields is still stopped by its timeout;
 * what it changes in `process.env` and its globals stays in its thread; its `process.exit` ends only the thread; what
 * its own code posts on the thread's port is not taken for the runtime's answer.
 */
import assert from 'node:assert/strict';
import { isMainThread, threadId } from 'node:worker_threads';
import { test } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2, type LambdaClient } from '@aws-sdk/client-lambda';
import { hakoForFile } from '../helpers/hako.js';
import { json, lambdaClient, ROLE, zipOf } from '../helpers/lambda.js';
import { body, environmentFor, functionCode, invoke } from './environment-helpers.js';

let client: LambdaClient;
hakoForFile(lambdaClient, (started) => {
  ({ client } = started);
});

const WHERE = `
import { isMainThread, threadId } from 'node:worker_threads';
let calls = 0;
export const handler = async () => ({ pid: process.pid, isMainThread, threadId, calls: ++calls, isolation: process.env.HAKO_FUNCTION_ISOLATION ?? null });`;

test('HAKO_FUNCTION_ISOLATION=thread through the Lambda API: the function runs on a thread of hako\'s process, warm; unset, in a process of its own', async () => {
  await client.send(new CreateFunctionCommand({
    FunctionName: 'threaded', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.mjs': WHERE }) },
    Environment: { Variables: { HAKO_FUNCTION_ISOLATION: 'thread' } },
  }));
  const call = async (): Promise<Record<string, unknown>> => json((await client.send(new InvokeCommand({ FunctionName: 'threaded' }))).Payload) as Record<string, unknown>;
  const first = await call();
  const second = await call();
  assert.deepEqual([first.pid, first.isMainThread, first.isolation], [process.pid, false, 'thread'], 'a worker thread of hako (started in this process by the test)');
  assert.notEqual(first.threadId, threadId);
  assert.deepEqual([second.threadId, second.calls], [first.threadId, 2], 'the same warm thread');

  await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'threaded', Environment: { Variables: {} } }));
  await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 10 }, { FunctionName: 'threaded' });
  const inProcess = await call();
  assert.deepEqual([inProcess.isMainThread, inProcess.isolation, inProcess.calls], [true, null, 1]);
  assert.notEqual(inProcess.pid, process.pid, 'a process of its own after the update');
});

test('a handler that never yields is stopped by its timeout; the thread is gone and hako goes on', async (t) => {
  const dir = functionCode(t, { 'spin.mjs': 'export const handler = () => { for (;;) {} };' });
  const environment = await environmentFor(t, dir, 'spin.handler', { isolation: 'thread', timeoutSeconds: 1 });
  const result = await invoke(environment);
  assert.equal(result.functionError, 'Sandbox.Timedout');
  assert.match(result.log, /Task timed out after 1\.00 seconds\n/);
  await environment.exited;
  assert.equal(environment.state, 'dead');
  assert.ok(isMainThread, 'still here');
});

test('process.env, globals and process.exit stay in the function\'s thread', async (t) => {
  const dir = functionCode(t, {
    'meddle.mjs': `
      export const handler = async (event) => {
        process.env.PATH = '/nowhere';
        process.env.LEAKED = 'yes';
        globalThis.leaked = true;
        if (event.exit) process.exit(5);
        return { path: process.env.PATH };
      };`,
  });
  const path = process.env.PATH;
  const environment = await environmentFor(t, dir, 'meddle.handler', { isolation: 'thread' });
  assert.deepEqual(body(await invoke(environment)), { path: '/nowhere' });
  assert.deepEqual([process.env.PATH, process.env.LEAKED, (globalThis as { leaked?: boolean }).leaked], [path, undefined, undefined]);
  const exited = await invoke(environment, { exit: true });
  assert.match((body(exited) as { errorMessage: string }).errorMessage, /Runtime exited with error: exit status 5$/);
  assert.equal(environment.state, 'dead');
  assert.ok(isMainThread, 'the test process (hako\'s stand-in) is still running');
});

test('messages the function\'s own code posts on the thread\'s port are ignored: the answer is the runtime\'s', async (t) => {
  const dir = functionCode(t, {
    'spoof.mjs': `
      import { parentPort } from 'node:worker_threads';
      export const handler = async () => {
        parentPort.postMessage({ nonsense: true });
        parentPort.postMessage({ kind: 'response', requestId: 'someone-else', body: '"spoofed"', heapBytes: 1 });
        parentPort.postMessage({ kind: 'response', body: 42 });
        parentPort.postMessage('plain text');
        await new Promise((resolve) => setTimeout(resolve, 20));
        return 'real';
      };`,
  });
  const environment = await environmentFor(t, dir, 'spoof.handler', { isolation: 'thread' });
  const first = await invoke(environment);
  assert.deepEqual([first.functionError, JSON.parse(first.payload.toString())], [undefined, 'real']);
  assert.ok(Number.isInteger(first.maxMemoryUsedMB) && first.maxMemoryUsedMB > 0, `Max Memory Used ${first.maxMemoryUsedMB}`);
  assert.equal(JSON.parse((await invoke(environment)).payload.toString()), 'real', 'and the next invocation too');
});
