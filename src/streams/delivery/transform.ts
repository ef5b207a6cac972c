/**
 * @module streams/delivery/transform — data transformation by a hako function (Firehose's `Lambda`
 * processor): records go in invocations of at most BufferSizeInMBs (and 6 MB of request), up to five at
 * a time (Firehose's outstanding invocations per shard), each invoked synchronously.
 *
 * An invocation that fails — the function's error or timeout, a throttle, an unknown function — is
 * retried NumberOfRetries times (after 0.2, 0.4, 0.8 … s), then each of its records fails with the last
 * error (`Lambda.FunctionError` with AWS's message for a function error, `Lambda.InvokeLimitExceeded` for
 * a throttle, `Lambda.ResourceNotFound`, else `Lambda.<exception>`), `attemptsMade` counting every
 * invocation. A response the function returned is final: `transform-contract.ts` reconciles it.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../core/logger.js';
import type { LambdaProcessorSettings } from './features.js';
import { invocationBatches, reconcileResponse, transformRequest, type TransformInput, type TransformOutcome } from './transform-contract.js';

/** A synchronous invocation: the function's result, or its error document with `functionError` set. */
export type FunctionInvoker = (functionArn: string, payload: Buffer) => Promise<{ payload: Buffer; functionError: string | undefined }>;

export interface TransformDeps {
  readonly invoke: FunctionInvoker;
  readonly deliveryStreamArn: string;
  readonly region: string;
  readonly logger: Logger;
  /** First retry delay; doubles each retry. */
  readonly retryDelayMs?: number;
}

/** A transformed record's outcome, with what the error output needs for the failed ones. */
export type TransformResult = TransformOutcome & { readonly attemptsMade: number };

const FUNCTION_ERROR_MESSAGE = 'The Lambda function was successfully invoked but it returned an error result.';
const MAX_OUTSTANDING = 5;

/** What error records name: the ARN as configured, `:$LATEST` added when unqualified (as Firehose shows). */
export function executedArnOf(lambdaArn: string): string {
  return lambdaArn.split(':').length === 7 ? `${lambdaArn}:$LATEST` : lambdaArn;
}

interface Failure {
  readonly errorCode: string;
  readonly errorMessage: string;
}

function failureOf(error: unknown): Failure {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'TooManyRequestsException') return { errorCode: 'Lambda.InvokeLimitExceeded', errorMessage: `The Lambda concurrent execution limit is exceeded: ${message}` };
  if (name === 'ResourceNotFoundException') return { errorCode: 'Lambda.ResourceNotFound', errorMessage: `The specified Lambda function does not exist: ${message}` };
  return { errorCode: name.endsWith('Exception') ? `Lambda.${name}` : 'Lambda.ServiceException', errorMessage: message };
}

export class LambdaTransform {
  readonly #settings: LambdaProcessorSettings;
  readonly #deps: TransformDeps;
  readonly lambdaArn: string;

  constructor(settings: LambdaProcessorSettings, deps: TransformDeps) {
    this.#settings = settings;
    this.#deps = deps;
    this.lambdaArn = executedArnOf(settings.lambdaArn);
  }

  /** Every record's outcome, in the order given. */
  async run(records: readonly TransformInput[]): Promise<TransformResult[]> {
    const batches = invocationBatches(records, Math.floor(this.#settings.bufferSizeInMBs * 1024 * 1024));
    const results: TransformResult[][] = new Array(batches.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < batches.length) {
        const i = next++;
        results[i] = await this.#invoke(batches[i] as TransformInput[]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(MAX_OUTSTANDING, batches.length) }, lane));
    return results.flat();
  }

  async #invoke(batch: readonly TransformInput[]): Promise<TransformResult[]> {
    const { invoke, deliveryStreamArn, region, logger } = this.#deps;
    const payload = transformRequest({ invocationId: randomUUID(), deliveryStreamArn, region }, batch);
    const attempts = 1 + this.#settings.numberOfRetries;
    let failure: Failure = { errorCode: 'Lambda.ServiceException', errorMessage: 'not invoked' };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const answer = await invoke(this.#settings.lambdaArn, payload);
        if (answer.functionError === undefined) return reconcileResponse(batch, answer.payload).map((outcome) => ({ ...outcome, attemptsMade: attempt }));
        failure = { errorCode: 'Lambda.FunctionError', errorMessage: FUNCTION_ERROR_MESSAGE };
        if (attempt === attempts) logger.warn({ function: this.lambdaArn, records: batch.length, error: answer.payload.toString('utf8').slice(0, 1000) }, `transforming function failed ${attempt} time(s); its records go to the error output`);
      } catch (error) {
        failure = failureOf(error);
        if (attempt === attempts) logger.warn({ err: error, function: this.lambdaArn, records: batch.length }, `transforming function could not be invoked (${attempt} attempt(s)); its records go to the error output`);
      }
      if (attempt < attempts) await sleep((this.#deps.retryDelayMs ?? 200) * 2 ** (attempt - 1));
    }
    return batch.map((input) => ({ kind: 'failed', input, ...failure, attemptsMade: attempts }));
  }
}
