/**
 * @module http/firehose/batch-body — PutRecordBatch read straight from the request bytes.
 *
 * The general path turns a 140 KB body into a string, `JSON.parse`s it into 500 objects with a 270-character
 * string each, and then base64-decodes those strings: about a quarter of hako's CPU per record in the ingest
 * bench (bench/RESULTS.md). Producers (the AWS SDKs, the Kinesis agent) all send one shape:
 * `{"DeliveryStreamName":"…","Records":[{"Data":"…"},…]}`. For that shape this reader finds each `Data` value
 * with `indexOf` and decodes it from a one-byte slice of the body, never building the document.
 *
 * It is only a shortcut: anything it does not recognise — other members, another member order, escapes,
 * a record that is not valid base64 — answers `undefined`, and the request takes the general path, whose
 * checks and error messages stay the only ones. Whitespace between tokens is allowed, as JSON allows it.
 */
import type { Body } from './params.js';

/** A PutRecordBatch's records, already decoded back to back: what the general path builds from `Records`. */
export class DecodedRecords {
  constructor(
    readonly data: Buffer,
    readonly lengths: readonly number[],
  ) {}
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const EQUALS = 0x3d;
const NAME_MEMBER = Buffer.from('"DeliveryStreamName"');
const RECORDS_MEMBER = Buffer.from('"Records"');
const DATA_MEMBER = Buffer.from('"Data"');

/** The body as `{ DeliveryStreamName, Records: DecodedRecords }`, or `undefined` to take the general path. */
export function readPutRecordBatchBody(body: Buffer): Body | undefined {
  // An escape anywhere (producers have no reason to write one) is the general path's to read: with none,
  // every string's text is its bytes, which is what lets a span be decoded as it stands.
  if (body.indexOf(BACKSLASH) !== -1) return undefined;
  const scan = new Scanner(body);
  if (!scan.byte(0x7b) || !scan.member(NAME_MEMBER)) return undefined;
  const name = scan.plainString();
  if (name === undefined || !scan.byte(0x2c) || !scan.member(RECORDS_MEMBER) || !scan.byte(0x5b)) return undefined;
  const spans: number[] = []; // start, end of each Data value
  if (!scan.peek(0x5d)) {
    do {
      if (!scan.byte(0x7b) || !scan.member(DATA_MEMBER)) return undefined;
      const start = scan.stringStart();
      if (start === undefined) return undefined;
      const end = body.indexOf(QUOTE, start);
      if (end === -1) return undefined;
      spans.push(start, end);
      scan.at = end + 1;
      if (!scan.byte(0x7d)) return undefined;
    } while (scan.byte(0x2c));
  }
  if (!scan.byte(0x5d) || !scan.byte(0x7d) || !scan.end()) return undefined;
  const records = decodeSpans(body, spans);
  return records === undefined ? undefined : { DeliveryStreamName: name, Records: records };
}

/**
 * Decodes each span into one buffer. A span whose text is not base64 (length not a multiple of 4, a
 * character outside the alphabet) gives `undefined`: the general path explains it.
 */
function decodeSpans(body: Buffer, spans: readonly number[]): DecodedRecords | undefined {
  const lengths = new Array<number>(spans.length / 2);
  let total = 0;
  for (let i = 0; i < spans.length; i += 2) {
    const start = spans[i] as number;
    const end = spans[i + 1] as number;
    const size = end - start;
    if (size % 4 !== 0) return undefined;
    const padding = size === 0 ? 0 : body[end - 1] !== EQUALS ? 0 : body[end - 2] === EQUALS ? 2 : 1;
    const length = (size / 4) * 3 - padding;
    lengths[i / 2] = length;
    total += length;
  }
  const data = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let i = 0; i < spans.length; i += 2) {
    // Node's decoder skips characters outside the alphabet, so a short write is how bad text shows.
    // (A decoder over the bytes in JavaScript, without the string, measured no faster in hako.)
    const written = data.write(body.toString('latin1', spans[i] as number, spans[i + 1] as number), offset, 'base64');
    if (written !== lengths[i / 2]) return undefined;
    offset += written;
  }
  return new DecodedRecords(data, lengths);
}

class Scanner {
  at = 0;
  constructor(readonly body: Buffer) {}

  #skipSpace(): void {
    const body = this.body;
    let at = this.at;
    for (let c = body[at]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = body[++at]);
    this.at = at;
  }

  /** Consumes `byte` (after whitespace) if it is next. */
  byte(byte: number): boolean {
    this.#skipSpace();
    if (this.body[this.at] !== byte) return false;
    this.at++;
    return true;
  }

  peek(byte: number): boolean {
    this.#skipSpace();
    return this.body[this.at] === byte;
  }

  /** Consumes `"name"` and the colon after it. */
  member(quotedName: Buffer): boolean {
    this.#skipSpace();
    // A loop, not Buffer#compare: for a dozen bytes the native call's argument checks cost more than the bytes.
    const { body, at } = this;
    for (let i = 0; i < quotedName.length; i++) if (body[at + i] !== quotedName[i]) return false;
    this.at = at + quotedName.length;
    return this.byte(0x3a);
  }

  /** Consumes an opening quote and answers where the string's text starts. */
  stringStart(): number | undefined {
    return this.byte(QUOTE) ? this.at : undefined;
  }

  /** A string without control characters (anything else: the general path), as UTF-8 text. */
  plainString(): string | undefined {
    const start = this.stringStart();
    if (start === undefined) return undefined;
    const end = this.body.indexOf(QUOTE, start);
    if (end === -1) return undefined;
    for (let i = start; i < end; i++) if ((this.body[i] as number) < 0x20) return undefined;
    this.at = end + 1;
    return this.body.toString('utf8', start, end);
  }

  end(): boolean {
    this.#skipSpace();
    return this.at === this.body.length;
  }
}
