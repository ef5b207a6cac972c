/**
 * @module test/rules/topic-rules-api.test — the topic rule API through the real `@aws-sdk/client-iot`
 * (spec §4.1): create, get, list (by topic and state, paged), replace, enable/disable, delete, rules kept
 * across a restart, and the errors AWS answers with — SqlParseException with line and column, bad
 * actions named with their field, a duplicate, a rule that does not exist.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  CreateTopicRuleCommand,
  DeleteTopicRuleCommand,
  DisableTopicRuleCommand,
  GetTopicRuleCommand,
  ListTopicRulesCommand,
  ReplaceTopicRuleCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { hakoWithIotForFile, iotClient } from '../helpers/aws.js';
import { startTestHako } from '../helpers/hako.js';
import { rejectsWithAws } from '../helpers/iot-api.js';

let iot: IoTClient;
hakoWithIotForFile((started) => {
  ({ iot } = started);
});

const ROLE = 'arn:aws:iam::000000000000:role/rules';
const republish = (topic: string) => ({ republish: { topic, roleArn: ROLE, qos: 0 } });

test('CreateTopicRule, then GetTopicRule answers the rule as written, with its ARN and creation time', async () => {
  const before = Math.floor(Date.now() / 1000);
  await iot.send(new CreateTopicRuleCommand({
    ruleName: 'temperature',
    topicRulePayload: { sql: "SELECT temp FROM 'sensors/+/temperature' WHERE temp > 30", description: 'hot rooms', actions: [republish('alerts/hot')], errorAction: republish('errors/temperature') },
  }));
  const got = await iot.send(new GetTopicRuleCommand({ ruleName: 'temperature' }));
  assert.equal(got.ruleArn, 'arn:aws:iot:us-east-1:000000000000:rule/temperature');
  const { createdAt, ...rule } = got.rule ?? assert.fail('no rule');
  assert.ok(createdAt instanceof Date && createdAt.getTime() / 1000 >= before - 1);
  assert.deepEqual(rule, {
    ruleName: 'temperature',
    sql: "SELECT temp FROM 'sensors/+/temperature' WHERE temp > 30",
    description: 'hot rooms',
    actions: [republish('alerts/hot')],
    errorAction: republish('errors/temperature'),
    ruleDisabled: false,
    awsIotSqlVersion: '2015-10-08', // AWS's default when the API caller names none
  });
});

test('ListTopicRules: every rule with its topic pattern; filtered by topic and by state; paged', async () => {
  for (const name of ['a_rule', 'b_rule', 'c_rule']) {
    await iot.send(new CreateTopicRuleCommand({ ruleName: name, topicRulePayload: { sql: `SELECT * FROM 'list/${name}'`, actions: [], ruleDisabled: name === 'b_rule' } }));
  }
  const all = await iot.send(new ListTopicRulesCommand({}));
  assert.deepEqual(all.rules?.map((r) => [r.ruleName, r.topicPattern, r.ruleDisabled]), [
    ['a_rule', 'list/a_rule', false], ['b_rule', 'list/b_rule', true], ['c_rule', 'list/c_rule', false], ['temperature', 'sensors/+/temperature', false],
  ]);
  assert.deepEqual((await iot.send(new ListTopicRulesCommand({ topic: 'list/c_rule' }))).rules?.map((r) => r.ruleName), ['c_rule']);
  assert.deepEqual((await iot.send(new ListTopicRulesCommand({ ruleDisabled: true }))).rules?.map((r) => r.ruleName), ['b_rule']);
  const first = await iot.send(new ListTopicRulesCommand({ maxResults: 3 }));
  const second = await iot.send(new ListTopicRulesCommand({ maxResults: 3, nextToken: first.nextToken }));
  assert.deepEqual([first.rules?.length, second.rules?.map((r) => r.ruleName), second.nextToken], [3, ['temperature'], undefined]);
});

test('ReplaceTopicRule changes the statement and actions and keeps the creation time; Disable shows in Get; Delete removes it', async () => {
  const created = (await iot.send(new GetTopicRuleCommand({ ruleName: 'a_rule' }))).rule?.createdAt;
  await iot.send(new ReplaceTopicRuleCommand({ ruleName: 'a_rule', topicRulePayload: { sql: "SELECT n FROM 'list/replaced'", awsIotSqlVersion: '2016-03-23', actions: [republish('out/${topic()}')] } }));
  const replaced = (await iot.send(new GetTopicRuleCommand({ ruleName: 'a_rule' }))).rule;
  assert.deepEqual([replaced?.sql, replaced?.awsIotSqlVersion, replaced?.actions, replaced?.createdAt], ["SELECT n FROM 'list/replaced'", '2016-03-23', [republish('out/${topic()}')], created]);
  await iot.send(new DisableTopicRuleCommand({ ruleName: 'a_rule' }));
  assert.equal((await iot.send(new GetTopicRuleCommand({ ruleName: 'a_rule' }))).rule?.ruleDisabled, true);
  await iot.send(new DeleteTopicRuleCommand({ ruleName: 'a_rule' }));
  await rejectsWithAws(iot.send(new GetTopicRuleCommand({ ruleName: 'a_rule' })), 'UnauthorizedException', { status: 401 });
});

test('bad SQL is SqlParseException with the line, column and what was expected', async () => {
  const error = await rejectsWithAws(
    iot.send(new CreateTopicRuleCommand({ ruleName: 'broken', topicRulePayload: { sql: "SELECT temp\nFROM 'a/b' WHERE temp >", actions: [] } })),
    'SqlParseException',
    { status: 400 },
  );
  assert.match(error.message, /line 2, column \d+/);
  assert.match(error.message, /[Ee]xpected/);
  await rejectsWithAws(iot.send(new CreateTopicRuleCommand({ ruleName: 'v2015', topicRulePayload: { sql: "SELECT [1, 2] AS a FROM 'x'", actions: [] } })), 'SqlParseException', { message: /2016-03-23/ });
});

test('bad actions and names are InvalidRequestException saying what is wrong; a duplicate name is ResourceAlreadyExistsException', async () => {
  const create = (ruleName: string, payload: Record<string, unknown>) => iot.send(new CreateTopicRuleCommand({ ruleName, topicRulePayload: { sql: "SELECT * FROM 'x'", actions: [], ...payload } }));
  await rejectsWithAws(create('s3_rule', { actions: [{ s3: { bucketName: 'b', key: 'k', roleArn: ROLE } }] }), 'InvalidRequestException', { message: /s3 action is not supported by hako; supported: republish, lambda, http, kinesis, firehose/ });
  await rejectsWithAws(create('no_topic', { actions: [{ republish: { roleArn: ROLE } }] }), 'InvalidRequestException', { message: /republish action: topic is required/ });
  await rejectsWithAws(create('bad_template', { actions: [republish('out/${topic(}')] }), 'InvalidRequestException', { message: /republish action: topic has a bad substitution template/ });
  await rejectsWithAws(create('bad_qos', { actions: [{ republish: { topic: 'a', qos: 2, roleArn: ROLE } }] }), 'InvalidRequestException', { message: /qos must be 0 or 1/ });
  await rejectsWithAws(create('bad_arn', { actions: [{ lambda: { functionArn: 'my-function' } }] }), 'InvalidRequestException', { message: /functionArn must be a Lambda function ARN/ });
  await rejectsWithAws(create('bad_url', { actions: [{ http: { url: 'ftp://example' } }] }), 'InvalidRequestException', { message: /http:\/\/ or https:\/\// });
  await rejectsWithAws(create('eleven', { actions: Array.from({ length: 11 }, () => republish('a')) }), 'InvalidRequestException', { message: /at most 10 actions/ });
  await rejectsWithAws(create('bad-name', {}), 'InvalidRequestException', { message: /\[a-zA-Z0-9_\]/ });
  await rejectsWithAws(create('temperature', {}), 'ResourceAlreadyExistsException', { status: 409 });
  const names = (await iot.send(new ListTopicRulesCommand({}))).rules?.map((r) => r.ruleName);
  assert.deepEqual(names, ['b_rule', 'c_rule', 'temperature'], 'nothing refused was stored');
});

test('rules are durable: a restarted hako has them, compiled and listed', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hako-rules-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await startTestHako({}, dataDir);
  const client = iotClient(first);
  try {
    await client.send(new CreateTopicRuleCommand({ ruleName: 'kept', topicRulePayload: { sql: "SELECT * FROM 'kept/+'", description: 'survives', actions: [republish('out/kept')], ruleDisabled: true } }));
  } finally {
    client.destroy();
    await first.close();
  }
  const second = await startTestHako({}, dataDir);
  const again = iotClient(second);
  try {
    assert.deepEqual((await again.send(new ListTopicRulesCommand({}))).rules?.map((r) => [r.ruleName, r.topicPattern, r.ruleDisabled]), [['kept', 'kept/+', true]]);
    assert.equal((await again.send(new GetTopicRuleCommand({ ruleName: 'kept' }))).rule?.description, 'survives');
    assert.equal(second.rules.topicRules.find('kept')?.actions.length, 1, 'compiled again at start');
  } finally {
    again.destroy();
    await second.close();
  }
});
