/**
 * @module http/aws-api — the plumbing AWS-compatible routes share: request ids, JSON bodies and query
 * parameters read the way AWS reads them, and errors written the way AWS SDK clients parse them.
 *
 * AWS SDK v3 clients take the error type from the `x-amzn-ErrorType` header (or `__type`/`code` in the
 * body) and the message from `message`/`Message`; both are always sent.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { AwsError } from '../core/aws-error.js';
import { newRequestId } from '../core/ids.js';
import { sendableInOneChunk } from './one-chunk.js';

export interface ApiRequest {
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string | undefined>>;
  headers: FastifyRequest['headers'];
  /** The JSON body as an object; `{}` when there is none. */
  body: Readonly<Record<string, unknown>>;
}

export type ApiHandler = (request: ApiRequest) => unknown;

/**
 * A handler result other than a 200 JSON body: another status (Lambda's 201, 202, 204), response headers,
 * and a body that is JSON-serialized, or sent as is when it is a Buffer (an Invoke payload).
 */
export class ApiResponse {
  constructor(
    readonly status: number,
    readonly body: unknown = undefined,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

export function sendAwsError(reply: FastifyReply, error: AwsError): FastifyReply {
  return reply
    .code(error.status)
    .header('x-amzn-ErrorType', error.type)
    .type('application/json')
    .send({ __type: error.type, ...error.fields, message: error.message });
}

/** Every response carries a request id, as AWS's do; clients log it and so can hako's users. */
export function addRequestIds(app: FastifyInstance): void {
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('x-amzn-RequestId', newRequestId());
  });
}

/** Adds a JSON API route: the handler's result is the 200 body; an `AwsError` it throws becomes the AWS error. */
export function apiRoute(app: FastifyInstance, method: HTTPMethods, url: string, handler: ApiHandler, limits: RouteLimits = {}): void {
  addRoute(app, method, url, parseJsonBody, handler, {}, limits);
}

export interface RawApiRequest extends Omit<ApiRequest, 'body'> {
  /** The body exactly as sent; empty when there is none. */
  body: Buffer;
  /** This response's `x-amzn-RequestId`. */
  requestId: string;
}

/**
 * What a request asks of an IoT policy when it comes with a client certificate instead of a signature
 * (AWS's HTTPS port 8443): `action` on `resource`, the ARN's resource part (`thing/lamp`, `topic/a/b`).
 */
export interface CertificatePermission {
  action: string;
  resource: string;
}

/** The permissions one request needs, every one of them; a route without this is SigV4-only. */
export type CertificateAccess = (request: Pick<ApiRequest, 'params' | 'query'>) => CertificatePermission[];

/** Route config read by the authentication hook (`http/api-auth`). */
export interface ApiRouteConfig {
  /** Health and metrics: no authentication. */
  public?: boolean;
  certificateAccess?: CertificateAccess;
}

/**
 * Per-route limits: a larger body than the server's default, and the AWS error for one over it (a route
 * serving several operations can pick the error by the request's headers).
 */
export interface RouteLimits {
  bodyLimit?: number;
  tooLarge?: (limit: number, headers: FastifyRequest['headers']) => AwsError;
}

/**
 * Adds a route whose body is not a JSON request structure (the data plane's shadow documents and message
 * payloads): the handler gets the raw bytes; its result is the 200 JSON body, as with `apiRoute`. With
 * `certificateAccess` the route also takes requests authenticated by a client certificate, authorized by
 * the certificate's IoT policies.
 */
export function rawBodyRoute(
  app: FastifyInstance,
  method: HTTPMethods,
  url: string,
  handler: (request: RawApiRequest) => unknown,
  certificateAccess?: CertificateAccess,
  limits: RouteLimits = {},
): void {
  addRoute(app, method, url, (body) => (Buffer.isBuffer(body) ? body : Buffer.alloc(0)), handler, certificateAccess === undefined ? {} : { certificateAccess }, limits);
}

/** One route: reads the request with `readBody`, answers with the handler's result as JSON (`{}` for none). */
function addRoute<B>(
  app: FastifyInstance,
  method: HTTPMethods,
  url: string,
  readBody: (body: unknown) => B,
  handler: (request: Omit<ApiRequest, 'body'> & { body: B; requestId: string }) => unknown,
  config: ApiRouteConfig = {},
  limits: RouteLimits = {},
): void {
  const { bodyLimit, tooLarge } = limits;
  app.route({
    method,
    url,
    config,
    ...(bodyLimit === undefined ? {} : { bodyLimit }),
    ...(tooLarge === undefined
      ? {}
      : {
          errorHandler: (error: { statusCode?: number }, request: FastifyRequest, reply: FastifyReply) => {
            if (error.statusCode === 413) return sendAwsError(reply, tooLarge(bodyLimit ?? 0, request.headers));
            return app.errorHandler(error as Error & { statusCode?: number; code: string; name: string; message: string }, request, reply);
          },
        }),
    handler: async (request, reply) => {
      const result = await handler({
        params: request.params as Record<string, string>,
        query: request.query as Record<string, string | undefined>,
        headers: request.headers,
        body: readBody(request.body),
        requestId: String(reply.getHeader('x-amzn-RequestId') ?? ''),
      });
      if (!(result instanceof ApiResponse)) return reply.type('application/json').send(result ?? {});
      reply.code(result.status).headers(result.headers);
      if (result.body === undefined) return reply.send();
      // A Buffer body with its own `content-type` header (CSV, text) keeps it; everything else is JSON.
      return reply.type(result.headers['content-type'] ?? 'application/json').send(Buffer.isBuffer(result.body) ? sendableInOneChunk(result.body) : JSON.stringify(result.body));
    },
  });
}

/** A JSON request structure from the raw body (`{}` for none), with AWS's error for anything else. */
export function parseJsonBody(body: unknown): Record<string, unknown> {
  if (!Buffer.isBuffer(body) || body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new AwsError('InvalidRequestException', `the request body is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AwsError('InvalidRequestException', 'the request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

// ── reading parameters ───────────────────────────────────────────────────────────────────────────────

export function optionalBoolean(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new AwsError('InvalidRequestException', `${name} must be true or false`);
}

export function optionalInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number)) throw new AwsError('InvalidRequestException', `${name} must be a whole number`);
  return number;
}

export function optionalString(body: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new AwsError('InvalidRequestException', `${name} must be a string`);
  return value;
}

export function requiredString(body: Readonly<Record<string, unknown>>, name: string): string {
  const value = optionalString(body, name);
  if (value === undefined || value === '') throw new AwsError('InvalidRequestException', `${name} is required`);
  return value;
}

export function requiredHeader(request: ApiRequest, name: string): string {
  const value = request.headers[name];
  if (typeof value !== 'string' || value === '') throw new AwsError('InvalidRequestException', `the ${name} header is required`);
  return value;
}

/** AWS timestamps in REST-JSON bodies: epoch seconds, fractional. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
