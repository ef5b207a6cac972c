/**
 * @module streams/delivery/hive-types — the Hive column types a Glue table declares (what Firehose's
 * conversion reads a record against): parsed from their text (`bigint`, `decimal(10,2)`,
 * `array<string>`, `map<string,int>`, `struct<a:int,b:string>`), turned into DuckDB types, and used to
 * check and normalise one JSON value the way the JSON SerDes read it.
 *
 * Supported: string, varchar(n), char(n), tinyint, smallint, int/integer, bigint, float, double,
 * decimal(p,s), boolean, timestamp, date, array<…>, map<…,…>, struct<…>. (binary, uniontype, interval
 * are refused.) `lenient` is the OpenX SerDe: it also takes numbers and booleans written as strings and
 * turns nested JSON into text for string columns; the Hive SerDe refuses both.
 */

export type HiveType =
  | { readonly kind: 'string' }
  | { readonly kind: 'integer'; readonly name: 'tinyint' | 'smallint' | 'int' | 'bigint' }
  | { readonly kind: 'float'; readonly name: 'float' | 'double' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'date' }
  | { readonly kind: 'array'; readonly element: HiveType }
  | { readonly kind: 'map'; readonly key: HiveType; readonly value: HiveType }
  | { readonly kind: 'struct'; readonly fields: ReadonlyArray<{ readonly name: string; readonly type: HiveType }> };

export class HiveTypeError extends Error {}
/** A value the column's type cannot hold (DataFormatConversion.MalformedData). */
export class MalformedValueError extends Error {}

const INTEGER_RANGES = { tinyint: 2 ** 7, smallint: 2 ** 15, int: 2 ** 31, bigint: 2 ** 63 } as const;

export function parseHiveType(text: string): HiveType {
  const parser = { text: text.trim().toLowerCase(), i: 0 };
  const type = readType(parser);
  if (parser.i !== parser.text.length) throw new HiveTypeError(`unexpected '${parser.text.slice(parser.i)}' in the type '${text}'`);
  return type;
}

type Cursor = { text: string; i: number };

function readName(c: Cursor): string {
  const match = /^\s*([a-z_][a-z0-9_]*|`[^`]+`)\s*/.exec(c.text.slice(c.i));
  if (match === null) throw new HiveTypeError(`a name was expected at '${c.text.slice(c.i)}'`);
  c.i += match[0].length;
  return (match[1] as string).replace(/^`|`$/g, '');
}

function expect(c: Cursor, token: string): void {
  const rest = c.text.slice(c.i);
  const skipped = rest.length - rest.trimStart().length;
  if (!rest.trimStart().startsWith(token)) throw new HiveTypeError(`'${token}' was expected at '${rest}'`);
  c.i += skipped + token.length;
}

function readNumbers(c: Cursor): number[] {
  const match = /^\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)\s*/.exec(c.text.slice(c.i));
  if (match === null) return [];
  c.i += match[0].length;
  return [Number(match[1]), ...(match[2] === undefined ? [] : [Number(match[2])])];
}

function readType(c: Cursor): HiveType {
  const name = readName(c);
  switch (name) {
    case 'string':
      return { kind: 'string' };
    case 'varchar':
    case 'char':
      readNumbers(c);
      return { kind: 'string' };
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      return { kind: 'integer', name };
    case 'integer':
      return { kind: 'integer', name: 'int' };
    case 'float':
    case 'double':
      return { kind: 'float', name };
    case 'decimal': {
      const [precision = 10, scale = 0] = readNumbers(c);
      if (precision < 1 || precision > 38 || scale > precision) throw new HiveTypeError(`decimal(${precision},${scale}) is out of range`);
      return { kind: 'decimal', precision, scale };
    }
    case 'boolean':
      return { kind: 'boolean' };
    case 'timestamp':
      return { kind: 'timestamp' };
    case 'date':
      return { kind: 'date' };
    case 'array': {
      expect(c, '<');
      const element = readType(c);
      expect(c, '>');
      return { kind: 'array', element };
    }
    case 'map': {
      expect(c, '<');
      const key = readType(c);
      expect(c, ',');
      const value = readType(c);
      expect(c, '>');
      return { kind: 'map', key, value };
    }
    case 'struct': {
      expect(c, '<');
      const fields: Array<{ name: string; type: HiveType }> = [];
      do {
        const field = readName(c);
        expect(c, ':');
        fields.push({ name: field, type: readType(c) });
      } while (tryComma(c));
      expect(c, '>');
      return { kind: 'struct', fields };
    }
    default:
      throw new HiveTypeError(`the column type '${name}' is not supported (supported: string, varchar, char, tinyint, smallint, int, bigint, float, double, decimal, boolean, timestamp, date, array, map, struct)`);
  }
}

function tryComma(c: Cursor): boolean {
  if (!c.text.slice(c.i).trimStart().startsWith(',')) return false;
  expect(c, ',');
  return true;
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The DuckDB type of a column: what `read_json(columns=…)` reads the normalised rows as. */
export function duckdbTypeOf(type: HiveType): string {
  switch (type.kind) {
    case 'string':
      return 'VARCHAR';
    case 'integer':
      return { tinyint: 'TINYINT', smallint: 'SMALLINT', int: 'INTEGER', bigint: 'BIGINT' }[type.name];
    case 'float':
      return type.name === 'float' ? 'FLOAT' : 'DOUBLE';
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'boolean':
      return 'BOOLEAN';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'date':
      return 'DATE';
    case 'array':
      return `${duckdbTypeOf(type.element)}[]`;
    case 'map':
      return `MAP(${duckdbTypeOf(type.key)}, ${duckdbTypeOf(type.value)})`;
    case 'struct':
      return `STRUCT(${type.fields.map((field) => `${quoteIdent(field.name)} ${duckdbTypeOf(field.type)}`).join(', ')})`;
  }
}

const NUMERIC = /^\s*-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const TIMESTAMP_TEXT = /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z)?$/;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;

const malformed = (value: unknown, what: string): MalformedValueError => new MalformedValueError(`${JSON.stringify(value)} is not ${what}`);

/** `value` as the column type holds it, ready to be written as JSON for DuckDB; throws `MalformedValueError`. */
export function normalizeValue(value: unknown, type: HiveType, lenient: boolean): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      if (lenient) return JSON.stringify(value);
      throw malformed(value, 'a string');
    case 'integer': {
      const n = numberOf(value, lenient);
      const range = INTEGER_RANGES[type.name];
      if (n === undefined || !Number.isInteger(n) || n < -range || n >= range) throw malformed(value, `a ${type.name}`);
      return n;
    }
    case 'float':
    case 'decimal': {
      const n = numberOf(value, lenient);
      if (n === undefined) throw malformed(value, type.kind === 'float' ? `a ${type.name}` : 'a decimal');
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (lenient && typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw malformed(value, 'a boolean');
    case 'timestamp':
      return timestampOf(value);
    case 'date':
      if (typeof value === 'string' && DATE_TEXT.test(value)) return value;
      throw malformed(value, 'a date (yyyy-MM-dd)');
    case 'array':
      if (!Array.isArray(value)) throw malformed(value, 'an array');
      return value.map((element) => normalizeValue(element, type.element, lenient));
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) throw malformed(value, 'a map (JSON object)');
      return Object.fromEntries(Object.entries(value).map(([key, element]) => [normalizeValue(key, type.key, true), normalizeValue(element, type.value, lenient)]));
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) throw malformed(value, 'a struct (JSON object)');
      const source = value as Record<string, unknown>;
      const lower = new Map(Object.keys(source).map((key) => [key.toLowerCase(), key]));
      const own = (key: string | undefined): unknown => (key !== undefined && Object.hasOwn(source, key) ? source[key] : undefined);
      return Object.fromEntries(type.fields.map((field) => [field.name, normalizeValue(own(field.name) ?? own(lower.get(field.name)), field.type, lenient)]));
    }
  }
}

function numberOf(value: unknown, lenient: boolean): number | undefined {
  if (typeof value === 'number') return value;
  if (lenient && typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return undefined;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * The timestamp forms the OpenX SerDe reads (Firehose's list): `yyyy-MM-dd'T'HH:mm:ss[.S]'Z'`,
 * `yyyy-[M]M-[d]d HH:mm:ss[.S]`, epoch seconds, epoch milliseconds (from 10^11 on) and fractional epoch
 * seconds; as `yyyy-MM-dd HH:mm:ss.ffffff` (UTC) for DuckDB.
 */
function timestampOf(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const micros = Math.round((Math.abs(value) >= 1e11 ? value : value * 1000) * 1000);
    const date = new Date(Math.floor(micros / 1000));
    if (Number.isNaN(date.getTime())) throw malformed(value, 'a timestamp');
    return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(((micros % 1_000_000) + 1_000_000) % 1_000_000, 6)}`;
  }
  const match = typeof value === 'string' ? TIMESTAMP_TEXT.exec(value.trim()) : null;
  if (match === null) throw malformed(value, 'a timestamp');
  const [, y, mo, d, h, mi, s, fraction = ''] = match;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) throw malformed(value, 'a timestamp');
  return `${y}-${pad(month)}-${pad(day)} ${h}:${mi}:${s}.${fraction.slice(1, 7).padEnd(6, '0')}`;
}
