/**
 * @module functions/schedules/rules — scheduled EventBridge rules that invoke functions (spec §6): the
 * rules and their targets (kept in the record store), and the timer that fires them.
 *
 * A rule fires at its expression's times (UTC; a rate counts from the rule's creation). Each firing sends
 * every Lambda target, asynchronously, AWS's scheduled event (or the target's `Input`, verbatim). The
 * rule's last fired time and the queued invocations are written in the same store transaction (one event-
 * loop turn), so a firing happens once: never lost after it was recorded, never repeated after a crash.
 * Times missed while hako was down are made up once, for the latest of them, when it starts.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/aws-error.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { RecordCollection, RecordStore } from '../../store/records.js';
import type { AsyncQueue } from '../async-queue.js';
import { parseFunctionReference } from '../names.js';
import { nextCronRun, parseScheduleExpression, ScheduleExpressionError, type ScheduleExpression } from './expression.js';

export interface RuleTarget {
  id: string;
  /** A Lambda function ARN. */
  arn: string;
  /** JSON text sent instead of the scheduled event. */
  input?: string;
}

export interface Rule {
  name: string;
  scheduleExpression: string;
  state: 'ENABLED' | 'DISABLED';
  description: string;
  createdAt: number;
  targets: RuleTarget[];
  /** The scheduled time of the last firing (epoch ms). */
  lastFiredFor?: number;
}

export interface RulesDeps {
  records: RecordStore;
  asyncQueue: AsyncQueue;
  clock: Clock;
  logger: Logger;
  region: string;
  account: string;
}

export const RULE_COLLECTION = 'events.rules';
const LAMBDA_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9_-]+(:[a-zA-Z0-9$_-]+)?$/;

export class ScheduledRules {
  readonly #deps: RulesDeps;
  readonly #collection: RecordCollection<Rule>;
  readonly #rules: Map<string, Rule>;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #stopped = false;

  private constructor(deps: RulesDeps, collection: RecordCollection<Rule>, rules: Map<string, Rule>) {
    this.#deps = deps;
    this.#collection = collection;
    this.#rules = rules;
  }

  static async open(deps: RulesDeps): Promise<ScheduledRules> {
    const collection = deps.records.collection<Rule>(RULE_COLLECTION);
    const rules = new ScheduledRules(deps, collection, await collection.loadAll());
    for (const rule of rules.#rules.values()) rules.#arm(rule, true);
    return rules;
  }

  ruleArn(name: string): string {
    return `arn:aws:events:${this.#deps.region}:${this.#deps.account}:rule/${name}`;
  }

  get(name: string): Rule {
    const rule = this.#rules.get(name);
    if (rule === undefined) throw new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus default.`);
    return rule;
  }

  list(prefix = ''): Rule[] {
    return [...this.#rules.values()].filter((rule) => rule.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** PutRule: creates or updates; a schedule expression is required (hako has no event patterns yet). */
  async put(input: { name: unknown; scheduleExpression: unknown; state: unknown; description: unknown }): Promise<Rule> {
    if (typeof input.name !== 'string' || !/^[.\-_A-Za-z0-9]{1,64}$/.test(input.name)) {
      throw new AwsError('ValidationException', `1 validation error detected: Value '${String(input.name)}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`);
    }
    if (typeof input.scheduleExpression !== 'string') throw new AwsError('ValidationException', 'ScheduleExpression is required: hako runs scheduled rules (rate(…) or cron(…)); event patterns are not supported yet');
    try {
      parseScheduleExpression(input.scheduleExpression);
    } catch (error) {
      if (error instanceof ScheduleExpressionError) throw new AwsError('ValidationException', error.message);
      throw error;
    }
    if (input.state !== undefined && input.state !== 'ENABLED' && input.state !== 'DISABLED') throw new AwsError('ValidationException', 'State must be ENABLED or DISABLED');
    const existing = this.#rules.get(input.name);
    const rule: Rule = {
      name: input.name,
      scheduleExpression: input.scheduleExpression,
      state: (input.state as Rule['state'] | undefined) ?? existing?.state ?? 'ENABLED',
      description: typeof input.description === 'string' ? input.description : (existing?.description ?? ''),
      // A changed expression starts its rate clock now, as a new rule would.
      createdAt: existing !== undefined && existing.scheduleExpression === input.scheduleExpression ? existing.createdAt : this.#deps.clock.now(),
      targets: existing?.targets ?? [],
      ...(existing?.lastFiredFor === undefined ? {} : { lastFiredFor: existing.lastFiredFor }),
    };
    await this.#save(rule);
    return rule;
  }

  async setState(name: string, state: Rule['state']): Promise<void> {
    await this.#save({ ...this.get(name), state });
  }

  /** PutTargets: adds or replaces targets by id; returns the ones refused and why. */
  async putTargets(name: string, targets: unknown): Promise<Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }>> {
    const rule = this.get(name);
    if (!Array.isArray(targets) || targets.length === 0) throw new AwsError('ValidationException', 'Targets must be a non-empty list');
    const failed: Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }> = [];
    const byId = new Map(rule.targets.map((target) => [target.id, target]));
    for (const raw of targets as Array<Record<string, unknown>>) {
      const id = typeof raw.Id === 'string' ? raw.Id : '';
      const arn = typeof raw.Arn === 'string' ? raw.Arn : '';
      if (id === '' || !LAMBDA_ARN.test(arn)) {
        failed.push({ TargetId: id, ErrorCode: 'ValidationException', ErrorMessage: `hako's rules invoke Lambda functions (arn:aws:lambda:…:function:name); ${arn || 'no Arn'} is not one` });
        continue;
      }
      if (typeof raw.Input === 'string') {
        try {
          JSON.parse(raw.Input);
        } catch {
          failed.push({ TargetId: id, ErrorCode: 'ValidationException', ErrorMessage: 'Input must be valid JSON text' });
          continue;
        }
      }
      byId.set(id, { id, arn, ...(typeof raw.Input === 'string' ? { input: raw.Input } : {}) });
    }
    await this.#save({ ...rule, targets: [...byId.values()] });
    return failed;
  }

  async removeTargets(name: string, ids: unknown): Promise<void> {
    const rule = this.get(name);
    const remove = new Set(Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []);
    await this.#save({ ...rule, targets: rule.targets.filter((target) => !remove.has(target.id)) });
  }

  async delete(name: string): Promise<void> {
    const rule = this.#rules.get(name);
    if (rule === undefined) return;
    if (rule.targets.length > 0) throw new AwsError('ValidationException', 'Rule can\'t be deleted since it has targets.');
    await this.#collection.delete(name);
    this.#rules.delete(name);
    clearTimeout(this.#timers.get(name));
    this.#timers.delete(name);
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  async #save(rule: Rule): Promise<void> {
    await this.#collection.put(rule.name, rule);
    this.#rules.set(rule.name, rule);
    this.#arm(rule, false);
  }

  /** Sets the rule's timer for its next time; at start, first makes up a time missed while hako was down. */
  #arm(rule: Rule, starting: boolean): void {
    clearTimeout(this.#timers.get(rule.name));
    this.#timers.delete(rule.name);
    if (this.#stopped || rule.state !== 'ENABLED') return;
    const expression = parseScheduleExpression(rule.scheduleExpression);
    const now = this.#deps.clock.now();
    const since = rule.lastFiredFor ?? rule.createdAt;
    if (starting) {
      const missed = latestMissed(expression, rule, since, now);
      if (missed !== undefined) void this.#fire(rule.name, missed);
    }
    const next = nextTime(expression, rule.createdAt, Math.max(since, now));
    if (next === undefined) return;
    const timer = setTimeout(() => void this.#fire(rule.name, next), Math.max(0, next - now));
    timer.unref();
    this.#timers.set(rule.name, timer);
  }

  async #fire(name: string, scheduledFor: number): Promise<void> {
    const rule = this.#rules.get(name);
    if (rule === undefined || rule.state !== 'ENABLED' || this.#stopped) return;
    const event = JSON.stringify({
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: this.#deps.account,
      time: new Date(scheduledFor).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.#deps.region,
      resources: [this.ruleArn(name)],
      detail: {},
    });
    const fired: Rule = { ...rule, lastFiredFor: scheduledFor };
    // Started in one turn, so the rule's new time and the queued events commit in one transaction.
    const writes: Array<Promise<unknown>> = [this.#collection.put(name, fired)];
    for (const target of rule.targets) {
      writes.push(
        this.#deps.asyncQueue.enqueue(parseFunctionReference(target.arn, undefined), Buffer.from(target.input ?? event)).catch((error: unknown) => {
          this.#deps.logger.warn({ err: error, rule: name, target: target.id }, `scheduled rule ${name} could not invoke ${target.arn}`);
        }),
      );
    }
    this.#rules.set(name, fired);
    try {
      await Promise.all(writes);
    } catch (error) {
      this.#deps.logger.error({ err: error, rule: name }, 'recording a scheduled rule firing failed');
    }
    this.#arm(fired, false);
  }
}

/** The first time after `after` the expression fires; a rate fires at createdAt + k × period. */
function nextTime(expression: ScheduleExpression, createdAt: number, after: number): number | undefined {
  if (expression.kind === 'cron') return nextCronRun(expression, after);
  const periods = Math.floor((after - createdAt) / expression.everyMs) + 1;
  return createdAt + Math.max(1, periods) * expression.everyMs;
}

/** The latest time in (since, now] the rule should have fired, if any. */
function latestMissed(expression: ScheduleExpression, rule: Rule, since: number, now: number): number | undefined {
  if (expression.kind === 'rate') {
    const latest = rule.createdAt + Math.floor((now - rule.createdAt) / expression.everyMs) * expression.everyMs;
    return latest > since && latest > rule.createdAt ? latest : undefined;
  }
  let missed: number | undefined;
  for (let t = nextCronRun(expression, since); t !== undefined && t <= now; t = nextCronRun(expression, t)) missed = t;
  return missed;
}
