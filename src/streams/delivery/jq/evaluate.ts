/**
 * @module streams/delivery/jq/evaluate — runs a parsed query on one JSON value with jq 1.6's semantics for
 * the subset (every construct here yields exactly one value, or an error):
 * - `.k` / `.[n]` on null is null; a missing key or an index past the end is null; indexing a value of
 *   the wrong type is an error (`Cannot index number with "k"`); negative indices count from the end;
 * - `a // b` is `a` unless it is null or false, else `b`; an error on the left is not suppressed (jq 1.6;
 *   later versions differ);
 * - `tostring` keeps a string and prints anything else as compact JSON, numbers as jq 1.6 prints them
 *   (`1e+17`, `1e-05`, `0.1`); `tonumber` keeps a number and parses a string as a JSON number;
 *   `strftime(f)` / `todate` take epoch seconds (or a broken-down time); `ascii_downcase` /
 *   `ascii_upcase` change only A–Z / a–z and need a string.
 * Error messages are jq 1.6's.
 */
import type { JqNode } from './parser.js';
import { secondsOfBrokenDown, strftime } from './strftime.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A query that failed on a particular input (jq's runtime error). */
export class JqRuntimeError extends Error {}

const typeOf = (value: JsonValue): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export function evaluate(node: JqNode, input: JsonValue): JsonValue {
  switch (node.kind) {
    case 'identity':
      return input;
    case 'literal':
      return node.value;
    case 'index':
      return index(evaluate(node.target, input), node.key);
    case 'pipe':
      return evaluate(node.right, evaluate(node.left, input));
    case 'alternative': {
      const left = evaluate(node.left, input);
      return left === null || left === false ? evaluate(node.right, input) : left;
    }
    case 'object': {
      const out: { [key: string]: JsonValue } = {};
      for (const entry of node.entries) out[entry.key] = evaluate(entry.value, input);
      return out;
    }
    case 'call':
      return call(node.name, node.format, input);
  }
}

function index(value: JsonValue, key: string | number): JsonValue {
  if (value === null) return null;
  if (typeof key === 'string') {
    if (typeof value === 'object' && !Array.isArray(value)) return Object.hasOwn(value, key) ? (value[key] as JsonValue) : null;
    throw new JqRuntimeError(`Cannot index ${typeOf(value)} with string "${key}"`);
  }
  if (Array.isArray(value)) return value[key < 0 ? value.length + key : key] ?? null;
  throw new JqRuntimeError(`Cannot index ${typeOf(value)} with number`);
}

function call(name: string, format: string | undefined, input: JsonValue): JsonValue {
  switch (name) {
    case 'tostring':
      return typeof input === 'string' ? input : dump(input);
    case 'tonumber':
      if (typeof input === 'number') return input;
      if (typeof input === 'string' && JSON_NUMBER.test(input.trim())) return Number(input.trim());
      throw new JqRuntimeError(typeof input === 'string' ? `Invalid numeric literal (while parsing '${input}')` : `${typeOf(input)} (${JSON.stringify(input)}) cannot be parsed as a number`);
    case 'ascii_downcase':
    case 'ascii_upcase':
      if (typeof input !== 'string') throw new JqRuntimeError('explode input must be a string');
      return name === 'ascii_downcase' ? input.replace(/[A-Z]/g, (c) => c.toLowerCase()) : input.replace(/[a-z]/g, (c) => c.toUpperCase());
    case 'todate':
      return formatTime('%Y-%m-%dT%H:%M:%SZ', input);
    default:
      return formatTime(format as string, input);
  }
}

function formatTime(format: string, input: JsonValue): string {
  const seconds = typeof input === 'number' ? input : Array.isArray(input) ? secondsOfBrokenDown(input) : undefined;
  if (seconds === undefined) throw new JqRuntimeError('strftime/1 requires parsed datetime inputs');
  try {
    return strftime(format, seconds);
  } catch (error) {
    throw new JqRuntimeError(`strftime/1: ${(error as Error).message}`);
  }
}

/** jq's compact JSON text of a value (`tostring`), numbers printed as jq 1.6 prints them. */
export function dump(value: JsonValue): string {
  if (typeof value === 'number') return numberText(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(dump).join(',')}]`;
  return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${dump(item)}`).join(',')}}`;
}

/**
 * A number as jq 1.6 prints it (its dtoa `g_fmt`): the shortest digits that read back the same, in
 * exponent form (`1e+17`, `1.5e-07`) when the decimal point would sit 4 or more places before them or
 * more than 15 places after them; infinities as the largest double, NaN as null.
 */
export function numberText(n: number): string {
  if (Number.isNaN(n)) return 'null';
  if (Object.is(n, -0)) return '-0';
  const clamped = Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, n));
  const [mantissa = '', exponent = '0'] = Math.abs(clamped).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const point = Number(exponent) + 1; // digits before the decimal point
  const sign = clamped < 0 ? '-' : '';
  if (point <= -4 || point > digits.length + 15) {
    const e = point - 1;
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
