/**
 * @module test/contract/execution-environment-handlers.contract — the ExecutionEnvironment contract's first half
 * (execution-environment.test runs it for each isolation): Node.js handlers run as on AWS Lambda (spec §2.2–§2.4,
 * §2.6) in a real execution environment: ESM and CommonJS, async and callback styles, `context`
 * (request id, names, remaining time, client context, legacy succeed), the reserved environment variables,
 * warm reuse of module state, and the log of each invocation.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Isolation } from '../../src/functions/environment.js';
import { body, environmentFor, functionCode, invoke } from '../functions/environment-helpers.js';

export function runHandlerContract(isolation: Isolation): void {
  test('an ESM async handler: the result, the context and the reserved environment variables', async (t) => {
    const dir = functionCode(t, {
      'index.mjs': `
        export const handler = async (event, context) => ({
          event,
          context: {
            awsRequestId: context.awsRequestId, invokedFunctionArn: context.invokedFunctionArn, functionName: context.functionName,
            functionVersion: context.functionVersion, memoryLimitInMB: context.memoryLimitInMB, logGroupName: context.logGroupName,
            logStreamName: context.logStreamName, remaining: context.getRemainingTimeInMillis(), clientContext: context.clientContext,
            callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
          },
          env: Object.fromEntries(['_HANDLER', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
            'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'LAMBDA_TASK_ROOT',
            'TZ', 'LANG', 'GREETING', 'TMPDIR'].map((k) => [k, process.env[k]])),
          traceId: process.env._X_AMZN_TRACE_ID,
        });`,
    });
    const environment = await environmentFor(t, dir, 'index.handler', { isolation, memoryMB: 192, timeoutSeconds: 2, variables: { GREETING: 'hi', AWS_REGION: 'ignored' } });
    const clientContext = JSON.stringify({ client: { app_title: 'demo' }, custom: { k: 'v', name: 'hako 箱 café' } }); // non-Latin-1 text crosses a header
    const result = await invoke(environment, { a: [1, 'two'] }, { clientContext });
    assert.equal(result.functionError, undefined);
    const answer = body(result) as { event: unknown; context: Record<string, unknown>; env: Record<string, string>; traceId: string };
    assert.deepEqual(answer.event, { a: [1, 'two'] });
    const { remaining, awsRequestId, ...context } = answer.context;
    assert.match(String(awsRequestId), /^req-\d+-/);
    assert.ok(typeof remaining === 'number' && remaining > 1000 && remaining <= 2000, `remaining ${String(remaining)} ms of 2 s`);
    assert.deepEqual(context, {
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:contract-fn',
      functionName: 'contract-fn',
      functionVersion: '$LATEST',
      memoryLimitInMB: '192',
      logGroupName: '/aws/lambda/contract-fn',
      logStreamName: environment.spec.logStreamName,
      clientContext: { client: { app_title: 'demo' }, custom: { k: 'v', name: 'hako 箱 café' } },
      callbackWaitsForEmptyEventLoop: true,
    });
    assert.deepEqual(answer.env, {
      _HANDLER: 'index.handler',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      AWS_LAMBDA_FUNCTION_NAME: 'contract-fn',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '192',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      LAMBDA_TASK_ROOT: dir,
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      GREETING: 'hi',
      TMPDIR: environment.spec.tmpDir,
    });
    assert.match(answer.traceId, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
  });

  test('module state and the temp directory persist while warm; only the first invocation reports Init Duration', async (t) => {
    const dir = functionCode(t, {
      'counter.js': `
        const fs = require('node:fs');
        const path = require('node:path');
        let count = 0;
        exports.handler = async () => {
          count++;
          const marker = path.join(process.env.TMPDIR, 'seen');
          const seenBefore = fs.existsSync(marker);
          fs.writeFileSync(marker, 'x');
          return { count, seenBefore, pid: process.pid };
        };`,
    });
    const environment = await environmentFor(t, dir, 'counter.handler', { isolation });
    const first = await invoke(environment);
    const second = await invoke(environment);
    const third = await invoke(environment);
    assert.deepEqual([body(first).count, body(second).count, body(third).count], [1, 2, 3]);
    assert.deepEqual([body(first).seenBefore, body(second).seenBefore], [false, true]);
    assert.equal(body(first).pid, body(third).pid);
    assert.ok(first.initDurationMs !== undefined && first.initDurationMs > 0);
    assert.deepEqual([second.initDurationMs, third.initDurationMs], [undefined, undefined]);
    assert.match(first.log, /\tInit Duration: \d+\.\d\d ms/);
    assert.doesNotMatch(second.log, /Init Duration/);
    assert.ok(existsSync(path.join(environment.spec.tmpDir, 'seen')));
  });

  test('CommonJS callback handler: the result waits for the event loop to empty, unless callbackWaitsForEmptyEventLoop is false', async (t) => {
    const dir = functionCode(t, {
      'callback.js': `
        const fs = require('node:fs');
        exports.waits = (event, context, callback) => {
          setTimeout(() => fs.writeFileSync(event.flag, 'written'), 50);
          callback(null, { style: 'callback' });
        };
        exports.doesNotWait = (event, context, callback) => {
          context.callbackWaitsForEmptyEventLoop = false;
          setTimeout(() => fs.writeFileSync(event.flag, 'written'), 5000).unref();
          callback(null, 'right away');
        };
        exports.neverCallsBack = (event, context, callback) => { setTimeout(() => {}, 20); };`,
    });
    const waits = await environmentFor(t, dir, 'callback.waits', { isolation });
    const flag = path.join(dir, 'flag-1');
    const waited = await invoke(waits, { flag });
    assert.deepEqual(body(waited), { style: 'callback' });
    assert.ok(existsSync(flag), 'the timer ran before the result was returned');

    const quick = await environmentFor(t, dir, 'callback.doesNotWait', { isolation });
    const flag2 = path.join(dir, 'flag-2');
    const immediate = await invoke(quick, { flag: flag2 });
    assert.equal(JSON.parse(immediate.payload.toString()), 'right away');
    assert.equal(existsSync(flag2), false, 'answered without waiting for the 5 s timer');

    const silent = await environmentFor(t, dir, 'callback.neverCallsBack', { isolation });
    const nothing = await invoke(silent);
    assert.deepEqual([nothing.functionError, nothing.payload.toString()], [undefined, 'null']);
  });

  test('legacy context.succeed answers at once, and only the first completion counts', async (t) => {
    const dir = functionCode(t, {
      'legacy.js': `
        exports.handler = (event, context, callback) => {
          context.succeed({ first: true });
          context.fail(new Error('too late'));
          callback(null, 'also too late');
        };
        exports.undefinedResult = async () => undefined;`,
    });
    const environment = await environmentFor(t, dir, 'legacy.handler', { isolation });
    const result = await invoke(environment);
    assert.deepEqual([result.functionError, body(result)], [undefined, { first: true }]);
    const undefinedResult = await invoke(await environmentFor(t, dir, 'legacy.undefinedResult', { isolation }));
    assert.equal(undefinedResult.payload.toString(), 'null');
  });

  test('handler strings: a nested directory, a nested export, "type": "module" .js files and .cjs files', async (t) => {
    const dir = functionCode(t, {
      'src/api/package.json': '{"type":"module"}',
      'src/api/index.js': 'export const routes = { get: async () => "esm .js in a module package" };',
      'legacy/main.cjs': 'module.exports.handler = async () => "cjs file";',
    });
    const nested = await invoke(await environmentFor(t, dir, 'src/api/index.routes.get', { isolation }));
    assert.equal(JSON.parse(nested.payload.toString()), 'esm .js in a module package');
    const cjs = await invoke(await environmentFor(t, dir, 'legacy/main.handler', { isolation }));
    assert.equal(JSON.parse(cjs.payload.toString()), 'cjs file');
  });

  test('the log: init output ahead of START, console levels with the request id, raw stderr, END and REPORT', async (t) => {
    const dir = functionCode(t, {
      'talk.mjs': `
        console.log('loading');
        export const handler = async () => {
          console.log('multi', { a: 1 });
          console.warn('careful');
          console.error('bad');
          process.stderr.write('raw stderr\\n');
          return 'ok';
        };`,
    });
    const environment = await environmentFor(t, dir, 'talk.handler', { isolation, memoryMB: 256 });
    const result = await invoke(environment);
    const lines = result.log.trimEnd().split('\n');
    const id = lines.find((line) => line.startsWith('START'))?.split(' ')[2] ?? '';
    assert.match(id, /^req-/);
    const stamp = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';
    assert.match(lines[0] ?? '', /^INIT_START Runtime Version: /);
    assert.match(lines[1] ?? '', new RegExp(`^${stamp}\\tundefined\\tINFO\\tloading$`));
    assert.equal(lines[2], `START RequestId: ${id} Version: $LATEST`);
    const body = lines.slice(3, -2);
    assert.deepEqual(
      body.map((line) => line.replace(new RegExp(`^${stamp}\\t`), '')),
      [`${id}\tINFO\tmulti { a: 1 }`, `${id}\tWARN\tcareful`, `${id}\tERROR\tbad`, 'raw stderr'],
    );
    assert.equal(lines.at(-2), `END RequestId: ${id}`);
    assert.match(lines.at(-1) ?? '', new RegExp(`^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms$`));
    const used = Number(/Max Memory Used: (\d+) MB/.exec(result.log)?.[1]);
    // A process's peak RSS includes Node itself (~40 MB); a thread's heap and buffers are its own.
    assert.ok(used >= (isolation === 'process' ? 20 : 1) && used < 256, `Max Memory Used ${used} MB is the ${isolation}'s measured peak`);
    assert.equal(result.maxMemoryUsedMB, used);
  });

  test('a warm environment holds nothing per invocation: 5,000 invocations leave hako\'s heap as it was', async (t) => {
    const dir = functionCode(t, { 'index.mjs': 'export const handler = async () => 1;' });
    const environment = await environmentFor(t, dir, 'index.handler', { isolation });
    const run = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) await (await environment.invoke({ requestId: `leak-${i}`, payload: Buffer.from('{}'), invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:contract-fn' })).report;
    };
    await run(200);
    const before = collectedHeapBytes();
    await run(5000);
    // A reaction left on a promise that stays pending for the environment's life was ~900 bytes an invocation (4+ MB).
    const grownKiB = (collectedHeapBytes() - before) / 1024;
    assert.ok(grownKiB < 1536, `the heap grew ${grownKiB.toFixed(0)} KiB over 5,000 invocations`);
  });
}

/** The heap in use after a full collection (`gc` made callable for this process). */
function collectedHeapBytes(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}
