/**
 * @module functions/names — a function as callers name it: `name`, `name:qualifier`, a partial ARN
 * `account:function:name[:qualifier]` or a full ARN `arn:aws:lambda:region:account:function:name[:qualifier]`,
 * plus an optional `Qualifier` parameter (spec §1.1), and the ARNs hako answers with.
 */
import { AwsError } from '../core/aws-error.js';

export interface FunctionReference {
  name: string;
  /** `$LATEST`, a version number or an alias name; undefined when unqualified. */
  qualifier: string | undefined;
}

const FULL_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/;
const PARTIAL_ARN = /^(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/;
const PLAIN = /^([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/;

export function parseFunctionReference(input: string, qualifierParameter: string | undefined): FunctionReference {
  const full = FULL_ARN.exec(input);
  const partial = full === null ? PARTIAL_ARN.exec(input) : null;
  const plain = full === null && partial === null ? PLAIN.exec(input) : null;
  const name = full?.[3] ?? partial?.[2] ?? plain?.[1];
  const derived = full?.[4] ?? partial?.[3] ?? plain?.[2];
  if (name === undefined || name.length > 64) {
    throw new AwsError('InvalidParameterValueException', `1 validation error detected: Value '${input}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`);
  }
  if (derived !== undefined && qualifierParameter !== undefined && derived !== qualifierParameter) {
    throw new AwsError('InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.');
  }
  return { name, qualifier: derived ?? qualifierParameter };
}

export interface FunctionArns {
  /** Unqualified, or with `:qualifier`. */
  function(name: string, qualifier?: string): string;
}

export function functionArnsFor(region: string, account: string): FunctionArns {
  return {
    function: (name, qualifier) => `arn:aws:lambda:${region}:${account}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`,
  };
}
