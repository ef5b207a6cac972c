/**
 * @module bench/load/http-connection — one keep-alive HTTP/1.1 connection on a raw socket, one request
 * at a time.
 *
 * It does what `node:http`'s client with a keep-alive agent would do for the shadow-http and function
 * loads, for about a third of the CPU (about 40 instead of 130 µs per request on the bench machine). The
 * broker under test shares the machine's two cores with the generator, so that difference would come out
 * of hako's share. It understands only what hako's answers need: a status line, headers, and a body of
 * `content-length` bytes.
 */
import net from 'node:net';

export interface HttpResponse {
  status: number;
  /** Status line and headers, without the blank line (latin1). */
  head: string;
  body: Buffer;
  /** `performance.now()` when the request was written. */
  sentAt: number;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;

export class HttpConnection {
  readonly #socket: net.Socket;
  readonly #onResponse: (response: HttpResponse) => void;
  readonly #onFailure: (message: string, requestLost: boolean) => void;
  #buffered: Buffer | null = null;
  /** When the request awaiting its response was written, or -1 when none is. */
  #sentAt = -1;
  #closed = false;

  /**
   * `onFailure` is called once, when the connection fails or the server closes it (outside `close()`),
   * saying whether a request was awaiting its response.
   */
  constructor(port: number, onResponse: (response: HttpResponse) => void, onFailure: (message: string, requestLost: boolean) => void) {
    this.#onResponse = onResponse;
    this.#onFailure = onFailure;
    this.#socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    this.#socket.on('data', (chunk: Buffer) => this.#read(chunk));
    this.#socket.on('error', (err) => this.#fail(err.message));
    this.#socket.on('close', () => this.#fail('connection closed by the server'));
  }

  /**
   * Sends `head` (request line and headers, each line ending in CRLF) and `body` in one write. One request
   * at a time: the caller waits for the response before the next.
   */
  send(head: string, body: string): void {
    this.#sentAt = performance.now();
    this.#socket.write(`${head}\r\n${body}`);
  }

  close(): void {
    this.#closed = true;
    this.#socket.destroy();
  }

  #read(chunk: Buffer): void {
    let buf = this.#buffered === null ? chunk : Buffer.concat([this.#buffered, chunk]);
    this.#buffered = null;
    while (buf.length > 0) {
      const headEnd = buf.indexOf(HEAD_END);
      if (headEnd < 0) break;
      const head = buf.toString('latin1', 0, headEnd);
      const length = CONTENT_LENGTH.exec(head)?.[1];
      if (length === undefined) {
        this.#fail(`a response without content-length: ${head.split('\r\n', 1)[0]}`);
        return;
      }
      const end = headEnd + HEAD_END.length + Number(length);
      if (buf.length < end) break;
      const sentAt = this.#sentAt;
      this.#sentAt = -1;
      // `HTTP/1.1 200 OK`: the status is the second word.
      this.#onResponse({ status: Number(head.slice(9, 12)), head, body: buf.subarray(headEnd + HEAD_END.length, end), sentAt });
      buf = buf.subarray(end);
    }
    if (buf.length > 0) this.#buffered = buf;
  }

  #fail(message: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.destroy();
    this.#onFailure(message, this.#sentAt >= 0);
  }
}
