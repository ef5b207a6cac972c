/**
 * @module functions/invocation-log — what every kind of environment reports the same way: an invocation's log
 * (`START`, the function's output, `END`, `REPORT` with durations and memory, spec §2.6), and the error documents of
 * the failures the environment itself names (spec §1.3).
 */
import type { EnvironmentSpec } from './environment.js';

/** How long a cold environment's init may take before the invocation fails (10 s, as on AWS). */
export const DEFAULT_INIT_TIMEOUT_MS = 10_000;

export interface ErrorResult {
  payload: Buffer;
  functionError: string;
}

export interface LogParts {
  requestId: string;
  functionError: string | undefined;
  durationMs: number;
  initDurationMs: number | undefined;
  maxMemoryUsedMB: number;
  /** Printed before the invocation began (the init phase, on a cold start): logged ahead of START. */
  prelude: string;
  /** Printed during the invocation. */
  output: string;
}

export function invocationLog(spec: EnvironmentSpec, parts: LogParts): string {
  const { requestId, functionError, durationMs, initDurationMs } = parts;
  const report = [
    `REPORT RequestId: ${requestId}`,
    `Duration: ${durationMs.toFixed(2)} ms`,
    `Billed Duration: ${Math.max(1, Math.ceil(durationMs + (initDurationMs ?? 0)))} ms`,
    `Memory Size: ${spec.memoryMB} MB`,
    `Max Memory Used: ${parts.maxMemoryUsedMB} MB`,
    ...(initDurationMs === undefined ? [] : [`Init Duration: ${initDurationMs.toFixed(2)} ms`]),
    ...(functionError === undefined ? [] : [`Status: ${functionError === 'Sandbox.Timedout' ? 'timeout' : `error\tError Type: ${functionError}`}`]),
  ].join('\t');
  // A cold invocation's log starts with the init phase and whatever the function printed during it.
  const init = initDurationMs === undefined ? '' : `INIT_START Runtime Version: nodejs:20.hako\n`;
  return `${init}${parts.prelude}START RequestId: ${requestId} Version: ${spec.version}\n${parts.output}END RequestId: ${requestId}\n${report}\n`;
}

export function errorResult(errorType: string, errorMessage: string): ErrorResult {
  return { payload: Buffer.from(JSON.stringify({ errorType, errorMessage })), functionError: errorType };
}

/** The invocation ran out of time: its error, and the line AWS adds to its log. */
export function timedOut(spec: EnvironmentSpec, requestId: string): { result: ErrorResult; logLine: string } {
  const seconds = spec.timeoutSeconds.toFixed(2);
  return {
    result: errorResult('Sandbox.Timedout', `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`),
    logLine: `${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds\n`,
  };
}

/**
 * A timed-out invocation's duration: at least the whole timeout. Node's timer can fire a fraction of a millisecond
 * before `performance.now()` says the time has passed (libuv counts from the event loop's cached clock).
 */
export function timedOutDuration(spec: EnvironmentSpec, measuredMs: number): number {
  return Math.max(measuredMs, spec.timeoutSeconds * 1000);
}

export function initTimedOut(spec: EnvironmentSpec, requestId: string): ErrorResult {
  return errorResult('Sandbox.Timedout', `RequestId: ${requestId} Error: INIT phase timed out after ${((spec.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS) / 1000).toFixed(2)} seconds`);
}

/** The runtime ended (`status`: `exit status 1`, `signal: killed`, …): out of memory, or any other exit. */
export function runtimeExited(requestId: string, status: string, outOfMemory: boolean): ErrorResult {
  return errorResult(outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError', `RequestId: ${requestId} Error: Runtime exited with error: ${status}`);
}

export function tooLarge(requestId: string, bytes: number): ErrorResult {
  return errorResult('Function.ResponseSizeTooLarge', `RequestId: ${requestId} Error: Response payload size (${bytes} bytes) exceeded maximum allowed payload size (6291456 bytes).`);
}
