/**
 * @module test/iam/policy/aws-examples — AWS IoT developer-guide policies evaluated for every action the
 * broker and HTTP layer check (Connect, Publish, RetainPublish, Subscribe, Receive, the shadow actions,
 * the retained-message actions).
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate, iotArn, type CompiledPolicy, type IotResourceKind } from '../../../src/iam/policy/index.js';
import type { VariableValue } from '../../../src/iam/policy/variables.js';
import { ACCOUNT, ARN, REGION, policy, resolverOf } from './helpers.js';

type Context = Record<string, VariableValue>;
type Expect = 'Allow' | 'Deny' | 'ImplicitDeny';
/** [note, action, resource kind, resource name, context, expected effect, deciding statement index] */
type Case = readonly [string, string, IotResourceKind | '*', string, Context, Expect, number?];

interface Scenario {
  readonly name: string;
  readonly policies: readonly CompiledPolicy[];
  readonly cases: readonly Case[];
}

const THING: Context = { 'iot:ClientId': 'thing-1', 'iot:Connection.Thing.ThingName': 'thing-1', 'iot:Connection.Thing.IsAttached': 'true' };
/** A client whose certificate is not attached to a thing named like its client id: no thing variables. */
const UNATTACHED: Context = { 'iot:ClientId': 'thing-1', 'iot:Connection.Thing.IsAttached': 'false' };

const thingPolicy = policy('thing-policy', {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}client/\${iot:Connection.Thing.ThingName}` },
    { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${ARN}topic/\${iot:Connection.Thing.ThingName}/*` },
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}topicfilter/\${iot:Connection.Thing.ThingName}/*` },
    {
      Effect: 'Allow',
      Action: ['iot:Publish', 'iot:Receive'],
      Resource: `${ARN}topic/$aws/things/\${iot:Connection.Thing.ThingName}/shadow/*`,
    },
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}topicfilter/$aws/things/\${iot:Connection.Thing.ThingName}/shadow/*` },
  ],
});

const shadowHttpPolicy = policy('shadow-http', {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['iot:GetThingShadow', 'iot:UpdateThingShadow'], Resource: [`${ARN}thing/lamp`, `${ARN}thing/lamp/*`] },
    { Sid: 'NoDelete', Effect: 'Deny', Action: 'iot:DeleteThingShadow', Resource: `${ARN}thing/lamp/config` },
    { Effect: 'Allow', Action: 'iot:DeleteThingShadow', Resource: `${ARN}thing/lamp*` },
  ],
});

const retainedPolicy = policy('retained', {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}client/*`, Condition: { 'ForAllValues:StringEquals': { 'iot:ConnectAttributes': ['LastWill'] } } },
    { Effect: 'Allow', Action: ['iot:Publish', 'iot:RetainPublish'], Resource: `${ARN}topic/will` },
    { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}topic/status/*` },
    { Effect: 'Allow', Action: 'iot:GetRetainedMessage', Resource: `${ARN}topic/status/*` },
    { Effect: 'Allow', Action: 'iot:ListRetainedMessages', Resource: '*' },
  ],
});

const connectPolicy = policy('connect', {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Deny', Action: 'iot:Connect', Resource: [`${ARN}client/client1`, `${ARN}client/client2`] },
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}client/\${iot:Connection.Thing.ThingName}` },
  ],
});

const clientIdPolicy = policy('client-id', {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}client/\${iot:ClientId}` },
    { Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}topic/my/topic/\${iot:ClientId}` },
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}topicfilter/my/\${iot:ClientId}/topic` },
  ],
});

const wildcardPolicy = policy('wildcards', {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: [`${ARN}topicfilter/sensors/#`, `${ARN}topicfilter/room-?/+/temp`] },
    { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}topic/sensors/*` },
    { Effect: 'Allow', Action: 'iot:Publish', Resource: 'arn:aws:iot:*:*:topic/fleet/??/status' },
  ],
});

const SCENARIOS: Scenario[] = [
  {
    name: 'classic thing policy (thing name variables)',
    policies: [thingPolicy],
    cases: [
      ['Connect as the thing', 'iot:Connect', 'client', 'thing-1', THING, 'Allow', 0],
      ['Connect with another client id', 'iot:Connect', 'client', 'thing-2', THING, 'ImplicitDeny'],
      ['Connect without an attached thing', 'iot:Connect', 'client', 'thing-1', UNATTACHED, 'ImplicitDeny'],
      ['Publish under the thing prefix', 'iot:Publish', 'topic', 'thing-1/telemetry', THING, 'Allow', 1],
      ['Publish several levels down (* crosses /)', 'iot:Publish', 'topic', 'thing-1/a/b/c', THING, 'Allow', 1],
      ['Publish to the bare thing topic', 'iot:Publish', 'topic', 'thing-1', THING, 'ImplicitDeny'],
      ['Publish under another thing', 'iot:Publish', 'topic', 'thing-2/telemetry', THING, 'ImplicitDeny'],
      ['Publish with a thing-name prefix trick', 'iot:Publish', 'topic', 'thing-10/x', THING, 'ImplicitDeny'],
      ['Receive under the thing prefix', 'iot:Receive', 'topic', 'thing-1/cmd', THING, 'Allow', 1],
      ['Subscribe to a filter under the prefix', 'iot:Subscribe', 'topicfilter', 'thing-1/cmd/#', THING, 'Allow', 2],
      ['Subscribe to a + filter under the prefix', 'iot:Subscribe', 'topicfilter', 'thing-1/+/cmd', THING, 'Allow', 2],
      ['Subscribe to #', 'iot:Subscribe', 'topicfilter', '#', THING, 'ImplicitDeny'],
      ['Subscribe is not Publish', 'iot:Subscribe', 'topic', 'thing-1/cmd', THING, 'ImplicitDeny'],
      ['shadow update', 'iot:Publish', 'topic', '$aws/things/thing-1/shadow/update', THING, 'Allow', 3],
      ['named shadow update', 'iot:Publish', 'topic', '$aws/things/thing-1/shadow/name/cfg/update', THING, 'Allow', 3],
      ['shadow response subscription', 'iot:Subscribe', 'topicfilter', '$aws/things/thing-1/shadow/update/accepted', THING, 'Allow', 4],
      ["another thing's shadow", 'iot:Publish', 'topic', '$aws/things/thing-2/shadow/update', THING, 'ImplicitDeny'],
      ['shadow topics without an attached thing', 'iot:Publish', 'topic', '$aws/things/thing-1/shadow/update', UNATTACHED, 'ImplicitDeny'],
      ['action names are case-insensitive', 'IOT:PUBLISH', 'topic', 'thing-1/x', THING, 'Allow', 1],
    ],
  },
  {
    name: 'HTTP shadow actions with a Deny carve-out',
    policies: [shadowHttpPolicy],
    cases: [
      ['GetThingShadow classic', 'iot:GetThingShadow', 'thing', 'lamp', {}, 'Allow', 0],
      ['GetThingShadow named', 'iot:GetThingShadow', 'thing', 'lamp/config', {}, 'Allow', 0],
      ['UpdateThingShadow named', 'iot:UpdateThingShadow', 'thing', 'lamp/state', {}, 'Allow', 0],
      ['UpdateThingShadow other thing', 'iot:UpdateThingShadow', 'thing', 'lamp2', {}, 'ImplicitDeny'],
      ['DeleteThingShadow allowed by lamp*', 'iot:DeleteThingShadow', 'thing', 'lamp', {}, 'Allow', 2],
      ['DeleteThingShadow lamp2 (lamp* is a prefix glob)', 'iot:DeleteThingShadow', 'thing', 'lamp2', {}, 'Allow', 2],
      ['DeleteThingShadow denied for the config shadow', 'iot:DeleteThingShadow', 'thing', 'lamp/config', {}, 'Deny', 1],
      ['Get does not imply Delete', 'iot:DeleteThingShadow', 'thing', 'other', {}, 'ImplicitDeny'],
    ],
  },
  {
    name: 'retained messages and LastWill (AWS retained-message examples)',
    policies: [retainedPolicy],
    cases: [
      ['Connect with a will', 'iot:Connect', 'client', 'c1', { 'iot:ConnectAttributes': ['LastWill'] }, 'Allow', 0],
      ['Connect clean without features', 'iot:Connect', 'client', 'c1', { 'iot:ConnectAttributes': [] }, 'Allow', 0],
      ['Connect with a persistent session', 'iot:Connect', 'client', 'c1', { 'iot:ConnectAttributes': ['PersistentConnect', 'LastWill'] }, 'ImplicitDeny'],
      ['Publish the will topic', 'iot:Publish', 'topic', 'will', {}, 'Allow', 1],
      ['RetainPublish the will topic', 'iot:RetainPublish', 'topic', 'will', {}, 'Allow', 1],
      ['Publish status', 'iot:Publish', 'topic', 'status/c1', {}, 'Allow', 2],
      ['RetainPublish status is not granted', 'iot:RetainPublish', 'topic', 'status/c1', {}, 'ImplicitDeny'],
      ['GetRetainedMessage status', 'iot:GetRetainedMessage', 'topic', 'status/c1', {}, 'Allow', 3],
      ['GetRetainedMessage elsewhere', 'iot:GetRetainedMessage', 'topic', 'will', {}, 'ImplicitDeny'],
      ['ListRetainedMessages on *', 'iot:ListRetainedMessages', '*', '', {}, 'Allow', 4],
    ],
  },
  {
    name: 'deny named client ids, allow thing names (AWS connect example)',
    policies: [connectPolicy],
    cases: [
      ['client1 is denied even as a thing', 'iot:Connect', 'client', 'client1', { 'iot:Connection.Thing.ThingName': 'client1' }, 'Deny', 0],
      ['client2 is denied', 'iot:Connect', 'client', 'client2', {}, 'Deny', 0],
      ['a registered thing connects', 'iot:Connect', 'client', 'dev-9', { 'iot:Connection.Thing.ThingName': 'dev-9' }, 'Allow', 1],
      ['an unregistered client id', 'iot:Connect', 'client', 'dev-9', {}, 'ImplicitDeny'],
    ],
  },
  {
    name: '${iot:ClientId} (AWS basic policy variables) and literal substitution',
    policies: [clientIdPolicy],
    cases: [
      ['Connect as itself', 'iot:Connect', 'client', 'c-1', { 'iot:ClientId': 'c-1' }, 'Allow', 0],
      ['Publish to its topic', 'iot:Publish', 'topic', 'my/topic/c-1', { 'iot:ClientId': 'c-1' }, 'Allow', 1],
      ['Publish to a sibling', 'iot:Publish', 'topic', 'my/topic/c-2', { 'iot:ClientId': 'c-1' }, 'ImplicitDeny'],
      ['client id * is literal, not a wildcard', 'iot:Publish', 'topic', 'my/topic/anything', { 'iot:ClientId': '*' }, 'ImplicitDeny'],
      ['client id * still publishes to its own literal topic', 'iot:Publish', 'topic', 'my/topic/*', { 'iot:ClientId': '*' }, 'Allow', 1],
      ['client id a? is literal', 'iot:Publish', 'topic', 'my/topic/ab', { 'iot:ClientId': 'a?' }, 'ImplicitDeny'],
      ['AWS pitfall: client id + may subscribe to my/+/topic', 'iot:Subscribe', 'topicfilter', 'my/+/topic', { 'iot:ClientId': '+' }, 'Allow', 2],
      ['…but + stays literal for other filters', 'iot:Subscribe', 'topicfilter', 'my/x/topic', { 'iot:ClientId': '+' }, 'ImplicitDeny'],
      ['no client id at all', 'iot:Connect', 'client', 'c-1', {}, 'ImplicitDeny'],
    ],
  },
  {
    name: 'wildcards: * and ? in resources, MQTT + and # literal',
    policies: [wildcardPolicy],
    cases: [
      ['Subscribe to the literal # filter', 'iot:Subscribe', 'topicfilter', 'sensors/#', {}, 'Allow', 0],
      ['# in a policy is not an MQTT wildcard', 'iot:Subscribe', 'topicfilter', 'sensors/a', {}, 'ImplicitDeny'],
      ['? and literal +', 'iot:Subscribe', 'topicfilter', 'room-7/+/temp', {}, 'Allow', 0],
      ['+ in a policy is not an MQTT wildcard', 'iot:Subscribe', 'topicfilter', 'room-7/x/temp', {}, 'ImplicitDeny'],
      ['? is exactly one character', 'iot:Subscribe', 'topicfilter', 'room-12/+/temp', {}, 'ImplicitDeny'],
      ['Receive deep under sensors/', 'iot:Receive', 'topic', 'sensors/a/b/c', {}, 'Allow', 1],
      ['region and account wildcards', 'iot:Publish', 'topic', 'fleet/ab/status', {}, 'Allow', 2],
      ['?? does not match one character', 'iot:Publish', 'topic', 'fleet/a/status', {}, 'ImplicitDeny'],
      ['extra levels need a *', 'iot:Publish', 'topic', 'fleet/ab/status/x', {}, 'ImplicitDeny'],
      ['? matches a / too (?? = "a/")', 'iot:Publish', 'topic', 'fleet/a//status', {}, 'Allow', 2],
    ],
  },
];

function resourceArn(kind: IotResourceKind | '*', name: string): string {
  return kind === '*' ? '*' : iotArn(REGION, ACCOUNT, kind, name);
}

for (const scenario of SCENARIOS) {
  describe(scenario.name, () => {
    for (const [note, action, kind, name, context, effect, index] of scenario.cases) {
      test(`${note}: ${action} ${kind}/${name} → ${effect}`, () => {
        const decision = evaluate(scenario.policies, action, resourceArn(kind, name), resolverOf(context));
        assert.equal(decision.effect, effect);
        assert.equal(decision.allowed, effect === 'Allow');
        assert.equal(decision.statementIndex, index);
      });
    }
  });
}
