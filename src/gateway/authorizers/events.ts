/**
 * @module gateway/authorizers/events — the event a REQUEST Lambda authorizer of an HTTP API receives (spec §8.6):
 * payload 2.0 is the request's 2.0 event without its body, plus `type`, `routeArn` and `identitySource` (a list);
 * payload 1.0 is the 1.0 event without its body, plus `type`, `methodArn` and `identitySource` (comma-joined, also
 * as `authorizationToken`). The ARN names the API, stage, method and path: `arn:aws:execute-api:<region>:<account>:
 * <apiId>/<stage>/<METHOD><path>`. Pure.
 */
import { buildEventV1 } from '../events-v1.js';
import { buildEventV2 } from '../events-v2.js';
import type { GatewayRequest } from '../request.js';

export function routeArnOf(region: string, request: GatewayRequest): string {
  return `arn:aws:execute-api:${region}:${request.accountId}:${request.apiId}/${request.stage}/${request.method.toUpperCase()}${request.rawPath}`;
}

export function authorizerEventV2(request: GatewayRequest, routeArn: string, identitySource: readonly string[]): Record<string, unknown> {
  const { version, body: _body, isBase64Encoded: _base64, ...rest } = buildEventV2(request);
  return { version, type: 'REQUEST', routeArn, identitySource: [...identitySource], ...rest };
}

export function authorizerEventV1(request: GatewayRequest, methodArn: string, identitySource: readonly string[]): Record<string, unknown> {
  const { version: _version, body: _body, isBase64Encoded: _base64, ...rest } = buildEventV1(request, { flavor: 'http' });
  const joined = identitySource.join(',');
  return { version: '1.0', type: 'REQUEST', methodArn, identitySource: joined, authorizationToken: joined, ...rest };
}
