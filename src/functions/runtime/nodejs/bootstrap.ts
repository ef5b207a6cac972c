/**
 * @module functions/runtime/nodejs/bootstrap — hako's Node.js runtime (`nodejs20.x`), the process an
 * execution environment runs: load the handler (init), then forever take the next invocation from the
 * Runtime API, call the handler with the event and a context, and post its result or error (spec §2).
 *
 * Completion follows the official runtime: a returned promise settles it; a callback handler finishes with
 * `callback(err, result)` once the event loop is empty (unless `context.callbackWaitsForEmptyEventLoop` is
 * false); `context.succeed/fail/done` finish at once; a callback handler that never calls back finishes
 * with `null` when the loop drains, and an async handler whose promise never settles fails with
 * `Runtime.NodeJsExit`. An uncaught exception or unhandled rejection is reported and ends the process
 * (exit 129 / 128); the environment then starts a fresh one.
 */
import { format } from 'node:util';
import { END_OF_INVOCATION, endMarker } from '../log-marker.js';
import { createContext, type Completion } from './context.js';
import { RuntimeFailure, toErrorBody } from './errors.js';
import { loadHandler, type Handler } from './handler-loader.js';
import { RuntimeClient, type NextInvocation } from './runtime-client.js';

type Outcome = { ok: true; result: unknown } | { ok: false; error: unknown };

const client = new RuntimeClient(process.env.AWS_LAMBDA_RUNTIME_API ?? '127.0.0.1:9001');
let requestId: string | undefined;
/** Called when the event loop drains during an invocation (registered per invocation). */
let onDrain: (() => void) | undefined;

patchConsole();
process.on('beforeExit', () => onDrain?.());
exitWithParent();
process.on('uncaughtException', (error) => void fail(error, 129));
process.on('unhandledRejection', (reason) => {
  const message = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  void fail(new RuntimeFailure('Runtime.UnhandledPromiseRejection', message, { cause: reason }), 128);
});

let handler: Handler;
try {
  handler = await loadHandler(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), process.env._HANDLER ?? '');
} catch (error) {
  const body = toErrorBody(error);
  log('ERROR', [`Init Error \t${JSON.stringify(body)}`]);
  await client.postInitError(body);
  process.exit(1);
}

markEnd('init'); // the environment's INIT_MARKER_ID
for (;;) {
  const invocation = await client.next();
  requestId = invocation.requestId;
  if (invocation.traceId === undefined) delete process.env._X_AMZN_TRACE_ID;
  else process.env._X_AMZN_TRACE_ID = invocation.traceId;
  const outcome = await invoke(handler, invocation);
  let body: string | undefined;
  let error: unknown = outcome.ok ? undefined : outcome.error;
  if (outcome.ok) {
    try {
      body = JSON.stringify(outcome.result === undefined ? null : outcome.result);
    } catch (cause) {
      error = new RuntimeFailure('Runtime.SerializationError', `Unable to stringify response body: ${(cause as Error).message}`, { cause });
    }
  }
  if (body !== undefined && error === undefined) {
    markEnd(invocation.requestId);
    await client.postResponse(invocation.requestId, body);
  } else {
    const errorBody = toErrorBody(error);
    log('ERROR', [`Invoke Error \t${JSON.stringify(errorBody)}`]);
    markEnd(invocation.requestId);
    await client.postError(invocation.requestId, errorBody);
  }
  requestId = undefined;
}

function invoke(fn: Handler, invocation: NextInvocation): Promise<Outcome> {
  onDrain = undefined;
  return new Promise((resolve) => {
    let finished = false;
    const settle = (outcome: Outcome): void => {
      onDrain = undefined;
      resolve(outcome);
    };
    const completion: Completion = {
      finish(error, result, waitForEmptyLoop) {
        if (finished) return;
        finished = true;
        const outcome: Outcome = error === undefined || error === null ? { ok: true, result } : { ok: false, error };
        if (waitForEmptyLoop && context.callbackWaitsForEmptyEventLoop) onDrain = () => settle(outcome);
        else settle(outcome);
      },
    };
    const context = createContext(invocation, process.env, completion);
    let event: unknown;
    try {
      event = JSON.parse(invocation.payload.toString('utf8') || 'null') as unknown;
    } catch (error) {
      completion.finish(new RuntimeFailure('Runtime.InvalidEvent', `the event is not JSON: ${(error as Error).message}`), undefined, false);
      return;
    }
    let returned: unknown;
    try {
      returned = fn(event, context, (error, result) => completion.finish(error, result, true));
    } catch (error) {
      completion.finish(error, undefined, false);
      return;
    }
    const promise = isThenable(returned) ? returned : undefined;
    promise?.then(
      (result) => completion.finish(undefined, result, false),
      (error: unknown) => completion.finish(error ?? new Error('the handler rejected with no reason'), undefined, false),
    );
    // Nothing left to run and no answer yet: a callback handler that never called back succeeds with null;
    // an async handler whose promise can no longer settle has failed.
    if (finished || onDrain !== undefined) return;
    onDrain = () => {
      if (promise !== undefined) completion.finish(new RuntimeFailure('Runtime.NodeJsExit', 'Error: Runtime exited without providing a reason'), undefined, false);
      else completion.finish(undefined, null, false);
    };
  });
}

/** Reports a crash for the invocation in progress (or the init), then exits as the official runtime does. */
async function fail(error: unknown, exitCode: number): Promise<void> {
  const body = toErrorBody(error);
  const current = requestId;
  try {
    if (current === undefined) {
      log('ERROR', [`Uncaught Exception \t${JSON.stringify(body)}`]);
    } else {
      log('ERROR', [`Invoke Error \t${JSON.stringify(body)}`]);
      markEnd(current);
      await client.postError(current, body);
    }
  } finally {
    process.exit(exitCode);
  }
}

/**
 * An environment must not outlive hako: if hako is killed (kill -9 gives it no chance to stop its
 * environments), this process is re-parented, and it exits. Unref'd, so it never keeps the event loop
 * alive (callback handlers finish when the loop is empty).
 */
function exitWithParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(1);
  }, 500).unref();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

function markEnd(id: string): void {
  const marker = endMarker(id);
  process.stdout.write(marker);
  process.stderr.write(marker);
}

/** `<ISO time>\t<request id>\t<LEVEL>\t<message>`, the official runtime's text log format (spec §2.6). */
function log(level: string, args: unknown[]): void {
  const message = format(...args).replaceAll(END_OF_INVOCATION, '');
  process.stdout.write(`${new Date().toISOString()}\t${requestId ?? 'undefined'}\t${level}\t${message}\n`);
}

function patchConsole(): void {
  const levels: Array<[keyof Console, string]> = [
    ['log', 'INFO'],
    ['info', 'INFO'],
    ['warn', 'WARN'],
    ['error', 'ERROR'],
    ['debug', 'DEBUG'],
    ['trace', 'TRACE'],
  ];
  for (const [method, level] of levels) (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => log(level, args);
}
