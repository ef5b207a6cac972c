/**
 * @module gateway/gateway-responses — the answers API Gateway gives itself, as data (spec §8.1, §8.6–§8.8). Bodies
 * are byte-for-byte what the spec records (REST's 502 and 504 bodies have a space after the colon, the others do
 * not); every answer is `content-type: application/json`, and REST answers also carry `x-amzn-ErrorType`.
 * Not in the spec, from memory [mem]: the `x-amzn-ErrorType` names, both 413 bodies, REST's explicit-deny body
 * (`Message` capitalised) and REST's authorizer-failure body `{"message":null}`. Request-id headers are the
 * server's to add.
 */
import type { HttpResponse } from './responses.js';

export type GatewayErrorKind =
  /** No route (HTTP API) / no resource or method (REST). */
  | 'noRoute'
  /** A function error or a malformed proxy response. */
  | 'integrationFailure'
  /** The integration did not answer in time (REST ≤ 29 s, HTTP API 30 s). */
  | 'integrationTimeout'
  | 'throttled'
  /** REST usage-plan quota; HTTP APIs have none and answer as throttled. */
  | 'quotaExceeded'
  | 'requestTooLarge'
  /** Authorizer said "Unauthorized", or the identity source is missing. */
  | 'unauthorized'
  /** Missing or invalid API key (REST), or an authorizer denied (HTTP API). */
  | 'forbidden'
  /** An authorizer's policy denied explicitly (REST); HTTP API answers as forbidden. */
  | 'accessDenied'
  /** The authorizer failed or answered something unusable. */
  | 'authorizerFailure';

export type GatewayFlavor = 'rest' | 'http';

export interface GatewayErrorEntry {
  status: number;
  body: string;
  /** REST's `x-amzn-ErrorType`; undefined for HTTP APIs. */
  errorType?: string;
}

/** The table: for each kind, what a REST API and an HTTP API answer. */
export const GATEWAY_ERRORS: Readonly<Record<GatewayErrorKind, Readonly<Record<GatewayFlavor, GatewayErrorEntry>>>> = {
  noRoute: {
    rest: { status: 403, body: '{"message":"Missing Authentication Token"}', errorType: 'MissingAuthenticationTokenException' },
    http: { status: 404, body: '{"message":"Not Found"}' },
  },
  integrationFailure: {
    rest: { status: 502, body: '{"message": "Internal server error"}', errorType: 'InternalServerErrorException' },
    http: { status: 500, body: '{"message":"Internal Server Error"}' },
  },
  integrationTimeout: {
    rest: { status: 504, body: '{"message": "Endpoint request timed out"}', errorType: 'InternalServerErrorException' },
    http: { status: 503, body: '{"message":"Service Unavailable"}' },
  },
  throttled: {
    rest: { status: 429, body: '{"message":"Too Many Requests"}', errorType: 'TooManyRequestsException' },
    http: { status: 429, body: '{"message":"Too Many Requests"}' },
  },
  quotaExceeded: {
    rest: { status: 429, body: '{"message":"Limit Exceeded"}', errorType: 'LimitExceededException' },
    http: { status: 429, body: '{"message":"Too Many Requests"}' },
  },
  requestTooLarge: {
    rest: { status: 413, body: '{"message":"Request Too Long"}', errorType: 'RequestTooLargeException' },
    http: { status: 413, body: '{"message":"Request Entity Too Large"}' },
  },
  unauthorized: {
    rest: { status: 401, body: '{"message":"Unauthorized"}', errorType: 'UnauthorizedException' },
    http: { status: 401, body: '{"message":"Unauthorized"}' },
  },
  forbidden: {
    rest: { status: 403, body: '{"message":"Forbidden"}', errorType: 'ForbiddenException' },
    http: { status: 403, body: '{"message":"Forbidden"}' },
  },
  accessDenied: {
    rest: { status: 403, body: '{"Message":"User is not authorized to access this resource with an explicit deny"}', errorType: 'AccessDeniedException' },
    http: { status: 403, body: '{"message":"Forbidden"}' },
  },
  authorizerFailure: {
    rest: { status: 500, body: '{"message":null}', errorType: 'AuthorizerConfigurationException' },
    http: { status: 500, body: '{"message":"Internal Server Error"}' },
  },
};

/** The gateway's own answer of `kind` for an API of `flavor`. */
export function gatewayErrorResponse(kind: GatewayErrorKind, flavor: GatewayFlavor): HttpResponse {
  const entry = GATEWAY_ERRORS[kind][flavor];
  const headers: [string, string][] = [['content-type', 'application/json']];
  if (entry.errorType !== undefined) headers.push(['x-amzn-ErrorType', entry.errorType]);
  return { kind: 'response', status: entry.status, headers, body: Buffer.from(entry.body, 'utf8') };
}
