/**
 * @module functions/environment — one execution environment: a runtime process (hako's Node.js bootstrap)
 * with its own Runtime API server, running one invocation at a time (spec §2.5).
 *
 * - Cold: the process is spawned on creation; the first `invoke` waits for its init phase (at most
 *   `initTimeoutMs`, 10 s as on AWS) and reports `Init Duration`. An init failure is that invocation's
 *   error, and the environment is dead.
 * - Warm: later invocations reuse the process, so module state and the environment's temp directory persist.
 * - Timeout: the process is killed and the caller gets `Sandbox.Timedout`. A crash, `process.exit` or a
 *   memory overrun (RSS above the configured memory, checked every 50 ms by a watchdog; V8's own heap
 *   limit is left alone, see the spawn) gives `Runtime.ExitError` / `Runtime.OutOfMemory`. Either way the environment is dead; the pool makes a new one.
 * - Logs: everything the process writes between two invocations belongs to the second; `START`, `END` and
 *   `REPORT` lines (with `Max Memory Used` read from the kernel's peak RSS) frame each invocation's log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTimeout } from '../core/timeout.js';
import { ProcessMemory } from './process-memory.js';
import { END_OF_INVOCATION } from './runtime/log-marker.js';
import { RuntimeApiServer, type InitFailure, type RuntimeAnswer } from './runtime-api/server.js';

export interface EnvironmentSpec {
  functionName: string;
  /** `$LATEST` or a version number. */
  version: string;
  /** Directory holding the function's code (LAMBDA_TASK_ROOT). */
  codeDir: string;
  handler: string;
  /** The declared runtime (`nodejs20.x`, …), reported in `AWS_EXECUTION_ENV`. */
  runtime?: string;
  memoryMB: number;
  timeoutSeconds: number;
  /** The function's own environment variables. */
  variables: Record<string, string>;
  region: string;
  /** This environment's temp directory (TMPDIR); kept across invocations, like /tmp. */
  tmpDir: string;
  /** Log stream name, `YYYY/MM/DD/[version]<32 hex>`. */
  logStreamName: string;
  initTimeoutMs?: number;
  /** What the function's AWS SDK calls use: hako's endpoint and temporary credentials (see AwsAccess). */
  aws?: AwsAccess;
}

/** How code in a function reaches AWS — here, hako: its execution role's credentials and the endpoint. */
export interface AwsAccess {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** `AWS_ENDPOINT_URL`, which SDK v3 clients use for every service; unset while hako has no HTTP port. */
  endpointUrl: string | undefined;
  /** Where the SDK is lent to functions (NODE_PATH), see sdk-link. */
  modulesDir: string | undefined;
}

export interface InvokeRequest {
  requestId: string;
  payload: Buffer;
  invokedFunctionArn: string;
  traceId?: string;
  clientContext?: string;
}

export interface InvokeResult {
  /** The function's result (JSON text), or the error document when `functionError` is set. */
  payload: Buffer;
  /** The error type (`Runtime.ExitError`, a thrown error's name, …) when the invocation failed. */
  functionError: string | undefined;
  durationMs: number;
  /** Present on the environment's first invocation. */
  initDurationMs: number | undefined;
  /**
   * The log and the memory figure, settled just after the answer: reading the kernel's peak RSS costs
   * ~40 µs here, so it waits until the caller has its answer (the runtime is idle by then, and the figure
   * is a high-water mark, so it is the same).
   */
  report: Promise<InvocationReport>;
}

export interface InvocationReport {
  /** This invocation's log, `START` to `REPORT`. */
  log: string;
  maxMemoryUsedMB: number;
}

/** The id the runtime marks the end of its init output with (see runtime/log-marker). */
export const INIT_MARKER_ID = 'init';
const BOOTSTRAP = fileURLToPath(new URL('./runtime/nodejs/bootstrap.js', import.meta.url));
const DEFAULT_INIT_TIMEOUT_MS = 10_000;
const WATCHDOG_INTERVAL_MS = 50;

type State = 'initializing' | 'idle' | 'busy' | 'dead';

export class ExecutionEnvironment {
  readonly spec: EnvironmentSpec;
  readonly #api: RuntimeApiServer;
  readonly #child: ChildProcess;
  readonly #started = performance.now();
  #state: State = 'initializing';
  #initDurationMs: number | undefined;
  #initReported = false;
  /** Resolves when init ends: undefined when ready, or why it failed. */
  readonly #init: Promise<InitFailure | 'exited' | undefined>;
  readonly #exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #output = { stdout: '', stderr: '' };
  #markers = { stdout: new Set<string>(), stderr: new Set<string>() };
  #markerWaiter: (() => void) | undefined;
  #heapExhausted = false;
  #peakKiB = 0;
  readonly #memory: ProcessMemory;

  private constructor(spec: EnvironmentSpec, api: RuntimeApiServer) {
    this.spec = spec;
    this.#api = api;
    // No --max-old-space-size: any changed V8 flag makes Node recompile its built-in modules instead of
    // using their code cache, ~27 ms of every cold start (bench/RESULTS.md). The RSS watchdog enforces the
    // memory size instead, for the heap and everything else alike.
    this.#child = spawn(process.execPath, [BOOTSTRAP], {
      cwd: spec.codeDir,
      env: environmentVariables(spec, api.address),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#memory = new ProcessMemory(this.#child.pid);
    // 'close', not 'exit': by then both pipes are drained, so a dead process's last words are in its log.
    this.#exited = new Promise((resolve) => this.#child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      this.#state = 'dead';
      this.#memory.close();
      resolve({ code, signal });
    }));
    this.#child.stdout?.setEncoding('utf8').on('data', (text: string) => this.#collect('stdout', text));
    this.#child.stderr?.setEncoding('utf8').on('data', (text: string) => this.#collect('stderr', text));
    this.#init = new Promise((resolve) => {
      api.onFirstPoll(() => resolve(undefined));
      api.onInitError((failure) => resolve(failure));
      void this.#exited.then(() => resolve('exited'));
    });
  }

  /** Spawns the runtime; its init runs in the background until the first `invoke`. */
  static async create(spec: EnvironmentSpec): Promise<ExecutionEnvironment> {
    return new ExecutionEnvironment(spec, await RuntimeApiServer.start());
  }

  get state(): State {
    return this.#state;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Resolves once the process has exited (and its output has been read). */
  get exited(): Promise<void> {
    return this.#exited.then(() => undefined);
  }

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    if (this.#state === 'busy' || this.#state === 'dead') throw new Error(`environment is ${this.#state}`);
    const { requestId } = request;
    const initTimeoutMs = this.spec.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS;
    const initFailure = this.#state === 'initializing' ? await withTimeout(this.#init, initTimeoutMs) : undefined;
    if (this.#state === 'initializing' && initFailure === undefined) {
      this.#initDurationMs = performance.now() - this.#started;
      await this.#endOfOutput(INIT_MARKER_ID); // the init phase's output, all of it, goes ahead of START
      if (this.#state === 'initializing') this.#state = 'idle';
    }
    const initDurationMs = this.#initReported ? undefined : (this.#initDurationMs ?? performance.now() - this.#started);
    this.#initReported = true;
    if (this.#state !== 'idle') {
      const failure = typeof initFailure === 'object' ? await this.#initError(initFailure) : await this.#failure(requestId, initFailure === 'timeout' ? 'init-timeout' : undefined);
      return this.#finish(request, failure, 0, initDurationMs, this.#takeOutput());
    }
    this.#state = 'busy';
    // Printed before this invocation began (the init phase, on a cold start): logged ahead of START.
    const prelude = this.#takeOutput();
    const started = performance.now();
    const deadlineMs = Date.now() + this.spec.timeoutSeconds * 1000;
    let answered: Promise<RuntimeAnswer>;
    try {
      answered = this.#api.deliver({ requestId, payload: request.payload, deadlineMs, invokedFunctionArn: request.invokedFunctionArn, traceId: request.traceId ?? traceId(), ...(request.clientContext === undefined ? {} : { clientContext: request.clientContext }) });
    } catch (error) {
      this.#state = 'idle'; // nothing reached the runtime
      throw error;
    }
    const watchdog = setInterval(() => this.#checkMemory(), WATCHDOG_INTERVAL_MS);
    let deadline: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      answered.then((answer) => ({ answer })),
      this.#exited.then(() => ({ answer: undefined })),
      new Promise<{ answer: 'timeout' }>((resolve) => (deadline = setTimeout(() => resolve({ answer: 'timeout' }), this.spec.timeoutSeconds * 1000).unref())),
    ]);
    clearInterval(watchdog);
    clearTimeout(deadline); // one per invocation: left pending, hundreds would pile up at a few hundred calls/s
    const durationMs = performance.now() - started;
    if (outcome.answer === 'timeout' || outcome.answer === undefined) {
      this.#api.abandon();
      return this.#finish(request, await this.#failure(requestId, outcome.answer === 'timeout' ? 'timeout' : undefined), durationMs, initDurationMs, prelude);
    }
    await this.#endOfOutput(requestId);
    if (this.#state === 'busy') this.#state = 'idle';
    return this.#finish(request, answerResult(outcome.answer, requestId), durationMs, initDurationMs, prelude);
  }

  /** Kills the process and closes its Runtime API. */
  async dispose(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    await this.#exited;
    await this.#api.close();
  }

  /** The environment died or ran out of time: kill it, and say why in AWS's words. */
  async #failure(requestId: string, reason: 'timeout' | 'init-timeout' | undefined): Promise<{ payload: Buffer; functionError: string }> {
    if (reason !== undefined) this.#child.kill('SIGKILL');
    const { code, signal } = await this.#exited;
    this.#state = 'dead';
    if (reason === 'timeout') {
      const seconds = this.spec.timeoutSeconds.toFixed(2);
      this.#output.stdout += `${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds\n`;
      return errorResult('Sandbox.Timedout', `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`);
    }
    if (reason === 'init-timeout') return errorResult('Sandbox.Timedout', `RequestId: ${requestId} Error: INIT phase timed out after ${((this.spec.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS) / 1000).toFixed(2)} seconds`);
    const status = signal !== null ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal.replace(/^SIG/, '').toLowerCase()}` : `exit status ${code ?? '?'}`;
    const errorType = this.#heapExhausted ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
    return errorResult(errorType, `RequestId: ${requestId} Error: Runtime exited with error: ${status}`);
  }

  async #initError(failure: InitFailure): Promise<{ payload: Buffer; functionError: string }> {
    await this.#exited; // the runtime exits after reporting
    this.#state = 'dead';
    return { payload: failure.body, functionError: failure.errorType };
  }

  #finish(request: InvokeRequest, result: { payload: Buffer; functionError: string | undefined }, durationMs: number, initDurationMs: number | undefined, prelude: string): InvokeResult {
    const output = this.#takeOutput();
    const report = new Promise<InvocationReport>((resolve) => setImmediate(() => resolve(this.#report(request.requestId, result.functionError, durationMs, initDurationMs, prelude, output))));
    return { payload: result.payload, functionError: result.functionError, durationMs, initDurationMs, report };
  }

  #report(requestId: string, functionError: string | undefined, durationMs: number, initDurationMs: number | undefined, prelude: string, output: string): InvocationReport {
    const maxMemoryUsedMB = this.#peakRssMB();
    const report = [
      `REPORT RequestId: ${requestId}`,
      `Duration: ${durationMs.toFixed(2)} ms`,
      `Billed Duration: ${Math.max(1, Math.ceil(durationMs + (initDurationMs ?? 0)))} ms`,
      `Memory Size: ${this.spec.memoryMB} MB`,
      `Max Memory Used: ${maxMemoryUsedMB} MB`,
      ...(initDurationMs === undefined ? [] : [`Init Duration: ${initDurationMs.toFixed(2)} ms`]),
      ...(functionError === undefined ? [] : [`Status: ${functionError === 'Sandbox.Timedout' ? 'timeout' : `error\tError Type: ${functionError}`}`]),
    ].join('\t');
    // A cold invocation's log starts with the init phase and whatever the function printed during it.
    const init = initDurationMs === undefined ? '' : `INIT_START Runtime Version: nodejs:20.hako\n`;
    return { log: `${init}${prelude}START RequestId: ${requestId} Version: ${this.spec.version}\n${output}END RequestId: ${requestId}\n${report}\n`, maxMemoryUsedMB };
  }

  /** What the process wrote since the last call: stdout, then stderr (the two pipes are not ordered). */
  #takeOutput(): string {
    const output = this.#output.stdout + this.#output.stderr;
    this.#output = { stdout: '', stderr: '' };
    return output;
  }

  #collect(stream: 'stdout' | 'stderr', text: string): void {
    if (stream === 'stderr' && text.includes('JavaScript heap out of memory')) this.#heapExhausted = true;
    let rest = this.#output[stream] + text;
    // Markers are cut out of the log; what precedes one belongs to the invocation it closes.
    for (let at = rest.indexOf(END_OF_INVOCATION); at !== -1; at = rest.indexOf(END_OF_INVOCATION)) {
      const end = rest.indexOf('\n', at);
      if (end === -1) break;
      this.#markers[stream].add(rest.slice(at + END_OF_INVOCATION.length, end));
      rest = rest.slice(0, at) + rest.slice(end + 1);
    }
    this.#output[stream] = rest;
    this.#markerWaiter?.();
  }

  /** Waits until both pipes have delivered the marker the runtime wrote before answering. */
  async #endOfOutput(requestId: string): Promise<void> {
    const seen = (): boolean => this.#markers.stdout.has(requestId) && this.#markers.stderr.has(requestId);
    while (!seen() && this.#state !== 'dead') {
      await new Promise<void>((resolve) => {
        this.#markerWaiter = resolve;
        void this.#exited.then(() => resolve());
      });
      this.#markerWaiter = undefined;
    }
    this.#markers.stdout.delete(requestId);
    this.#markers.stderr.delete(requestId);
  }

  #checkMemory(): void {
    const status = this.#memory.read();
    if (status === undefined) return;
    this.#peakKiB = Math.max(this.#peakKiB, status.peakKiB);
    if (status.rssKiB > this.spec.memoryMB * 1024) {
      this.#heapExhausted = true;
      this.#child.kill('SIGKILL');
    }
  }

  /** The process's peak RSS (the kernel's high-water mark), or the last one seen if it is gone. */
  #peakRssMB(): number {
    this.#peakKiB = Math.max(this.#peakKiB, this.#memory.read()?.peakKiB ?? 0);
    return Math.ceil(this.#peakKiB / 1024);
  }
}

function answerResult(answer: RuntimeAnswer, requestId: string): { payload: Buffer; functionError: string | undefined } {
  if (answer.kind === 'response') return { payload: answer.body, functionError: undefined };
  if (answer.kind === 'error') return { payload: answer.body, functionError: answer.errorType };
  return errorResult('Function.ResponseSizeTooLarge', `RequestId: ${requestId} Error: Response payload size (${answer.bytes} bytes) exceeded maximum allowed payload size (6291456 bytes).`);
}

function errorResult(errorType: string, errorMessage: string): { payload: Buffer; functionError: string } {
  return { payload: Buffer.from(JSON.stringify({ errorType, errorMessage })), functionError: errorType };
}

/**
 * An X-Ray trace header: `Root=1-<epoch s, hex>-<24 hex>;Parent=<16 hex>;Sampled=0`. The hex comes from
 * `randomUUID`, which draws on a buffered pool: a `randomBytes` per call is a getrandom system call.
 */
function traceId(): string {
  const random = randomUUID().replaceAll('-', '') + randomUUID().replaceAll('-', '');
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${random.slice(0, 24)};Parent=${random.slice(40, 56)};Sampled=0`;
}

/** The reserved variables of spec §1.6, over the function's own (which cannot override them). */
function environmentVariables(spec: EnvironmentSpec, runtimeApi: string): NodeJS.ProcessEnv {
  const aws = spec.aws;
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    ...(aws?.modulesDir === undefined ? {} : { NODE_PATH: aws.modulesDir }),
    // Not reserved on AWS either: a function may point its SDK elsewhere.
    ...(aws?.endpointUrl === undefined ? {} : { AWS_ENDPOINT_URL: aws.endpointUrl }),
    ...spec.variables,
    ...(aws === undefined ? {} : { AWS_ACCESS_KEY_ID: aws.accessKeyId, AWS_ACCESS_KEY: aws.accessKeyId, AWS_SECRET_ACCESS_KEY: aws.secretAccessKey, AWS_SESSION_TOKEN: aws.sessionToken }),
    _HANDLER: spec.handler,
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime ?? 'nodejs20.x'}`,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMB),
    AWS_LAMBDA_FUNCTION_VERSION: spec.version,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: spec.logStreamName,
    AWS_LAMBDA_RUNTIME_API: runtimeApi,
    LAMBDA_TASK_ROOT: spec.codeDir,
    LAMBDA_RUNTIME_DIR: path.dirname(BOOTSTRAP),
    TMPDIR: spec.tmpDir,
  };
}
