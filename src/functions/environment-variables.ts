/**
 * @module functions/environment-variables — what a function's code finds in `process.env` (spec §1.6), whichever
 * kind of environment runs it, and the X-Ray trace header each invocation carries.
 */
import { randomText } from '../core/ids.js';
import type { EnvironmentSpec } from './environment.js';

/**
 * The reserved variables of spec §1.6, over the function's own (which cannot override them). `runtime` names the
 * runtime's directory, and the Runtime API's address where the runtime reaches it over HTTP.
 */
export function environmentVariables(spec: EnvironmentSpec, runtime: { dir: string; api?: string }): NodeJS.ProcessEnv {
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
    ...(runtime.api === undefined ? {} : { AWS_LAMBDA_RUNTIME_API: runtime.api }),
    LAMBDA_TASK_ROOT: spec.codeDir,
    LAMBDA_RUNTIME_DIR: runtime.dir,
    TMPDIR: spec.tmpDir,
  };
}

/** An X-Ray trace header: `Root=1-<epoch s, hex>-<24 hex>;Parent=<16 hex>;Sampled=0`. */
export function traceId(): string {
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomText(12, 'hex')};Parent=${randomText(8, 'hex')};Sampled=0`;
}
