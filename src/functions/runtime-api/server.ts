/**
 * @module functions/runtime-api/server — the Lambda Runtime API (`/2018-06-01/runtime/…`, spec §2.1) for
 * one execution environment: the runtime process long-polls `invocation/next`, and posts the result to
 * `invocation/<id>/response` or `…/error`, or an init failure to `init/error`.
 *
 * One server per environment, on its own loopback port: the official runtime interface clients read
 * `AWS_LAMBDA_RUNTIME_API` as a bare `host:port`, so environments cannot share one by path. hako's own runtime
 * talks to it over a socket pair made at spawn instead (`accept`): a write there costs a fraction of one through
 * loopback TCP, and a process environment writes twice an invocation. An environment
 * runs one invocation at a time; `deliver` hands the next one over as soon as the runtime polls (or at
 * once, if it is already waiting) and resolves when the runtime answers.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One invocation as the runtime receives it. */
export interface RuntimeInvocation {
  requestId: string;
  payload: Buffer;
  /** Epoch ms by which the function must answer. */
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  /** JSON text, when the caller sent a client context. */
  clientContext?: string;
  /** JSON text, for Cognito callers. */
  cognitoIdentity?: string;
}

export type RuntimeAnswer =
  | { kind: 'response'; body: Buffer }
  | { kind: 'error'; errorType: string; body: Buffer }
  /** The response was larger than the limit: the runtime got 413, the caller gets Function.ResponseSizeTooLarge. */
  | { kind: 'too-large'; bytes: number };

export interface InitFailure {
  errorType: string;
  body: Buffer;
}

/** 6 MB, the synchronous response limit [spec §1.5]. */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
const PREFIX = '/2018-06-01/runtime';

export class RuntimeApiServer {
  readonly #server: http.Server;
  #waiting: http.ServerResponse | undefined;
  #queued: Outgoing | undefined;
  #current: { invocation: RuntimeInvocation; resolve: (answer: RuntimeAnswer) => void } | undefined;
  #onFirstPoll: (() => void) | undefined;
  #onInitError: ((failure: InitFailure) => void) | undefined;
  #polled = false;

  private constructor(server: http.Server) {
    this.#server = server;
  }

  static async start(): Promise<RuntimeApiServer> {
    const server = http.createServer({ keepAliveTimeout: 0 });
    const api = new RuntimeApiServer(server);
    server.on('request', (request, response) => api.#handle(request, response));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
    return api;
  }

  /** Serves the Runtime API on a connection made elsewhere (the runtime's end of a socket pair). */
  accept(connection: Socket): void {
    this.#server.emit('connection', connection);
  }

  /** `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`. */
  get address(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `127.0.0.1:${port}`;
  }

  /** Called once, when the runtime first asks for work: its init phase is over. */
  onFirstPoll(listener: () => void): void {
    this.#onFirstPoll = listener;
    if (this.#polled) listener();
  }

  onInitError(listener: (failure: InitFailure) => void): void {
    this.#onInitError = listener;
  }

  /** Hands `invocation` to the runtime; resolves with its answer. One at a time. */
  deliver(invocation: RuntimeInvocation): Promise<RuntimeAnswer> {
    if (this.#current !== undefined) throw new Error(`environment busy with ${this.#current.invocation.requestId}`);
    // Headers are built (and checked) here, so a value a header cannot carry fails this call instead of
    // throwing later inside the runtime's poll.
    const outgoing = { headers: invocationHeaders(invocation), payload: invocation.payload };
    return new Promise((resolve) => {
      this.#current = { invocation, resolve };
      if (this.#waiting !== undefined) {
        const waiting = this.#waiting;
        this.#waiting = undefined;
        send(waiting, outgoing);
      } else {
        this.#queued = outgoing;
      }
    });
  }

  /** Forgets the invocation in progress (the environment is being killed for it). */
  abandon(): void {
    this.#current = undefined;
    this.#queued = undefined;
  }

  async close(): Promise<void> {
    this.#waiting?.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = request.url ?? '';
    if (request.method === 'GET' && url === `${PREFIX}/invocation/next`) return this.#next(response);
    if (request.method === 'POST' && url === `${PREFIX}/init/error`) {
      return void readBody(request, MAX_RESPONSE_BYTES).then(({ body }) => {
        accepted(response);
        this.#onInitError?.({ errorType: errorTypeOf(request), body });
      });
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (request.method === 'POST' && match !== null) return void this.#answer(request, response, decodeURIComponent(match[1] as string), match[2] as 'response' | 'error');
    reply(response, 404, { errorMessage: `no such Runtime API call: ${request.method} ${url}`, errorType: 'InvalidRequest' });
  }

  #next(response: http.ServerResponse): void {
    if (!this.#polled) {
      this.#polled = true;
      this.#onFirstPoll?.();
    }
    const queued = this.#queued;
    if (queued !== undefined) {
      this.#queued = undefined;
      send(response, queued);
      return;
    }
    this.#waiting?.destroy(); // a runtime polls once at a time; a second poll replaces the first
    this.#waiting = response;
  }

  async #answer(request: http.IncomingMessage, response: http.ServerResponse, requestId: string, kind: 'response' | 'error'): Promise<void> {
    const current = this.#current;
    const { body, tooLarge } = await readBody(request, MAX_RESPONSE_BYTES);
    if (current === undefined || current.invocation.requestId !== requestId) {
      reply(response, 400, { errorMessage: `Invalid request ID: ${requestId}`, errorType: 'InvalidRequestID' });
      return;
    }
    this.#current = undefined;
    if (tooLarge !== undefined) {
      reply(response, 413, { errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`, errorType: 'RequestEntityTooLarge' });
      current.resolve({ kind: 'too-large', bytes: tooLarge });
      return;
    }
    current.resolve(kind === 'response' ? { kind: 'response', body } : { kind: 'error', errorType: errorTypeOf(request), body });
    // The caller's answer goes first: it waits, the runtime only needs the 202 before its next poll. A
    // socket write is the dearest step of an invocation here, so this takes one off the caller's path.
    setImmediate(() => accepted(response));
  }
}

interface Outgoing {
  headers: Record<string, string>;
  payload: Buffer;
}

function send(response: http.ServerResponse, outgoing: Outgoing): void {
  response.writeHead(200, outgoing.headers).end(outgoing.payload);
}

function invocationHeaders(invocation: RuntimeInvocation): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'lambda-runtime-aws-request-id': invocation.requestId,
    'lambda-runtime-deadline-ms': String(invocation.deadlineMs),
    'lambda-runtime-invoked-function-arn': invocation.invokedFunctionArn,
    'lambda-runtime-trace-id': invocation.traceId,
  };
  // JSON text may hold any character; a header carries bytes (Node writes header strings as latin1), so
  // these go as their UTF-8 bytes, which is what runtimes decode.
  if (invocation.clientContext !== undefined) headers['lambda-runtime-client-context'] = utf8Bytes(invocation.clientContext);
  if (invocation.cognitoIdentity !== undefined) headers['lambda-runtime-cognito-identity'] = utf8Bytes(invocation.cognitoIdentity);
  for (const [name, value] of Object.entries(headers)) http.validateHeaderValue(name, value);
  return headers;
}

function utf8Bytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function errorTypeOf(request: http.IncomingMessage): string {
  const header = request.headers['lambda-runtime-function-error-type'];
  return typeof header === 'string' && header !== '' ? header : 'Runtime.UnknownReason';
}

function accepted(response: http.ServerResponse): void {
  reply(response, 202, { status: 'OK' });
}

function reply(response: http.ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The body, or how big it was when it went past `limit` (the rest is read and dropped). */
function readBody(request: http.IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: number | undefined }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve({ body: Buffer.concat(chunks), tooLarge: bytes > limit ? bytes : undefined }));
    request.on('error', () => resolve({ body: Buffer.alloc(0), tooLarge: undefined }));
  });
}
