/**
 * @module iam/policy/operators — the IAM condition operators: their names, how a policy value is validated
 * and compiled, and how one request value is compared with one policy value.
 *
 * This file knows single comparisons only. Combining values (OR, NOR for negated operators), the
 * `ForAnyValue:`/`ForAllValues:` qualifiers, `...IfExists` and missing keys are `conditions.ts`'s job.
 */

import { cidrContains, parseCidr, parseIp, type Cidr } from './ip.js';
import { parseTemplate, resolveGlob, resolveLiteral, type Template, type VariableResolver } from './variables.js';
import { matchGlob, type Glob } from './wildcard.js';

export type Family = 'string' | 'numeric' | 'date' | 'bool' | 'ip' | 'arn' | 'null';
type Comparison = 'eq' | 'eqIgnoreCase' | 'like' | 'lt' | 'lte' | 'gt' | 'gte';

export interface BaseOperator {
  readonly family: Family;
  readonly comparison: Comparison;
  /** A `Not` operator: true when the value matches none of the policy values. */
  readonly negated: boolean;
}

export interface OperatorSpec {
  readonly name: string;
  readonly base: BaseOperator;
  readonly ifExists: boolean;
  readonly set: 'none' | 'any' | 'all';
}

export type CompiledValue =
  | { readonly family: 'string' | 'arn'; readonly template: Template }
  | { readonly family: 'numeric' | 'date'; readonly number: number }
  | { readonly family: 'bool' | 'null'; readonly bool: boolean }
  | { readonly family: 'ip'; readonly cidr: Cidr };

const op = (family: Family, comparison: Comparison, negated = false): BaseOperator => ({ family, comparison, negated });

const BASE_OPERATORS: ReadonlyMap<string, BaseOperator> = new Map([
  ['StringEquals', op('string', 'eq')],
  ['StringNotEquals', op('string', 'eq', true)],
  ['StringEqualsIgnoreCase', op('string', 'eqIgnoreCase')],
  ['StringNotEqualsIgnoreCase', op('string', 'eqIgnoreCase', true)],
  ['StringLike', op('string', 'like')],
  ['StringNotLike', op('string', 'like', true)],
  ['NumericEquals', op('numeric', 'eq')],
  ['NumericNotEquals', op('numeric', 'eq', true)],
  ['NumericLessThan', op('numeric', 'lt')],
  ['NumericLessThanEquals', op('numeric', 'lte')],
  ['NumericGreaterThan', op('numeric', 'gt')],
  ['NumericGreaterThanEquals', op('numeric', 'gte')],
  ['DateEquals', op('date', 'eq')],
  ['DateNotEquals', op('date', 'eq', true)],
  ['DateLessThan', op('date', 'lt')],
  ['DateLessThanEquals', op('date', 'lte')],
  ['DateGreaterThan', op('date', 'gt')],
  ['DateGreaterThanEquals', op('date', 'gte')],
  ['Bool', op('bool', 'eq')],
  ['IpAddress', op('ip', 'eq')],
  ['NotIpAddress', op('ip', 'eq', true)],
  // IAM: ArnEquals and ArnLike are the same test; both honour `*` and `?` within each ARN component.
  ['ArnEquals', op('arn', 'like')],
  ['ArnLike', op('arn', 'like')],
  ['ArnNotEquals', op('arn', 'like', true)],
  ['ArnNotLike', op('arn', 'like', true)],
  ['Null', op('null', 'eq')],
]);

/** Parses `[ForAnyValue:|ForAllValues:]<Operator>[IfExists]`; undefined for anything IAM does not define. */
export function parseOperator(name: string): OperatorSpec | undefined {
  let rest = name;
  let set: OperatorSpec['set'] = 'none';
  if (rest.startsWith('ForAnyValue:')) [set, rest] = ['any', rest.slice('ForAnyValue:'.length)];
  else if (rest.startsWith('ForAllValues:')) [set, rest] = ['all', rest.slice('ForAllValues:'.length)];
  const ifExists = rest.endsWith('IfExists');
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  const base = BASE_OPERATORS.get(rest);
  if (base === undefined) return undefined;
  if (base.family === 'null' && (ifExists || set !== 'none')) return undefined; // `Null` tests existence itself
  return { name, base, ifExists, set };
}

/** Validates and compiles one policy value; a string result is the reason it is invalid. */
export function compileValue(base: BaseOperator, raw: string, variables: boolean): CompiledValue | string {
  switch (base.family) {
    case 'string':
    case 'arn':
      // Policy variables are allowed in string and ARN comparisons only.
      return { family: base.family, template: parseTemplate(raw, variables) };
    case 'numeric': {
      const number = parseNumber(raw);
      return number === undefined ? `"${raw}" is not a number` : { family: 'numeric', number };
    }
    case 'date': {
      const number = parseDate(raw);
      return number === undefined ? `"${raw}" is not a date (ISO 8601 or epoch seconds)` : { family: 'date', number };
    }
    case 'bool':
    case 'null': {
      const lower = raw.toLowerCase();
      if (lower !== 'true' && lower !== 'false') return `"${raw}" must be "true" or "false"`;
      return { family: base.family, bool: lower === 'true' };
    }
    case 'ip': {
      const cidr = parseCidr(raw);
      return cidr === undefined ? `"${raw}" is not an IP address or CIDR block` : { family: 'ip', cidr };
    }
  }
}

/** The positive comparison of one request value with one policy value (negation is applied by the caller). */
export function matchValue(base: BaseOperator, request: string, value: CompiledValue, resolve: VariableResolver): boolean {
  switch (value.family) {
    case 'string': {
      if (base.comparison === 'like') {
        const glob = resolveGlob(value.template, resolve);
        return glob !== undefined && matchGlob(glob, request);
      }
      const literal = resolveLiteral(value.template, resolve);
      if (literal === undefined) return false;
      return base.comparison === 'eq' ? literal === request : literal.toLowerCase() === request.toLowerCase();
    }
    case 'arn': {
      const glob = resolveGlob(value.template, resolve);
      return glob !== undefined && matchArn(glob, request);
    }
    case 'numeric':
    case 'date': {
      const n = value.family === 'numeric' ? parseNumber(request) : parseDate(request);
      return n !== undefined && compareNumbers(base.comparison, n, value.number);
    }
    case 'bool':
    case 'null': {
      const lower = request.toLowerCase();
      return (lower === 'true' || lower === 'false') && (lower === 'true') === value.bool;
    }
    case 'ip': {
      const address = parseIp(request);
      return address !== undefined && cidrContains(value.cidr, address);
    }
  }
}

function compareNumbers(comparison: Comparison, a: number, b: number): boolean {
  switch (comparison) {
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    default:
      return a === b;
  }
}

function parseNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Milliseconds since the epoch, from ISO 8601 text or a count of epoch seconds. */
function parseDate(text: string): number | undefined {
  if (/^-?\d+$/.test(text)) return Number(text) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `arn:partition:service:region:account:resource` — wildcards stay within a component (the 6th is the rest). */
function matchArn(glob: Glob, request: string): boolean {
  let p = 0;
  let r = 0;
  for (let component = 0; component < 6; component++) {
    const last = component === 5;
    const pEnd = last ? glob.text.length : glob.text.indexOf(':', p);
    const rEnd = last ? request.length : request.indexOf(':', r);
    if (pEnd < 0 || rEnd < 0) return false;
    const part: Glob = { text: glob.text.slice(p, pEnd), kinds: glob.kinds?.subarray(p, pEnd) ?? null };
    if (!matchGlob(part, request.slice(r, rEnd))) return false;
    p = pEnd + 1;
    r = rEnd + 1;
  }
  return true;
}
