/**
 * @module streams/warehouse/json-records — Firehose records to JSON object texts, as Redshift's
 * `COPY … JSON 'auto'` reads them: one record may hold one object, several newline-delimited ones, or
 * several concatenated ones (`{…}{…}`); whitespace between them is skipped; an object may not span records.
 *
 * This only finds where each top-level object starts and ends (bytes, strings and nesting), and notes the
 * objects' top-level keys on the way (what an inferred table needs to know, without parsing every object
 * once more in DuckDB); whether an object is valid JSON is DuckDB's check at load. A record is the unit of
 * failure: if any part of it is not an object, the whole record goes to the error output and none of its
 * objects load.
 */
import { isUtf8 } from 'node:buffer';

export interface JsonDocuments {
  /** The objects' texts, in record order. */
  readonly docs: string[];
  /** For each doc, the index of the record it came from. */
  readonly recordOf: number[];
  /** Records that are not JSON objects: index → why. */
  readonly invalid: Map<number, string>;
  /** The top-level keys of the kept objects, in order of first appearance. */
  readonly keys: Set<string>;
}

const OPEN_BRACE = 0x7b;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Index just past the quote closing the string whose contents start at `from`, or -1. */
function endOfString(record: Buffer, from: number): number {
  let quote = record.indexOf(QUOTE, from);
  while (quote !== -1) {
    let backslashes = 0;
    while (record[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    quote = record.indexOf(QUOTE, quote + 1);
  }
  return -1;
}

/** A key's text: the bytes between the quotes, unescaped by JSON.parse only when there are escapes. */
function keyText(record: Buffer, open: number, end: number): string {
  const raw = record.toString('utf8', open + 1, end - 1);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw; // a bad escape: DuckDB refuses the object anyway
  }
}

/**
 * Index just past the object starting at `start` (a `{`), or -1 when it is not closed in the record. A
 * string at depth 1 followed by `:` is one of its keys: added to `keys`.
 */
function endOfObject(record: Buffer, start: number, keys: string[]): number {
  let depth = 0;
  for (let i = start; i < record.length; i++) {
    const byte = record[i] as number;
    if (byte === QUOTE) {
      const end = endOfString(record, i + 1);
      if (end === -1) return -1;
      if (depth === 1) {
        let next = end;
        while (next < record.length && isSpace(record[next] as number)) next++;
        if (record[next] === 0x3a) keys.push(keyText(record, i, end));
      }
      i = end - 1;
    } else if (byte === OPEN_BRACE || byte === 0x5b) depth++;
    else if (byte === 0x7d || byte === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The objects of `record` (their keys into `keys`), or why it has none that can load. Whitespace-only records hold no objects. */
function objectsOf(record: Buffer, keys: string[]): string[] | string {
  if (!isUtf8(record)) return 'the record is not valid UTF-8';
  const out: string[] = [];
  let i = 0;
  while (i < record.length) {
    const byte = record[i] as number;
    if (isSpace(byte)) {
      i++;
      continue;
    }
    if (byte !== OPEN_BRACE) return `expected a JSON object at byte ${i} of the record, found ${JSON.stringify(String.fromCharCode(byte))}`;
    const end = endOfObject(record, i, keys);
    if (end === -1) return `the JSON object starting at byte ${i} of the record is not closed`;
    out.push(record.toString('utf8', i, end));
    i = end;
  }
  return out;
}

export function splitJsonRecords(records: readonly Buffer[]): JsonDocuments {
  const docs: string[] = [];
  const recordOf: number[] = [];
  const invalid = new Map<number, string>();
  const keys = new Set<string>();
  const recordKeys: string[] = [];
  records.forEach((record, index) => {
    recordKeys.length = 0;
    const objects = objectsOf(record, recordKeys);
    if (typeof objects === 'string') {
      invalid.set(index, objects);
      return;
    }
    for (const key of recordKeys) keys.add(key);
    for (const doc of objects) {
      docs.push(doc);
      recordOf.push(index);
    }
  });
  return { docs, recordOf, invalid, keys };
}
