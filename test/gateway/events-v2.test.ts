/**
 * @module test/gateway/events-v2.test — the payload format 2.0 event, compared field by field with AWS's
 * documented example ("http-api-develop-integrations-lambda") and then one rule at a time (spec §8.3).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildEventV2, parseRouteKey, type EventV2, type GatewayRequest, type RouteKey } from '../../src/gateway/index.js';

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
    sourceIp: '192.0.2.1',
    protocol: 'HTTP/1.1',
    requestId: 'id',
    timeEpochMs: 1583348638390,
    stage: '$default',
    stageVariables: {},
    route: route('$default'),
    pathParameters: {},
    apiId: 'api-id',
    accountId: '123456789012',
    domainName: 'id.execute-api.us-east-1.amazonaws.com',
    binary: false,
    ...overrides,
  };
}

test('buildEventV2 reproduces the documented example event', () => {
  const event = buildEventV2(request({
    method: 'POST',
    rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
    headers: [['Header1', 'value1'], ['Header2', 'value1'], ['Cookie', 'cookie1'], ['Header2', 'value2'], ['Cookie', 'cookie2'], ['User-Agent', 'agent'], ['Content-Type', 'text/plain']],
    body: Buffer.from('Hello from Lambda'),
    sourceIp: 'IP',
    stageVariables: { stageVariable1: 'value1', stageVariable2: 'value2' },
    pathParameters: { parameter1: 'value1' },
    authorizer: { kind: 'jwt', claims: { claim1: 'value1', claim2: 'value2' }, scopes: ['scope1', 'scope2'] },
  }));
  const expected: EventV2 = {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/my/path',
    rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
    cookies: ['cookie1', 'cookie2'],
    // "All header names are lowercased" (the example itself still shows `Header1`); user-agent and content-type are
    // the two headers this request adds to the example's.
    headers: { header1: 'value1', header2: 'value1,value2', 'user-agent': 'agent', 'content-type': 'text/plain' },
    queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api-id',
      authorizer: { jwt: { claims: { claim1: 'value1', claim2: 'value2' }, scopes: ['scope1', 'scope2'] } },
      domainName: 'id.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'id',
      http: { method: 'POST', path: '/my/path', protocol: 'HTTP/1.1', sourceIp: 'IP', userAgent: 'agent' },
      requestId: 'id',
      routeKey: '$default',
      stage: '$default',
      // The documented example says "12/Mar/2020" beside timeEpoch 1583348638390, which is 4 March; the epoch wins.
      time: '04/Mar/2020:19:03:58 +0000',
      timeEpoch: 1583348638390,
    },
    body: 'Hello from Lambda',
    pathParameters: { parameter1: 'value1' },
    isBase64Encoded: false,
    stageVariables: { stageVariable1: 'value1', stageVariable2: 'value2' },
  };
  assert.deepEqual(event, expected);
  assert.deepEqual(JSON.parse(JSON.stringify(event)), expected, 'survives JSON unchanged: no undefined fields');
});

test('buildEventV2 leaves out every empty collection and an empty body, but always says isBase64Encoded', () => {
  const event = buildEventV2(request());
  assert.deepEqual(Object.keys(event).sort(), ['isBase64Encoded', 'rawPath', 'rawQueryString', 'requestContext', 'routeKey', 'version']);
  assert.equal(event.isBase64Encoded, false);
  assert.equal('authorizer' in event.requestContext, false);
  assert.equal(event.requestContext.http.userAgent, '');
});

test('buildEventV2 splits Cookie headers into cookies and keeps cookie out of headers', () => {
  const event = buildEventV2(request({ headers: [['Cookie', 'a=1; b=2'], ['host', 'h'], ['cookie', ' c=3 ;; '], ['COOKIE', '']] }));
  assert.deepEqual(event.cookies, ['a=1', 'b=2', 'c=3']);
  assert.deepEqual(event.headers, { host: 'h' });
});

test('buildEventV2 lower-cases header names and joins repeats with a bare comma in arrival order', () => {
  const event = buildEventV2(request({ headers: [['X-Multi', 'a'], ['Accept', 'x/y'], ['x-multi', 'b, c'], ['X-MULTI', 'd']] }));
  assert.deepEqual(event.headers, { 'x-multi': 'a,b, c,d', accept: 'x/y' });
});

test('buildEventV2 decodes and comma-joins query parameters but passes rawQueryString through', () => {
  const raw = 'q=a+b&x=%41&flag&&=z&q=%2C';
  const event = buildEventV2(request({ rawQueryString: raw }));
  assert.equal(event.rawQueryString, raw);
  assert.deepEqual(event.queryStringParameters, { q: 'a b,,', x: 'A', flag: '' });
});

const bodies: [string, string | undefined, Buffer, string, boolean][] = [
  ['JSON text', 'application/json', Buffer.from('{"a":1}'), '{"a":1}', false],
  ['JSON with charset', 'application/json; charset=utf-8', Buffer.from('{"é":1}'), '{"é":1}', false],
  ['plain text', 'text/plain', Buffer.from('héllo'), 'héllo', false],
  ['XML', 'application/xml', Buffer.from('<a/>'), '<a/>', false],
  ['octet-stream', 'application/octet-stream', Buffer.from([0, 1, 2, 255]), 'AAEC/w==', true],
  ['PNG', 'image/png', Buffer.from('\x89PNG', 'latin1'), 'iVBORw==', true],
  ['no content type', undefined, Buffer.from('hello'), 'aGVsbG8=', true],
  ['form post', 'application/x-www-form-urlencoded', Buffer.from('a=1&b=2'), 'YT0xJmI9Mg==', true],
  ['text type but not UTF-8', 'text/plain', Buffer.from([0xc3, 0x28]), 'wyg=', true],
];

for (const [name, contentType, body, expected, base64] of bodies) {
  test(`buildEventV2 body: ${name} → ${base64 ? 'base64' : 'text'}`, () => {
    const headers: [string, string][] = contentType === undefined ? [] : [['Content-Type', contentType]];
    const event = buildEventV2(request({ method: 'POST', headers, body }));
    assert.deepEqual([event.body, event.isBase64Encoded], [expected, base64]);
    if (base64) assert.deepEqual(Buffer.from(event.body ?? '', 'base64'), body, 'the base64 decodes to the bytes sent');
  });
}

test('buildEventV2 with a named stage puts the stage in rawPath and http.path', () => {
  const event = buildEventV2(request({ stage: 'dev', rawPath: '/items/a%20b', route: route('GET /items/{id}'), pathParameters: { id: 'a b' } }));
  assert.deepEqual(
    [event.rawPath, event.requestContext.http.path, event.requestContext.stage, event.routeKey, event.requestContext.routeKey, event.pathParameters],
    ['/dev/items/a%20b', '/dev/items/a%20b', 'dev', 'GET /items/{id}', 'GET /items/{id}', { id: 'a b' }],
  );
});

test('buildEventV2 reports the method upper-cased and a lambda authorizer context under lambda, values as returned', () => {
  const event = buildEventV2(request({ method: 'patch', authorizer: { kind: 'lambda', principalId: 'u', context: { s: 'x', n: 1, b: true } } }));
  assert.equal(event.requestContext.http.method, 'PATCH');
  assert.deepEqual(event.requestContext.authorizer, { lambda: { s: 'x', n: 1, b: true } });
});

test('buildEventV2 copies collections, so later changes to the request do not leak into the event', () => {
  const pathParameters = { id: '1' };
  const event = buildEventV2(request({ pathParameters }));
  pathParameters.id = '2';
  assert.deepEqual(event.pathParameters, { id: '1' });
});
