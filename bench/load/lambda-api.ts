/**
 * @module bench/load/lambda-api — the Lambda API calls the function loads make on hako's HTTP port
 * (CreateFunction, UpdateFunctionConfiguration, Invoke RequestResponse), SigV4-signed for service `lambda`,
 * one request at a time per keep-alive connection, and the trivial function they all invoke.
 *
 * As in shadow-http, the signer is `@smithy/signature-v4` called directly and the bytes go over a raw
 * socket (http-connection.ts), not through `@aws-sdk/client-lambda`: the SDK's middleware stack and HTTP
 * handler cost the generator several times the CPU per Invoke (bench/README.md has the figures), on the
 * two cores it shares with hako, and hako receives the same request either way. One signer serves every
 * connection: `@smithy/signature-v4` keeps derived signing keys (one per day, region and service) in a
 * module-wide cache, so a request costs the payload hash, the canonical request hash and one HMAC for the
 * cache key, not the four-HMAC key derivation.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { strToU8, zipSync } from 'fflate';
import type { FunctionEndpoint } from './config.js';
import { HttpConnection, type HttpResponse } from './http-connection.js';

const HOST = '127.0.0.1';
const FUNCTIONS = '/2015-03-31/functions';
/** Longest response body quoted in a problem. */
const DETAIL_CHARS = 200;

/** The event every Invoke sends; the trivial handler answers with it, so the answer is checked byte for byte. */
export const EVENT = '{"bench":"hako","payload":"0123456789abcdef"}';
const EVENT_BYTES = Buffer.from(EVENT);

/** `index.mjs` with `export const handler = async (e) => e;`, zipped and base64-encoded for `Code.ZipFile`. */
export function trivialFunctionZip(): string {
  return Buffer.from(zipSync({ 'index.mjs': strToU8('export const handler = async (e) => e;\n') })).toString('base64');
}

/** A SigV4 signer with hako's root key for `service` (`lambda`, or `apigateway` for the API Gateway v2 API). */
export function lambdaSigner(endpoint: FunctionEndpoint, service = 'lambda'): SignatureV4 {
  return new SignatureV4({
    service,
    region: endpoint.region,
    credentials: { accessKeyId: endpoint.accessKeyId, secretAccessKey: endpoint.secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
  });
}

export const invocationsPath = (functionName: string): string => `${FUNCTIONS}/${functionName}/invocations`;

interface Pending {
  resolve: (response: HttpResponse) => void;
  reject: (error: Error) => void;
}

/** One keep-alive connection whose requests are signed; `request` resolves with the response. */
export class SignedConnection {
  readonly #port: number;
  readonly #signer: SignatureV4;
  readonly #connection: HttpConnection;
  #pending: Pending | undefined;
  #failure: string | undefined;

  constructor(port: number, signer: SignatureV4) {
    this.#port = port;
    this.#signer = signer;
    this.#connection = new HttpConnection(
      port,
      (response) => this.#settle((pending) => pending.resolve(response)),
      (message) => {
        this.#failure = message;
        this.#settle((pending) => pending.reject(new Error(message)));
      },
    );
  }

  async request(method: string, path: string, body: string, extraHeaders: Record<string, string> = {}): Promise<HttpResponse> {
    if (this.#failure !== undefined) throw new Error(this.#failure);
    const port = this.#port;
    const { headers } = await this.#signer.sign({
      method,
      protocol: 'http:',
      hostname: HOST,
      port,
      path,
      query: {},
      headers: { host: `${HOST}:${port}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...extraHeaders },
      body,
    });
    let head = `${method} ${path} HTTP/1.1\r\n`;
    for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#connection.send(head, body);
    });
  }

  close(): void {
    this.#connection.close();
  }

  #settle(action: (pending: Pending) => void): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending !== undefined) action(pending);
  }
}

/**
 * CreateFunction: the trivial handler, `nodejs20.x`, 128 MB, 3 s (Lambda's defaults), with `variables` if given;
 * resolves to its ARN.
 */
export async function createFunction(connection: SignedConnection, functionName: string, zipBase64: string, variables?: Record<string, string>): Promise<string> {
  const body = JSON.stringify({
    FunctionName: functionName,
    Runtime: 'nodejs20.x',
    Role: 'arn:aws:iam::000000000000:role/hako-bench',
    Handler: 'index.handler',
    Code: { ZipFile: zipBase64 },
    ...(variables === undefined ? {} : { Environment: { Variables: variables } }),
  });
  const response = await connection.request('POST', FUNCTIONS, body);
  expectStatus(response, 201, `CreateFunction ${functionName}`);
  return (JSON.parse(response.body.toString('utf8')) as { FunctionArn: string }).FunctionArn;
}

/** UpdateFunctionConfiguration with new environment variables: a new revision, so the next Invoke is cold. */
export async function updateVariables(connection: SignedConnection, functionName: string, variables: Record<string, string>): Promise<void> {
  const body = JSON.stringify({ Environment: { Variables: variables } });
  const response = await connection.request('PUT', `${FUNCTIONS}/${functionName}/configuration`, body);
  expectStatus(response, 200, `UpdateFunctionConfiguration ${functionName}`);
}

/** Invoke (RequestResponse) with EVENT; with `tail`, the log's last 4 KB come back in `X-Amz-Log-Result`. */
export function invoke(connection: SignedConnection, functionName: string, tail = false): Promise<HttpResponse> {
  return connection.request('POST', invocationsPath(functionName), EVENT, tail ? { 'x-amz-log-type': 'Tail' } : {});
}

/** Why an Invoke's answer is not the trivial handler's (status, function error, body), or undefined. */
export function invokeProblem(response: HttpResponse): string | undefined {
  const detail = (): string => response.body.toString('utf8', 0, DETAIL_CHARS);
  if (response.status !== 200) return `Invoke answered HTTP ${response.status}: ${detail()}`;
  const functionError = /\r\nx-amz-function-error:[ \t]*([^\r]*)/i.exec(response.head)?.[1];
  if (functionError !== undefined) return `Invoke failed (${functionError}): ${detail()}`;
  if (!response.body.equals(EVENT_BYTES)) return `Invoke answered an unexpected body: ${detail()}`;
  return undefined;
}

/** The `Init Duration` (ms) in the log tail of a cold Invoke made with `tail`, or undefined. */
export function initDurationMs(response: HttpResponse): number | undefined {
  const logResult = /\r\nx-amz-log-result:[ \t]*([^\r]*)/i.exec(response.head)?.[1];
  if (logResult === undefined) return undefined;
  const match = /Init Duration: ([\d.]+) ms/.exec(Buffer.from(logResult, 'base64').toString('utf8'));
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function expectStatus(response: HttpResponse, status: number, what: string): void {
  if (response.status !== status) throw new Error(`${what}: HTTP ${response.status} ${response.body.toString('utf8', 0, DETAIL_CHARS)}`);
}
