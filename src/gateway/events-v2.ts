/**
 * @module gateway/events-v2 — the payload format 2.0 event an HTTP API hands a Lambda integration (spec §8.3;
 * AWS "http-api-develop-integrations-lambda"). Rules applied:
 * - "All header names are lowercased"; "Duplicate headers are combined with commas" (no space: `value1,value2`).
 * - "All cookie headers in the request are combined with commas and added to the cookies field": each `Cookie`
 *   header is split at `;` into one entry per cookie, and `cookie` is not repeated in `headers`.
 * - "Duplicate query strings are combined with commas and included in the queryStringParameters field".
 * - Empty collections (cookies, headers, queryStringParameters, pathParameters, stageVariables) and an empty body
 *   are left out, not `null` (spec §8.3); `isBase64Encoded` is always present.
 * - `rawPath` and `requestContext.http.path` carry the stage prefix for a named stage (spec §8.3 [mem]; the event
 *   quoted in floci-io/floci#2172 has `"rawPath": "/dev/testApi"` with `"stage": "dev"`).
 * - The body is text only for a textual media type with valid UTF-8 bytes, otherwise base64 (`isTextBody`).
 */
import { domainPrefixOf, formatRequestTime, groupHeaders, isTextBody, parseQueryString, type GatewayAuthorizer, type GatewayRequest } from './request.js';
import { pathWithStage } from './stages.js';

export interface EventV2 {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: RequestContextV2;
  body?: string;
  pathParameters?: Record<string, string>;
  isBase64Encoded: boolean;
  stageVariables?: Record<string, string>;
}

export interface RequestContextV2 {
  accountId: string;
  apiId: string;
  authorizer?: AuthorizerV2;
  domainName: string;
  domainPrefix: string;
  http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
  requestId: string;
  routeKey: string;
  stage: string;
  time: string;
  timeEpoch: number;
}

export type AuthorizerV2 =
  | { lambda: Record<string, string | number | boolean> }
  | { jwt: { claims: Record<string, string>; scopes: string[] | null } };

/** Builds the 2.0 event for one request. */
export function buildEventV2(request: GatewayRequest): EventV2 {
  const groups = groupHeaders(request.headers);
  const cookies: string[] = [];
  const headers: Record<string, string> = {};
  for (const [lower, group] of groups) {
    if (lower === 'cookie') cookies.push(...group.values.flatMap(splitCookieHeader));
    else headers[lower] = group.values.join(',');
  }
  const query: Record<string, string> = {};
  for (const [name, values] of parseQueryString(request.rawQueryString)) query[name] = values.join(',');
  const path = pathWithStage(request.stage, request.rawPath);
  const routeKey = request.route.key;
  const event: EventV2 = {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: request.rawQueryString,
    ...nonEmpty('cookies', cookies.length > 0 ? cookies : undefined),
    ...nonEmpty('headers', orUndefined(headers)),
    ...nonEmpty('queryStringParameters', orUndefined(query)),
    requestContext: {
      accountId: request.accountId,
      apiId: request.apiId,
      ...nonEmpty('authorizer', request.authorizer === undefined ? undefined : authorizerV2(request.authorizer)),
      domainName: request.domainName,
      domainPrefix: domainPrefixOf(request.domainName),
      http: {
        method: request.method.toUpperCase(),
        path,
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: groups.get('user-agent')?.values.join(',') ?? '',
      },
      requestId: request.requestId,
      routeKey,
      stage: request.stage,
      time: formatRequestTime(request.timeEpochMs),
      timeEpoch: request.timeEpochMs,
    },
    isBase64Encoded: false,
    ...nonEmpty('pathParameters', orUndefined({ ...request.pathParameters })),
    ...nonEmpty('stageVariables', orUndefined({ ...request.stageVariables })),
  };
  if (request.body.length > 0) {
    const text = isTextBody(groups.get('content-type')?.values[0], request.body);
    event.body = request.body.toString(text ? 'utf8' : 'base64');
    event.isBase64Encoded = !text;
  }
  return event;
}

/** `a=1; b=2` → `['a=1', 'b=2']`: one entry per cookie pair, blanks dropped. */
export function splitCookieHeader(value: string): string[] {
  return value.split(';').map((part) => part.trim()).filter((part) => part !== '');
}

function authorizerV2(authorizer: GatewayAuthorizer): AuthorizerV2 {
  if (authorizer.kind === 'jwt') return { jwt: { claims: { ...authorizer.claims }, scopes: authorizer.scopes === null ? null : [...authorizer.scopes] } };
  return { lambda: { ...authorizer.context } };
}

function orUndefined(record: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(record).length > 0 ? record : undefined;
}

/** `{ [key]: value }` when value is defined, `{}` otherwise, so absent fields are truly absent (not `undefined`). */
function nonEmpty<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
