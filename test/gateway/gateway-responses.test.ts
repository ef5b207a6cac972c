/**
 * @module test/gateway/gateway-responses.test — the gateway's own answers (spec §8.1, §8.8): status, exact body
 * bytes and headers for REST and HTTP APIs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GATEWAY_ERRORS, gatewayErrorResponse, type GatewayErrorKind, type GatewayFlavor } from '../../src/gateway/index.js';

const table: [GatewayErrorKind, GatewayFlavor, number, string, string | undefined][] = [
  ['noRoute', 'http', 404, '{"message":"Not Found"}', undefined],
  ['noRoute', 'rest', 403, '{"message":"Missing Authentication Token"}', 'MissingAuthenticationTokenException'],
  ['integrationFailure', 'rest', 502, '{"message": "Internal server error"}', 'InternalServerErrorException'],
  ['integrationFailure', 'http', 500, '{"message":"Internal Server Error"}', undefined],
  ['integrationTimeout', 'rest', 504, '{"message": "Endpoint request timed out"}', 'InternalServerErrorException'],
  ['integrationTimeout', 'http', 503, '{"message":"Service Unavailable"}', undefined],
  ['throttled', 'rest', 429, '{"message":"Too Many Requests"}', 'TooManyRequestsException'],
  ['throttled', 'http', 429, '{"message":"Too Many Requests"}', undefined],
  ['quotaExceeded', 'rest', 429, '{"message":"Limit Exceeded"}', 'LimitExceededException'],
  ['quotaExceeded', 'http', 429, '{"message":"Too Many Requests"}', undefined],
  ['requestTooLarge', 'rest', 413, '{"message":"Request Too Long"}', 'RequestTooLargeException'],
  ['requestTooLarge', 'http', 413, '{"message":"Request Entity Too Large"}', undefined],
  ['unauthorized', 'rest', 401, '{"message":"Unauthorized"}', 'UnauthorizedException'],
  ['unauthorized', 'http', 401, '{"message":"Unauthorized"}', undefined],
  ['forbidden', 'rest', 403, '{"message":"Forbidden"}', 'ForbiddenException'],
  ['forbidden', 'http', 403, '{"message":"Forbidden"}', undefined],
  ['accessDenied', 'rest', 403, '{"Message":"User is not authorized to access this resource with an explicit deny"}', 'AccessDeniedException'],
  ['accessDenied', 'http', 403, '{"message":"Forbidden"}', undefined],
  ['authorizerFailure', 'rest', 500, '{"message":null}', 'AuthorizerConfigurationException'],
  ['authorizerFailure', 'http', 500, '{"message":"Internal Server Error"}', undefined],
];

for (const [kind, flavor, status, body, errorType] of table) {
  test(`gatewayErrorResponse(${kind}, ${flavor}) is ${status} ${body}`, () => {
    const response = gatewayErrorResponse(kind, flavor);
    const headers: [string, string][] = [['content-type', 'application/json']];
    if (errorType !== undefined) headers.push(['x-amzn-ErrorType', errorType]);
    assert.deepEqual([response.kind, response.status, response.headers, response.body.toString('utf8')], ['response', status, headers, body]);
    assert.doesNotThrow(() => JSON.parse(body), 'every body is JSON');
  });
}

test('the table covers every kind for both flavours and the test table covers the whole table', () => {
  const covered = new Set(table.map(([kind, flavor]) => `${kind}/${flavor}`));
  const all = Object.keys(GATEWAY_ERRORS).flatMap((kind) => ['rest', 'http'].map((flavor) => `${kind}/${flavor}`));
  assert.deepEqual([...covered].sort(), all.sort());
});

test('each call returns a fresh response the server may change', () => {
  const first = gatewayErrorResponse('noRoute', 'http');
  first.headers.push(['apigw-requestid', 'x']);
  first.body.fill(0);
  assert.deepEqual([gatewayErrorResponse('noRoute', 'http').headers.length, gatewayErrorResponse('noRoute', 'http').body.toString()], [1, '{"message":"Not Found"}']);
});
