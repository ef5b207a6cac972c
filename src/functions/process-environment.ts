/**
 * @module functions/process-environment — an execution environment of its own process (environment.ts): hako's
 * Node.js runtime (runtime/nodejs/bootstrap) with its own Runtime API server, running one invocation at a time
 * (spec §2.5).
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
import path from 'node:path';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { withTimeout } from '../core/timeout.js';
import type { ExecutionEnvironment, EnvironmentSpec, EnvironmentState, InvocationReport, InvokeRequest, InvokeResult } from './environment.js';
import { environmentVariables, traceId } from './environment-variables.js';
import { DEFAULT_INIT_TIMEOUT_MS, initTimedOut, invocationLog, runtimeExited, timedOut, timedOutDuration, tooLarge, type ErrorResult } from './invocation-log.js';
import { ProcessMemory } from './process-memory.js';
import { END_OF_INVOCATION } from './runtime/log-marker.js';
import { RuntimeApiServer, type InitFailure, type RuntimeAnswer } from './runtime-api/server.js';

/** The id the runtime marks the end of its init output with (see runtime/log-marker). */
export const INIT_MARKER_ID = 'init';
const BOOTSTRAP = fileURLToPath(new URL('./runtime/nodejs/bootstrap.js', import.meta.url));
/** The runtime's descriptor for its Runtime API connection. */
const RUNTIME_API_FD = 3;
const WATCHDOG_INTERVAL_MS = 50;

export class ProcessEnvironment implements ExecutionEnvironment {
  readonly spec: EnvironmentSpec;
  readonly isolation = 'process';
  readonly #api: RuntimeApiServer;
  readonly #child: ChildProcess;
  readonly #started = performance.now();
  #state: EnvironmentState = 'initializing';
  #initDurationMs: number | undefined;
  #initReported = false;
  /** Resolves when init ends: undefined when ready, or why it failed. */
  readonly #init: Promise<InitFailure | 'exited' | undefined>;
  readonly #exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #output = { stdout: '', stderr: '' };
  #markers = { stdout: new Set<string>(), stderr: new Set<string>() };
  #markerWaiter: (() => void) | undefined;
  /**
   * Wakes the invocation in progress when the process ends. Not a `then` on #exited per invocation: a reaction on a
   * promise that stays pending keeps its closure, ~900 bytes of hako's heap for every invocation of a warm environment
   * (the contract's leak test).
   */
  #exitWaiter: (() => void) | undefined;
  #heapExhausted = false;
  #peakKiB = 0;
  readonly #memory: ProcessMemory;

  private constructor(spec: EnvironmentSpec, api: RuntimeApiServer) {
    this.spec = spec;
    this.#api = api;
    // No --max-old-space-size: any changed V8 flag makes Node recompile its built-in modules instead of
    // using their code cache, ~27 ms of every cold start (bench/RESULTS.md). The RSS watchdog enforces the
    // memory size instead, for the heap and everything else alike.
    this.#child = spawn(process.execPath, [BOOTSTRAP, `--runtime-api-fd=${RUNTIME_API_FD}`], {
      cwd: spec.codeDir,
      env: environmentVariables(spec, { dir: path.dirname(BOOTSTRAP), api: api.address }),
      // The fourth is a socket pair for the Runtime API (`RuntimeApiServer.accept`); the TCP port stays for others.
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    // Absent when the spawn failed at once (EMFILE: Node sets up no stdio); the 'error' and 'close' paths report that.
    const channel = this.#child.stdio[RUNTIME_API_FD] as Socket | null | undefined;
    if (channel) api.accept(channel);
    this.#memory = new ProcessMemory(this.#child.pid);
    // 'close', not 'exit': by then both pipes are drained, so a dead process's last words are in its log.
    this.#exited = new Promise((resolve) => this.#child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      this.#state = 'dead';
      this.#memory.close();
      resolve({ code, signal });
      this.#exitWaiter?.();
      this.#markerWaiter?.();
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
  static async create(spec: EnvironmentSpec): Promise<ProcessEnvironment> {
    return new ProcessEnvironment(spec, await RuntimeApiServer.start());
  }

  get state(): EnvironmentState {
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
    const outcome = await new Promise<{ answer: RuntimeAnswer | 'timeout' | undefined }>((resolve, reject) => {
      answered.then((answer) => resolve({ answer }), reject);
      deadline = setTimeout(() => resolve({ answer: 'timeout' }), this.spec.timeoutSeconds * 1000).unref();
      this.#exitWaiter = () => resolve({ answer: undefined });
      if (this.#state === 'dead') resolve({ answer: undefined });
    });
    this.#exitWaiter = undefined;
    clearInterval(watchdog);
    clearTimeout(deadline); // one per invocation: left pending, hundreds would pile up at a few hundred calls/s
    const durationMs = performance.now() - started;
    if (outcome.answer === 'timeout' || outcome.answer === undefined) {
      this.#api.abandon();
      const timeout = outcome.answer === 'timeout';
      return this.#finish(request, await this.#failure(requestId, timeout ? 'timeout' : undefined), timeout ? timedOutDuration(this.spec, durationMs) : durationMs, initDurationMs, prelude);
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
  async #failure(requestId: string, reason: 'timeout' | 'init-timeout' | undefined): Promise<ErrorResult> {
    if (reason !== undefined) this.#child.kill('SIGKILL');
    const { code, signal } = await this.#exited;
    this.#state = 'dead';
    if (reason === 'timeout') {
      const { result, logLine } = timedOut(this.spec, requestId);
      this.#output.stdout += logLine;
      return result;
    }
    if (reason === 'init-timeout') return initTimedOut(this.spec, requestId);
    const status = signal !== null ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal.replace(/^SIG/, '').toLowerCase()}` : `exit status ${code ?? '?'}`;
    return runtimeExited(requestId, status, this.#heapExhausted);
  }

  async #initError(failure: InitFailure): Promise<ErrorResult> {
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
    return { log: invocationLog(this.spec, { requestId, functionError, durationMs, initDurationMs, maxMemoryUsedMB, prelude, output }), maxMemoryUsedMB };
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
      await new Promise<void>((resolve) => (this.#markerWaiter = resolve)); // woken by output, or by the process ending
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
  return tooLarge(requestId, answer.bytes);
}
