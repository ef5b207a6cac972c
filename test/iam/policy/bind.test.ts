/**
 * @module test/iam/policy/bind.test — `bindVariables` substitutes a connection's variables once; evaluating
 * the bound policies must decide every request exactly as evaluating the originals does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindVariables, evaluate } from '../../../src/iam/policy/index.js';
import { ARN, policy, resolverOf } from './helpers.js';

const thingPolicy = policy('thing', {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}client/\${iot:Connection.Thing.ThingName}` },
    { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: [`${ARN}topic/\${iot:Connection.Thing.ThingName}/*`, `${ARN}topic/\${iot:ClientId}/\${*}`] },
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}topicfilter/\${iot:Certificate.Subject.Organization}/+` },
    { Sid: 'NoSecrets', Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}topic/\${iot:Connection.Thing.ThingName}/secret/*` },
    { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}topic/cond/*`, Condition: { StringEquals: { 'iot:ClientId': 'pi*' } } },
  ],
});

const contexts: ReadonlyArray<Readonly<Record<string, string | string[]>>> = [
  { 'iot:ClientId': 'pi*', 'iot:Connection.Thing.ThingName': 'pi-1', 'iot:Certificate.Subject.Organization': ['acme', 'other'] },
  { 'iot:ClientId': 'pi-1' }, // no thing attached, no certificate: those resources match nothing
  { 'iot:ClientId': 'a?b', 'iot:Connection.Thing.ThingName': 'a?b' },
];
const requests: Array<[string, string]> = [
  ['iot:Connect', `${ARN}client/pi-1`],
  ['iot:Publish', `${ARN}topic/pi-1/humidity`],
  ['iot:Publish', `${ARN}topic/pi-1/secret/key`],
  ['iot:Receive', `${ARN}topic/pi*/*`],
  ['iot:Receive', `${ARN}topic/piX/*`],
  ['iot:Publish', `${ARN}topic/a?b/x`],
  ['iot:Publish', `${ARN}topic/aXb/x`],
  ['iot:Subscribe', `${ARN}topicfilter/acme/+`],
  ['iot:Subscribe', `${ARN}topicfilter/other/+`],
  ['iot:Publish', `${ARN}topic/cond/1`],
];

for (const [i, context] of contexts.entries()) {
  test(`bound policies decide like the originals (context ${i + 1})`, () => {
    const resolve = resolverOf(context);
    const bound = bindVariables([thingPolicy], resolve);
    let allowedSomething = false;
    for (const [action, resource] of requests) {
      const expected = evaluate([thingPolicy], action, resource, resolve);
      assert.deepEqual(evaluate(bound, action, resource, resolve), expected, `${action} on ${resource}`);
      allowedSomething ||= expected.allowed;
    }
    assert.ok(allowedSomething || i === 1, 'the table exercises allows as well as denials');
  });
}

test('binding does no substitution at evaluation time: the resolver is asked only for condition keys', () => {
  const resolve = resolverOf(contexts[0] ?? {});
  const bound = bindVariables([thingPolicy], resolve);
  resolve.asked.length = 0;
  assert.equal(evaluate(bound, 'iot:Publish', `${ARN}topic/pi-1/humidity`, resolve).allowed, true);
  assert.deepEqual(resolve.asked, []);
  assert.equal(evaluate(bound, 'iot:Publish', `${ARN}topic/cond/1`, resolve).allowed, true);
  assert.deepEqual([...new Set(resolve.asked)], ['iot:ClientId']);
});
