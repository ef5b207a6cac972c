/**
 * @module test/gateway/events-v1.test — the payload format 1.0 event for REST APIs and HTTP APIs, compared field
 * by field with AWS's documented HTTP API 1.0 example ("http-api-develop-integrations-lambda") and then one rule at
 * a time (spec §8.2): last-value headers beside multiValueHeaders, null collections, stage in requestContext.path.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildEventV1, parseRouteKey, type EventV1, type GatewayRequest, type RouteKey } from '../../src/gateway/index.js';

function route(key: string): RouteKey {
  const parsed = parseRouteKey(key);
  assert.ok(parsed.ok);
  return parsed.route;
}

function request(overrides: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: 'GET',
    rawPath: '/my/path',
    rawQueryString: '',
    headers: [],
    body: Buffer.alloc(0),
    sourceIp: 'IP',
    protocol: 'HTTP/1.1',
    requestId: 'id=',
    timeEpochMs: 1583349317135,
    stage: '$default',
    stageVariables: {},
    route: route('GET /my/path'),
    pathParameters: {},
    apiId: 'id',
    accountId: '123456789012',
    domainName: 'id.execute-api.us-east-1.amazonaws.com',
    binary: false,
    ...overrides,
  };
}

test('buildEventV1 (HTTP API) reproduces the documented 1.0 example event', () => {
  const event = buildEventV1(request({
    headers: [['Header1', 'value1'], ['Header2', 'value1'], ['Header2', 'value2'], ['User-Agent', 'user-agent']],
    rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
    body: Buffer.from('Hello from Lambda!'),
  }), { flavor: 'http' });
  const expected: EventV1 = {
    version: '1.0',
    resource: '/my/path',
    path: '/my/path',
    httpMethod: 'GET',
    headers: { Header1: 'value1', Header2: 'value2', 'User-Agent': 'user-agent' },
    multiValueHeaders: { Header1: ['value1'], Header2: ['value1', 'value2'], 'User-Agent': ['user-agent'] },
    // HTTP API 1.0 keeps the first value of a repeated query parameter (REST keeps the last, tested below).
    queryStringParameters: { parameter1: 'value1', parameter2: 'value' },
    multiValueQueryStringParameters: { parameter1: ['value1', 'value2'], parameter2: ['value'] },
    requestContext: {
      accountId: '123456789012',
      apiId: 'id',
      authorizer: { claims: null, scopes: null },
      domainName: 'id.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'id',
      // The example shows "request-id"; hako has one id per request and uses it for both.
      extendedRequestId: 'id=',
      httpMethod: 'GET',
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        // The example shows an mTLS client certificate; without mTLS it is null.
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: 'IP',
        user: null,
        userAgent: 'user-agent',
        userArn: null,
      },
      path: '/my/path',
      protocol: 'HTTP/1.1',
      requestId: 'id=',
      requestTime: '04/Mar/2020:19:15:17 +0000',
      requestTimeEpoch: 1583349317135,
      resourceId: null,
      resourcePath: '/my/path',
      stage: '$default',
    },
    pathParameters: null,
    stageVariables: null,
    body: 'Hello from Lambda!',
    isBase64Encoded: false,
  };
  assert.deepEqual(event, expected);
  assert.deepEqual(JSON.parse(JSON.stringify(event)), expected, 'survives JSON unchanged: no undefined fields');
});

test('buildEventV1 (REST) with a named stage: path without it, requestContext.path with it, REST-only fields', () => {
  const event = buildEventV1(request({
    stage: 'Prod',
    rawPath: '/items/1',
    route: route('GET /items/{id}'),
    pathParameters: { id: '1' },
    stageVariables: { alias: 'live' },
    headers: [['Host', 'h']],
  }), { flavor: 'rest', resourceId: '2gxmpl' });
  assert.equal('version' in event, false);
  assert.deepEqual(
    [event.resource, event.path, event.requestContext.path, event.requestContext.resourcePath, event.requestContext.resourceId, event.requestContext.stage],
    ['/items/{id}', '/items/1', '/Prod/items/1', '/items/{id}', '2gxmpl', 'Prod'],
  );
  assert.deepEqual([event.pathParameters, event.stageVariables], [{ id: '1' }, { alias: 'live' }]);
  assert.deepEqual([event.requestContext.identity.apiKey, event.requestContext.identity.apiKeyId], [null, null]);
  assert.equal('authorizer' in event.requestContext, false, 'no authorizer ran');
});

for (const flavor of ['rest', 'http'] as const) {
  test(`buildEventV1 (${flavor}) makes every absent collection null and an empty body null`, () => {
    const event = buildEventV1(request(), { flavor });
    assert.deepEqual(
      [event.headers, event.multiValueHeaders, event.queryStringParameters, event.multiValueQueryStringParameters, event.pathParameters, event.stageVariables, event.body, event.isBase64Encoded],
      [null, null, null, null, null, null, null, false],
    );
    assert.equal(event.requestContext.identity.userAgent, null);
  });
}

test('buildEventV1 groups header names case-insensitively under the first spelling and keeps Cookie as a header', () => {
  const event = buildEventV1(request({ headers: [['X-A', '1'], ['Cookie', 'a=1; b=2'], ['x-a', '2']] }), { flavor: 'rest' });
  assert.deepEqual(event.headers, { 'X-A': '2', Cookie: 'a=1; b=2' });
  assert.deepEqual(event.multiValueHeaders, { 'X-A': ['1', '2'], Cookie: ['a=1; b=2'] });
});

for (const [flavor, single] of [['rest', '2'], ['http', '1']] as const) {
  test(`buildEventV1 (${flavor}) decodes query parameters: the ${flavor === 'rest' ? 'last' : 'first'} value single, all values multi`, () => {
    const event = buildEventV1(request({ rawQueryString: 'a=1&a=2&b=x+y&c' }), { flavor });
    assert.deepEqual(event.queryStringParameters, { a: single, b: 'x y', c: '' });
    assert.deepEqual(event.multiValueQueryStringParameters, { a: ['1', '2'], b: ['x y'], c: [''] });
  });
}

const bodies: [string, boolean, Buffer, string | null, boolean][] = [
  ['text', false, Buffer.from('{"a":"é"}'), '{"a":"é"}', false],
  ['binary media type', true, Buffer.from([0, 255, 1]), 'AP8B', true],
  ['binary media type, empty body', true, Buffer.alloc(0), null, false],
  ['not binary, invalid UTF-8 read as text', false, Buffer.from([0x61, 0xff]), 'a\ufffd', false],
];
for (const [name, binary, body, expected, base64] of bodies) {
  test(`buildEventV1 body: ${name}`, () => {
    const event = buildEventV1(request({ method: 'POST', binary, body }), { flavor: 'rest' });
    assert.deepEqual([event.body, event.isBase64Encoded], [expected, base64]);
  });
}

test('buildEventV1 delivers a lambda authorizer as principalId plus stringified context', () => {
  const event = buildEventV1(request({ authorizer: { kind: 'lambda', principalId: 'user', context: { s: 'x', n: 1, b: true } } }), { flavor: 'rest' });
  assert.deepEqual(event.requestContext.authorizer, { principalId: 'user', s: 'x', n: '1', b: 'true' });
});

test('buildEventV1 delivers a JWT authorizer as claims and scopes', () => {
  const event = buildEventV1(request({ authorizer: { kind: 'jwt', claims: { sub: 'u1' }, scopes: null } }), { flavor: 'http' });
  assert.deepEqual(event.requestContext.authorizer, { claims: { sub: 'u1' }, scopes: null });
});

test('buildEventV1 for the $default route uses the actual path as resource, and the greedy route its template', () => {
  const byDefault = buildEventV1(request({ route: route('$default'), rawPath: '/a/b' }), { flavor: 'http' });
  assert.deepEqual([byDefault.resource, byDefault.requestContext.resourcePath], ['/a/b', '/a/b']);
  const greedy = buildEventV1(request({ route: route('ANY /{proxy+}'), rawPath: '/a/b', pathParameters: { proxy: 'a/b' }, method: 'delete' }), { flavor: 'rest' });
  assert.deepEqual([greedy.resource, greedy.pathParameters, greedy.httpMethod, greedy.requestContext.httpMethod], ['/{proxy+}', { proxy: 'a/b' }, 'DELETE', 'DELETE']);
});
