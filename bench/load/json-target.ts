/**
 * @module bench/load/json-target — AWS JSON 1.1 calls (`POST /`, `X-Amz-Target: <Service>.<Operation>`), the
 * protocol of Firehose and Kinesis, as the stream scenarios send them: signed per call on a SignedConnection
 * (setup, PutRecord), or signed once and replayed on a raw keep-alive connection (PutRecordBatch, whose 140 KB
 * body would otherwise be hashed for every call on the cores hako shares). SigV4 allows a signature for five
 * minutes and hako keeps no nonce, as bench/load/gateway-api.ts relies on too.
 */
import type { SignatureV4 } from '@smithy/signature-v4';
import { HttpConnection, type HttpResponse } from './http-connection.js';
import { expectStatus, type SignedConnection } from './lambda-api.js';

const HOST = '127.0.0.1';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** One signed JSON 1.1 call; throws unless the answer is a 200. Resolves with the parsed answer. */
export async function callTarget(connection: SignedConnection, target: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await connection.request('POST', '/', JSON.stringify(body), { 'content-type': CONTENT_TYPE, 'x-amz-target': target });
  expectStatus(response, 200, target);
  const text = response.body.toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** The sendable bytes of a JSON 1.1 call signed now: request line and headers, and the body. */
export async function presignTarget(signer: SignatureV4, port: number, target: string, body: string): Promise<{ head: string; body: string }> {
  const { headers } = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: HOST,
    port,
    path: '/',
    query: {},
    headers: { host: `${HOST}:${port}`, 'content-type': CONTENT_TYPE, 'content-length': String(Buffer.byteLength(body)), 'x-amz-target': target },
    body,
  });
  let head = 'POST / HTTP/1.1\r\n';
  for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
  return { head, body };
}

/** A keep-alive connection that sends prepared requests, one at a time. */
export class ReplayConnection {
  readonly #connection: HttpConnection;
  #pending: { resolve: (response: HttpResponse) => void; reject: (error: Error) => void } | undefined;
  #failure: string | undefined;

  constructor(port: number) {
    this.#connection = new HttpConnection(
      port,
      (response) => {
        const pending = this.#pending;
        this.#pending = undefined;
        pending?.resolve(response);
      },
      (message) => {
        this.#failure = message;
        const pending = this.#pending;
        this.#pending = undefined;
        pending?.reject(new Error(message));
      },
    );
  }

  send(request: { head: string; body: string }): Promise<HttpResponse> {
    if (this.#failure !== undefined) return Promise.reject(new Error(this.#failure));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#connection.send(request.head, request.body);
    });
  }

  close(): void {
    this.#connection.close();
  }
}
