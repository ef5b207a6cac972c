/**
 * @module iam/policy/conditions — the `Condition` block of a statement: validation (at parse time),
 * compilation, and evaluation against a request's context keys.
 *
 * IAM rules implemented here:
 * - every operator in a block must hold, and every key under an operator (AND);
 * - several policy values for one key are OR'd; for a negated operator (`StringNotEquals`,
 *   `NotIpAddress`, …) the request value must match none of them (NOR);
 * - a key absent from the request makes a condition false, except that it is true for a negated
 *   operator, for `...IfExists`, for `ForAllValues:` (vacuously) and for `Null: "true"`;
 * - `ForAnyValue:` holds when some request value passes, `ForAllValues:` when every one does; a
 *   multi-valued key under a plain operator behaves like `ForAnyValue:` (negated: like "none matches").
 * An empty multi-valued key (`iot:ConnectAttributes` = []) counts as absent.
 */

import { compileValue, matchValue, parseOperator, type CompiledValue, type OperatorSpec } from './operators.js';
import { canonicalKey } from './keys.js';
import type { VariableResolver } from './variables.js';

export type ConditionScalar = string | number | boolean;
/** `{ "<operator>": { "<key>": value | [values] } }` as written in the document. */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, ConditionScalar | readonly ConditionScalar[]>>>>;

export interface CompiledClause {
  readonly operator: OperatorSpec;
  /** Canonical key name (see `keys.ts`). */
  readonly key: string;
  readonly values: readonly CompiledValue[];
}

export type CompiledCondition = readonly CompiledClause[];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is ConditionScalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * Checks a `Condition` value; returns the reason it is malformed (without the statement prefix) or
 * undefined. `variables` is false for policy language 2008-10-17.
 */
export function validateConditionBlock(condition: unknown, variables: boolean): string | undefined {
  if (!isObject(condition)) return 'Condition must be an object of operators';
  for (const [name, keys] of Object.entries(condition)) {
    const operator = parseOperator(name);
    if (operator === undefined) return `Condition operator "${name}" is not supported`;
    if (!isObject(keys) || Object.keys(keys).length === 0) {
      return `Condition "${name}" must be an object mapping condition keys to values`;
    }
    for (const [key, value] of Object.entries(keys)) {
      if (key.length === 0) return `Condition "${name}" has an empty condition key`;
      const list: unknown[] = Array.isArray(value) ? value : [value];
      for (const item of list) {
        if (!isScalar(item)) return `Condition "${name}" key "${key}": values must be strings, numbers or booleans`;
        const compiled = compileValue(operator.base, String(item), variables);
        if (typeof compiled === 'string') return `Condition "${name}" key "${key}": ${compiled}`;
      }
    }
  }
  return undefined;
}

/** Compiles a block that `validateConditionBlock` accepted. */
export function compileCondition(block: ConditionBlock, variables: boolean): CompiledCondition {
  const clauses: CompiledClause[] = [];
  for (const [name, keys] of Object.entries(block)) {
    const operator = parseOperator(name);
    if (operator === undefined) throw new Error(`unvalidated condition operator ${name}`);
    for (const [key, value] of Object.entries(keys)) {
      const list: readonly ConditionScalar[] = Array.isArray(value) ? value : [value as ConditionScalar];
      const values = list.map((item) => {
        const compiled = compileValue(operator.base, String(item), variables);
        if (typeof compiled === 'string') throw new Error(`unvalidated condition value: ${compiled}`);
        return compiled;
      });
      clauses.push({ operator, key: canonicalKey(key), values });
    }
  }
  return clauses;
}

/** True when every clause holds for the request described by `resolve`. */
export function evaluateCondition(condition: CompiledCondition, resolve: VariableResolver): boolean {
  for (const clause of condition) if (!evaluateClause(clause, resolve)) return false;
  return true;
}

export function evaluateClause(clause: CompiledClause, resolve: VariableResolver): boolean {
  const { operator, values } = clause;
  const raw = resolve(clause.key);
  const request: readonly string[] = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
  const absent = request.length === 0;
  if (operator.base.family === 'null') {
    // `Null: "true"` holds when the key is absent, `Null: "false"` when it is present.
    return values.some((v) => v.family === 'null' && v.bool === absent);
  }
  if (absent) {
    if (operator.ifExists || operator.set === 'all') return true;
    if (operator.set === 'any') return false;
    return operator.base.negated;
  }
  const matchesAny = (r: string): boolean => values.some((v) => matchValue(operator.base, r, v, resolve));
  const passes = (r: string): boolean => (operator.base.negated ? !matchesAny(r) : matchesAny(r));
  if (operator.set === 'all') return request.every(passes);
  if (operator.set === 'any') return request.some(passes);
  return operator.base.negated ? !request.some(matchesAny) : request.some(matchesAny);
}
