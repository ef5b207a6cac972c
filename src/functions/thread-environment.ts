/**
 * @module functions/thread-environment — an execution environment on a worker thread of hako's own process
 * (environment.ts, isolation `thread`): hako's Node.js runtime (runtime/nodejs/thread-bootstrap) reached over the
 * worker's port, so an invocation costs two messages instead of three HTTP exchanges with another process.
 *
 * The same contract as a process environment (cold and warm, `Init Duration`, the log framed by START/END/REPORT,
 * `Sandbox.Timedout`, `Runtime.ExitError`, `Runtime.OutOfMemory`), with what a thread cannot give:
 * - no working directory of its own: the handler is loaded from `LAMBDA_TASK_ROOT`, but a relative path the code
 *   opens resolves against hako's directory (`path.join(__dirname, …)` or `LAMBDA_TASK_ROOT` work);
 * - memory: V8's old generation is capped at the memory size, and the runtime stops itself when its heap and
 *   buffers pass it; a loop that allocates buffers without ever yielding is stopped only by the timeout;
 * - `Max Memory Used` is the thread's heap and buffers, where a process reports its whole RSS;
 * - a native addon that crashes takes hako with it.
 * Its environment variables are its own, as in a process (the worker's `env`).
 */
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTimeout } from '../core/timeout.js';
import type { ExecutionEnvironment, EnvironmentSpec, EnvironmentState, InvocationReport, InvokeRequest, InvokeResult } from './environment.js';
import { environmentVariables, traceId } from './environment-variables.js';
import { DEFAULT_INIT_TIMEOUT_MS, initTimedOut, invocationLog, runtimeExited, timedOut, timedOutDuration, tooLarge, type ErrorResult } from './invocation-log.js';
import { MAX_RESPONSE_BYTES } from './runtime-api/server.js';
import type { InvocationMessage, RuntimeMessage } from './runtime/thread-messages.js';

const THREAD_BOOTSTRAP = fileURLToPath(new URL('./runtime/nodejs/thread-bootstrap.js', import.meta.url));

type Answer = Extract<RuntimeMessage, { kind: 'response' | 'error' }>;
/** How an invocation ends: the runtime's answer, the thread's end, or the timeout. */
type Ending = Answer | { kind: 'exited'; code: number } | { kind: 'timeout' };
type InitOutcome = { kind: 'ready' } | { kind: 'failed'; errorType: string; body: Buffer } | { kind: 'exited' };

export class ThreadEnvironment implements ExecutionEnvironment {
  readonly spec: EnvironmentSpec;
  readonly isolation = 'thread';
  readonly #worker: Worker;
  readonly #started = performance.now();
  #state: EnvironmentState = 'initializing';
  #initDurationMs: number | undefined;
  #initReported = false;
  readonly #init: Promise<InitOutcome>;
  #settleInit: ((outcome: InitOutcome) => void) | undefined;
  readonly #exited: Promise<number>;
  /** The invocation in progress, waiting for its ending (one callback, not a `then` per invocation on #exited). */
  #waiter: ((ending: Ending) => void) | undefined;
  /** The request id of the invocation in progress. */
  #current: string | undefined;
  #output = '';
  #outOfMemory = false;
  #peakBytes = 0;

  constructor(spec: EnvironmentSpec) {
    this.spec = spec;
    this.#worker = new Worker(THREAD_BOOTSTRAP, {
      name: `hako function ${spec.functionName}:${spec.version}`,
      env: environmentVariables(spec, { dir: path.dirname(THREAD_BOOTSTRAP) }),
      argv: [],
      execArgv: [],
      // Output that bypasses the runtime's own stdout and stderr (there is little) still lands in the log, not hako's.
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: spec.memoryMB },
      workerData: { memoryBytes: spec.memoryMB * 1024 * 1024 },
    });
    this.#worker.stdout.setEncoding('utf8').on('data', (text: string) => (this.#output += text));
    this.#worker.stderr.setEncoding('utf8').on('data', (text: string) => (this.#output += text));
    this.#worker.on('message', (message: unknown) => this.#receive(message));
    this.#worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') this.#outOfMemory = true;
      else this.#output += `${error.stack ?? String(error)}\n`;
    });
    this.#init = new Promise((resolve) => (this.#settleInit = resolve));
    this.#exited = new Promise((resolve) => this.#worker.once('exit', (code: number) => {
      this.#state = 'dead';
      this.#settleInit?.({ kind: 'exited' });
      this.#waiter?.({ kind: 'exited', code });
      resolve(code);
    }));
  }

  get state(): EnvironmentState {
    return this.#state;
  }

  /** Resolves once the thread has ended. */
  get exited(): Promise<void> {
    return this.#exited.then(() => undefined);
  }

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    if (this.#state === 'busy' || this.#state === 'dead') throw new Error(`environment is ${this.#state}`);
    const { requestId } = request;
    if (this.#state === 'initializing') {
      const init = await withTimeout(this.#init, this.spec.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS);
      this.#initDurationMs = performance.now() - this.#started;
      if (init !== 'timeout' && init.kind === 'ready') this.#state = 'idle';
      else return this.#finish(requestId, await this.#initFailure(requestId, init), 0, this.#takeInitDuration(), this.#takeOutput());
    }
    const initDurationMs = this.#takeInitDuration();
    this.#state = 'busy';
    const prelude = this.#takeOutput(); // printed during init: logged ahead of START
    const started = performance.now();
    const invocation: InvocationMessage = {
      requestId,
      payload: request.payload.toString('utf8'),
      deadlineMs: Date.now() + this.spec.timeoutSeconds * 1000,
      invokedFunctionArn: request.invokedFunctionArn,
      traceId: request.traceId ?? traceId(),
      clientContext: request.clientContext,
    };
    let deadline: NodeJS.Timeout | undefined;
    this.#current = requestId;
    const outcome = await new Promise<Ending>((resolve) => {
      this.#waiter = resolve;
      deadline = setTimeout(() => resolve({ kind: 'timeout' }), this.spec.timeoutSeconds * 1000);
      this.#worker.postMessage(invocation);
    });
    clearTimeout(deadline);
    this.#waiter = undefined;
    this.#current = undefined;
    const durationMs = performance.now() - started;
    if (outcome.kind === 'timeout') {
      this.#state = 'dead';
      await this.#worker.terminate();
      const { result, logLine } = timedOut(this.spec, requestId);
      this.#output += logLine;
      return this.#finish(requestId, result, timedOutDuration(this.spec, durationMs), initDurationMs, prelude);
    }
    if (outcome.kind === 'exited') return this.#finish(requestId, this.#exitedResult(requestId, outcome.code), durationMs, initDurationMs, prelude);
    if (this.#state === 'busy') this.#state = 'idle';
    return this.#finish(requestId, answerResult(outcome, requestId), durationMs, initDurationMs, prelude);
  }

  async dispose(): Promise<void> {
    this.#state = 'dead';
    await this.#worker.terminate();
  }

  /**
   * A message from the thread. The function's own code can reach the same port (`parentPort`), so what arrives is
   * checked: anything that is not a runtime message, or answers another invocation than the one in progress, is
   * ignored.
   */
  #receive(message: unknown): void {
    if (!isRuntimeMessage(message)) return;
    switch (message.kind) {
      case 'log':
        this.#output += message.text;
        return;
      case 'ready':
        this.#settleInit?.({ kind: 'ready' });
        return;
      case 'init-error':
        this.#settleInit?.({ kind: 'failed', errorType: message.errorType, body: Buffer.from(message.body) });
        return;
      case 'out-of-memory':
        this.#outOfMemory = true;
        this.#peakBytes = Math.max(this.#peakBytes, message.heapBytes);
        return;
      default:
        if (message.requestId !== this.#current) return;
        this.#peakBytes = Math.max(this.#peakBytes, message.heapBytes);
        this.#waiter?.(message);
    }
  }

  /** Init failed, timed out or the thread ended: the environment is dead and the invocation says why. */
  async #initFailure(requestId: string, init: Exclude<InitOutcome, { kind: 'ready' }> | 'timeout'): Promise<ErrorResult> {
    this.#state = 'dead';
    if (init === 'timeout') {
      await this.#worker.terminate();
      return initTimedOut(this.spec, requestId);
    }
    const code = await this.#exited; // after reporting, the runtime exits
    return init.kind === 'failed' ? { payload: init.body, functionError: init.errorType } : this.#exitedResult(requestId, code);
  }

  #exitedResult(requestId: string, code: number): ErrorResult {
    this.#state = 'dead';
    // A process stopped for its memory shows AWS's `signal: killed`; so does a thread, for the same cause.
    return runtimeExited(requestId, this.#outOfMemory ? 'signal: killed' : `exit status ${code}`, this.#outOfMemory);
  }

  #takeInitDuration(): number | undefined {
    if (this.#initReported) return undefined;
    this.#initReported = true;
    return this.#initDurationMs;
  }

  #takeOutput(): string {
    const output = this.#output;
    this.#output = '';
    return output;
  }

  #finish(requestId: string, result: { payload: Buffer; functionError: string | undefined }, durationMs: number, initDurationMs: number | undefined, prelude: string): InvokeResult {
    const output = this.#takeOutput();
    // Out of memory means the memory size was reached, whatever the last reading said.
    const maxMemoryUsedMB = this.#outOfMemory ? Math.max(this.spec.memoryMB, Math.ceil(this.#peakBytes / 1048576)) : Math.ceil(this.#peakBytes / 1048576);
    const report: InvocationReport = { log: invocationLog(this.spec, { requestId, functionError: result.functionError, durationMs, initDurationMs, maxMemoryUsedMB, prelude, output }), maxMemoryUsedMB };
    return { payload: result.payload, functionError: result.functionError, durationMs, initDurationMs, report: Promise.resolve(report) };
  }
}

function answerResult(answer: Answer, requestId: string): { payload: Buffer; functionError: string | undefined } {
  const payload = Buffer.from(answer.body, 'utf8');
  if (payload.length > MAX_RESPONSE_BYTES) return tooLarge(requestId, payload.length);
  return answer.kind === 'response' ? { payload, functionError: undefined } : { payload, functionError: answer.errorType };
}

function isRuntimeMessage(value: unknown): value is RuntimeMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  const text = (key: string): boolean => typeof m[key] === 'string';
  const bytes = (): boolean => typeof m['heapBytes'] === 'number' && Number.isFinite(m['heapBytes']);
  switch (m['kind']) {
    case 'log':
      return text('text');
    case 'ready':
      return true;
    case 'init-error':
      return text('errorType') && text('body');
    case 'out-of-memory':
      return bytes();
    case 'response':
      return text('requestId') && text('body') && bytes();
    case 'error':
      return text('requestId') && text('errorType') && text('body') && bytes();
    default:
      return false;
  }
}
