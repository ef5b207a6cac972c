/**
 * @module test/cli/rules.test — `hako rules …` run as a real child process against a real hako: create from
 * flags (republish, lambda by name, http, error action) and from --file, get, list with its filters,
 * replace, disable and enable, delete; and the failures — bad SQL with its line and column, a rule that
 * does not exist, bad JSON in --action and --file — checked through the AWS SDK as well.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { GetTopicRuleCommand, ListTopicRulesCommand, type IoTClient } from '@aws-sdk/client-iot';
import { hakoWithIotForFile } from '../helpers/aws.js';
import { cliFails, cliJson, cliOk, tempDir } from '../helpers/cli.js';
import type { TestHako } from '../helpers/hako.js';
import { rejectsWithAws } from '../helpers/iot-api.js';

let hako: TestHako;
let iot: IoTClient;
hakoWithIotForFile((started) => {
  ({ hako, iot } = started);
});

const at = (cwd: string) => ({ cwd, env: { HAKO_DATA_DIR: hako.dataDir } });
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:cli-rule-fn';
const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ';

interface RuleJson {
  ruleArn: string;
  rule: { ruleName: string; sql: string; description: string; actions: unknown[]; errorAction?: unknown; ruleDisabled: boolean; awsIotSqlVersion: string; createdAt: string };
}

interface ListJson {
  rules: Array<{ ruleName: string; topicPattern: string; ruleDisabled: boolean }>;
}

async function getRule(ruleName: string) {
  return (await iot.send(new GetTopicRuleCommand({ ruleName }))).rule ?? assert.fail(`no rule ${ruleName}`);
}

async function ruleNames(): Promise<string[]> {
  return ((await iot.send(new ListTopicRulesCommand({}))).rules ?? []).map((r) => r.ruleName ?? '');
}

test('create from flags (republish, lambda by name, http, error action); get shows it; list as a table, by topic and by state', async (t) => {
  const cwd = tempDir(t);
  mkdirSync(path.join(cwd, 'fn'));
  writeFileSync(path.join(cwd, 'fn', 'index.mjs'), 'export const handler = async (e) => e;');
  await cliOk(['functions', 'deploy', path.join(cwd, 'fn'), '--name', 'cli-rule-fn'], at(cwd));

  const created = await cliOk([
    'rules', 'create', 'cli_hot',
    '--sql', "SELECT temp FROM 'cli/+/temperature' WHERE temp > 30",
    '--republish', 'alerts/${topic(2)}:1',
    '--lambda', 'cli-rule-fn',
    '--http', 'http://127.0.0.1:9/hook',
    '--error-action', '{"republish":{"topic":"cli/errors"}}',
    '--description', 'hot rooms',
  ], at(cwd));
  assert.equal(created, [
    'created topic rule cli_hot (enabled)',
    '  arn      arn:aws:iot:us-east-1:000000000000:rule/cli_hot',
    '  actions  republish alerts/${topic(2)} (qos 1)',
    `           lambda ${FUNCTION_ARN}`,
    '           http http://127.0.0.1:9/hook',
    '  error    republish cli/errors',
    '',
  ].join('\n'));
  const stored = await getRule('cli_hot');
  assert.deepEqual(
    [stored.sql, stored.description, stored.actions, stored.errorAction, stored.ruleDisabled, stored.awsIotSqlVersion],
    [
      "SELECT temp FROM 'cli/+/temperature' WHERE temp > 30",
      'hot rooms',
      [{ republish: { topic: 'alerts/${topic(2)}', qos: 1 } }, { lambda: { functionArn: FUNCTION_ARN } }, { http: { url: 'http://127.0.0.1:9/hook' } }],
      { republish: { topic: 'cli/errors' } },
      false,
      '2015-10-08',
    ],
  );

  const got = await cliOk(['rules', 'get', 'cli_hot'], at(cwd));
  assert.match(got, new RegExp(`^topic rule cli_hot \\(enabled\\)\n  arn      arn:aws:iot:us-east-1:000000000000:rule/cli_hot\n  created  ${ISO}\n\\{\n`));
  const document = JSON.parse(got.slice(got.indexOf('{'))) as Record<string, unknown>;
  assert.deepEqual(document, { sql: stored.sql, description: 'hot rooms', awsIotSqlVersion: '2015-10-08', ruleDisabled: false, actions: stored.actions, errorAction: stored.errorAction }, 'the TopicRulePayload as JSON');
  const gotJson = await cliJson<RuleJson>(['rules', 'get', 'cli_hot'], at(cwd));
  assert.equal(gotJson.ruleArn, 'arn:aws:iot:us-east-1:000000000000:rule/cli_hot');
  assert.deepEqual(gotJson.rule.actions, stored.actions);

  // A second rule: an --action JSON with a qualified function, the newer SQL dialect, created disabled.
  await cliOk(['rules', 'create', 'cli_cold', '--sql', "SELECT [temp] AS t FROM 'cli/cold'", '--sql-version', '2016-03-23', '--action', `{"lambda":{"functionArn":"${FUNCTION_ARN}:$LATEST"}}`, '--lambda', 'cli-rule-fn:$LATEST', '--disabled'], at(cwd));
  const cold = await getRule('cli_cold');
  assert.deepEqual([cold.awsIotSqlVersion, cold.ruleDisabled, cold.actions], ['2016-03-23', true, [{ lambda: { functionArn: `${FUNCTION_ARN}:$LATEST` } }, { lambda: { functionArn: `${FUNCTION_ARN}:$LATEST` } }]]);

  const listed = await cliOk(['rules', 'list'], at(cwd));
  assert.match(listed, /^NAME +TOPIC PATTERN +ENABLED +CREATED$/m);
  assert.match(listed, new RegExp(`^cli_hot +cli/\\+/temperature +yes +${ISO}$`, 'm'));
  assert.match(listed, new RegExp(`^cli_cold +cli/cold +no +${ISO}$`, 'm'));
  const byTopic = await cliJson<ListJson>(['rules', 'list', '--topic', 'cli/+/temperature'], at(cwd));
  assert.deepEqual(byTopic.rules.map((r) => [r.ruleName, r.topicPattern, r.ruleDisabled]), [['cli_hot', 'cli/+/temperature', false]]);
  assert.equal(await cliOk(['rules', 'list', '--topic', 'cli/nothing'], at(cwd)), 'no topic rules match\n');
  assert.deepEqual((await cliJson<ListJson>(['rules', 'list', '--disabled'], at(cwd))).rules.map((r) => r.ruleName), ['cli_cold']);
  assert.ok(!(await cliJson<ListJson>(['rules', 'list', '--enabled'], at(cwd))).rules.some((r) => r.ruleName === 'cli_cold'));
  await cliFails(['rules', 'list', '--enabled', '--disabled'], 2, at(cwd));
});

test('replace keeps the enabled state unless told; disable and enable show in list; delete removes the rule', async (t) => {
  const cwd = tempDir(t);
  await cliOk(['rules', 'create', 'cli_flip', '--sql', "SELECT * FROM 'cli/flip'", '--republish', 'cli/flipped'], at(cwd));
  const row = async (topic: string): Promise<string> => (await cliOk(['rules', 'list', '--topic', topic], at(cwd))).split('\n')[1] ?? '';

  assert.equal(await cliOk(['rules', 'disable', 'cli_flip'], at(cwd)), 'topic rule cli_flip is now disabled\n');
  assert.match(await row('cli/flip'), /^cli_flip +cli\/flip +no /);
  const createdAt = (await getRule('cli_flip')).createdAt;

  const replaced = await cliOk(['rules', 'replace', 'cli_flip', '--sql', "SELECT n FROM 'cli/flop'", '--http', 'https://example.invalid/hook', '--description', 'second'], at(cwd));
  assert.equal(replaced, 'replaced topic rule cli_flip (disabled)\n  arn      arn:aws:iot:us-east-1:000000000000:rule/cli_flip\n  actions  http https://example.invalid/hook\n');
  const after = await getRule('cli_flip');
  assert.deepEqual([after.sql, after.description, after.actions, after.ruleDisabled, after.createdAt], ["SELECT n FROM 'cli/flop'", 'second', [{ http: { url: 'https://example.invalid/hook' } }], true, createdAt]);
  assert.match(await row('cli/flop'), /^cli_flip +cli\/flop +no /, 'the new topic pattern, still disabled');
  assert.equal(await cliOk(['rules', 'list', '--topic', 'cli/flip'], at(cwd)), 'no topic rules match\n');

  assert.deepEqual(await cliJson(['rules', 'enable', 'cli_flip'], at(cwd)), { ruleName: 'cli_flip', ruleDisabled: false });
  assert.match(await row('cli/flop'), /^cli_flip +cli\/flop +yes /);
  assert.ok((await cliJson<ListJson>(['rules', 'list', '--enabled'], at(cwd))).rules.some((r) => r.ruleName === 'cli_flip'));

  await cliOk(['rules', 'replace', 'cli_flip', '--sql', "SELECT n FROM 'cli/flop'", '--republish', 'cli/out', '--disabled'], at(cwd));
  assert.equal((await getRule('cli_flip')).ruleDisabled, true, '--disabled on replace');

  assert.equal(await cliOk(['rules', 'delete', 'cli_flip'], at(cwd)), 'deleted topic rule cli_flip\n');
  await rejectsWithAws(iot.send(new GetTopicRuleCommand({ ruleName: 'cli_flip' })), 'UnauthorizedException', { status: 401 });
  assert.ok(!(await ruleNames()).includes('cli_flip'));
});

test('create from --file: a TopicRulePayload, and `rules get --json` output edited and given to replace', async (t) => {
  const cwd = tempDir(t);
  const payload = { sql: "SELECT * FROM 'cli/file/#'", description: 'from a file', awsIotSqlVersion: '2016-03-23', actions: [{ republish: { topic: 'cli/file-out', qos: 1 } }], errorAction: { republish: { topic: 'cli/file-errors' } } };
  writeFileSync(path.join(cwd, 'rule.json'), JSON.stringify(payload, null, 2));
  await cliOk(['rules', 'create', 'cli_file', '--file', 'rule.json'], at(cwd));
  const stored = await getRule('cli_file');
  assert.deepEqual([stored.sql, stored.description, stored.awsIotSqlVersion, stored.actions, stored.errorAction, stored.ruleDisabled], [payload.sql, payload.description, '2016-03-23', payload.actions, payload.errorAction, false]);

  const exported = await cliJson<RuleJson>(['rules', 'get', 'cli_file'], at(cwd));
  exported.rule.sql = "SELECT * FROM 'cli/file/edited'";
  writeFileSync(path.join(cwd, 'exported.json'), JSON.stringify(exported));
  const replaced = await cliJson<RuleJson>(['rules', 'replace', 'cli_file', '--file', 'exported.json', '--republish', 'cli/also'], at(cwd));
  assert.equal(replaced.rule.sql, "SELECT * FROM 'cli/file/edited'");
  assert.deepEqual(replaced.rule.actions, [...payload.actions, { republish: { topic: 'cli/also' } }], 'flags add to the file\'s actions');
  assert.equal((await getRule('cli_file')).sql, "SELECT * FROM 'cli/file/edited'");
});

test('bad SQL: SqlParseException with its line and column, the line with a caret, exit 1, nothing created', async (t) => {
  const cwd = tempDir(t);
  const second = "FROM 'cli/a' WHERE temp >";
  const stderr = await cliFails(['rules', 'create', 'cli_broken', '--sql', `SELECT temp\n${second}`], 1, at(cwd));
  assert.match(stderr[0] ?? '', new RegExp(`^hako: rules create: CreateTopicRule: SqlParseException: .*[Ee]xpected.* at line 2, column ${second.length + 1}$`));
  assert.deepEqual(stderr.slice(1), [
    'hint: fix the --sql statement there (read as AWS IoT SQL version 2015-10-08; --sql-version chooses the other one)',
    `  ${second}`,
    `  ${' '.repeat(second.length)}^`,
  ], 'the line with a caret under the column');
  const gated = await cliFails(['rules', 'create', 'cli_broken', '--sql', "SELECT [1, 2] AS a FROM 'cli/x'"], 1, at(cwd));
  assert.match(gated[0] ?? '', /SqlParseException: .*2016-03-23.* at line 1, column \d+$/);
  writeFileSync(path.join(cwd, 'broken.json'), JSON.stringify({ sql: 'SELECT FROM', actions: [] }));
  const fromFile = await cliFails(['rules', 'create', 'cli_broken', '--file', 'broken.json'], 1, at(cwd));
  assert.match(fromFile[1] ?? '', /^hint: fix the sql in broken\.json there/);
  assert.ok(!(await ruleNames()).includes('cli_broken'));
});

test('a rule that does not exist is "no topic rule NAME", exit 1, for get, replace, enable, disable and delete; a duplicate says what to do', async (t) => {
  const cwd = tempDir(t);
  assert.deepEqual(await cliFails(['rules', 'get', 'cli_nope'], 1, at(cwd)), ['hako: rules get: no topic rule cli_nope', 'hint: see the rules there are with hako rules list']);
  assert.deepEqual(await cliFails(['rules', 'replace', 'cli_nope', '--sql', "SELECT * FROM 'x'"], 1, at(cwd)), ['hako: rules replace: no topic rule cli_nope', 'hint: create it with hako rules create cli_nope …']);
  for (const command of ['enable', 'disable', 'delete']) {
    assert.equal((await cliFails(['rules', command, 'cli_nope'], 1, at(cwd)))[0], `hako: rules ${command}: no topic rule cli_nope`);
  }
  await cliOk(['rules', 'create', 'cli_dup', '--sql', "SELECT * FROM 'cli/dup'"], at(cwd));
  assert.deepEqual(await cliFails(['rules', 'create', 'cli_dup', '--sql', "SELECT * FROM 'cli/dup2'"], 1, at(cwd)), [
    'hako: rules create: CreateTopicRule: ResourceAlreadyExistsException: Topic rule cli_dup already exists',
    'hint: change it with hako rules replace cli_dup …, or delete it first',
  ]);
  assert.equal((await getRule('cli_dup')).sql, "SELECT * FROM 'cli/dup'", 'the existing rule is untouched');
});

test('bad JSON in --action, --error-action and --file, and a --lambda function that does not exist, say which flag and why', async (t) => {
  const cwd = tempDir(t);
  const sql = ['--sql', "SELECT * FROM 'cli/json'"];
  const [notJson, jsonHint] = await cliFails(['rules', 'create', 'cli_json', ...sql, '--action', '{republish:'], 1, at(cwd));
  assert.match(notJson ?? '', /^hako: rules create: --action \{republish:: not valid JSON: .+/);
  assert.match(jsonHint ?? '', /^hint: pass one action as a JSON object .*--action '\{"republish":\{"topic":"out\/topic","qos":1\}\}'/);
  assert.equal((await cliFails(['rules', 'create', 'cli_json', ...sql, '--action', '[{"republish":{"topic":"a"}}]'], 1, at(cwd)))[0], 'hako: rules create: --action [{"republish":{"topic":"a"}}]: expected one action as a JSON object, got a list');
  assert.equal((await cliFails(['rules', 'create', 'cli_json', ...sql, '--action', '{"republsh":{"topic":"a"}}'], 1, at(cwd)))[0], 'hako: rules create: --action {"republsh":{"topic":"a"}}: "republsh" is not a kind of action');
  assert.match((await cliFails(['rules', 'create', 'cli_json', ...sql, '--error-action', '{"republish"'], 1, at(cwd)))[0] ?? '', /^hako: rules create: --error-action \{"republish": not valid JSON: /);
  writeFileSync(path.join(cwd, 'bad.json'), '{"sql": "SELECT * FROM \'x\'", "actions": [');
  const [badFile, fileHint] = await cliFails(['rules', 'create', 'cli_json', '--file', 'bad.json'], 1, at(cwd));
  assert.match(badFile ?? '', /^hako: rules create: --file bad\.json: not valid JSON: .+/);
  assert.match(fileHint ?? '', /^hint: the file holds a TopicRulePayload: /);
  assert.deepEqual(await cliFails(['rules', 'create', 'cli_json', '--file', 'missing.json'], 1, at(cwd)), ['hako: rules create: --file missing.json: cannot read it: ENOENT', 'hint: pass --file FILE holding a TopicRulePayload, or give the rule with --sql and action flags']);
  assert.equal((await cliFails(['rules', 'create', 'cli_json'], 1, at(cwd)))[0], 'hako: rules create: no SQL: give --sql');
  const [noFunction] = await cliFails(['rules', 'create', 'cli_json', ...sql, '--lambda', 'cli-no-such-fn'], 1, at(cwd));
  assert.equal(noFunction, 'hako: rules create: --lambda cli-no-such-fn: no function cli-no-such-fn');
  // The service's own refusals come through with its message.
  assert.match((await cliFails(['rules', 'create', 'cli_json', ...sql, '--republish', 'a', '--http', 'ftp://example'], 1, at(cwd)))[0] ?? '', /^hako: rules create: CreateTopicRule: InvalidRequestException: .*http:\/\/ or https:\/\//);
  assert.ok(!(await ruleNames()).includes('cli_json'), 'nothing refused was stored');
});

test('rules destinations lists the destination an http rule made; enable-destination enables it by URL; an unknown one says how to find them', async (t) => {
  const cwd = tempDir(t);
  await cliOk(['rules', 'create', 'cli_webhook', '--sql', "SELECT * FROM 'cli/webhook'", '--http', 'http://127.0.0.1:9/cli-hook'], at(cwd));
  const listed = await cliJson<{ destinationSummaries: Array<{ arn: string; status: string; httpUrlSummary: { confirmationUrl: string } }> }>(['rules', 'destinations'], at(cwd));
  const made = listed.destinationSummaries.find((d) => d.httpUrlSummary.confirmationUrl === 'http://127.0.0.1:9/cli-hook');
  assert.ok(made !== undefined, 'the rule made a destination for its URL');
  assert.notEqual(made.status, 'ENABLED', 'nothing confirmed it');
  assert.match(await cliOk(['rules', 'destinations'], at(cwd)), /^CONFIRMATION URL\s+STATUS\s+ARN\s+REASON\n(.*\n)*http:\/\/127\.0\.0\.1:9\/cli-hook\s+(IN_PROGRESS|ERROR)\s+arn:aws:iot:us-east-1:000000000000:ruledestination\/http\//);
  assert.equal(await cliOk(['rules', 'enable-destination', 'http://127.0.0.1:9/cli-hook'], at(cwd)), 'http://127.0.0.1:9/cli-hook is ENABLED\n');
  assert.equal((await cliJson<{ arn: string; status: string }>(['rules', 'disable-destination', made.arn], at(cwd))).status, 'DISABLED');
  const [message, hint] = await cliFails(['rules', 'enable-destination', 'http://nowhere.example/'], 1, at(cwd));
  assert.equal(message, 'hako: rules enable-destination: no topic rule destination is http://nowhere.example/');
  assert.match(hint ?? '', /hako rules destinations/);
});
