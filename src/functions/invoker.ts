/**
 * @module functions/invoker — Invoke (spec §1.2): resolve the function and version, check the payload,
 * run it in an environment from the pool and answer as Lambda does: 200 with the result, or 200 with
 * `X-Amz-Function-Error: Unhandled` and the error document; `X-Amz-Executed-Version`; with `LogType:
 * Tail`, the last 4 KB of the invocation's log, base64. DryRun checks and answers 204.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../core/aws-error.js';
import type { Logger } from '../core/logger.js';
import type { ConcurrencyLimiter } from './concurrency.js';
import type { FunctionLogs } from './logs.js';
import type { FunctionMetrics } from './metrics.js';
import type { FunctionArns, FunctionReference } from './names.js';
import type { EnvironmentPool } from './pool.js';
import type { InvokeResult } from './environment.js';
import type { FunctionRegistry, FunctionVersion } from './registry.js';

/** 6 MB, the synchronous request limit [spec §1.5]. */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
const LOG_TAIL_BYTES = 4 * 1024;

export type InvocationType = 'RequestResponse' | 'DryRun';

export interface InvokeOptions {
  invocationType: InvocationType;
  logType: 'None' | 'Tail';
  /**
   * The caller wrote the payload with `JSON.stringify` (hako's own event builders): parsing it again to check it is
   * JSON would only cost time (~5 % of the gateway's thread per request).
   */
  payloadIsJson?: boolean;
  /** Base64 of the client context JSON, as sent in `X-Amz-Client-Context`. */
  clientContext?: string;
}

export interface InvokeAnswer {
  statusCode: 200 | 204;
  payload: Buffer;
  functionError: string | undefined;
  executedVersion: string;
  /** Base64 of the log's last 4 KB, when asked for. */
  logResult: string | undefined;
}

export interface InvokerDeps {
  registry: FunctionRegistry;
  pool: EnvironmentPool;
  concurrency: ConcurrencyLimiter;
  metrics: FunctionMetrics;
  logs: FunctionLogs;
  arns: FunctionArns;
  logger: Logger;
}

export class Invoker {
  readonly #deps: InvokerDeps;

  constructor(deps: InvokerDeps) {
    this.#deps = deps;
  }

  async invoke(reference: FunctionReference, payload: Buffer, options: InvokeOptions): Promise<InvokeAnswer> {
    const { registry, arns, concurrency } = this.#deps;
    const { record, version } = registry.resolve(reference, arns.function);
    if (payload.length > MAX_SYNC_PAYLOAD_BYTES) {
      throw new AwsError('RequestTooLargeException', `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`, { fields: { Type: 'User' } });
    }
    if (options.payloadIsJson !== true) checkJson(payload);
    const clientContext = decodeClientContext(options.clientContext);
    if (options.invocationType === 'DryRun') return { statusCode: 204, payload: Buffer.alloc(0), functionError: undefined, executedVersion: version.version, logResult: undefined };

    // Sync callers are throttled at once, without queueing (spec §1.4).
    const slot = concurrency.tryAcquire(record.name, record.reservedConcurrency);
    if (!slot.ok) {
      this.#deps.metrics.throttles.inc({ function: record.name });
      throw new AwsError('TooManyRequestsException', 'Rate Exceeded.', { fields: { Type: 'User', Reason: slot.reason } });
    }
    let result: InvokeResult;
    try {
      result = await this.run({ functionName: record.name, version, qualifier: reference.qualifier, requestId: randomUUID(), payload, ...(clientContext === undefined ? {} : { clientContext }) });
    } finally {
      slot.release();
    }
    return {
      statusCode: 200,
      payload: result.payload,
      // Every current runtime reports errors the same way, and Lambda calls them all Unhandled (spec §1.2).
      functionError: result.functionError === undefined ? undefined : 'Unhandled',
      executedVersion: version.version,
      logResult: options.logType === 'Tail' ? tail((await result.report).log) : undefined,
    };
  }

  /**
   * One invocation in an environment from the pool, its log kept; the caller holds a concurrency slot.
   * Shared by synchronous calls and the asynchronous queue, which keeps an event's request id across retries.
   */
  async run(invocation: RunRequest): Promise<InvokeResult> {
    const { pool, logs, arns } = this.#deps;
    const environment = await pool.acquire(invocation.functionName, invocation.version);
    let result: InvokeResult;
    try {
      result = await environment.invoke({
        requestId: invocation.requestId,
        payload: invocation.payload.length === 0 ? Buffer.from('{}') : invocation.payload,
        invokedFunctionArn: arns.function(invocation.functionName, invocation.qualifier),
        ...(invocation.clientContext === undefined ? {} : { clientContext: invocation.clientContext }),
      });
    } finally {
      pool.release(environment);
    }
    void result.report.then((report) => logs.append(invocation.functionName, report.log));
    this.#deps.metrics.ran(invocation.functionName, invocation.version.version, result.functionError !== undefined, result.durationMs);
    return result;
  }
}

export interface RunRequest {
  functionName: string;
  version: FunctionVersion;
  /** As the caller named it (alias, version, or none), for `invokedFunctionArn`. */
  qualifier: string | undefined;
  requestId: string;
  payload: Buffer;
  clientContext?: string;
}

export function checkJson(payload: Buffer): void {
  if (payload.length === 0) return;
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new AwsError('InvalidRequestContentException', `Could not parse request body into json: ${(error as Error).message}`, { fields: { Type: 'User' } });
  }
}


/** `X-Amz-Client-Context`: base64 JSON of at most 3,583 bytes, handed to the runtime as compact JSON text. */
function decodeClientContext(encoded: string | undefined): string | undefined {
  if (encoded === undefined || encoded === '') return undefined;
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  if (text.length > 3583) throw new AwsError('InvalidParameterValueException', 'Client context must be at most 3583 bytes', { fields: { Type: 'User' } });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsError('InvalidParameterValueException', 'Client context must be base64-encoded JSON', { fields: { Type: 'User' } });
  }
  // Re-serialized: it travels to the runtime in a header, where the line breaks JSON allows between
  // tokens cannot go.
  return JSON.stringify(parsed);
}

function tail(log: string): string {
  const bytes = Buffer.from(log, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString('base64');
}
