/**
 * @module rules/sql/json-bytes — a rule's SELECT output as JSON bytes, byte for byte what
 * `Buffer.from(JSON.stringify(value))` gives, at about half its cost on the outputs rules make.
 *
 * Why not `JSON.stringify`: a republish serializes every match, and `JSON.stringify` of a three-field
 * output and then its UTF-8 encoding measured ~1.0–1.5 µs here, the largest single cost a matching rule
 * added to the broker (bench/RESULTS.md). Building the text by concatenation barely helps: encoding the
 * resulting rope costs as much as the text did. So the bytes are written directly into a slab, as Node's
 * `Buffer.from` does for small strings: printable ASCII without `"` or `\` is copied code unit by code
 * unit, and the text of the last number written is remembered (rules stamp `timestamp()`, the same for
 * every message of a millisecond). Anything else — a string needing escapes or beyond ASCII, objects with
 * their own prototype or `toJSON` — is written as `JSON.stringify` spells that value, so the result never
 * differs. Not re-entrant (one slab per thread): nothing it calls serializes a rule output.
 */

/** Slab size, as Node's `Buffer.poolSize`: a payload keeps at most this much memory alive beyond itself. */
const SLAB_BYTES = 8 * 1024;

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const BACKSLASH = 0x5c;

let slab = Buffer.allocUnsafe(SLAB_BYTES);
/** Where the output being written starts in the slab: it is `slab[used, pos)`. */
let used = 0;
let pos = 0;

let lastNumber = Number.NaN;
let lastNumberText = '';

/** JSON text of `value` as UTF-8 bytes; the same bytes as `Buffer.from(JSON.stringify(value))`. */
export function jsonBytes(value: unknown): Buffer {
  pos = used;
  try {
    if (!writeValue(value)) throw new TypeError('a rule output must be a JSON value');
  } catch (error) {
    pos = used;
    throw error;
  }
  const bytes = slab.subarray(used, pos);
  used = pos;
  if (slab.length > SLAB_BYTES) {
    slab = Buffer.allocUnsafe(SLAB_BYTES); // a large output had a slab of its own; the next ones share a small one again
    used = pos = 0;
  }
  return bytes;
}

/** Makes room for `bytes` more; an output outgrowing the slab moves, with what it has written so far, to a new one. */
function reserve(bytes: number): void {
  if (pos + bytes <= slab.length) return;
  const written = slab.subarray(used, pos);
  const next = Buffer.allocUnsafe(Math.max(SLAB_BYTES, (written.length + bytes) * 2));
  written.copy(next, 0);
  slab = next;
  pos = written.length;
  used = 0;
}

/** Writes `value`; false when it has no JSON form (undefined, a function, a symbol) and nothing was written. */
function writeValue(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
      writeString(value);
      return true;
    case 'number':
      writeNumber(value);
      return true;
    case 'boolean':
      writeAscii(value ? 'true' : 'false');
      return true;
    case 'object':
      if (value === null) writeAscii('null');
      else if (Array.isArray(value)) writeArray(value);
      else if ((value as object).constructor === Object && typeof (value as { toJSON?: unknown }).toJSON !== 'function') writeObject(value as Record<string, unknown>);
      else return writeStringified(value);
      return true;
    default:
      return writeStringified(value); // undefined, functions and symbols write nothing; a bigint throws, as JSON.stringify does
  }
}

function writeString(text: string): void {
  reserve(text.length + 2);
  // Locals, not the module's variables, in the loop: V8 keeps them in registers.
  const bytes = slab;
  let at = pos;
  bytes[at++] = QUOTE;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) {
      writeText(JSON.stringify(text)); // escapes or beyond ASCII: JSON.stringify knows them all
      return;
    }
    bytes[at++] = c;
  }
  bytes[at++] = QUOTE;
  pos = at;
}

function writeNumber(value: number): void {
  if (value !== lastNumber) {
    // For finite numbers JSON's text and String's agree (-0 → "0" included); the others are null.
    lastNumberText = Number.isFinite(value) ? String(value) : 'null';
    lastNumber = value;
  }
  writeAscii(lastNumberText);
}

function writeArray(items: readonly unknown[]): void {
  writeAscii('[');
  for (let i = 0; i < items.length; i++) {
    if (i > 0) writeByte(COMMA);
    if (!writeValue(items[i])) writeAscii('null');
  }
  writeAscii(']');
}

function writeObject(object: Record<string, unknown>): void {
  writeAscii('{');
  let first = true;
  for (const key of Object.keys(object)) {
    const mark = pos - used; // relative: a reserve may move the output to a new slab
    if (!first) writeByte(COMMA);
    writeString(key);
    writeByte(COLON);
    if (writeValue(object[key])) first = false;
    else pos = used + mark; // no JSON form (undefined, a function, a toJSON answering undefined): the member is left out
  }
  writeAscii('}');
}

function writeStringified(value: unknown): boolean {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) return false;
  writeText(text);
  return true;
}

function writeByte(byte: number): void {
  reserve(1);
  slab[pos++] = byte;
}

/** Text known to be ASCII. */
function writeAscii(text: string): void {
  reserve(text.length);
  const bytes = slab;
  let at = pos;
  for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
  pos = at;
}

/** Any text, as UTF-8. */
function writeText(text: string): void {
  reserve(Buffer.byteLength(text, 'utf8'));
  pos += slab.write(text, pos, 'utf8');
}
