/**
 * @module gateway/events-v1 — the payload format 1.0 event: what a REST API proxy integration sends, and what an
 * HTTP API sends with `payloadFormatVersion: "1.0"` (spec §8.2; AWS "set-up-lambda-proxy-integrations",
 * "http-api-develop-integrations-lambda"). Rules applied:
 * - `headers` holds the last value per name in its original case, `multiValueHeaders` all values; names are
 *   grouped case-insensitively under the first spelling seen. `Cookie` stays a header (1.0 has no `cookies`).
 * - `queryStringParameters` holds one value per name: the last for REST (as for headers; aws/aws-lambda-go#42,
 *   aws-powertools/powertools-lambda-typescript#4750), the first for HTTP API 1.0 (AWS's documented 1.0 example
 *   has `parameter1: "value1"` beside `["value1", "value2"]`); `multiValueQueryStringParameters` has them all.
 * - Absent collections are `null`, never `{}`: headers, multiValue*, queryStringParameters, pathParameters,
 *   stageVariables; an empty body is `null` with `isBase64Encoded: false`.
 * - `path` is the path without the stage; `requestContext.path` includes it (`/Prod/items/1`).
 * - `resource`/`resourcePath` are the route's path template; the `$default` route has none, so the actual path
 *   stands in (the documented HTTP API 1.0 example has `resource` = `path` = `/my/path`).
 * - The body is base64 exactly when `request.binary` (the content type matched `binaryMediaTypes`); otherwise its
 *   bytes are read as UTF-8, as API Gateway does for text.
 * - HTTP API flavour adds `"version": "1.0"`, has `resourceId: null`, and, without an authorizer, the
 *   documented `authorizer: { claims: null, scopes: null }`; REST has a `resourceId`, `apiKey`/`apiKeyId` in
 *   `identity`, and no `authorizer` unless one ran. Lambda authorizer context values are stringified (spec §8.6).
 */
import { domainPrefixOf, formatRequestTime, groupHeaders, parseQueryString, type GatewayAuthorizer, type GatewayRequest } from './request.js';
import { pathWithStage } from './stages.js';

export type ApiFlavor = 'rest' | 'http';

export interface EventV1Options {
  flavor: ApiFlavor;
  /** REST only: the id of the matched resource (AWS uses short ids like `2gxmpl`). */
  resourceId?: string;
}

export interface EventV1 {
  version?: '1.0';
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  requestContext: RequestContextV1;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  body: string | null;
  isBase64Encoded: boolean;
}

export interface RequestContextV1 {
  accountId: string;
  apiId: string;
  authorizer?: Record<string, unknown>;
  domainName: string;
  domainPrefix: string;
  extendedRequestId: string;
  httpMethod: string;
  identity: IdentityV1;
  path: string;
  protocol: string;
  requestId: string;
  requestTime: string;
  requestTimeEpoch: number;
  resourceId: string | null;
  resourcePath: string;
  stage: string;
}

export interface IdentityV1 {
  accessKey: null;
  accountId: null;
  apiKey?: null;
  apiKeyId?: null;
  caller: null;
  clientCert: null;
  cognitoAuthenticationProvider: null;
  cognitoAuthenticationType: null;
  cognitoIdentityId: null;
  cognitoIdentityPoolId: null;
  principalOrgId: null;
  sourceIp: string;
  user: null;
  userAgent: string | null;
  userArn: null;
}

/** Builds the 1.0 event for one request. */
export function buildEventV1(request: GatewayRequest, options: EventV1Options): EventV1 {
  const method = request.method.toUpperCase();
  const rest = options.flavor === 'rest';
  const resource = request.route.kind === 'path' ? request.route.path : request.rawPath;
  const groups = groupHeaders(request.headers);
  let headers: Record<string, string> | null = null;
  let multiValueHeaders: Record<string, string[]> | null = null;
  for (const group of groups.values()) {
    (headers ??= {})[group.name] = group.values[group.values.length - 1] as string;
    (multiValueHeaders ??= {})[group.name] = [...group.values];
  }
  let query: Record<string, string> | null = null;
  let multiQuery: Record<string, string[]> | null = null;
  for (const [name, values] of parseQueryString(request.rawQueryString)) {
    (query ??= {})[name] = values[rest ? values.length - 1 : 0] as string;
    (multiQuery ??= {})[name] = values;
  }
  const userAgent = groups.get('user-agent');
  const authorizer = authorizerV1(request.authorizer, options.flavor);
  return {
    ...(rest ? {} : { version: '1.0' as const }),
    resource,
    path: request.rawPath,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: query,
    multiValueQueryStringParameters: multiQuery,
    requestContext: {
      accountId: request.accountId,
      apiId: request.apiId,
      ...(authorizer === undefined ? {} : { authorizer }),
      domainName: request.domainName,
      domainPrefix: domainPrefixOf(request.domainName),
      extendedRequestId: request.requestId,
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        ...(rest ? { apiKey: null, apiKeyId: null } : {}),
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: userAgent === undefined ? null : (userAgent.values[userAgent.values.length - 1] as string),
        userArn: null,
      },
      path: pathWithStage(request.stage, request.rawPath),
      protocol: request.protocol,
      requestId: request.requestId,
      requestTime: formatRequestTime(request.timeEpochMs),
      requestTimeEpoch: request.timeEpochMs,
      resourceId: rest ? (options.resourceId ?? null) : null,
      resourcePath: resource,
      stage: request.stage,
    },
    pathParameters: Object.keys(request.pathParameters).length > 0 ? { ...request.pathParameters } : null,
    stageVariables: Object.keys(request.stageVariables).length > 0 ? { ...request.stageVariables } : null,
    body: request.body.length === 0 ? null : request.body.toString(request.binary ? 'base64' : 'utf8'),
    isBase64Encoded: request.body.length > 0 && request.binary,
  };
}

function authorizerV1(authorizer: GatewayAuthorizer | undefined, flavor: ApiFlavor): Record<string, unknown> | undefined {
  if (authorizer === undefined) return flavor === 'http' ? { claims: null, scopes: null } : undefined;
  if (authorizer.kind === 'jwt') return { claims: { ...authorizer.claims }, scopes: authorizer.scopes === null ? null : [...authorizer.scopes] };
  const context: Record<string, unknown> = authorizer.principalId === undefined ? {} : { principalId: authorizer.principalId };
  for (const [key, value] of Object.entries(authorizer.context)) context[key] = String(value);
  return context;
}
