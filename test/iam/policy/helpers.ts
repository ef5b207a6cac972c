/** @module test/iam/policy/helpers — building compiled policies and resolvers for the policy tests. */

import assert from 'node:assert/strict';
import { compilePolicy, parsePolicyDocument, type CompiledPolicy } from '../../../src/iam/policy/index.js';
import type { VariableResolver, VariableValue } from '../../../src/iam/policy/variables.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
/** `arn:aws:iot:us-east-1:123456789012:` — prefix for resources in test tables. */
export const ARN = `arn:aws:iot:${REGION}:${ACCOUNT}:`;

/** Parses (asserting success) and compiles a policy given as a JS object. */
export function policy(name: string, document: unknown): CompiledPolicy {
  const parsed = parsePolicyDocument(JSON.stringify(document));
  if (!parsed.ok) assert.fail(`policy ${name} did not parse: ${parsed.message}`);
  return compilePolicy(name, parsed.document);
}

/** A one-statement 2012-10-17 policy. */
export function statementPolicy(name: string, statement: Record<string, unknown>): CompiledPolicy {
  return policy(name, { Version: '2012-10-17', Statement: [statement] });
}

/** A resolver over a fixed context; records every name it was asked for in `asked`. */
export function resolverOf(context: Readonly<Record<string, VariableValue>>): VariableResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = (name: string): VariableValue => {
    asked.push(name);
    return Object.prototype.hasOwnProperty.call(context, name) ? context[name] : undefined;
  };
  return Object.assign(resolve, { asked });
}
