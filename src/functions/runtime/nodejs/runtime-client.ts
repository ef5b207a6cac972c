/**
 * @module functions/runtime/nodejs/runtime-client — the runtime's side of the Runtime API (spec §2.1):
 * long-poll `invocation/next`, post `response`, `error` or `init/error`. One keep-alive connection: a
 * free keep-alive socket is unref'd by Node's agent, so it does not keep the event loop alive (callback
 * handlers wait for an empty loop).
 */
import http from 'node:http';
import type { RuntimeErrorBody } from './errors.js';

export interface NextInvocation {
  requestId: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string | undefined;
  clientContext: string | undefined;
  cognitoIdentity: string | undefined;
  payload: Buffer;
}

export class RuntimeClient {
  readonly #host: string;
  readonly #port: number;
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(address: string) {
    const colon = address.lastIndexOf(':');
    this.#host = address.slice(0, colon);
    this.#port = Number(address.slice(colon + 1));
  }

  async next(): Promise<NextInvocation> {
    const { headers, body } = await this.#request('GET', '/2018-06-01/runtime/invocation/next');
    const header = (name: string): string | undefined => {
      const value = headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    return {
      requestId: header('lambda-runtime-aws-request-id') ?? '',
      deadlineMs: Number(header('lambda-runtime-deadline-ms') ?? 0),
      invokedFunctionArn: header('lambda-runtime-invoked-function-arn') ?? '',
      traceId: header('lambda-runtime-trace-id'),
      clientContext: header('lambda-runtime-client-context'),
      cognitoIdentity: header('lambda-runtime-cognito-identity'),
      payload: body,
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

  #request(method: string, path: string, body?: string, errorType?: string): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = errorType === undefined ? {} : { 'lambda-runtime-function-error-type': errorType };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const request = http.request({ host: this.#host, port: this.#port, method, path, agent: this.#agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          // 500 means the environment is gone; the runtime must exit (spec §2.1).
          if ((response.statusCode ?? 500) >= 500) process.exit(1);
          resolve({ headers: response.headers, body: Buffer.concat(chunks) });
        });
      });
      request.on('error', reject);
      request.end(body);
    });
  }
}
