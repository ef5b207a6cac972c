/**
 * @module test/gateway/cors.test — CorsConfiguration applied to preflights and to responses (table-driven).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPreflight, preflightResponse, withCorsHeaders } from '../../src/gateway/cors.js';
import type { CorsConfiguration } from '../../src/gateway/model.js';
import type { HttpResponse } from '../../src/gateway/responses.js';

type Headers = [string, string][];
const ORIGIN = 'https://app.example';

test('isPreflight: OPTIONS with Origin and Access-Control-Request-Method, in any case', () => {
  const cases: [method: string, headers: Headers, expected: boolean][] = [
    ['OPTIONS', [['Origin', ORIGIN], ['Access-Control-Request-Method', 'PUT']], true],
    ['OPTIONS', [['origin', ORIGIN], ['access-control-request-method', 'PUT']], true],
    ['OPTIONS', [['Origin', ORIGIN]], false],
    ['OPTIONS', [['Access-Control-Request-Method', 'PUT']], false],
    ['GET', [['Origin', ORIGIN], ['Access-Control-Request-Method', 'PUT']], false],
  ];
  for (const [method, headers, expected] of cases) assert.equal(isPreflight(method, headers), expected, JSON.stringify([method, headers]));
});

const PREFLIGHTS: [name: string, cors: CorsConfiguration, origin: string, expected: Headers][] = [
  ['an exact origin, everything configured', { allowOrigins: [ORIGIN], allowMethods: ['GET', 'PUT'], allowHeaders: ['content-type'], maxAge: 300, allowCredentials: true }, ORIGIN, [
    ['access-control-allow-origin', ORIGIN], ['access-control-allow-credentials', 'true'], ['access-control-allow-methods', 'GET,PUT'], ['access-control-allow-headers', 'content-type'], ['access-control-max-age', '300'], ['vary', 'Origin'],
  ]],
  ['origins compare without case', { allowOrigins: ['HTTPS://APP.EXAMPLE'] }, ORIGIN, [['access-control-allow-origin', ORIGIN], ['vary', 'Origin']]],
  ['a wildcard origin answers *', { allowOrigins: ['*'], allowMethods: ['*'] }, ORIGIN, [['access-control-allow-origin', '*'], ['access-control-allow-methods', '*']]],
  ['an origin not listed gets no CORS headers', { allowOrigins: ['https://other.example'], allowMethods: ['GET'] }, ORIGIN, []],
  ['no origins configured allows none', { allowMethods: ['GET'] }, ORIGIN, []],
  ['maxAge -1 sends no max-age', { allowOrigins: ['*'], maxAge: -1 }, ORIGIN, [['access-control-allow-origin', '*']]],
];

for (const [name, cors, origin, expected] of PREFLIGHTS) {
  test(`preflightResponse: ${name}`, () => {
    const response = preflightResponse(cors, [['Origin', origin], ['Access-Control-Request-Method', 'GET']]);
    assert.equal(response.status, 204);
    assert.equal(response.body.length, 0);
    assert.deepEqual(response.headers, expected);
  });
}

test('withCorsHeaders replaces the integration\'s CORS headers, keeps the rest, and leaves requests without Origin alone', () => {
  const response: HttpResponse = { kind: 'response', status: 200, headers: [['content-type', 'text/plain'], ['Access-Control-Allow-Origin', '*'], ['access-control-max-age', '5']], body: Buffer.from('ok') };
  const cors: CorsConfiguration = { allowOrigins: [ORIGIN], exposeHeaders: ['x-id'], allowCredentials: true };
  assert.deepEqual(withCorsHeaders(response, cors, [['origin', ORIGIN]]).headers, [
    ['content-type', 'text/plain'], ['access-control-allow-origin', ORIGIN], ['access-control-allow-credentials', 'true'], ['access-control-expose-headers', 'x-id'], ['vary', 'Origin'],
  ]);
  assert.equal(withCorsHeaders(response, cors, []), response);
  assert.equal(withCorsHeaders(response, cors, [['origin', 'https://evil.example']]), response, 'an origin not allowed: the response as the function made it');
});
