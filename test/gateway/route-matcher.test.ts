/**
 * @module test/gateway/route-matcher.test — route precedence and path parameters (spec §8.1; AWS
 * "http-api-develop-routes", "Routing API requests", whose example table is the first block of cases).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRouteMatcher, type RouteMatcher } from '../../src/gateway/index.js';

function matcherOf(keys: string[]): RouteMatcher<string> {
  const built = buildRouteMatcher(keys.map((key) => [key, `target:${key}`] as const));
  assert.ok(built.ok, built.ok ? '' : JSON.stringify(built.problems));
  return built.matcher;
}

/** [method, path, expected route key or undefined for 404, expected pathParameters]. */
type Case = [string, string, string | undefined, Record<string, string>?];

function runCases(title: string, keys: string[], cases: Case[]): void {
  const matcher = matcherOf(keys);
  for (const [method, path, expected, parameters] of cases) {
    test(`${title}: ${method} ${path} → ${expected ?? 'no route'}`, () => {
      const found = matcher.match(method, path);
      if (expected === undefined) {
        assert.equal(found, undefined);
        return;
      }
      assert.ok(found !== undefined, 'a route matches');
      assert.equal(found.route.key, expected);
      assert.equal(found.target, `target:${expected}`);
      assert.deepEqual(found.pathParameters, parameters ?? {});
    });
  }
}

runCases('AWS example routes', ['$default', 'ANY /{proxy+}', 'GET /pets/{proxy+}', 'GET /pets/dog/{id}', 'GET /pets/dog/1'], [
  ['GET', '/pets/dog/1', 'GET /pets/dog/1'],
  ['GET', '/pets/dog/2', 'GET /pets/dog/{id}', { id: '2' }],
  ['GET', '/pets/cat/1', 'GET /pets/{proxy+}', { proxy: 'cat/1' }],
  ['POST', '/test/5', 'ANY /{proxy+}', { proxy: 'test/5' }],
  ['POST', '/pets/dog/1', 'ANY /{proxy+}', { proxy: 'pets/dog/1' }],
  ['get', '/pets/dog/1', 'GET /pets/dog/1'],
  ['GET', '/', '$default'],
  ['DELETE', '/', '$default'],
  ['GET', '/pets', 'ANY /{proxy+}', { proxy: 'pets' }],
  // Trailing slashes are significant: `{id}` needs a non-empty segment, the greedy variable keeps the slash.
  ['GET', '/pets/dog/', 'GET /pets/{proxy+}', { proxy: 'dog/' }],
  ['GET', '/pets/', 'ANY /{proxy+}', { proxy: 'pets/' }],
  ['GET', '/pets//x', 'GET /pets/{proxy+}', { proxy: '/x' }],
  // Percent-decoding: variables arrive decoded, `%2F` does not split a segment, `+` is not a space in a path.
  ['GET', '/pets/dog/a%20b', 'GET /pets/dog/{id}', { id: 'a b' }],
  ['GET', '/pets/dog/a%2Fb', 'GET /pets/dog/{id}', { id: 'a/b' }],
  ['GET', '/pets/dog/a+b', 'GET /pets/dog/{id}', { id: 'a+b' }],
  ['GET', '/pets/dog/%E2%82%AC', 'GET /pets/dog/{id}', { id: '€' }],
  ['GET', '/pets/dog/%ZZ', 'GET /pets/dog/{id}', { id: '%ZZ' }],
  ['GET', '/pets/dog/%31', 'GET /pets/dog/1'],
  ['GET', '/pets/a%2Fb/c%20d', 'GET /pets/{proxy+}', { proxy: 'a/b/c d' }],
  ['GET', '/pets/ok/%E0%A4%A', 'GET /pets/{proxy+}', { proxy: 'ok/%E0%A4%A' }],
  ['GET', 'pets/dog/1', '$default'],
]);

runCases('methods and ANY', ['GET /items', 'POST /items', 'ANY /items', 'GET /items/{id}', 'DELETE /items/{itemId}', 'POST /a/{b}/c', 'GET /'], [
  ['GET', '/items', 'GET /items'],
  ['POST', '/items', 'POST /items'],
  ['PATCH', '/items', 'ANY /items'],
  ['HEAD', '/items', 'ANY /items'],
  ['GET', '/items/7', 'GET /items/{id}', { id: '7' }],
  ['DELETE', '/items/7', 'DELETE /items/{itemId}', { itemId: '7' }],
  ['PUT', '/items/7', undefined],
  ['POST', '/a/x/c', 'POST /a/{b}/c', { b: 'x' }],
  ['GET', '/a/x/c', undefined],
  ['POST', '/a/x/c/', undefined],
  ['POST', '/a//c', undefined],
  ['GET', '/items/', undefined],
  ['GET', '/Items', undefined],
  ['GET', '/', 'GET /'],
  ['POST', '/', undefined],
  ['GET', '', undefined],
]);

runCases('segment specificity', ['GET /a/b/{c}', 'GET /a/{b}/c', 'GET /{a}/b/c', 'GET /x/{proxy+}', 'GET /x/y/{proxy+}', 'ANY /x/y/{rest+}', 'GET /x/{k}/{proxy+}'], [
  ['GET', '/a/b/c', 'GET /a/b/{c}', { c: 'c' }],
  ['GET', '/a/z/c', 'GET /a/{b}/c', { b: 'z' }],
  ['GET', '/q/b/c', 'GET /{a}/b/c', { a: 'q' }],
  // A full match without a greedy variable beats any greedy route, however literal its prefix.
  ['GET', '/x/b/c', 'GET /{a}/b/c', { a: 'x' }],
  ['GET', '/x/y/z', 'GET /x/y/{proxy+}', { proxy: 'z' }],
  ['POST', '/x/y/z', 'ANY /x/y/{rest+}', { rest: 'z' }],
  ['GET', '/x/q/r', 'GET /x/{k}/{proxy+}', { k: 'q', proxy: 'r' }],
  ['GET', '/x/q', 'GET /x/{proxy+}', { proxy: 'q' }],
  ['GET', '/x/y', 'GET /x/{proxy+}', { proxy: 'y' }],
  ['POST', '/x/q', undefined],
  ['GET', '/x', undefined],
]);

runCases('path specificity before method', ['ANY /pets/dog', 'GET /pets/{id}', 'ANY /pets/{id}/toys', 'GET /pets/{id}/{thing}'], [
  ['GET', '/pets/dog', 'ANY /pets/dog'],
  ['GET', '/pets/cat', 'GET /pets/{id}', { id: 'cat' }],
  ['POST', '/pets/cat', undefined],
  ['GET', '/pets/cat/toys', 'ANY /pets/{id}/toys', { id: 'cat' }],
  ['GET', '/pets/cat/food', 'GET /pets/{id}/{thing}', { id: 'cat', thing: 'food' }],
]);

runCases('ANY declared before the explicit method', ['ANY /r/{id}', 'GET /r/{id}', 'ANY /s', 'POST /s'], [
  ['GET', '/r/1', 'GET /r/{id}', { id: '1' }],
  ['PUT', '/r/1', 'ANY /r/{id}', { id: '1' }],
  ['POST', '/s', 'POST /s'],
  ['GET', '/s', 'ANY /s'],
]);

runCases('variables before greedy, whatever the literal prefix', ['GET /a/{proxy+}', 'GET /{a}/{b}', 'ANY /{x}'], [
  ['GET', '/a/b', 'GET /{a}/{b}', { a: 'a', b: 'b' }],
  ['GET', '/a/b/c', 'GET /a/{proxy+}', { proxy: 'b/c' }],
  ['GET', '/a', 'ANY /{x}', { x: 'a' }],
  ['POST', '/a/b', undefined],
]);

runCases('only $default', ['$default'], [
  ['GET', '/', '$default'],
  ['POST', '/any/thing?x', '$default'],
  ['PURGE', '/x', '$default'],
]);

runCases('no routes', [], [['GET', '/', undefined]]);

test('buildRouteMatcher orders routes by precedence, $default last', () => {
  const matcher = matcherOf(['$default', 'ANY /{proxy+}', 'GET /a/{proxy+}', 'ANY /a/{b}', 'GET /a/{b}', 'GET /a/b']);
  assert.deepEqual(matcher.routes.map((r) => r.key), ['GET /a/b', 'GET /a/{b}', 'ANY /a/{b}', 'GET /a/{proxy+}', 'ANY /{proxy+}', '$default']);
});

test('buildRouteMatcher reports every invalid and conflicting key', () => {
  const built = buildRouteMatcher([
    ['GET /a/{x}', 1],
    ['GET /a/{y}', 2],
    ['GET /a/{x}', 3],
    ['$default', 4],
    ['$default', 5],
    ['GET /{p+}/x', 6],
    ['ANY /a/{z}', 7],
  ]);
  assert.equal(built.ok, false);
  assert.deepEqual(built.ok ? [] : built.problems.map((p) => [p.key, p.reason.replace(/ .*/, '')]), [
    ['GET /a/{y}', 'route'],
    ['GET /a/{x}', 'route'],
    ['$default', 'route'],
    ['GET /{p+}/x', 'route'],
  ]);
  const reasons = built.ok ? [] : built.problems.map((p) => p.reason);
  assert.match(reasons[0] ?? '', /conflicts with 'GET \/a\/\{x\}'/);
  assert.match(reasons[1] ?? '', /is defined twice/);
  assert.match(reasons[2] ?? '', /is defined twice/);
  assert.match(reasons[3] ?? '', /must be the last segment/);
});

test('a matcher returns the target of the route it picked, and fresh parameters each time', () => {
  const built = buildRouteMatcher([['GET /u/{id}', { fn: 'users' }]]);
  assert.ok(built.ok);
  const first = built.matcher.match('GET', '/u/1');
  const second = built.matcher.match('GET', '/u/2');
  assert.deepEqual([first?.target, first?.pathParameters, second?.pathParameters], [{ fn: 'users' }, { id: '1' }, { id: '2' }]);
});
