/**
 * @module http/one-chunk — small response bodies sent in one chunk with their headers.
 *
 * Node joins a string body to a response's header block and writes them together; a Buffer body goes out as a chunk
 * of its own after the headers. Where hako answers many small requests that second chunk cost ~20 µs of hako's
 * thread a response under load (bench/RESULTS.md, API gateway), so small bodies are handed over as text with the
 * same bytes. A large body is not worth the copy into a string.
 */
import { isAscii } from 'node:buffer';
import type { ServerResponse } from 'node:http';

/** Bodies up to this many bytes go out with their headers. */
export const ONE_CHUNK_BODY_BYTES = 64 * 1024;

/** `response.end(body)` for a response whose headers (content-length included) are set: any bytes, as latin1 text. */
export function endInOneChunk(response: ServerResponse, body: Buffer): void {
  if (body.length <= ONE_CHUNK_BODY_BYTES) response.end(body.toString('latin1'), 'latin1');
  else response.end(body);
}

/** A body for fastify's `reply.send`, which counts and writes strings as UTF-8: as text only when it is ASCII. */
export function sendableInOneChunk(body: Buffer): Buffer | string {
  return body.length <= ONE_CHUNK_BODY_BYTES && isAscii(body) ? body.toString('latin1') : body;
}
