/**
 * @module functions/runtime/nodejs/context — the `context` a handler receives (spec §2.4, as the official
 * runtime interface client builds it): request id, ARNs and names, `getRemainingTimeInMillis()`, the
 * parsed client context and identity, `callbackWaitsForEmptyEventLoop`, and the legacy
 * `succeed`/`fail`/`done`, which finish the invocation at once.
 */
import type { NextInvocation } from './runtime-client.js';

export interface Completion {
  /** The first of callback/succeed/fail/done wins; later calls are ignored. */
  finish(error: unknown, result: unknown, waitForEmptyLoop: boolean): void;
}

export interface LambdaContext {
  awsRequestId: string;
  invokedFunctionArn: string;
  functionName: string;
  functionVersion: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  clientContext: unknown;
  identity: unknown;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  succeed(result?: unknown): void;
  fail(error?: unknown): void;
  done(error?: unknown, result?: unknown): void;
}

export function createContext(invocation: NextInvocation, env: NodeJS.ProcessEnv, completion: Completion): LambdaContext {
  const context: LambdaContext = {
    awsRequestId: invocation.requestId,
    invokedFunctionArn: invocation.invokedFunctionArn,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? '',
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '',
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
    clientContext: parseJson(invocation.clientContext),
    identity: parseJson(invocation.cognitoIdentity),
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => invocation.deadlineMs - Date.now(),
    succeed: (result) => completion.finish(undefined, result, false),
    fail: (error) => completion.finish(error ?? new Error('handled'), undefined, false),
    done: (error, result) => completion.finish(error, result, false),
  };
  return context;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
