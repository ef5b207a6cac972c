/**
 * @module rules/registry — topic rules (spec §4.1): created, replaced, enabled, disabled and deleted
 * through the API, kept in the record store, and held compiled — the statement parsed and every action
 * built — so a rule that would fail on every message is refused when it is written (SqlParseException
 * with line and column, InvalidRequestException naming the action and field).
 *
 * Listeners hear every change, so the engine re-indexes without polling.
 */
import type { Clock } from '../core/clock.js';
import { AwsError } from '../core/aws-error.js';
import { pageOf, type Page } from '../core/paging.js';
import type { RecordCollection, RecordStore } from '../store/records.js';
import { buildAction, type ActionServices, type RuleAction } from './actions/index.js';
import { parseSql, SQL_VERSIONS, SqlSyntaxError, type SqlVersion, type Statement } from './sql/index.js';

/** A rule as AWS describes it (TopicRulePayload plus name and creation time). */
export interface TopicRuleRecord {
  ruleName: string;
  sql: string;
  description: string;
  awsIotSqlVersion: SqlVersion;
  ruleDisabled: boolean;
  actions: Record<string, unknown>[];
  errorAction: Record<string, unknown> | undefined;
  /** Epoch ms. */
  createdAt: number;
}

/** A rule ready to run. */
export interface CompiledRule {
  readonly record: TopicRuleRecord;
  readonly statement: Statement;
  readonly actions: readonly RuleAction[];
  readonly errorAction: RuleAction | undefined;
}

export type RuleChange = { kind: 'put'; rule: CompiledRule } | { kind: 'delete'; ruleName: string };

/** AWS's limits [spec §4.1]. */
export const MAX_ACTIONS = 10;
export const MAX_RULES = 1000;
const RULE_NAME = /^[a-zA-Z0-9_]{1,128}$/;
const DEFAULT_SQL_VERSION: SqlVersion = '2015-10-08';
export const RULE_COLLECTION = 'rules.topic-rules';

export class TopicRules {
  readonly #rules = new Map<string, CompiledRule>();
  readonly #store: RecordCollection<TopicRuleRecord>;
  readonly #clock: Clock;
  readonly #services: ActionServices;
  readonly #ensureDestination: (confirmationUrl: string) => Promise<unknown>;
  readonly #listeners: ((change: RuleChange) => void)[] = [];

  private constructor(store: RecordCollection<TopicRuleRecord>, clock: Clock, services: ActionServices, ensureDestination: (confirmationUrl: string) => Promise<unknown>) {
    this.#store = store;
    this.#clock = clock;
    this.#services = services;
    this.#ensureDestination = ensureDestination;
  }

  /**
   * Loads the stored rules. One that no longer compiles (hako changed under it) is kept, disabled, and logged.
   * `ensureDestination` makes sure a topic rule destination covers an http action's confirmation URL.
   */
  static async open(records: RecordStore, clock: Clock, services: ActionServices, ensureDestination: (confirmationUrl: string) => Promise<unknown> = async () => undefined): Promise<TopicRules> {
    const rules = new TopicRules(records.collection(RULE_COLLECTION), clock, services, ensureDestination);
    for (const record of (await rules.#store.loadAll()).values()) {
      try {
        rules.#rules.set(record.ruleName, rules.#compile(record));
      } catch (error) {
        services.logger.error({ ruleName: record.ruleName, err: error }, `topic rule ${record.ruleName} no longer compiles and is not run: ${(error as Error).message}`);
      }
    }
    return rules;
  }

  onChange(listener: (change: RuleChange) => void): void {
    this.#listeners.push(listener);
  }

  all(): CompiledRule[] {
    return [...this.#rules.values()];
  }

  find(ruleName: string): CompiledRule | undefined {
    return this.#rules.get(ruleName);
  }

  /** AWS answers a rule that does not exist with UnauthorizedException, as if access were denied. */
  get(ruleName: string): CompiledRule {
    const rule = this.#rules.get(ruleName);
    if (rule === undefined) throw new AwsError('UnauthorizedException', `Access to topic rule '${ruleName}' was denied (it does not exist)`);
    return rule;
  }

  list(filter: { topic?: string | undefined; ruleDisabled?: boolean | undefined }, nextToken: string | undefined, maxResults: number | undefined): Page<CompiledRule> {
    const rules = [...this.#rules.values()]
      .filter((rule) => filter.ruleDisabled === undefined || rule.record.ruleDisabled === filter.ruleDisabled)
      .filter((rule) => filter.topic === undefined || rule.statement.topicFilter === filter.topic)
      .sort((a, b) => (a.record.ruleName < b.record.ruleName ? -1 : 1));
    return pageOf(rules, (rule) => rule.record.ruleName, nextToken, maxResults, 10_000);
  }

  async create(ruleName: string, payload: unknown): Promise<CompiledRule> {
    checkName(ruleName);
    if (this.#rules.has(ruleName)) throw new AwsError('ResourceAlreadyExistsException', `Topic rule ${ruleName} already exists`);
    if (this.#rules.size >= MAX_RULES) throw new AwsError('LimitExceededException', `at most ${MAX_RULES} topic rules`);
    return this.#put(recordOf(ruleName, payload, this.#clock.now()));
  }

  async replace(ruleName: string, payload: unknown): Promise<CompiledRule> {
    const existing = this.get(ruleName);
    return this.#put(recordOf(ruleName, payload, existing.record.createdAt));
  }

  async setDisabled(ruleName: string, ruleDisabled: boolean): Promise<void> {
    const existing = this.get(ruleName);
    if (existing.record.ruleDisabled === ruleDisabled) return;
    await this.#put({ ...existing.record, ruleDisabled });
  }

  async delete(ruleName: string): Promise<void> {
    this.get(ruleName);
    await this.#store.delete(ruleName);
    this.#rules.delete(ruleName);
    for (const listener of this.#listeners) listener({ kind: 'delete', ruleName });
  }

  async #put(record: TopicRuleRecord): Promise<CompiledRule> {
    const rule = this.#compile(record);
    // An http action's URL needs a destination: made (and its confirmation sent) with the rule, as on AWS.
    for (const action of [...rule.actions, ...(rule.errorAction === undefined ? [] : [rule.errorAction])]) {
      if (action.destination !== undefined) await this.#ensureDestination(action.destination);
    }
    await this.#store.put(record.ruleName, record);
    this.#rules.set(record.ruleName, rule);
    for (const listener of this.#listeners) listener({ kind: 'put', rule });
    return rule;
  }

  #compile(record: TopicRuleRecord): CompiledRule {
    let statement: Statement;
    try {
      statement = parseSql(record.sql, record.awsIotSqlVersion);
    } catch (error) {
      if (error instanceof SqlSyntaxError) throw new AwsError('SqlParseException', error.message);
      throw error;
    }
    const context = { sqlVersion: record.awsIotSqlVersion, services: this.#services };
    const actions = record.actions.map((entry) => buildAction(entry, context));
    const errorAction = record.errorAction === undefined ? undefined : buildAction(record.errorAction, context);
    return { record, statement, actions, errorAction };
  }
}

function checkName(ruleName: string): void {
  if (!RULE_NAME.test(ruleName)) throw new AwsError('InvalidRequestException', `ruleName must be 1 to 128 characters of [a-zA-Z0-9_], not ${JSON.stringify(ruleName)}`);
}

/** A TopicRulePayload checked field by field; `sql` and `actions` are required, as in AWS's model. */
function recordOf(ruleName: string, payload: unknown, createdAt: number): TopicRuleRecord {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new AwsError('InvalidRequestException', 'the body must be a TopicRulePayload object');
  const body = payload as Record<string, unknown>;
  const { sql, description, actions, ruleDisabled, awsIotSqlVersion, errorAction } = body;
  if (typeof sql !== 'string' || sql.trim() === '') throw new AwsError('InvalidRequestException', 'sql is required');
  if (description !== undefined && typeof description !== 'string') throw new AwsError('InvalidRequestException', 'description must be a string');
  if (!Array.isArray(actions)) throw new AwsError('InvalidRequestException', 'actions is required (a list, which may be empty)');
  if (actions.length > MAX_ACTIONS) throw new AwsError('InvalidRequestException', `a rule has at most ${MAX_ACTIONS} actions, not ${actions.length}`);
  if (ruleDisabled !== undefined && typeof ruleDisabled !== 'boolean') throw new AwsError('InvalidRequestException', 'ruleDisabled must be true or false');
  const version = awsIotSqlVersion ?? DEFAULT_SQL_VERSION;
  if (typeof version !== 'string' || !(SQL_VERSIONS as readonly string[]).includes(version)) {
    throw new AwsError('InvalidRequestException', `awsIotSqlVersion must be one of ${SQL_VERSIONS.join(', ')}, not ${JSON.stringify(version)}`);
  }
  return {
    ruleName,
    sql,
    description: description ?? '',
    awsIotSqlVersion: version as SqlVersion,
    ruleDisabled: ruleDisabled ?? false,
    actions: actions as Record<string, unknown>[],
    errorAction: errorAction === undefined || errorAction === null ? undefined : (errorAction as Record<string, unknown>),
    createdAt,
  };
}
