/**
 * @module gateway/cors — an HTTP API's CorsConfiguration applied as API Gateway applies it (spec §8.5; AWS
 * "http-api-cors"): the gateway answers preflight `OPTIONS` requests itself, whether or not an OPTIONS route exists,
 * and on other responses its CORS headers replace whatever the integration sent. Pure.
 *
 * A request is a preflight when it is `OPTIONS` with `Origin` and `Access-Control-Request-Method`. Origins match
 * exactly (scheme, host and port) or by `*`; with no matching origin the preflight is answered without CORS headers,
 * which the browser treats as a refusal.
 */
import type { CorsConfiguration } from './model.js';
import { headerValue } from './request.js';
import type { HttpResponse } from './responses.js';

const CORS_HEADER = /^access-control-/i;

export function isPreflight(method: string, headers: readonly (readonly [string, string])[]): boolean {
  return method === 'OPTIONS' && headerValue(headers, 'origin') !== undefined && headerValue(headers, 'access-control-request-method') !== undefined;
}

/** The gateway's own answer to a preflight request. */
export function preflightResponse(cors: CorsConfiguration, headers: readonly (readonly [string, string])[]): HttpResponse {
  const out: [string, string][] = [];
  const origin = allowedOrigin(cors, headerValue(headers, 'origin'));
  if (origin !== undefined) {
    out.push(['access-control-allow-origin', origin]);
    if (cors.allowCredentials === true) out.push(['access-control-allow-credentials', 'true']);
    const methods = cors.allowMethods ?? [];
    if (methods.length > 0) out.push(['access-control-allow-methods', methods.join(',')]);
    const allowHeaders = cors.allowHeaders ?? [];
    if (allowHeaders.length > 0) out.push(['access-control-allow-headers', allowHeaders.join(',')]);
    if (cors.maxAge !== undefined && cors.maxAge >= 0) out.push(['access-control-max-age', String(cors.maxAge)]);
    if (origin !== '*') out.push(['vary', 'Origin']);
  }
  return { kind: 'response', status: 204, headers: out, body: Buffer.alloc(0) };
}

/** `response` with the integration's CORS headers replaced by the API's, for a request that sent `Origin`. */
export function withCorsHeaders(response: HttpResponse, cors: CorsConfiguration, headers: readonly (readonly [string, string])[]): HttpResponse {
  const origin = allowedOrigin(cors, headerValue(headers, 'origin'));
  if (origin === undefined) return response;
  const out = response.headers.filter(([name]) => !CORS_HEADER.test(name));
  out.push(['access-control-allow-origin', origin]);
  if (cors.allowCredentials === true) out.push(['access-control-allow-credentials', 'true']);
  const expose = cors.exposeHeaders ?? [];
  if (expose.length > 0) out.push(['access-control-expose-headers', expose.join(',')]);
  if (origin !== '*') out.push(['vary', 'Origin']);
  return { ...response, headers: out };
}

/** What `Access-Control-Allow-Origin` says for `origin`: `*`, the origin itself, or nothing (not allowed). */
function allowedOrigin(cors: CorsConfiguration, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  const allowed = cors.allowOrigins ?? [];
  if (allowed.some((entry) => entry.toLowerCase() === origin.toLowerCase())) return origin;
  // `*` with credentials is refused when the configuration is written (see checks.checkCors).
  if (allowed.includes('*')) return '*';
  return undefined;
}
