/**
 * @module functions/runtime/nodejs/http1-response — reads one HTTP/1.1 response at a time off a byte
 * stream: status line, headers, and a body framed by `Content-Length`, `Transfer-Encoding: chunked`, or
 * the end of the connection. Just enough HTTP for the runtime's side of the Runtime API (runtime-client),
 * which has at most two requests out on one connection (an answer and the next poll), answered in order.
 */

export interface Http1Response {
  status: number;
  /** Lower-case names; a repeated header keeps its last value (the Runtime API repeats none). */
  headers: Record<string, string>;
  body: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
/** A Runtime API response head is a few hundred bytes; a megabyte of head is not HTTP from hako. */
const MAX_HEAD_BYTES = 1024 * 1024;

type Framing = { kind: 'length'; remaining: number } | { kind: 'chunked' } | { kind: 'until-close' };
interface Head {
  status: number;
  headers: Record<string, string>;
  framing: Framing;
}

export class Http1ResponseReader {
  #buffered: Buffer = Buffer.alloc(0);
  #head: Head | undefined;
  #bodyParts: Buffer[] = [];

  /** Adds bytes; returns the response once it is complete (bytes after it stay buffered). */
  push(chunk: Buffer): Http1Response | undefined {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    if (this.#head === undefined) {
      const end = this.#buffered.indexOf(HEADER_END);
      if (end === -1) {
        if (this.#buffered.length > MAX_HEAD_BYTES) throw new Error('Runtime API response head too large');
        return undefined;
      }
      // UTF-8: the client context is JSON text, sent as its UTF-8 bytes (runtime-api/server).
      this.#head = parseHead(this.#buffered.toString('utf8', 0, end));
      this.#buffered = this.#buffered.subarray(end + HEADER_END.length);
    }
    return this.#readBody();
  }

  /** The connection ended: a body framed by the close is complete; anything else was cut short. */
  end(): Http1Response | undefined {
    if (this.#head?.framing.kind !== 'until-close') return undefined;
    this.#bodyParts.push(this.#buffered);
    this.#buffered = Buffer.alloc(0);
    return this.#complete();
  }

  #readBody(): Http1Response | undefined {
    const framing = (this.#head as Head).framing;
    if (framing.kind === 'until-close') return undefined;
    if (framing.kind === 'length') {
      const take = Math.min(framing.remaining, this.#buffered.length);
      this.#bodyParts.push(this.#buffered.subarray(0, take));
      this.#buffered = this.#buffered.subarray(take);
      framing.remaining -= take;
      return framing.remaining === 0 ? this.#complete() : undefined;
    }
    for (;;) {
      const lineEnd = this.#buffered.indexOf(CRLF);
      if (lineEnd === -1) return undefined;
      const size = Number.parseInt(this.#buffered.toString('latin1', 0, lineEnd).split(';')[0] as string, 16);
      if (!Number.isFinite(size) || size < 0) throw new Error('malformed chunk size in a Runtime API response');
      if (size === 0) {
        // The last chunk: skip any trailer lines up to the blank line that ends the message.
        for (let line = lineEnd + CRLF.length; ; ) {
          const end = this.#buffered.indexOf(CRLF, line);
          if (end === -1) return undefined;
          if (end === line) {
            this.#buffered = this.#buffered.subarray(end + CRLF.length);
            return this.#complete();
          }
          line = end + CRLF.length;
        }
      }
      const chunkStart = lineEnd + CRLF.length;
      if (this.#buffered.length < chunkStart + size + CRLF.length) return undefined;
      this.#bodyParts.push(this.#buffered.subarray(chunkStart, chunkStart + size));
      this.#buffered = this.#buffered.subarray(chunkStart + size + CRLF.length);
    }
  }

  #complete(): Http1Response {
    const { status, headers } = this.#head as Head;
    const body = this.#bodyParts.length === 1 ? (this.#bodyParts[0] as Buffer) : Buffer.concat(this.#bodyParts);
    this.#head = undefined;
    this.#bodyParts = [];
    return { status, headers, body };
  }
}

function parseHead(head: string): Head {
  const lines = head.split('\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (statusLine === null) throw new Error(`not an HTTP/1.1 response: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(statusLine[1]);
  const length = headers['content-length'];
  let framing: Framing;
  if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) framing = { kind: 'chunked' };
  else if (length !== undefined) {
    if (!/^\d+$/.test(length)) throw new Error(`malformed Content-Length in a Runtime API response: ${JSON.stringify(length)}`);
    framing = { kind: 'length', remaining: Number(length) };
  }
  else if (status === 204 || status === 304) framing = { kind: 'length', remaining: 0 };
  else framing = { kind: 'until-close' };
  return { status, headers, framing };
}
