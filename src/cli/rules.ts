/**
 * @module cli/rules — `hako rules …`: create, replace, get, list, enable, disable and delete topic rules,
 * through the IoT topic rule APIs. A rule is given by flags (`--sql`, and `--republish`, `--lambda`,
 * `--http` or `--action JSON` for its actions), by `--file` holding a TopicRulePayload, or both (the flags
 * then override the file's fields and add to its actions).
 */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import {
  CreateTopicRuleCommand,
  DeleteTopicRuleCommand,
  DisableTopicRuleCommand,
  EnableTopicRuleCommand,
  GetTopicRuleCommand,
  ListTopicRulesCommand,
  ReplaceTopicRuleCommand,
  type GetTopicRuleCommandOutput,
  type Action as AwsAction,
  type TopicRuleListItem,
  type TopicRulePayload,
} from '@aws-sdk/client-iot';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { addConnectionOptions, CliError, withConnection, type Connection, type ConnectionFlags } from './client.js';
import { emit, formatDate, table, withoutMetadata } from './output.js';
import { registerRuleDestinationCommands } from './rule-destinations.js';

/** The SQL version the API assumes when a rule names none (AWS's default for API callers). */
const DEFAULT_SQL_VERSION = '2015-10-08';
const SQL_VERSIONS = ['2015-10-08', '2016-03-23'];
/**
 * Every kind of action AWS IoT has (the SDK's `Action` members): the SDK drops a key it does not know, so a
 * misspelt kind is caught here; one hako does not run (s3, sqs …) gets hako's own answer saying so.
 */
const AWS_ACTION_KINDS: ReadonlySet<string> = new Set([
  'dynamoDB', 'lambda', 'sns', 'sqs', 'kinesis', 'republish', 'firehose', 'cloudwatchMetric', 'cloudwatchAlarm', 'cloudwatchLogs', 'elasticsearch', 'salesforce',
  'iotAnalytics', 'iotEvents', 'iotSiteWise', 'stepFunctions', 'timestream', 'http', 'kafka', 'openSearch', 'location', 'influxDB',
] satisfies ReadonlyArray<keyof AwsAction>);
const ACTION_EXAMPLE = `--action '{"republish":{"topic":"out/topic","qos":1}}'`;

interface RuleFlags extends ConnectionFlags {
  file?: string;
  sql?: string;
  description?: string;
  sqlVersion?: string;
  disabled?: boolean;
  enabled?: boolean;
  action?: string[];
  republish?: string[];
  lambda?: string[];
  http?: string[];
  errorAction?: string;
}

type Action = Record<string, unknown>;

/** A rule as the flags describe it; `--lambda` names still to be turned into ARNs. */
interface RuleDraft {
  payload: Record<string, unknown>;
  /** Indexes into `payload.actions` of `--lambda` values that are not ARNs yet. */
  lambdaNames: Array<{ index: number; name: string }>;
  /** Where the SQL came from, for the SqlParseException hint. */
  sqlSource: string;
}

/** A repeatable option's values (no default, so `--help` shows none). */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** The options `create` and `replace` share. */
function addRuleOptions(command: Command): Command {
  return command
    .argument('<name>', 'rule name (letters, digits and _)')
    .option('--file <file>', 'a JSON file holding the TopicRulePayload ({"sql": …, "actions": […], …}); `hako rules get NAME --json` output works too')
    .option('--sql <statement>', "the rule's SQL, e.g. \"SELECT temp FROM 'sensors/+/temperature' WHERE temp > 30\"")
    .option('--republish <topic[:qos]>', 'add a republish action to TOPIC (a substitution template), QoS 0 unless it ends in :0 or :1; repeatable', collect)
    .option('--lambda <function>', 'add a lambda action invoking a function (name, name:alias, name:version or ARN) asynchronously; repeatable', collect)
    .option('--http <url>', 'add an http action POSTing to URL; repeatable', collect)
    .option('--action <json>', 'add an action given as JSON (or @FILE), e.g. {"republish":{"topic":"out"}}; repeatable', collect)
    .option('--error-action <json>', 'the error action, as JSON (or @FILE), e.g. {"republish":{"topic":"rule/errors"}}')
    .addOption(new Option('--sql-version <version>', `AWS IoT SQL version (default ${DEFAULT_SQL_VERSION})`).choices(SQL_VERSIONS))
    .option('--description <text>', 'a description');
}

/** The JSON value of `--action` or `--error-action`: the JSON itself, or `@FILE` holding it. */
function parseJsonFlag(what: string, flag: string, value: string): unknown {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new CliError(`${what}: ${flag} ${value}: cannot read ${value.slice(1)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, undefined, { cause: error });
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${what}: ${flag} ${value}: not valid JSON: ${(error as Error).message}`, `pass one action as a JSON object (quote it for the shell), e.g. ${ACTION_EXAMPLE}`, { cause: error });
  }
}

function actionOf(what: string, flag: string, value: string): Action {
  return checkedAction(what, `${flag} ${value}`, parseJsonFlag(what, flag, value));
}

/** One action: an object with exactly one key, a kind of action AWS has. `where` names the flag or file. */
function checkedAction(what: string, where: string, action: unknown): Action {
  const hint = where.startsWith('--file') ? `each action is an object such as {"republish": {"topic": "out"}}` : `e.g. ${ACTION_EXAMPLE}; repeat the flag for more actions`;
  if (typeof action !== 'object' || action === null || Array.isArray(action)) {
    throw new CliError(`${what}: ${where}: expected one action as a JSON object, got ${Array.isArray(action) ? 'a list' : action === null ? 'null' : `a ${typeof action}`}`, hint);
  }
  const kinds = Object.keys(action);
  if (kinds.length !== 1) throw new CliError(`${what}: ${where}: an action names exactly one kind (republish, lambda, http, kinesis or firehose), not ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`, hint);
  const kind = kinds[0] as string;
  if (!AWS_ACTION_KINDS.has(kind)) throw new CliError(`${what}: ${where}: ${JSON.stringify(kind)} is not a kind of action`, `hako runs republish, lambda, http, kinesis and firehose actions; ${hint}`);
  return action as Action;
}

/** `--file`: a TopicRulePayload, or one wrapped as `{"topicRulePayload": …}` (AWS CLI input) or `{"rule": …}` (`rules get --json`). */
function readRuleFile(what: string, file: string): Record<string, unknown> {
  const pathName = file.startsWith('file://') ? file.slice('file://'.length) : file;
  let text: string;
  try {
    text = readFileSync(pathName, 'utf8');
  } catch (error) {
    throw new CliError(`${what}: --file ${pathName}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'pass --file FILE holding a TopicRulePayload, or give the rule with --sql and action flags', { cause: error });
  }
  const hint = 'the file holds a TopicRulePayload: {"sql": "SELECT … FROM \'topic/filter\'", "actions": [{"republish": {"topic": "out"}}]}';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${what}: --file ${pathName}: not valid JSON: ${(error as Error).message}`, hint, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliError(`${what}: --file ${pathName}: expected a JSON object (a TopicRulePayload)`, hint);
  const object = parsed as Record<string, unknown>;
  const inner = object['topicRulePayload'] ?? (object['sql'] === undefined ? object['rule'] : undefined);
  if (inner === undefined) return object;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw new CliError(`${what}: --file ${pathName}: expected a TopicRulePayload object inside it`, hint);
  return inner as Record<string, unknown>;
}

/** `TOPIC` (QoS 0, AWS's default) or `TOPIC:0` / `TOPIC:1`. */
function republishOf(value: string): Action {
  const match = /^(.*):([01])$/s.exec(value);
  const topic = match?.[1] ?? value;
  return { republish: match === null ? { topic } : { topic, qos: Number(match[2]) } };
}

/** The payload the flags (and `--file`) describe, before `--lambda` names are resolved. */
function draftOf(what: string, flags: RuleFlags): RuleDraft {
  const fromFile = flags.file === undefined ? {} : readRuleFile(what, flags.file);
  const { ruleName: _name, ruleArn: _arn, createdAt: _created, ...payload } = fromFile;
  if (flags.sql !== undefined) payload['sql'] = flags.sql;
  if (flags.description !== undefined) payload['description'] = flags.description;
  if (flags.sqlVersion !== undefined) payload['awsIotSqlVersion'] = flags.sqlVersion;
  if (flags.disabled === true) payload['ruleDisabled'] = true;
  if (flags.enabled === true) payload['ruleDisabled'] = false;
  if (typeof payload['sql'] !== 'string' || payload['sql'].trim() === '') {
    throw new CliError(`${what}: no SQL: ${flags.file === undefined ? 'give --sql' : `${flags.file} has no "sql" and there is no --sql`}`, `e.g. --sql "SELECT * FROM 'sensors/+/temperature'", or --file holding a TopicRulePayload`);
  }
  const given = payload['actions'] ?? [];
  if (!Array.isArray(given)) throw new CliError(`${what}: --file ${flags.file ?? ''}: "actions" must be a list of actions`, `e.g. "actions": [{"republish": {"topic": "out"}}]`);
  const actions: unknown[] = (given as unknown[]).map((action, i) => checkedAction(what, `--file ${flags.file ?? ''}: actions[${i}]`, action));
  actions.push(...(flags.action ?? []).map((value) => actionOf(what, '--action', value)));
  actions.push(...(flags.republish ?? []).map(republishOf));
  const lambdaNames: RuleDraft['lambdaNames'] = [];
  for (const fn of flags.lambda ?? []) {
    if (!fn.startsWith('arn:')) lambdaNames.push({ index: actions.length, name: fn });
    actions.push({ lambda: { functionArn: fn } });
  }
  actions.push(...(flags.http ?? []).map((url) => ({ http: { url } })));
  payload['actions'] = actions;
  if (flags.errorAction !== undefined) payload['errorAction'] = actionOf(what, '--error-action', flags.errorAction);
  else if (payload['errorAction'] !== undefined && payload['errorAction'] !== null) payload['errorAction'] = checkedAction(what, `--file ${flags.file ?? ''}: errorAction`, payload['errorAction']);
  return { payload, lambdaNames, sqlSource: flags.sql !== undefined || flags.file === undefined ? 'the --sql statement' : `the sql in ${flags.file}` };
}

/**
 * A function's ARN from its name (`name`, `name:qualifier`): the region and account in it are hako's, so
 * ask hako (GetFunction), which also says whether the function exists.
 */
async function functionArnOf(c: Connection, what: string, reference: string): Promise<string> {
  const qualifier = /^[^:]+:([^:]+)$/.exec(reference)?.[1];
  let arn: string | undefined;
  try {
    arn = (await c.lambda(new GetFunctionCommand({ FunctionName: reference }))).Configuration?.FunctionArn;
  } catch (error) {
    if (error instanceof CliError && /ResourceNotFoundException/.test(error.message)) {
      throw new CliError(`${what}: --lambda ${reference}: no function ${reference}`, 'deploy it first (hako functions deploy DIR --name NAME), or pass its ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME)', { cause: error });
    }
    throw error;
  }
  const unqualified = /^(arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+)/.exec(arn ?? '')?.[1];
  if (unqualified === undefined) throw new CliError(`${what}: --lambda ${reference}: hako answered no function ARN`, 'pass the function ARN instead');
  return qualifier === undefined ? unqualified : `${unqualified}:${qualifier}`;
}

async function payloadOf(c: Connection, what: string, draft: RuleDraft): Promise<TopicRulePayload> {
  const actions = draft.payload['actions'] as Action[];
  for (const { index, name } of draft.lambdaNames) actions[index] = { lambda: { functionArn: await functionArnOf(c, what, name) } };
  return draft.payload as unknown as TopicRulePayload;
}

/** The CLI's own meaning of the rule APIs' errors: which rule is missing, where the SQL is wrong. */
function explained(error: unknown, what: string, ruleName: string, draft?: RuleDraft): unknown {
  if (!(error instanceof CliError)) return error;
  const type = (error.cause as { name?: unknown } | undefined)?.name;
  if (type === 'UnauthorizedException') {
    // AWS answers a rule that does not exist as if access to it were denied.
    return new CliError(`${what}: no topic rule ${ruleName}`, what === 'rules replace' ? `create it with hako rules create ${ruleName} …` : 'see the rules there are with hako rules list', { cause: error });
  }
  if (type === 'ResourceAlreadyExistsException') return new CliError(error.message, `change it with hako rules replace ${ruleName} …, or delete it first`, { cause: error });
  if (type === 'SqlParseException' && draft !== undefined) return new CliError(error.message, sqlHint(error.message, draft), { cause: error });
  return error;
}

/** Where the statement is wrong: the line the message names, with a caret under the column. */
function sqlHint(message: string, draft: RuleDraft): string {
  const version = typeof draft.payload['awsIotSqlVersion'] === 'string' ? draft.payload['awsIotSqlVersion'] : DEFAULT_SQL_VERSION;
  const lines = [`fix ${draft.sqlSource} there (read as AWS IoT SQL version ${version}; --sql-version chooses the other one)`];
  const position = /line (\d+), column (\d+)/.exec(message);
  const sqlLine = position === null ? undefined : String(draft.payload['sql']).split('\n')[Number(position[1]) - 1];
  if (position !== null && sqlLine !== undefined) lines.push(`  ${sqlLine}`, `  ${' '.repeat(Math.max(0, Number(position[2]) - 1))}^`);
  return lines.join('\n');
}

function actionSummary(action: Record<string, unknown> | undefined): string {
  if (action === undefined) return '-';
  const [kind, value] = Object.entries(action).find(([, v]) => v !== undefined && v !== null) ?? ['?', undefined];
  const parameters = (value ?? {}) as Record<string, unknown>;
  if (kind === 'republish') return `republish ${String(parameters['topic'])}${parameters['qos'] === 1 ? ' (qos 1)' : ''}`;
  if (kind === 'lambda') return `lambda ${String(parameters['functionArn'])}`;
  if (kind === 'http') return `http ${String(parameters['url'])}`;
  return kind;
}

function describeRule(got: GetTopicRuleCommandOutput): string[] {
  const rule = got.rule ?? {};
  const payload = { sql: rule.sql, description: rule.description, awsIotSqlVersion: rule.awsIotSqlVersion, ruleDisabled: rule.ruleDisabled, actions: rule.actions, errorAction: rule.errorAction };
  return [
    `topic rule ${rule.ruleName} (${rule.ruleDisabled === true ? 'disabled' : 'enabled'})`,
    `  arn      ${got.ruleArn ?? '-'}`,
    `  created  ${formatDate(rule.createdAt)}`,
    JSON.stringify(payload, null, 2),
  ];
}

function summary(verb: string, got: GetTopicRuleCommandOutput): string[] {
  const rule = got.rule ?? {};
  const actions = (rule.actions ?? []) as Array<Record<string, unknown>>;
  return [
    `${verb} topic rule ${rule.ruleName} (${rule.ruleDisabled === true ? 'disabled' : 'enabled'})`,
    `  arn      ${got.ruleArn ?? '-'}`,
    ...(actions.length === 0 ? ['  actions  (none)'] : actions.map((action, i) => `  ${i === 0 ? 'actions ' : '        '} ${actionSummary(action)}`)),
    ...(rule.errorAction === undefined ? [] : [`  error    ${actionSummary(rule.errorAction as Record<string, unknown>)}`]),
  ];
}

export function registerRuleCommands(program: Command): void {
  const rules = program.command('rules').description('topic rules: SQL over MQTT messages, with republish, lambda, http, kinesis and firehose actions');
  registerRuleDestinationCommands(rules);

  addConnectionOptions(addRuleOptions(rules.command('create').description('create a topic rule from flags or --file')).option('--disabled', 'create it disabled')).action(
    async (ruleName: string, flags: RuleFlags) => {
      const draft = draftOf('rules create', flags);
      return withConnection('rules create', flags, async (c) => {
        try {
          await c.send(new CreateTopicRuleCommand({ ruleName, topicRulePayload: await payloadOf(c, 'rules create', draft) }));
          const got = await c.send(new GetTopicRuleCommand({ ruleName }));
          emit(flags.json, withoutMetadata(got), () => summary('created', got));
        } catch (error) {
          throw explained(error, 'rules create', ruleName, draft);
        }
      });
    },
  );

  addConnectionOptions(
    addRuleOptions(rules.command('replace').description("replace a topic rule's SQL, actions and settings (it stays enabled or disabled unless --disabled or --enabled)"))
      .addOption(new Option('--disabled', 'disable it').conflicts('enabled'))
      .addOption(new Option('--enabled', 'enable it').conflicts('disabled')),
  ).action(async (ruleName: string, flags: RuleFlags) => {
    const draft = draftOf('rules replace', flags);
    return withConnection('rules replace', flags, async (c) => {
      try {
        const current = await c.send(new GetTopicRuleCommand({ ruleName }));
        // ReplaceTopicRule replaces everything, ruleDisabled included: keep the rule's state unless told.
        if (draft.payload['ruleDisabled'] === undefined) draft.payload['ruleDisabled'] = current.rule?.ruleDisabled ?? false;
        await c.send(new ReplaceTopicRuleCommand({ ruleName, topicRulePayload: await payloadOf(c, 'rules replace', draft) }));
        const got = await c.send(new GetTopicRuleCommand({ ruleName }));
        emit(flags.json, withoutMetadata(got), () => summary('replaced', got));
      } catch (error) {
        throw explained(error, 'rules replace', ruleName, draft);
      }
    });
  });

  addConnectionOptions(rules.command('get').description('show a topic rule (its TopicRulePayload as JSON)').argument('<name>', 'rule name')).action((ruleName: string, flags: ConnectionFlags) =>
    withConnection('rules get', flags, async (c) => {
      try {
        const got = await c.send(new GetTopicRuleCommand({ ruleName }));
        emit(flags.json, withoutMetadata(got), () => describeRule(got));
      } catch (error) {
        throw explained(error, 'rules get', ruleName);
      }
    }),
  );

  addConnectionOptions(
    rules
      .command('list')
      .description('list topic rules')
      .option('--topic <filter>', "only rules whose FROM topic filter is exactly this")
      .addOption(new Option('--disabled', 'only disabled rules').conflicts('enabled'))
      .addOption(new Option('--enabled', 'only enabled rules').conflicts('disabled')),
  ).action((flags: ConnectionFlags & { topic?: string; disabled?: boolean; enabled?: boolean }) =>
    withConnection('rules list', flags, async (c) => {
      const state = flags.disabled === true ? { ruleDisabled: true } : flags.enabled === true ? { ruleDisabled: false } : {};
      const listed: TopicRuleListItem[] = [];
      let nextToken: string | undefined;
      do {
        const page = await c.send(new ListTopicRulesCommand({ ...state, ...(flags.topic === undefined ? {} : { topic: flags.topic }), ...(nextToken === undefined ? {} : { nextToken }) }));
        listed.push(...(page.rules ?? []));
        nextToken = page.nextToken ?? undefined;
      } while (nextToken !== undefined);
      const filtered = flags.topic !== undefined || flags.disabled === true || flags.enabled === true;
      emit(flags.json, { rules: listed }, () =>
        table(
          ['NAME', 'TOPIC PATTERN', 'ENABLED', 'CREATED'],
          listed.map((r) => [r.ruleName ?? '', r.topicPattern ?? '', r.ruleDisabled === true ? 'no' : 'yes', formatDate(r.createdAt)]),
          filtered ? 'no topic rules match' : "no topic rules (create one with `hako rules create NAME --sql \"SELECT * FROM 'topic'\" --republish OUT`)",
        ),
      );
    }),
  );

  for (const [name, Operation, state] of [
    ['enable', EnableTopicRuleCommand, 'enabled'],
    ['disable', DisableTopicRuleCommand, 'disabled'],
  ] as const) {
    addConnectionOptions(rules.command(name).description(`${name} a topic rule`).argument('<name>', 'rule name')).action((ruleName: string, flags: ConnectionFlags) =>
      withConnection(`rules ${name}`, flags, async (c) => {
        try {
          await c.send(new Operation({ ruleName }));
        } catch (error) {
          throw explained(error, `rules ${name}`, ruleName);
        }
        emit(flags.json, { ruleName, ruleDisabled: state === 'disabled' }, () => `topic rule ${ruleName} is now ${state}`);
      }),
    );
  }

  addConnectionOptions(rules.command('delete').description('delete a topic rule').argument('<name>', 'rule name')).action((ruleName: string, flags: ConnectionFlags) =>
    withConnection('rules delete', flags, async (c) => {
      try {
        await c.send(new DeleteTopicRuleCommand({ ruleName }));
      } catch (error) {
        throw explained(error, 'rules delete', ruleName);
      }
      emit(flags.json, { ruleName, deleted: true }, () => `deleted topic rule ${ruleName}`);
    }),
  );
}
