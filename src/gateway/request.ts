/**
 * @module gateway/request — the neutral description of one API request that the HTTP server fills in and both
 * event builders read, plus what they share: header grouping, query-string parsing, AWS's request-time format and
 * the text-or-binary decision for bodies.
 */
import { isUtf8 } from 'node:buffer';
import type { RouteKey } from './route-keys.js';

/** How the route's authorizer let the request in, as the integration is told. */
export type GatewayAuthorizer =
  | { kind: 'lambda'; principalId?: string; context: Readonly<Record<string, string | number | boolean>> }
  | { kind: 'jwt'; claims: Readonly<Record<string, string>>; scopes: readonly string[] | null };

export interface GatewayRequest {
  method: string;
  /** The path as received after the stage prefix (see `selectStage`), still percent-encoded, no query. */
  rawPath: string;
  /** The query string as received, without `?`; '' when none. */
  rawQueryString: string;
  /** Headers in arrival order, names as sent; a name may repeat. */
  headers: readonly (readonly [string, string])[];
  body: Buffer;
  sourceIp: string;
  /** e.g. `HTTP/1.1`. */
  protocol: string;
  requestId: string;
  timeEpochMs: number;
  stage: string;
  stageVariables: Readonly<Record<string, string>>;
  route: RouteKey;
  pathParameters: Readonly<Record<string, string>>;
  apiId: string;
  accountId: string;
  domainName: string;
  /** Payload 1.0 only: the content type matched the API's `binaryMediaTypes` (see `matchesMediaTypes`). */
  binary: boolean;
  authorizer?: GatewayAuthorizer;
}

export interface HeaderGroup {
  /** The spelling of the first occurrence. */
  name: string;
  values: string[];
}

/** Headers grouped case-insensitively, keyed by lower-case name, in order of first appearance. */
export function groupHeaders(headers: readonly (readonly [string, string])[]): Map<string, HeaderGroup> {
  const groups = new Map<string, HeaderGroup>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const group = groups.get(lower);
    if (group === undefined) groups.set(lower, { name, values: [value] });
    else group.values.push(value);
  }
  return groups;
}

/** The first value of a header, matched case-insensitively. */
export function headerValue(headers: readonly (readonly [string, string])[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/**
 * A query string as name → values in order. Names and values are form-decoded (`+` is a space, then
 * percent-decoding: a REST API receiving `?sort=-+createdAt` hands Lambda `"- createdAt"`, aws/aws-cdk#19827);
 * `a` alone is `a=''`; empty pieces (`&&`) and empty names are dropped; a malformed escape is kept as sent.
 */
export function parseQueryString(raw: string): Map<string, string[]> {
  const parameters = new Map<string, string[]>();
  for (const piece of raw.split('&')) {
    if (piece === '') continue;
    const equals = piece.indexOf('=');
    const name = decodeQueryComponent(equals === -1 ? piece : piece.slice(0, equals));
    const value = equals === -1 ? '' : decodeQueryComponent(piece.slice(equals + 1));
    if (name === '') continue;
    const values = parameters.get(name);
    if (values === undefined) parameters.set(name, [value]);
    else values.push(value);
  }
  return parameters;
}

function decodeQueryComponent(text: string): string {
  const spaced = text.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** AWS's `requestTime`/`time` format, always UTC: `12/Mar/2020:19:03:58 +0000`. */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** The first label of the domain name (`id` of `id.execute-api.us-east-1.amazonaws.com`), port dropped. */
export function domainPrefixOf(domainName: string): string {
  return (domainName.split(':')[0] as string).split('.')[0] as string;
}

/** The media type of a Content-Type value: parameters dropped, trimmed, lower-cased. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Whether an HTTP API (payload 2.0) hands the body over as text. AWS documents only "if the content type of the
 * request is binary, the body is base64-encoded"; tested against AWS (ministackorg/ministack#766): text only for
 * `text/*`, `application/json`, `application/xml` and `application/javascript` — a missing Content-Type and even
 * `application/x-www-form-urlencoded` arrive base64-encoded (also seen in denoland/deno_registry2#33).
 */
export function isTextMediaType(contentType: string | undefined): boolean {
  const type = mediaTypeOf(contentType);
  return type.startsWith('text/') || type === 'application/json' || type === 'application/xml' || type === 'application/javascript';
}

/** Payload 2.0's decision: text when the media type is textual and the bytes are valid UTF-8, else base64. */
export function isTextBody(contentType: string | undefined, body: Buffer): boolean {
  return isTextMediaType(contentType) && isUtf8(body);
}

/**
 * Whether a Content-Type (or one Accept entry) matches a REST API's `binaryMediaTypes` list, whose entries may use
 * `*` wildcards (`image/*`, `*\/*`). This is how the server sets `GatewayRequest.binary` for payload 1.0.
 */
export function matchesMediaTypes(contentType: string | undefined, binaryMediaTypes: readonly string[]): boolean {
  const type = mediaTypeOf(contentType);
  if (type === '') return false;
  return binaryMediaTypes.some((pattern) => {
    const escaped = pattern.trim().toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^;]*');
    return new RegExp(`^${escaped}$`).test(type);
  });
}
