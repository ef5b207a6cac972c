/**
 * @module functions/runtime/nodejs/runtime-client — the runtime's side of the Runtime API (spec §2.1):
 * long-poll `invocation/next`, post `response`, `error` or `init/error`.
 *
 * One keep-alive connection with hand-written HTTP/1.1 framing instead of `node:http`: the Node
 * HTTP client was ~70 % of the runtime's CPU per invocation, and half of it sits between the invocation
 * arriving and the answer leaving (bench/RESULTS.md); not loading `node:http` also shortens every cold
 * start. The socket is ref'd only while a request is out, so an idle connection never keeps the event
 * loop alive (callback handlers finish when the loop is empty).
 *
 * The connection is TCP to `AWS_LAMBDA_RUNTIME_API`, or, when hako spawned the runtime with one, the socket pair on
 * a descriptor of its own (`fd`): cheaper to write, and made once (when it closes, hako has closed the environment).
 *
 * An invocation's answer and the poll for the next one go out together, pipelined on the connection (HTTP/1.1: the
 * server answers them in order, and takes up the poll only once the answer's 202 is written), so an invocation costs
 * the runtime one write and hako one read fewer.
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

interface Request {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  errorType?: string;
}

interface Pending {
  resolve: (response: Http1Response) => void;
  reject: (error: Error) => void;
}

export class RuntimeClient {
  readonly #host: string;
  readonly #port: number;
  #socket: net.Socket | undefined;
  #reader = new Http1ResponseReader();
  /** Requests written and not yet answered, in the order they were written. */
  readonly #pending: Pending[] = [];
  /** The poll for the next invocation, sent along with the last answer. */
  #nextPoll: Promise<Http1Response> | undefined;

  /** The socket pair's descriptor, until its connection is made. */
  #fd: number | undefined;

  constructor(address: string, options: { fd?: number | undefined } = {}) {
    const colon = address.lastIndexOf(':');
    this.#host = address.slice(0, colon);
    this.#port = Number(address.slice(colon + 1));
    this.#fd = options.fd;
  }

  async next(): Promise<NextInvocation> {
    const poll = this.#nextPoll ?? this.#send([{ method: 'GET', path: NEXT }])[0];
    this.#nextPoll = undefined;
    const { headers, body } = await checked(poll as Promise<Http1Response>);
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
    await this.#answerAndPoll({ method: 'POST', path: `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/response`, body });
  }

  async postError(requestId: string, error: RuntimeErrorBody): Promise<void> {
    await this.#answerAndPoll({ method: 'POST', path: `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/error`, body: JSON.stringify(error), errorType: error.errorType });
  }

  async postInitError(error: RuntimeErrorBody): Promise<void> {
    await checked((this.#send([{ method: 'POST', path: '/2018-06-01/runtime/init/error', body: JSON.stringify(error), errorType: error.errorType }]))[0] as Promise<Http1Response>);
  }

  /** Posts an answer with the next poll behind it; resolves with the answer's response (the poll waits for `next`). */
  async #answerAndPoll(answer: Request): Promise<Http1Response> {
    if (this.#nextPoll !== undefined) throw new Error('the next invocation is already being polled for');
    const [answered, poll] = this.#send([answer, { method: 'GET', path: NEXT }]) as [Promise<Http1Response>, Promise<Http1Response>];
    poll.catch(() => undefined); // its failure is next()'s to report
    this.#nextPoll = poll;
    return checked(answered);
  }

  /** Writes the requests in one go; one promise each, settled as their responses arrive in order. */
  #send(requests: readonly Request[]): Promise<Http1Response>[] {
    const socket = this.#connection();
    socket.ref();
    let text = '';
    const responses = requests.map(({ method, path, body, errorType }) => {
      text += `${method} ${path} HTTP/1.1\r\nHost: ${this.#host}:${this.#port}\r\n`;
      if (errorType !== undefined) text += `Lambda-Runtime-Function-Error-Type: ${errorType.replace(/[\r\n]/g, ' ')}\r\n`;
      text += body === undefined ? '\r\n' : `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      return new Promise<Http1Response>((resolve, reject) => this.#pending.push({ resolve, reject }));
    });
    socket.write(text);
    return responses;
  }

  #connection(): net.Socket {
    if (this.#socket !== undefined && !this.#socket.destroyed) return this.#socket;
    if (this.#fd === USED) throw failure('the Runtime API connection closed'); // hako closed the environment: the runtime exits
    const socket = this.#fd === undefined ? net.connect({ host: this.#host, port: this.#port, noDelay: true }) : new net.Socket({ fd: this.#fd, readable: true, writable: true });
    if (this.#fd !== undefined) this.#fd = USED;
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

  /**
   * Hands the oldest pending request its response, and the next ones theirs while whole responses are buffered;
   * a read error or a malformed response fails every pending request.
   */
  #settle(read: () => Http1Response | Error | undefined): void {
    for (let next = read; this.#pending.length > 0; next = () => this.#reader.push(EMPTY)) {
      let outcome: Http1Response | Error | undefined;
      try {
        outcome = next();
      } catch (error) {
        outcome = error as Error;
      }
      if (outcome === undefined) break;
      if (outcome instanceof Error) {
        this.#socket?.destroy();
        for (const pending of this.#pending.splice(0)) pending.reject(outcome);
        break;
      }
      (this.#pending.shift() as Pending).resolve(outcome);
    }
    if (this.#pending.length === 0) this.#socket?.unref();
  }
}

const EMPTY = Buffer.alloc(0);
/** `#fd` once its socket pair is in use. */
const USED = -1;

/** A response the runtime may go on after: 500 means the environment is gone, and the runtime must exit (spec §2.1). */
async function checked(response: Promise<Http1Response>): Promise<Http1Response> {
  const answer = await response;
  if (answer.status >= 500) process.exit(1);
  return answer;
}

function failure(message: string): Error {
  return new Error(message);
}
