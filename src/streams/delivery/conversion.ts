/**
 * @module streams/delivery/conversion — the record side of JSON → Parquet conversion: each record read
 * as Firehose's JSON deserializers read it and written as newline-delimited JSON rows that DuckDB turns
 * into Parquet (`sinks/parquet.ts`).
 *
 * A record holds one or more JSON objects, concatenated (whitespace between them is fine, as Firehose
 * allows aggregated records); anything else — not JSON, an array, a bare value — fails the record with
 * `DataFormatConversion.ParseError`. Keys become columns by the deserializer's rules: with OpenX,
 * `ColumnToJsonKeyMappings`, then `ConvertDotsInJsonKeysToUnderscores`, then (CaseInsensitive, the
 * default) lower case. With declared columns (`catalog.ts`) each row has exactly those columns, values
 * checked and normalised against their types (`hive-types.ts`): a value that does not fit fails the record
 * with `DataFormatConversion.MalformedData`, keys without a column are dropped. Without declared columns
 * the rows keep every key and DuckDB infers the schema from the batch.
 *
 * The usual record with an inferred schema — one object on one line, each key already its column — is its own
 * row, as sent: parsed to check it, never written again (that was half of a Parquet stream's CPU). DuckDB then
 * reads the numbers as they were written (`21.0` makes a DOUBLE column, as it would have been a BIGINT after a
 * round trip through JavaScript's numbers). What JSON.parse accepts and DuckDB does not (a key given twice, which
 * JSON.parse takes the last of) is handled by the sink: `respellRows`, then one more try.
 */
import type { HiveDeserializer, OpenXDeserializer } from './features.js';
import { MalformedValueError, normalizeValue, type HiveType } from './hive-types.js';

export interface Column {
  readonly name: string;
  readonly type: HiveType;
}

export type Conversion = { readonly rows: Buffer } | { readonly errorCode: string; readonly errorMessage: string };

export class ConversionParseError extends Error {}

/** The JSON objects of one record, in order (their text, each parsed by the caller). */
export function jsonObjectsIn(text: string): Array<Record<string, unknown>> {
  // Fast path: most records are one object; only others are scanned for where each object ends.
  try {
    const whole: unknown = JSON.parse(text);
    if (typeof whole === 'object' && whole !== null && !Array.isArray(whole)) return [whole as Record<string, unknown>];
  } catch {
    // several objects, or not JSON: the scan below says which
  }
  const objects: Array<Record<string, unknown>> = [];
  let i = skipSpace(text, 0);
  while (i < text.length) {
    if (text[i] !== '{') throw new ConversionParseError(`expected a JSON object at offset ${i}, found '${text.slice(i, i + 10)}'`);
    const end = endOfObject(text, i);
    try {
      objects.push(JSON.parse(text.slice(i, end)) as Record<string, unknown>);
    } catch (error) {
      throw new ConversionParseError(`the object at offset ${i} is not valid JSON: ${(error as Error).message}`);
    }
    i = skipSpace(text, end);
  }
  if (objects.length === 0) throw new ConversionParseError('the record holds no JSON object');
  return objects;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i++;
  return i;
}

/** The offset just after the object opening at `start` (strings and escapes skipped), or the end. */
function endOfObject(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) return i + 1;
  }
  return text.length; // unterminated: JSON.parse says what is wrong
}

export class RecordConverter {
  readonly #deserializer: OpenXDeserializer | HiveDeserializer;
  readonly #columns: readonly Column[] | undefined;
  /** JSON key → column, from ColumnToJsonKeyMappings. */
  readonly #mapped: ReadonlyMap<string, string>;

  constructor(deserializer: OpenXDeserializer | HiveDeserializer, columns: readonly Column[] | undefined) {
    this.#deserializer = deserializer;
    this.#columns = columns;
    this.#mapped = new Map(deserializer.kind === 'OpenXJsonSerDe' ? Object.entries(deserializer.columnToJsonKeyMappings).map(([column, key]) => [key, column]) : []);
  }

  convert(data: Buffer): Conversion {
    let objects: Array<Record<string, unknown>>;
    try {
      objects = jsonObjectsIn(data.toString('utf8'));
    } catch (error) {
      return { errorCode: 'DataFormatConversion.ParseError', errorMessage: (error as Error).message };
    }
    if (objects.length === 1 && this.#columns === undefined && isOneLine(data) && this.#keysAreColumns(objects[0] as Record<string, unknown>)) {
      return { rows: data[data.length - 1] === NEWLINE ? data : Buffer.concat([data, NEWLINE_BYTES]) };
    }
    const lines: string[] = [];
    for (const object of objects) {
      try {
        lines.push(JSON.stringify(this.#row(object)));
      } catch (error) {
        if (!(error instanceof MalformedValueError)) throw error;
        return { errorCode: 'DataFormatConversion.MalformedData', errorMessage: error.message };
      }
    }
    return { rows: Buffer.from(`${lines.join('\n')}\n`) };
  }

  /** Column names by JSON key, so the rules run once per key rather than once per record. */
  readonly #columnCache = new Map<string, string>();

  /** The column a JSON key feeds. */
  #columnOf(key: string): string {
    let column = this.#columnCache.get(key);
    if (column === undefined) {
      column = this.#columnRule(key);
      if (this.#columnCache.size < 10_000) this.#columnCache.set(key, column); // bounded: keys can be data
    }
    return column;
  }

  #columnRule(key: string): string {
    const mapped = this.#mapped.get(key);
    if (mapped !== undefined) return mapped;
    if (this.#deserializer.kind === 'HiveJsonSerDe') return key.toLowerCase(); // Hive matches columns case-insensitively
    const dotted = this.#deserializer.convertDotsInJsonKeysToUnderscores ? key.replace(/\./g, '_') : key;
    return this.#deserializer.caseInsensitive ? dotted.toLowerCase() : dotted;
  }

  #keysAreColumns(object: Record<string, unknown>): boolean {
    for (const key in object) if (this.#columnOf(key) !== key) return false;
    return true;
  }

  #row(object: Record<string, unknown>): Record<string, unknown> {
    const keys = Object.keys(object);
    // Inferred schema and every key already its column: the parsed object is the row.
    if (this.#columns === undefined && this.#keysAreColumns(object)) return object;
    const byColumn: Record<string, unknown> = {};
    for (const key of keys) setOwn(byColumn, this.#columnOf(key), object[key]);
    if (this.#columns === undefined) return byColumn;
    const lenient = this.#deserializer.kind === 'OpenXJsonSerDe';
    const row: Record<string, unknown> = {};
    for (const column of this.#columns) {
      try {
        setOwn(row, column.name, normalizeValue(Object.hasOwn(byColumn, column.name) ? byColumn[column.name] : undefined, column.type, lenient));
      } catch (error) {
        if (error instanceof MalformedValueError) throw new MalformedValueError(`column '${column.name}': ${error.message}`);
        throw error;
      }
    }
    return row;
  }
}

const NEWLINE = 0x0a;
const RETURN = 0x0d;
const NEWLINE_BYTES = Buffer.from('\n');

/** Whether a record's bytes are one line of NDJSON: no line break but a last `\n` (or `\r\n`). */
function isOneLine(data: Buffer): boolean {
  const newline = data.indexOf(NEWLINE);
  if (newline !== -1 && newline !== data.length - 1) return false;
  const ret = data.indexOf(RETURN);
  return ret === -1 || (ret === data.length - 2 && newline === data.length - 1);
}

/** Rows as JavaScript writes them (`JSON.stringify` of each line parsed): what a record taken as sent becomes. */
export function respellRows(rows: Buffer): Buffer {
  const lines = rows.toString('utf8').split('\n').filter((line) => line.trim() !== '');
  return Buffer.from(`${lines.map((line) => JSON.stringify(JSON.parse(line))).join('\n')}\n`);
}

/** Sets a property, a "__proto__" key included (as a column, not the object's prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
