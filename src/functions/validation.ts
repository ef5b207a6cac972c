/**
 * @module functions/validation — the checks Lambda makes on a function's name and configuration, with
 * its error types and messages (spec §1.1, §1.5). Pure: the registry calls these before it changes
 * anything.
 */
import { AwsError } from '../core/aws-error.js';

/** Node.js runtimes hako runs (on the host's Node.js; `AWS_EXECUTION_ENV` reports the one declared). */
export const SUPPORTED_RUNTIMES: readonly string[] = ['nodejs18.x', 'nodejs20.x', 'nodejs22.x'];

export const MEMORY_RANGE = { min: 128, max: 10_240 } as const;
export const TIMEOUT_RANGE = { min: 1, max: 900 } as const;
export const DEFAULT_MEMORY_MB = 128;
export const DEFAULT_TIMEOUT_SECONDS = 3;
const MAX_ENVIRONMENT_BYTES = 4 * 1024;

/** Set by Lambda itself; a function may not set them [spec §1.6]. */
const RESERVED_VARIABLES = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

function constraint(value: unknown, field: string, rule: string): AwsError {
  return new AwsError('InvalidParameterValueException', `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${rule}`);
}

export function checkFunctionName(name: unknown): string {
  if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
    throw constraint(name, 'functionName', 'Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}');
  }
  return name;
}

export function checkRuntime(runtime: unknown): string {
  if (typeof runtime !== 'string' || !SUPPORTED_RUNTIMES.includes(runtime)) {
    throw new AwsError('InvalidParameterValueException', `The runtime parameter of ${String(runtime)} is not supported by hako; use one of ${SUPPORTED_RUNTIMES.join(', ')}`);
  }
  return runtime;
}

export function checkHandler(handler: unknown): string {
  if (typeof handler !== 'string' || !/^[^\s]{1,128}$/.test(handler)) throw constraint(handler, 'handler', 'Member must satisfy regular expression pattern: [^\\s]+ and have length at most 128');
  return handler;
}

export function checkMemory(memory: unknown): number {
  if (typeof memory !== 'number' || !Number.isInteger(memory) || memory < MEMORY_RANGE.min || memory > MEMORY_RANGE.max) {
    throw constraint(memory, 'memorySize', `Member must have value between ${MEMORY_RANGE.min} and ${MEMORY_RANGE.max}`);
  }
  return memory;
}

export function checkTimeout(timeout: unknown): number {
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < TIMEOUT_RANGE.min || timeout > TIMEOUT_RANGE.max) {
    throw constraint(timeout, 'timeout', `Member must have value between ${TIMEOUT_RANGE.min} and ${TIMEOUT_RANGE.max}`);
  }
  return timeout;
}

export function checkRole(role: unknown): string {
  if (typeof role !== 'string' || !/^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/.test(role)) {
    throw constraint(role, 'role', 'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+');
  }
  return role;
}

/** `Environment.Variables`: names `[a-zA-Z][a-zA-Z0-9_]+`, string values, at most 4 KB in all, none reserved. */
export function checkVariables(variables: unknown): Record<string, string> {
  if (variables === undefined || variables === null) return {};
  if (typeof variables !== 'object' || Array.isArray(variables)) throw new AwsError('InvalidParameterValueException', 'Environment.Variables must be a map of names to strings');
  const result: Record<string, string> = {};
  let bytes = 0;
  const reserved: string[] = [];
  for (const [name, value] of Object.entries(variables)) {
    if (!/^[a-zA-Z][a-zA-Z0-9_]+$/.test(name)) throw constraint(name, 'environment.variables', 'Member must have keys matching [a-zA-Z]([a-zA-Z0-9_])+');
    if (typeof value !== 'string') throw new AwsError('InvalidParameterValueException', `Environment variable ${name} must be a string`);
    if (RESERVED_VARIABLES.has(name)) reserved.push(name);
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
    result[name] = value;
  }
  if (reserved.length > 0) {
    throw new AwsError(
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  if (bytes > MAX_ENVIRONMENT_BYTES) {
    throw new AwsError('InvalidParameterValueException', `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${bytes} bytes`);
  }
  return result;
}
