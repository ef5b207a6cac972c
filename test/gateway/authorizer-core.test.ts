/**
 * @module test/gateway/authorizer-core.test — the pure parts of Lambda authorizers (table-driven): identity sources,
 * the IAM policy an authorizer returns, reading its answer, and the route ARN.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, readAuthorizerAnswer } from '../../src/gateway/authorizers/answers.js';
import { AuthorizerCache } from '../../src/gateway/authorizers/cache.js';
import { identityValues, isIdentitySource } from '../../src/gateway/authorizers/identity-source.js';
import { evaluatePolicy, globMatches, statementsOf } from '../../src/gateway/authorizers/policy.js';

const ARN = 'arn:aws:execute-api:us-east-1:000000000000:abc1234567/prod/GET/items/7';

test('identity source expressions', () => {
  for (const good of ['$request.header.Authorization', '$request.querystring.token', '$context.identity.sourceIp', '$stageVariables.secret', '$request.header.X-Api-Key']) assert.ok(isIdentitySource(good), good);
  for (const bad of ['Authorization', '$request.body.token', '$request.header.', '$stageVariables.bad-name', '$context.', 'method.request.header.Auth']) assert.ok(!isIdentitySource(bad), bad);
});

test('identityValues reads each source, joins repeats, and is undefined when one is missing or empty', () => {
  const inputs = { headers: [['Authorization', 'Bearer t'], ['X-Tag', 'a'], ['x-tag', 'b'], ['X-Empty', '']] as [string, string][], rawQueryString: 'token=q1&token=q2&flag', stageVariables: { tier: 'gold' }, context: { 'identity.sourceIp': '10.0.0.1' } };
  const cases: [string[], string[] | undefined][] = [
    [[], []],
    [['$request.header.authorization'], ['Bearer t']],
    [['$request.header.X-Tag'], ['a,b']],
    [['$request.querystring.token', '$stageVariables.tier', '$context.identity.sourceIp'], ['q1,q2', 'gold', '10.0.0.1']],
    [['$request.header.Authorization', '$request.header.Missing'], undefined],
    [['$request.header.X-Empty'], undefined],
    [['$request.querystring.flag'], undefined],
    [['$stageVariables.none'], undefined],
  ];
  for (const [sources, expected] of cases) assert.deepEqual(identityValues(sources, inputs), expected, sources.join(' '));
});

test('globMatches: * spans anything including slashes, ? one character', () => {
  const cases: [string, string, boolean][] = [
    ['*', ARN, true],
    [ARN, ARN, true],
    ['arn:aws:execute-api:us-east-1:000000000000:abc1234567/prod/*', ARN, true],
    ['arn:aws:execute-api:us-east-1:000000000000:abc1234567/*/GET/*', ARN, true],
    ['arn:aws:execute-api:us-east-1:000000000000:abc1234567/prod/POST/*', ARN, false],
    ['arn:aws:execute-api:us-east-1:000000000000:abc1234567/prod/GET/items/?', ARN, true],
    ['arn:aws:execute-api:us-east-1:000000000000:abc1234567/prod/GET/items/??', ARN, false],
    ['arn:aws:execute-api:us-east-1:000000000000:abc1234567/prod/GET/items', ARN, false],
    ['*/items/7', ARN, true],
    ['**', '', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
  ];
  for (const [pattern, text, expected] of cases) assert.equal(globMatches(pattern, text), expected, `${pattern} ~ ${text}`);
});

test('evaluatePolicy: an Allow covering the ARN allows; an explicit Deny wins; nothing matching denies', () => {
  const allowAll = { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' };
  const denyProd = { Effect: 'Deny', Action: ['execute-api:Invoke'], Resource: ['arn:aws:execute-api:*:*:*/prod/*'] };
  const allowOther = { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:*/dev/*' };
  const wrongAction = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
  const cases: [unknown[], string][] = [
    [[allowAll], 'allow'],
    [[allowAll, denyProd], 'explicitDeny'],
    [[allowOther], 'deny'],
    [[wrongAction], 'deny'],
    [[{ Effect: 'Allow', Action: 'execute-api:*', Resource: '*' }], 'allow'],
    [[{ Effect: 'Allow', Action: '*', Resource: ARN }], 'allow'],
    [[], 'deny'],
  ];
  for (const [statements, expected] of cases) assert.equal(evaluatePolicy(statementsOf({ Version: '2012-10-17', Statement: statements }) ?? assert.fail('not a policy'), ARN), expected, JSON.stringify(statements));
});

test('statementsOf refuses what is not a policy', () => {
  for (const bad of [null, 'x', {}, { Statement: [{ Effect: 'Maybe', Action: 'a', Resource: '*' }] }, { Statement: [{ Effect: 'Allow', Resource: '*' }] }, { Statement: [{ Effect: 'Allow', Action: [], Resource: '*' }] }, { Statement: ['x'] }]) {
    assert.equal(statementsOf(bad), undefined, JSON.stringify(bad));
  }
  assert.equal(statementsOf({ Statement: { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' } })?.length, 1, 'one statement object is a list of one');
});

const allowPolicy = { principalId: 'user-1', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:000000000000:abc1234567/prod/GET/*' }] }, context: { tier: 'gold', n: 3, ok: true } };

test('readAuthorizerAnswer and decide: simple and policy answers, Unauthorized, malformed ones', () => {
  const read = (value: unknown, simple: boolean, functionError = false): ReturnType<typeof readAuthorizerAnswer> => readAuthorizerAnswer(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), functionError, simple);
  const cases: [name: string, answer: ReturnType<typeof readAuthorizerAnswer>, expected: unknown][] = [
    ['simple allow', read({ isAuthorized: true, context: { user: 'ann' } }, true), { kind: 'allow', principalId: undefined, context: { user: 'ann' } }],
    ['simple deny', read({ isAuthorized: false }, true), { kind: 'forbidden' }],
    ['policy allows GET', read(allowPolicy, false), { kind: 'allow', principalId: 'user-1', context: { tier: 'gold', n: 3, ok: true } }],
    ['thrown Unauthorized', read({ errorType: 'Error', errorMessage: 'Unauthorized' }, false, true), { kind: 'unauthorized' }],
  ];
  for (const [name, answer, expected] of cases) {
    assert.notEqual(answer.kind, 'malformed', name);
    if (answer.kind !== 'malformed') assert.deepEqual(decide(answer, ARN), expected, name);
  }
  const post = ARN.replace('/GET/', '/POST/');
  const policy = read(allowPolicy, false);
  assert.ok(policy.kind === 'policy');
  assert.deepEqual(decide(policy, post), { kind: 'forbidden' }, 'the same cached policy, another route it does not cover');
  const malformed: [string, ReturnType<typeof readAuthorizerAnswer>][] = [
    ['not JSON', read('nope', true)],
    ['an array', read([1], true)],
    ['simple without isAuthorized', read({ authorized: true }, true)],
    ['a policy expected, simple given', read({ isAuthorized: true }, false)],
    ['context with an object', read({ isAuthorized: true, context: { nested: { a: 1 } } }, true)],
    ['principalId not a string', read({ ...allowPolicy, principalId: 7 }, false)],
    ['another function error', read({ errorType: 'TypeError', errorMessage: 'x is undefined' }, false, true)],
  ];
  for (const [name, answer] of malformed) assert.equal(answer.kind, 'malformed', name);
});

test('AuthorizerCache: an answer lives until its expiry; clear drops a stage\'s entries', () => {
  const cache = new AuthorizerCache();
  cache.set('api/prod/d/a\nkey', { kind: 'unauthorized' }, 1_000);
  cache.set('api/dev/d/a\nkey', { kind: 'unauthorized' }, 1_000);
  assert.deepEqual(cache.get('api/prod/d/a\nkey', 999), { kind: 'unauthorized' });
  assert.equal(cache.get('api/prod/d/a\nkey', 1_000), undefined);
  cache.clear('api/dev/');
  assert.equal(cache.get('api/dev/d/a\nkey', 0), undefined);
});
