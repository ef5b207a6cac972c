/**
 * @module functions/runtime/nodejs/runtime-loop — hako's Node.js runtime (`nodejs20.x`) whatever carries its
 * invocations: load the handler (init), then forever take the next invocation, call the handler with the event
 * and a context, and post its result or error (spec §2). A process environment reaches the Runtime API over HTTP
 * (bootstrap), a thread environment its parent's port (thread-bootstrap); both run this loop.
 *
 * Completion follows the official runtime: a returned promise settles it; a callback handler finishes with
 * `callback(err, result)` once the event loop is empty (unless `context.callbackWaitsForEmptyEventLoop` is
 * false); `context.succeed/fail/done` finish at once; a callback handler that never calls back finishes
 * with `null` when the loop drains, and an async handler whose promise never settles fails with
 * `Runtime.NodeJsExit`. An uncaught exception or unhandled rejection is reported and ends the runtime
 * (exit 129 / 128); the environment then starts a fresh one.
 */
import { format } from 'node:util';
import { END_OF_INVOCATION } from '../log-marker.js';
import { createContext, type Completion } from './context.js';
import { RuntimeFailure, toErrorBody, type RuntimeErrorBody } from './errors.js';
import { loadHandler, type Handler } from './handler-loader.js';
import type { NextInvocation } from './runtime-client.js';

/** How the loop reaches its environment: the Runtime API's calls, and where the log goes. */
export interface RuntimeTransport {
  next(): Promise<NextInvocation>;
  postResponse(requestId: string, body: string): Promise<void>;
  postError(requestId: string, error: RuntimeErrorBody): Promise<void>;
  postInitError(error: RuntimeErrorBody): Promise<void>;
  /** A line of the function's log (console output, and the runtime's own error lines). */
  writeLog(text: string): void;
  /** Everything `id`'s invocation (or `init`) printed has been written: called just before its answer is posted. */
  endOfOutput(id: string): void;
}

type Outcome = { ok: true; result: unknown } | { ok: false; error: unknown };

/** Runs the runtime until the process (or thread) ends; never returns. */
export async function runRuntime(transport: RuntimeTransport): Promise<never> {
  let requestId: string | undefined;
  const drain: Drain = { on: undefined };

  /** `<ISO time>\t<request id>\t<LEVEL>\t<message>`, the official runtime's text log format (spec §2.6). */
  const log = (level: string, args: unknown[]): void => {
    const message = format(...args).replaceAll(END_OF_INVOCATION, '');
    transport.writeLog(`${new Date().toISOString()}\t${requestId ?? 'undefined'}\t${level}\t${message}\n`);
  };

  /** Reports a crash for the invocation in progress (or the init), then exits as the official runtime does. */
  const fail = async (error: unknown, exitCode: number): Promise<void> => {
    const body = toErrorBody(error);
    const current = requestId;
    try {
      if (current === undefined) {
        log('ERROR', [`Uncaught Exception \t${JSON.stringify(body)}`]);
      } else {
        log('ERROR', [`Invoke Error \t${JSON.stringify(body)}`]);
        transport.endOfOutput(current);
        await transport.postError(current, body);
      }
    } finally {
      process.exit(exitCode);
    }
  };

  patchConsole(log);
  process.on('beforeExit', () => drain.on?.());
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
    await transport.postInitError(body);
    process.exit(1);
  }

  transport.endOfOutput('init'); // the environment's INIT_MARKER_ID
  for (;;) {
    const invocation = await transport.next();
    requestId = invocation.requestId;
    if (invocation.traceId === undefined) delete process.env._X_AMZN_TRACE_ID;
    else process.env._X_AMZN_TRACE_ID = invocation.traceId;
    const outcome = await invoke(handler, invocation, drain);
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
      transport.endOfOutput(invocation.requestId);
      await transport.postResponse(invocation.requestId, body);
    } else {
      const errorBody = toErrorBody(error);
      log('ERROR', [`Invoke Error \t${JSON.stringify(errorBody)}`]);
      transport.endOfOutput(invocation.requestId);
      await transport.postError(invocation.requestId, errorBody);
    }
    requestId = undefined;
  }
}

/** What to do if the event loop empties before the invocation finishes (set per invocation; `beforeExit` runs it). */
interface Drain {
  on: (() => void) | undefined;
}

function invoke(fn: Handler, invocation: NextInvocation, drain: Drain): Promise<Outcome> {
  drain.on = undefined;
  return new Promise((resolve) => {
    let finished = false;
    const settle = (outcome: Outcome): void => {
      drain.on = undefined;
      resolve(outcome);
    };
    const completion: Completion = {
      finish(error, result, waitForEmptyLoop) {
        if (finished) return;
        finished = true;
        const outcome: Outcome = error === undefined || error === null ? { ok: true, result } : { ok: false, error };
        if (waitForEmptyLoop && context.callbackWaitsForEmptyEventLoop) drain.on = () => settle(outcome);
        else settle(outcome);
      },
    };
    const context = createContext(invocation, process.env, completion);
    let event: unknown;
    try {
      event = JSON.parse(invocation.payload || 'null') as unknown;
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
    if (finished || drain.on !== undefined) return;
    drain.on = () => {
      if (promise !== undefined) completion.finish(new RuntimeFailure('Runtime.NodeJsExit', 'Error: Runtime exited without providing a reason'), undefined, false);
      else completion.finish(undefined, null, false);
    };
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

function patchConsole(log: (level: string, args: unknown[]) => void): void {
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
