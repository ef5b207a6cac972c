/**
 * @module test/gateway/route-keys.test — parsing and validating route keys (spec §8.1; AWS
 * "http-api-develop-routes": one method or ANY, path from `/`, whole-segment variables, greedy only last).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRouteKey, routeShape, type PathSegment } from '../../src/gateway/index.js';

const valid: [string, string | null, string | null, PathSegment[]][] = [
  ['$default', null, null, []],
  ['GET /items/{id}', 'GET', '/items/{id}', [{ kind: 'literal', value: 'items' }, { kind: 'param', name: 'id' }]],
  ['ANY /{proxy+}', 'ANY', '/{proxy+}', [{ kind: 'greedy', name: 'proxy' }]],
  ['POST /a/{b}/c', 'POST', '/a/{b}/c', [{ kind: 'literal', value: 'a' }, { kind: 'param', name: 'b' }, { kind: 'literal', value: 'c' }]],
  ['GET /', 'GET', '/', []],
  ['DELETE /a/{b}/{rest+}', 'DELETE', '/a/{b}/{rest+}', [{ kind: 'literal', value: 'a' }, { kind: 'param', name: 'b' }, { kind: 'greedy', name: 'rest' }]],
  ['OPTIONS /v1.2/some_thing-x', 'OPTIONS', '/v1.2/some_thing-x', [{ kind: 'literal', value: 'v1.2' }, { kind: 'literal', value: 'some_thing-x' }]],
  ['PATCH /{a.b}', 'PATCH', '/{a.b}', [{ kind: 'param', name: 'a.b' }]],
  ['HEAD /x', 'HEAD', '/x', [{ kind: 'literal', value: 'x' }]],
  ['PUT /x', 'PUT', '/x', [{ kind: 'literal', value: 'x' }]],
];

for (const [key, method, path, segments] of valid) {
  test(`parseRouteKey accepts '${key}'`, () => {
    const result = parseRouteKey(key);
    assert.ok(result.ok, result.ok ? '' : result.reason);
    if (result.route.kind === 'default') {
      assert.equal(method, null);
      assert.equal(result.route.key, '$default');
      return;
    }
    assert.deepEqual([result.route.key, result.route.method, result.route.path, result.route.segments], [key, method, path, segments]);
  });
}

const invalid: [string, RegExp][] = [
  ['', /must be '\$default' or 'METHOD \/path'/],
  ['$DEFAULT', /must be '\$default'/],
  ['default', /must be '\$default'/],
  ['get /x', /unknown method 'get'/],
  ['FETCH /x', /unknown method 'FETCH'/],
  ['GET x', /must start with '\/'/],
  ['GET  /x', /must start with '\/'/],
  ['GET /{proxy+}/x', /greedy variable '\{proxy\+\}' must be the last segment/],
  ['GET /{a+}/{b+}', /must be the last segment/],
  ['GET /a//b', /empty segment/],
  ['GET /a/', /empty segment/],
  ['GET /a/{b', /must be a whole/],
  ['GET /a/pre{b}', /must be a whole/],
  ['GET /a/{b}.json', /must be a whole/],
  ['GET /a/{}', /must be a whole/],
  ['GET /a/{b}/{b}', /repeats the variable 'b'/],
  ['GET /a/{b}/{b+}', /repeats the variable 'b'/],
  ['GET /a b', /characters a route path cannot hold/],
  ['GET /a?x=1', /characters a route path cannot hold/],
  ['GET /a%20b', /characters a route path cannot hold/],
  ['GET /a#frag', /characters a route path cannot hold/],
];

for (const [key, reason] of invalid) {
  test(`parseRouteKey rejects '${key}'`, () => {
    const result = parseRouteKey(key);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.reason, reason);
  });
}

test('routeShape erases variable names but keeps the method and greediness', () => {
  const shape = (key: string): string => {
    const result = parseRouteKey(key);
    assert.ok(result.ok);
    return routeShape(result.route);
  };
  assert.equal(shape('GET /a/{x}'), shape('GET /a/{y}'));
  assert.notEqual(shape('GET /a/{x}'), shape('ANY /a/{x}'));
  assert.notEqual(shape('GET /a/{x}'), shape('GET /a/{x+}'));
  assert.notEqual(shape('GET /a/{x}'), shape('GET /a/x'));
  assert.equal(shape('$default'), '$default');
});
