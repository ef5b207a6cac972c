/**
 * @module test/contract/execution-environment-failures.contract — the ExecutionEnvironment contract's second half
 * (execution-environment.test runs it for each isolation): how a function fails, as AWS Lambda reports it (spec §1.3,
 * §2.2, §2.5): thrown errors and rejections (their error shape), init failures with the `Runtime.` types,
 * timeouts (`Sandbox.Timedout`), `process.exit` and crashes (`Runtime.ExitError`), running out of memory,
 * unhandled rejections, a promise that can never settle, an oversized response; and which of these leave
 * the environment dead, so the next invocation is a cold start.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProcessEnvironment } from '../../src/functions/process-environment.js';
import type { Isolation } from '../../src/functions/environment.js';
import { body, environmentFor, functionCode, invoke } from '../functions/environment-helpers.js';

export function runFailureContract(isolation: Isolation): void {
  test('a thrown Error subclass, a rejected string and callback(error): errorType, errorMessage and trace, environment stays warm', async (t) => {
    const dir = functionCode(t, {
      'fail.mjs': `
        class ValidationError extends Error { constructor(m) { super(m); this.name = 'ValidationError'; } }
        let calls = 0;
        export const thrower = async () => { calls++; throw new ValidationError('bad input ' + calls); };
        export const rejecter = () => Promise.reject('plain string');
        export const callbacker = (event, context, callback) => callback(new TypeError('via callback'));`,
    });
    const environment = await environmentFor(t, dir, 'fail.thrower', { isolation });
    const first = await invoke(environment);
    assert.equal(first.functionError, 'ValidationError');
    const error = body(first) as { errorType: string; errorMessage: string; trace: string[] };
    assert.deepEqual([error.errorType, error.errorMessage], ['ValidationError', 'bad input 1']);
    assert.match(error.trace[0] ?? '', /^ValidationError: bad input 1$/);
    assert.ok(error.trace.some((line) => line.includes('fail.mjs')));
    assert.match(first.log, /\tERROR\tInvoke Error \t\{"errorType":"ValidationError","errorMessage":"bad input 1"/);
    assert.match(first.log, /\tStatus: error\tError Type: ValidationError$/m);
    const second = await invoke(environment);
    assert.equal((body(second) as { errorMessage: string }).errorMessage, 'bad input 2', 'a handled failure keeps the environment (and its state)');
    assert.equal(environment.state, 'idle');

    const rejected = await invoke(await environmentFor(t, dir, 'fail.rejecter', { isolation }));
    assert.deepEqual([rejected.functionError, body(rejected)], ['string', { errorType: 'string', errorMessage: 'plain string', trace: [] }]);
    const viaCallback = await invoke(await environmentFor(t, dir, 'fail.callbacker', { isolation }));
    assert.deepEqual([viaCallback.functionError, (body(viaCallback) as { errorMessage: string }).errorMessage], ['TypeError', 'via callback']);
  });

  test('init failures are the first invocation\'s error with the runtime\'s types, and the environment is dead', async (t) => {
    const dir = functionCode(t, {
      'syntax.mjs': 'export const handler = async () => { return ; ;; }}}',
      'missing-dep.mjs': "import 'no-such-package-anywhere';\nexport const handler = async () => 1;",
      'throws.js': "throw new RangeError('config missing');",
      'no-export.js': 'exports.other = async () => 1;',
      'not-function.js': 'exports.handler = 42;',
    });
    const cases: Array<[string, string, RegExp]> = [
      ['syntax.handler', 'Runtime.UserCodeSyntaxError', /^SyntaxError: /],
      ['missing-dep.handler', 'Runtime.ImportModuleError', /no-such-package-anywhere/],
      ['nowhere.handler', 'Runtime.ImportModuleError', /^Error: Cannot find module 'nowhere'/],
      ['throws.handler', 'RangeError', /^config missing$/],
      ['no-export.handler', 'Runtime.HandlerNotFound', /^no-export\.handler is undefined or not exported$/],
      ['not-function.handler', 'Runtime.HandlerNotFound', /^not-function\.handler is not a function$/],
      ['../escape.handler', 'Runtime.MalformedHandlerName', /not a valid handler name/],
      ['nodot', 'Runtime.MalformedHandlerName', /^Bad handler nodot$/],
    ];
    for (const [handler, errorType, message] of cases) {
      const environment = await environmentFor(t, dir, handler, { isolation });
      const result = await invoke(environment);
      assert.equal(result.functionError, errorType, handler);
      const error = body(result) as { errorType: string; errorMessage: string };
      assert.equal(error.errorType, errorType, handler);
      assert.match(error.errorMessage, message, handler);
      assert.ok(result.initDurationMs !== undefined, `${handler}: the failed init is reported`);
      assert.match(result.log, /\tERROR\tInit Error \t/, handler);
      assert.equal(environment.state, 'dead', handler);
    }
  });

  test('a timeout kills the environment: Sandbox.Timedout with AWS\'s message, and "Task timed out" in the log', async (t) => {
    const dir = functionCode(t, { 'slow.mjs': 'export const handler = () => new Promise(() => setInterval(() => {}, 1000));' });
    const environment = await environmentFor(t, dir, 'slow.handler', { isolation, timeoutSeconds: 1 });
    const pid = environment instanceof ProcessEnvironment ? environment.pid : undefined;
    const result = await invoke(environment);
    assert.equal(result.functionError, 'Sandbox.Timedout');
    const error = body(result) as { errorType: string; errorMessage: string };
    assert.match(error.errorMessage, /^RequestId: req-\S+ Error: Task timed out after 1\.00 seconds$/);
    assert.ok(result.durationMs >= 1000 && result.durationMs < 2000, `${result.durationMs} ms`);
    assert.match(result.log, /Task timed out after 1\.00 seconds\n/);
    assert.match(result.log, /\tStatus: timeout$/m);
    assert.equal(environment.state, 'dead');
    await environment.exited;
    if (pid !== undefined) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the process is gone');
  });

  test('process.exit and an uncaught exception end the environment: Runtime.ExitError, or the error itself when the runtime reported it', async (t) => {
    const dir = functionCode(t, {
      'exit.mjs': `
        export const exits = async () => { process.exit(3); };
        export const crashes = async () => { setTimeout(() => { throw new EvalError('from a timer'); }, 1); return new Promise(() => {}); };
        export const unhandled = async () => { Promise.reject(new Error('nobody caught me')); return new Promise((r) => setTimeout(r, 1000)); };`,
    });
    const exits = await environmentFor(t, dir, 'exit.exits', { isolation });
    const exited = await invoke(exits);
    assert.deepEqual([exited.functionError, (body(exited) as { errorMessage: string }).errorMessage], ['Runtime.ExitError', `RequestId: ${/START RequestId: (\S+)/.exec(exited.log)?.[1]} Error: Runtime exited with error: exit status 3`]);
    assert.equal(exits.state, 'dead');

    const crashes = await environmentFor(t, dir, 'exit.crashes', { isolation });
    const crashed = await invoke(crashes);
    assert.deepEqual([crashed.functionError, (body(crashed) as { errorMessage: string }).errorMessage], ['EvalError', 'from a timer']);
    await crashes.exited; // the runtime reported the crash, then exited
    assert.equal(crashes.state, 'dead');

    const unhandled = await environmentFor(t, dir, 'exit.unhandled', { isolation });
    const rejection = await invoke(unhandled);
    assert.equal(rejection.functionError, 'Runtime.UnhandledPromiseRejection');
    assert.match((body(rejection) as { errorMessage: string }).errorMessage, /^Error: nobody caught me$/);
    await unhandled.exited;
    assert.equal(unhandled.state, 'dead');
  });

  test('an async handler whose promise can never settle fails with Runtime.NodeJsExit once nothing is left to run', async (t) => {
    const dir = functionCode(t, { 'stuck.mjs': 'export const handler = async () => new Promise(() => {});' });
    const result = await invoke(await environmentFor(t, dir, 'stuck.handler', { isolation }));
    assert.equal(result.functionError, 'Runtime.NodeJsExit');
  });

  test('memory: a function that grows past its memory size is stopped with Runtime.OutOfMemory', async (t) => {
    const dir = functionCode(t, {
      'hungry.mjs': `
        const hoard = [];
        export const offHeap = async () => { for (;;) { hoard.push(Buffer.alloc(16 * 1024 * 1024, 1)); await new Promise((r) => setTimeout(r, 5)); } };
        export const onHeap = async () => { for (;;) { hoard.push(new Array(1e6).fill({ x: Math.random() })); await new Promise((r) => setImmediate(r)); } };`,
    });
    for (const handler of ['hungry.offHeap', 'hungry.onHeap']) {
      const environment = await environmentFor(t, dir, handler, { isolation, memoryMB: 128, timeoutSeconds: 20 });
      const result = await invoke(environment);
      assert.equal(result.functionError, 'Runtime.OutOfMemory', handler);
      assert.ok(result.maxMemoryUsedMB > 100, `${handler}: measured peak ${result.maxMemoryUsedMB} MB`);
      assert.equal(environment.state, 'dead', handler);
    }
  });

  test('a response over 6 MB is Function.ResponseSizeTooLarge; the environment stays warm', async (t) => {
    const dir = functionCode(t, { 'big.mjs': "let n = 0; export const handler = async (event) => (++n, event.big ? 'x'.repeat(7 * 1024 * 1024) : n);" });
    const environment = await environmentFor(t, dir, 'big.handler', { isolation });
    const result = await invoke(environment, { big: true });
    assert.equal(result.functionError, 'Function.ResponseSizeTooLarge');
    assert.match((body(result) as { errorMessage: string }).errorMessage, /exceeded maximum allowed payload size \(6291456 bytes\)/);
    const next = await invoke(environment, { big: false });
    assert.equal(next.payload.toString(), '2');
  });
}
