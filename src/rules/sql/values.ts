/**
 * @module rules/sql/values — the IoT SQL value model: types, the standard conversions, equality,
 * ordering and arithmetic [spec §4.2; DG iot-sql-data-types.md, iot-sql-operators.md].
 *
 * Values are plain JavaScript values so a parsed JSON payload can be used as is, without wrapping:
 * `undefined` is Undefined, `null` is Null, booleans, strings, arrays and plain objects map directly,
 * and a JS number is an Int when it is whole and a Decimal otherwise. The one exception is a
 * whole-number Decimal under SQL 2015-10-08 (`10.0`, `cast(1 AS Double)`): 2016-03-23 treats those as
 * Ints, 2015-10-08 keeps them Decimal, so they are boxed in `SqlDecimal` to keep Int division and
 * string conversion (`"10.0"`) apart. Raw payload bytes (`*` over a non-JSON payload) are a
 * `Uint8Array`. Arrays and objects never hold Undefined: builders drop it.
 *
 * Numbers are IEEE doubles, not the 34-digit decimals AWS documents; Ints beyond 2^53 lose precision.
 */

export type SqlVersion = '2015-10-08' | '2016-03-23';

export const SQL_VERSIONS: readonly SqlVersion[] = ['2015-10-08', '2016-03-23'];

/** A whole-number Decimal kept distinct from an Int (SQL 2015-10-08 only). */
export class SqlDecimal {
  constructor(readonly value: number) {}
}

export type SqlObject = { [key: string]: SqlValue };
export type SqlValue = undefined | null | boolean | number | string | SqlDecimal | SqlValue[] | SqlObject | Uint8Array;
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type SqlType = 'Int' | 'Decimal' | 'Boolean' | 'String' | 'Array' | 'Object' | 'Null' | 'Undefined' | 'Binary';

/** Strings that convert to Decimal implicitly (the documented `^-?\d+(\.\d+)?((?i)E-?\d+)?$`). */
const DECIMAL_STRING = /^-?\d+(\.\d+)?([eE]-?\d+)?$/;

export function isObject(value: SqlValue): value is SqlObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof SqlDecimal) && !(value instanceof Uint8Array);
}

export function typeOf(value: SqlValue): SqlType {
  switch (typeof value) {
    case 'undefined': return 'Undefined';
    case 'boolean': return 'Boolean';
    case 'string': return 'String';
    case 'number': return Number.isInteger(value) ? 'Int' : 'Decimal';
    default:
      if (value === null) return 'Null';
      if (Array.isArray(value)) return 'Array';
      if (value instanceof SqlDecimal) return 'Decimal';
      if (value instanceof Uint8Array) return 'Binary';
      return 'Object';
  }
}

export function isNumeric(value: SqlValue): value is number | SqlDecimal {
  return typeof value === 'number' || value instanceof SqlDecimal;
}

export function isInt(value: SqlValue): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** Builds a numeric result: non-finite → Undefined; a whole Decimal is boxed under 2015-10-08 only. */
export function makeNumber(n: number, decimal: boolean, version: SqlVersion): SqlValue {
  if (!Number.isFinite(n)) return undefined;
  if (n === 0) n = 0; // no -0 in SQL
  if (decimal && version === '2015-10-08' && Number.isInteger(n)) return new SqlDecimal(n);
  return n;
}

export function parseDecimalString(text: string): number | undefined {
  return DECIMAL_STRING.test(text) ? Number(text) : undefined;
}

/**
 * The implicit "to Decimal" conversion as a JS number: Int, Decimal and numeric strings; everything else
 * (Boolean, Array, Object, Null, Undefined, bytes) → undefined. Operators and most functions treat a
 * Null operand as Undefined, so the table's "Null → Null" row is not modelled here.
 */
export function toDecimal(value: SqlValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return parseDecimalString(value);
  if (value instanceof SqlDecimal) return value.value;
  return undefined;
}

/** "Rounded down to the nearest Int", as the function tables say for bit functions, pads, chr, substring. */
export function toFlooredInt(value: SqlValue): number | undefined {
  const n = toDecimal(value);
  return n === undefined ? undefined : Math.floor(n);
}

/** The implicit "to Int" conversion: Decimal rounds to nearest (half up), a String is parsed then truncated. */
export function toIntNearest(value: SqlValue): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Math.round(value);
  if (value instanceof SqlDecimal) return value.value;
  if (typeof value === 'string') {
    const n = parseDecimalString(value);
    return n === undefined ? undefined : Math.trunc(n);
  }
  return undefined;
}

/** The implicit "to Boolean" conversion: Booleans and the strings "true"/"false" in any case. */
export function toBoolean(value: SqlValue): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (value.length === 4 && value.toLowerCase() === 'true') return true;
    if (value.length === 5 && value.toLowerCase() === 'false') return false;
  }
  return undefined;
}

/** Decimal text: whole boxed Decimals keep their `.0`; exponents are written `E` as Java does. */
function formatNumber(n: number, decimal: boolean): string {
  if (decimal && Number.isInteger(n) && Math.abs(n) < 1e21) return `${n}.0`;
  const text = String(n);
  return text.includes('e') ? text.toUpperCase() : text;
}

/** The implicit "to String" conversion: Null, Undefined and bytes have none. */
export function toStr(value: SqlValue): string | undefined {
  switch (typeof value) {
    case 'string': return value;
    case 'number': return formatNumber(value, false);
    case 'boolean': return value ? 'true' : 'false';
    case 'undefined': return undefined;
    default:
      if (value === null || value instanceof Uint8Array) return undefined;
      if (value instanceof SqlDecimal) return formatNumber(value.value, true);
      return stringifyValue(value);
  }
}

/** JSON text of a value, writing boxed Decimals as `10.0`; Undefined object members are skipped. */
export function stringifyValue(value: SqlValue): string {
  if (value === undefined || value instanceof Uint8Array) return '';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof SqlDecimal) return formatNumber(value.value, true);
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i === 0 ? '' : ',') + stringifyValue(value[i]);
    return text + ']';
  }
  let text = '{';
  let first = true;
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member === undefined) continue;
    text += (first ? '' : ',') + JSON.stringify(key) + ':' + stringifyValue(member);
    first = false;
  }
  return text + '}';
}

/** Deep equality inside arrays and objects (which never hold Undefined): numbers compare as Decimals. */
function deepEquals(a: SqlValue, b: SqlValue): boolean {
  const result = sqlEquals(a, b);
  return result === true;
}

/**
 * `=`: Undefined on either side → Undefined; Int vs Decimal compares as Decimal; arrays element-wise
 * in order; objects by keys and values in any order; mismatched types → false.
 */
export function sqlEquals(a: SqlValue, b: SqlValue): boolean | undefined {
  if (a === undefined || b === undefined) return undefined;
  if (typeof a === 'string' || typeof a === 'boolean') return a === b;
  if (a === null || b === null) return a === b;
  if (isNumeric(a)) {
    if (!isNumeric(b)) return false;
    return (typeof a === 'number' ? a : a.value) === (typeof b === 'number' ? b : b.value);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEquals(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (!Object.hasOwn(b, key) || !deepEquals(a[key], b[key])) return false;
  return true;
}

export type CompareOp = '<' | '<=' | '>' | '>=';

/** Ordering: both sides converted to Decimal (numeric strings included), else Undefined. */
export function sqlCompare(op: CompareOp, a: SqlValue, b: SqlValue): boolean | undefined {
  const x = toDecimal(a);
  if (x === undefined) return undefined;
  const y = toDecimal(b);
  if (y === undefined) return undefined;
  switch (op) {
    case '<': return x < y;
    case '<=': return x <= y;
    case '>': return x > y;
    default: return x >= y;
  }
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

/**
 * `+ - * / %`. `+` concatenates when either side is a String. Otherwise both sides must convert to
 * Decimal; Int op Int stays Int (`/` truncates toward zero, as Java's integer division); a String
 * operand makes the result a Decimal. Division or remainder by zero → Undefined.
 */
export function sqlArithmetic(op: ArithmeticOp, a: SqlValue, b: SqlValue, version: SqlVersion): SqlValue {
  if (a === undefined || b === undefined) return undefined;
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) {
    const left = toStr(a);
    const right = toStr(b);
    return left === undefined || right === undefined ? undefined : left + right;
  }
  const x = toDecimal(a);
  const y = toDecimal(b);
  if (x === undefined || y === undefined) return undefined;
  const ints = typeof a === 'number' && typeof b === 'number' && Number.isInteger(a) && Number.isInteger(b);
  switch (op) {
    case '+': return makeNumber(x + y, !ints, version);
    case '-': return makeNumber(x - y, !ints, version);
    case '*': return makeNumber(x * y, !ints, version);
    case '/':
      if (y === 0) return undefined;
      return ints ? makeNumber(Math.trunc(x / y), false, version) : makeNumber(x / y, true, version);
    default:
      if (y === 0) return undefined;
      return makeNumber(x % y, !ints, version);
  }
}

/** Unary minus: numbers keep their kind, numeric strings become Decimals, anything else is Undefined. */
export function sqlNegate(value: SqlValue, version: SqlVersion): SqlValue {
  if (typeof value === 'number') return makeNumber(-value, !Number.isInteger(value), version);
  if (value instanceof SqlDecimal) return makeNumber(-value.value, true, version);
  if (typeof value === 'string') {
    const n = parseDecimalString(value);
    return n === undefined ? undefined : makeNumber(-n, true, version);
  }
  return undefined;
}

/** Three-valued NOT/AND/OR over Booleans and "true"/"false" strings; any other operand → Undefined. */
export function sqlNot(value: SqlValue): boolean | undefined {
  const b = toBoolean(value);
  return b === undefined ? undefined : !b;
}

export function sqlAnd(a: SqlValue, b: SqlValue): boolean | undefined {
  const x = toBoolean(a);
  const y = toBoolean(b);
  return x === undefined || y === undefined ? undefined : x && y;
}

export function sqlOr(a: SqlValue, b: SqlValue): boolean | undefined {
  const x = toBoolean(a);
  const y = toBoolean(b);
  return x === undefined || y === undefined ? undefined : x || y;
}

/** Converts a value to plain JSON for output: boxed Decimals become numbers (copying only when needed). */
export function toJsonValue(value: SqlValue): JsonValue | undefined {
  if (value === undefined || value instanceof Uint8Array) return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof SqlDecimal) return value.value;
  if (Array.isArray(value)) {
    let copy: JsonValue[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const converted = toJsonValue(item);
      if (copy === undefined && converted !== item) copy = value.slice(0, i) as JsonValue[];
      if (copy !== undefined && converted !== undefined) copy.push(converted);
    }
    return copy ?? (value as JsonValue[]);
  }
  let copy: { [key: string]: JsonValue } | undefined;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const item = value[key];
    const converted = toJsonValue(item);
    if (copy === undefined && converted !== item) {
      copy = {};
      for (let j = 0; j < i; j++) copy[keys[j] as string] = value[keys[j] as string] as JsonValue;
    }
    if (copy !== undefined && converted !== undefined) copy[key] = converted;
  }
  return copy ?? (value as { [key: string]: JsonValue });
}
