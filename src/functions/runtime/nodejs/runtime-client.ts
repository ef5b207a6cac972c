/**
 * @module functions/runtime/nodejs/runtime-client — the runtime's side of the Runtime API (spec §2.1):
 * long-poll `invocation/next`, post `response`, `error` or `init/error`.
 *
 * One keep-alive TCP connection with hand-written HTTP/1.1 framing instead of `node:http`: the Node
 * HTTP client was ~70 % of the runtime's CPU per invocation, and half of it sits between the invocation
 * arriving and the answer leaving (bench/RESULTS.md); not loading `node:http` also shortens every cold
 * start. The socket is ref'd only while a request is out, so an idle connection never keeps the event
 * loop alive (callback handlers finish when the loop is empty).
 */
import net from 'node:net';
import type { RuntimeErrorBody } from './errors.js';
import { Http1ResponseReader, type Http1Response } from './http1-response.js';

export interface NextInvocation {
  requestId: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string | undefined;
  clientContext: string | undefined;
  cognitoIdentity: string | undefined;
  /** The event, JSON text. */
  payload: string;
}

const NEXT = '/2018-06-01/runtime/invocation/next';

export class RuntimeClient {
  readonly #host: string;
  readonly #port: number;
  #socket: net.Socket | undefined;
  #reader = new Http1ResponseReader();
  #pending: { resolve: (response: Http1Response) => void; reject: (error: Error) => void } | undefined;

  constructor(address: string) {
    const colon = address.lastIndexOf(':');
    this.#host = address.slice(0, colon);
    this.#port = Number(address.slice(colon + 1));
  }

  async next(): Promise<NextInvocation> {
    const { headers, body } = await this.#request('GET', NEXT);
    return {
      requestId: headers['lambda-runtime-aws-request-id'] ?? '',
      deadlineMs: Number(headers['lambda-runtime-deadline-ms'] ?? 0),
      invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'] ?? '',
      traceId: headers['lambda-runtime-trace-id'],
      clientContext: headers['lambda-runtime-client-context'],
      cognitoIdentity: headers['lambda-runtime-cognito-identity'],
      payload: body.toString('utf8'),
    };
  }

  async postResponse(requestId: string, body: string): Promise<void> {
    await this.#request('POST', `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/response`, body);
  }

  async postError(requestId: string, error: RuntimeErrorBody): Promise<void> {
    await this.#request('POST', `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/error`, JSON.stringify(error), error.errorType);
  }

  async postInitError(error: RuntimeErrorBody): Promise<void> {
    await this.#request('POST', '/2018-06-01/runtime/init/error', JSON.stringify(error), error.errorType);
  }

  async #request(method: 'GET' | 'POST', path: string, body?: string, errorType?: string): Promise<Http1Response> {
    if (this.#pending !== undefined) throw new Error('one Runtime API request at a time');
    const socket = this.#connection();
    socket.ref();
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.#host}:${this.#port}\r\n`;
    if (errorType !== undefined) head += `Lambda-Runtime-Function-Error-Type: ${errorType.replace(/[\r\n]/g, ' ')}\r\n`;
    if (body !== undefined) head += `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
    const response = new Promise<Http1Response>((resolve, reject) => (this.#pending = { resolve, reject }));
    socket.write(body === undefined ? `${head}\r\n` : `${head}\r\n${body}`);
    try {
      const answer = await response;
      // 500 means the environment is gone; the runtime must exit (spec §2.1).
      if (answer.status >= 500) process.exit(1);
      return answer;
    } finally {
      this.#socket?.unref();
    }
  }

  #connection(): net.Socket {
    if (this.#socket !== undefined && !this.#socket.destroyed) return this.#socket;
    const socket = net.connect({ host: this.#host, port: this.#port, noDelay: true });
    this.#reader = new Http1ResponseReader();
    socket.on('data', (chunk: Buffer) => this.#settle(() => this.#reader.push(chunk)));
    socket.on('end', () => this.#settle(() => this.#reader.end() ?? failure('the Runtime API closed the connection')));
    socket.on('error', (error) => this.#settle(() => error));
    socket.on('close', () => {
      if (this.#socket === socket) this.#socket = undefined;
      this.#settle(() => failure('the Runtime API connection closed'));
    });
    this.#socket = socket;
    return socket;
  }

  /** Hands the pending request its response, or its failure (a read error or a malformed response). */
  #settle(read: () => Http1Response | Error | undefined): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    let outcome: Http1Response | Error | undefined;
    try {
      outcome = read();
    } catch (error) {
      outcome = error as Error;
    }
    if (outcome === undefined) return;
    this.#pending = undefined;
    if (outcome instanceof Error) {
      this.#socket?.destroy();
      pending.reject(outcome);
    } else {
      pending.resolve(outcome);
    }
  }
}

function failure(message: string): Error {
  return new Error(message);
}
