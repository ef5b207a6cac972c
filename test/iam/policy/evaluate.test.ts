/** @module test/iam/policy/evaluate — IAM decision logic: deny precedence, NotAction/NotResource, reporting. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeDecision, evaluate, iotArn, type CompiledPolicy, type Decision } from '../../../src/iam/policy/index.js';
import { ARN, policy, resolverOf, statementPolicy } from './helpers.js';

const allowAll = statementPolicy('allow-all', { Effect: 'Allow', Action: 'iot:*', Resource: '*' });
const denySecrets = policy('no-secrets', {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Telemetry', Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}topic/telemetry/*` },
    { Sid: 'NoSecrets', Effect: 'Deny', Action: ['iot:Publish', 'iot:Receive'], Resource: `${ARN}topic/secret/*` },
  ],
});

describe('evaluate: decision logic', () => {
  test('no policies → implicit deny', () => {
    const decision = evaluate([], 'iot:Connect', `${ARN}client/c1`, resolverOf({}));
    assert.deepEqual(decision, { allowed: false, effect: 'ImplicitDeny', action: 'iot:Connect', resource: `${ARN}client/c1` });
  });

  test('an explicit Deny in a second policy beats an Allow in the first', () => {
    const decision = evaluate([allowAll, denySecrets], 'iot:Publish', `${ARN}topic/secret/key`, resolverOf({}));
    assert.equal(decision.allowed, false);
    assert.equal(decision.effect, 'Deny');
    assert.equal(decision.policyName, 'no-secrets');
    assert.equal(decision.statementIndex, 1);
    assert.equal(decision.sid, 'NoSecrets');
  });

  test('policy order does not matter for Deny', () => {
    const decision = evaluate([denySecrets, allowAll], 'iot:Receive', `${ARN}topic/secret/key`, resolverOf({}));
    assert.equal(decision.effect, 'Deny');
  });

  test('the first matching Allow is reported', () => {
    const decision = evaluate([allowAll, denySecrets], 'iot:Publish', `${ARN}topic/telemetry/x`, resolverOf({}));
    assert.equal(decision.effect, 'Allow');
    assert.equal(decision.policyName, 'allow-all');
    assert.equal(decision.statementIndex, 0);
    assert.equal(decision.sid, undefined);
    const swapped = evaluate([denySecrets, allowAll], 'iot:Publish', `${ARN}topic/telemetry/x`, resolverOf({}));
    assert.equal(swapped.policyName, 'no-secrets');
    assert.equal(swapped.sid, 'Telemetry');
  });

  test('a Deny that does not match the action leaves the Allow standing', () => {
    const decision = evaluate([allowAll, denySecrets], 'iot:Subscribe', `${ARN}topicfilter/secret/#`, resolverOf({}));
    assert.equal(decision.effect, 'Allow');
  });

  test('a conditional Deny applies only when its condition holds', () => {
    const denyOutside = statementPolicy('office-only', {
      Effect: 'Deny',
      Action: 'iot:*',
      Resource: '*',
      Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '2001:db8::/32'] } },
    });
    const at = (ip: string | undefined) => evaluate([allowAll, denyOutside], 'iot:Connect', `${ARN}client/c`, resolverOf({ 'aws:SourceIp': ip })).effect;
    assert.equal(at('192.0.2.55'), 'Allow');
    assert.equal(at('2001:db8::9'), 'Allow');
    assert.equal(at('198.51.100.1'), 'Deny');
    assert.equal(at(undefined), 'Deny', 'NotIpAddress holds when aws:SourceIp is missing');
  });

  test('an Allow with IpAddress on aws:SourceIp', () => {
    const office = statementPolicy('office', { Effect: 'Allow', Action: 'iot:Connect', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } });
    assert.equal(evaluate([office], 'iot:Connect', `${ARN}client/c`, resolverOf({ 'aws:SourceIp': '192.0.2.1' })).effect, 'Allow');
    assert.equal(evaluate([office], 'iot:Connect', `${ARN}client/c`, resolverOf({ 'aws:SourceIp': '192.0.3.1' })).effect, 'ImplicitDeny');
    assert.equal(evaluate([office], 'iot:Connect', `${ARN}client/c`, resolverOf({})).effect, 'ImplicitDeny');
  });

  test('a thing-attached condition (Bool on iot:Connection.Thing.IsAttached)', () => {
    const attached = statementPolicy('attached', {
      Effect: 'Allow',
      Action: 'iot:Connect',
      Resource: `${ARN}client/\${iot:Connection.Thing.ThingName}`,
      Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
    });
    const ok = resolverOf({ 'iot:Connection.Thing.ThingName': 'dev', 'iot:Connection.Thing.IsAttached': 'true' });
    const no = resolverOf({ 'iot:Connection.Thing.ThingName': 'dev', 'iot:Connection.Thing.IsAttached': 'false' });
    assert.equal(evaluate([attached], 'iot:Connect', `${ARN}client/dev`, ok).effect, 'Allow');
    assert.equal(evaluate([attached], 'iot:Connect', `${ARN}client/dev`, no).effect, 'ImplicitDeny');
  });

  test('conditions are not evaluated when action or resource already miss', () => {
    const conditional = statementPolicy('c', { Effect: 'Allow', Action: 'iot:Connect', Resource: '*', Condition: { StringEquals: { 'iot:ClientId': 'x' } } });
    const resolve = resolverOf({ 'iot:ClientId': 'x' });
    evaluate([conditional], 'iot:Publish', `${ARN}topic/t`, resolve);
    assert.deepEqual(resolve.asked, []);
  });
});

/** [note, statement, action, resource (after ARN prefix), expected allowed] */
const NOT_CASES: [string, Record<string, unknown>, string, string, boolean][] = [
  ['NotAction allows everything else', { Effect: 'Allow', NotAction: 'iot:Publish', Resource: '*' }, 'iot:Subscribe', 'topicfilter/a', true],
  ['NotAction excludes the listed action', { Effect: 'Allow', NotAction: 'iot:Publish', Resource: '*' }, 'iot:Publish', 'topic/a', false],
  ['NotAction with a wildcard', { Effect: 'Allow', NotAction: 'iot:*Shadow', Resource: '*' }, 'iot:GetThingShadow', 'thing/t', false],
  ['NotAction is case-insensitive', { Effect: 'Allow', NotAction: 'iot:publish', Resource: '*' }, 'iot:Publish', 'topic/a', false],
  ['NotResource allows other resources', { Effect: 'Allow', Action: 'iot:Publish', NotResource: `${ARN}topic/admin/*` }, 'iot:Publish', 'topic/user/x', true],
  ['NotResource excludes the listed resources', { Effect: 'Allow', Action: 'iot:Publish', NotResource: `${ARN}topic/admin/*` }, 'iot:Publish', 'topic/admin/x', false],
  ['NotResource with several entries', { Effect: 'Allow', Action: 'iot:Publish', NotResource: [`${ARN}topic/a`, `${ARN}topic/b`] }, 'iot:Publish', 'topic/b', false],
  ['NotResource with an unresolved variable excludes nothing', { Effect: 'Allow', Action: 'iot:Publish', NotResource: `${ARN}topic/\${iot:Connection.Thing.ThingName}` }, 'iot:Publish', 'topic/x', true],
  ['NotAction and NotResource together', { Effect: 'Allow', NotAction: 'iot:Connect', NotResource: `${ARN}topic/admin` }, 'iot:Receive', 'topic/admin', false],
];

describe('evaluate: NotAction / NotResource', () => {
  for (const [note, statement, action, resource, allowed] of NOT_CASES) {
    test(note, () => {
      const decision = evaluate([statementPolicy('p', statement)], action, ARN + resource, resolverOf({}));
      assert.equal(decision.allowed, allowed);
    });
  }

  test('Deny with NotResource denies everything outside the list', () => {
    const jail = statementPolicy('jail', { Effect: 'Deny', Action: 'iot:Publish', NotResource: `${ARN}topic/sandbox/*` });
    assert.equal(evaluate([allowAll, jail], 'iot:Publish', `${ARN}topic/prod/x`, resolverOf({})).effect, 'Deny');
    assert.equal(evaluate([allowAll, jail], 'iot:Publish', `${ARN}topic/sandbox/x`, resolverOf({})).effect, 'Allow');
  });
});

/** AWS "MQTT persistent sessions policy examples": [note, policy statements, iot:ConnectAttributes, allowed] */
const PERSISTENT: [string, unknown[], string[], boolean][] = (() => {
  const allowIf = (op: string, values: string[]) => ({ Effect: 'Allow', Action: 'iot:Connect', Resource: '*', Condition: { [op]: { 'iot:ConnectAttributes': values } } });
  const denyIf = (op: string, values: string[]) => ({ ...allowIf(op, values), Effect: 'Deny' });
  const plainAllow = { Effect: 'Allow', Action: 'iot:Connect', Resource: '*' };
  const mustHaveBoth = [allowIf('ForAllValues:StringEquals', ['PersistentConnect', 'LastWill']), denyIf('ForAllValues:StringEquals', ['PersistentConnect']), denyIf('ForAllValues:StringEquals', ['LastWill']), denyIf('ForAllValues:StringEquals', [])];
  const noPersistent = [denyIf('ForAnyValue:StringEquals', ['PersistentConnect']), allowIf('ForAllValues:StringEquals', ['LastWill'])];
  return [
    ['allow PersistentConnect: persistent', [allowIf('ForAllValues:StringEquals', ['PersistentConnect'])], ['PersistentConnect'], true],
    ['allow PersistentConnect: with a will too', [allowIf('ForAllValues:StringEquals', ['PersistentConnect'])], ['PersistentConnect', 'LastWill'], false],
    ['disallow PersistentConnect (NotEquals): will only', [allowIf('ForAllValues:StringNotEquals', ['PersistentConnect'])], ['LastWill'], true],
    ['disallow PersistentConnect (NotEquals): persistent', [allowIf('ForAllValues:StringNotEquals', ['PersistentConnect'])], ['PersistentConnect'], false],
    ['disallow PersistentConnect (Deny): clean', [plainAllow, denyIf('ForAnyValue:StringEquals', ['PersistentConnect'])], [], true],
    ['disallow PersistentConnect (Deny): persistent', [plainAllow, denyIf('ForAnyValue:StringEquals', ['PersistentConnect'])], ['PersistentConnect', 'LastWill'], false],
    ['default features only: clean', [allowIf('ForAllValues:StringEquals', [])], [], true],
    ['default features only: will', [allowIf('ForAllValues:StringEquals', [])], ['LastWill'], false],
    ['must be persistent: persistent', [allowIf('ForAnyValue:StringEquals', ['PersistentConnect'])], ['PersistentConnect'], true],
    ['must be persistent: clean', [allowIf('ForAnyValue:StringEquals', ['PersistentConnect'])], [], false],
    ['must have both: both', mustHaveBoth, ['PersistentConnect', 'LastWill'], true],
    ['must have both: persistent only', mustHaveBoth, ['PersistentConnect'], false],
    ['must have both: will only', mustHaveBoth, ['LastWill'], false],
    ['must have both: neither', mustHaveBoth, [], false],
    ['no persistence, will allowed: will', noPersistent, ['LastWill'], true],
    ['no persistence, will allowed: persistent', noPersistent, ['PersistentConnect'], false],
  ];
})();

describe('evaluate: iot:ConnectAttributes (AWS persistent-session examples)', () => {
  for (const [note, statements, attributes, allowed] of PERSISTENT) {
    test(note, () => {
      const compiled: CompiledPolicy = policy('p', { Version: '2012-10-17', Statement: statements });
      const decision = evaluate([compiled], 'iot:Connect', `${ARN}client/c1`, resolverOf({ 'iot:ConnectAttributes': attributes }));
      assert.equal(decision.allowed, allowed);
    });
  }
});

describe('evaluate: policy language 2008-10-17', () => {
  test('variables are not substituted', () => {
    const old = policy('old', { Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}client/\${iot:ClientId}` }] });
    const resolve = resolverOf({ 'iot:ClientId': 'c1' });
    assert.equal(evaluate([old], 'iot:Connect', `${ARN}client/c1`, resolve).effect, 'ImplicitDeny');
    assert.equal(evaluate([old], 'iot:Connect', `${ARN}client/\${iot:ClientId}`, resolve).effect, 'Allow');
    assert.deepEqual(resolve.asked, []);
  });
});

describe('describeDecision', () => {
  const CASES: [string, Decision, string][] = [
    [
      'explicit deny with Sid',
      { allowed: false, effect: 'Deny', policyName: 'thing-policy', statementIndex: 1, sid: 'NoSecrets', action: 'iot:Publish', resource: `${ARN}topic/secret/a` },
      `denied by policy "thing-policy" statement 2 (Sid "NoSecrets") for iot:Publish on ${ARN}topic/secret/a`,
    ],
    [
      'explicit deny without Sid',
      { allowed: false, effect: 'Deny', policyName: 'p', statementIndex: 0, action: 'iot:Connect', resource: `${ARN}client/c` },
      `denied by policy "p" statement 1 for iot:Connect on ${ARN}client/c`,
    ],
    ['implicit deny', { allowed: false, effect: 'ImplicitDeny', action: 'iot:Publish', resource: `${ARN}topic/t` }, `no policy statement allows iot:Publish on ${ARN}topic/t`],
    ['allow', { allowed: true, effect: 'Allow', policyName: 'p', statementIndex: 2, action: 'iot:Receive', resource: `${ARN}topic/t` }, `allowed by policy "p" statement 3 for iot:Receive on ${ARN}topic/t`],
    ['a bare decision without the request', { allowed: false, effect: 'ImplicitDeny' }, 'no policy statement allows the request'],
  ];
  for (const [note, decision, text] of CASES) test(note, () => assert.equal(describeDecision(decision), text));

  test('round trip from evaluate', () => {
    const decision = evaluate([allowAll, denySecrets], 'iot:Publish', `${ARN}topic/secret/k`, resolverOf({}));
    assert.equal(describeDecision(decision), `denied by policy "no-secrets" statement 2 (Sid "NoSecrets") for iot:Publish on ${ARN}topic/secret/k`);
  });
});

describe('iotArn', () => {
  const CASES: [Parameters<typeof iotArn>, string][] = [
    [['us-east-1', '123456789012', 'client', 'c1'], 'arn:aws:iot:us-east-1:123456789012:client/c1'],
    [['eu-west-1', '000000000000', 'topic', '$aws/things/t/shadow/update'], 'arn:aws:iot:eu-west-1:000000000000:topic/$aws/things/t/shadow/update'],
    [['us-east-1', '1', 'topicfilter', 'a/+/#'], 'arn:aws:iot:us-east-1:1:topicfilter/a/+/#'],
    [['us-east-1', '1', 'thing', 'lamp/config'], 'arn:aws:iot:us-east-1:1:thing/lamp/config'],
    [['us-east-1', '1', 'cert', 'abc'], 'arn:aws:iot:us-east-1:1:cert/abc'],
    [['us-east-1', '1', 'policy', 'p'], 'arn:aws:iot:us-east-1:1:policy/p'],
    [['us-east-1', '1', 'cacert', 'x'], 'arn:aws:iot:us-east-1:1:cacert/x'],
    [['us-east-1', '1', 'rolealias', 'r'], 'arn:aws:iot:us-east-1:1:rolealias/r'],
  ];
  for (const [args, arn] of CASES) test(arn, () => assert.equal(iotArn(...args), arn));
});
