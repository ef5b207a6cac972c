/**
 * @module rules/engine — runs topic rules against the broker's messages (spec §4).
 *
 * - Matching is a topic-trie walk over the rules' FROM filters (the broker's own `SubscriptionTrie`),
 *   remembered per topic until a rule changes, done in the `message.publish` hook; nothing else happens
 *   there. Matched messages are queued and evaluated in a later turn of the event loop, so WHERE, SELECT
 *   and actions never slow delivery.
 * - The queue is bounded (`maxQueuedMessages`): past it, messages are not evaluated, and that is counted
 *   and logged (once per burst), never buffered without end.
 * - Basic Ingest: `$aws/rules/<rule>/<rest>` runs exactly that rule, with `topic()` seeing `<rest>`; an
 *   unknown or disabled rule is counted as `RuleNotFound` and logged.
 * - Per message and rule: WHERE, then SELECT, then every action concurrently; the failed ones are sent
 *   together to the rule's error action in AWS's envelope, once.
 * - A message a rule republished carries its depth; past `MAX_REPUBLISH_DEPTH` rules no longer see it,
 *   so two rules republishing to each other's topics cannot loop forever.
 */
import type { Clock } from '../core/clock.js';
import type { Hooks } from '../core/hooks.js';
import type { Logger } from '../core/logger.js';
import type { Message } from '../mqtt/message.js';
import { SubscriptionTrie } from '../mqtt/router/index.js';
import { ActionFailure, RULE_DEPTH, type ActionInput, type RuleAction, type RuleMessage } from './actions/index.js';
import { FailureLog } from './failure-log.js';
import { RuleCounters, type RuleMetrics } from './metrics.js';
import type { CompiledRule, TopicRules } from './registry.js';
import { buildGetAccepted, type ShadowDocument } from '../shadow/document/index.js';
import { compileStatement, evaluateProgram, serializeOutput, stripBasicIngestPrefix, type EvalContext, type ExternalFunctionHook, type Program, type SqlOutput, type SqlValue } from './sql/index.js';

export interface RulesEngineDeps {
  rules: TopicRules;
  hooks: Hooks;
  clock: Clock;
  logger: Logger;
  metrics: RuleMetrics;
  accountId: string;
  /** Who published (certificate id or access key id), for `principal()`. */
  principalOf: (clientId: string) => string | undefined;
  maxQueuedMessages?: number;
  /** A stored shadow document, for `get_thing_shadow` (undefined: no such shadow). */
  shadowOf?: (thingName: string, shadowName: string | undefined) => ShadowDocument | undefined;
}

/** A rule as the engine runs it: its counters found once, not by name for every match. */
interface ActiveRule {
  readonly rule: CompiledRule;
  readonly program: Program;
  readonly counters: RuleCounters;
  /** The counts of each of `rule.actions`, in order. */
  readonly actionCounts: readonly ActionCounts[];
}

type ActionCounts = ReturnType<RuleCounters['action']>;

export const DEFAULT_MAX_QUEUED_MESSAGES = 100_000;
export const MAX_REPUBLISH_DEPTH = 8;
/**
 * Rule evaluations per turn of the event loop before yielding to I/O. Counted in evaluations, not
 * messages: 256 messages × 100 rules held the loop for hundreds of milliseconds and kept tens of
 * thousands of results alive at once, so every scavenge copied them (bench/RESULTS.md).
 */
const EVALUATIONS_PER_TURN = 1024;
/**
 * The rules engine's time, as `timestamp()` sees it, is read once per this many evaluations rather than per
 * message: on a VM a clock reading costs as much as a cheap rule's evaluation, and a reading stays within
 * a few dozen evaluations of the message it stamps.
 */
const EVALUATIONS_PER_CLOCK_READ = 64;
/**
 * Topics whose matching rules are remembered: a fleet publishes on the same topics again and again, and a
 * map lookup costs a fraction of the trie walk (3–4 % of the broker's CPU in the fleet bench). Past this
 * many topics the memory is simply emptied (topics can be data); any rule change empties it too.
 */
const MATCH_CACHE_TOPICS = 4096;

export class RulesEngine {
  readonly #deps: RulesEngineDeps;
  readonly #trie = new SubscriptionTrie<ActiveRule>();
  /** Every rule by name, Basic-Ingest-only ones included. */
  readonly #active = new Map<string, ActiveRule>();
  readonly #queue: (QueuedMessage | undefined)[] = [];
  #queueHead = 0;
  #scheduled = false;
  #unhook: (() => void) | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  /** Topic → the enabled rules whose FROM matches it (empty: none); see MATCH_CACHE_TOPICS. */
  readonly #matches = new Map<string, readonly ActiveRule[]>();
  #overflowLogged = false;
  #drainWaiters: (() => void)[] = [];

  readonly #failureLog: FailureLog;
  readonly #counters: { of(ruleName: string): RuleCounters };

  constructor(deps: RulesEngineDeps) {
    this.#deps = deps;
    this.#failureLog = new FailureLog(deps.logger, () => deps.clock.now());
    this.#counters = deps.metrics;
  }

  start(): void {
    for (const rule of this.#deps.rules.all()) this.#index(rule);
    this.#deps.rules.onChange((change) => {
      this.#matches.clear();
      this.#unindex(change.kind === 'put' ? change.rule.record.ruleName : change.ruleName);
      if (change.kind === 'put') this.#index(change.rule);
    });
    this.#unhook = this.#deps.hooks.on('message.publish', ({ message, clientId }) => this.#onPublish(message, clientId));
  }

  /** Stops taking messages; resolves once the queued ones are evaluated and their actions have settled. */
  async stop(): Promise<void> {
    this.#unhook?.();
    this.#unhook = undefined;
    await this.idle();
  }

  /** Resolves once every message queued so far is evaluated and its actions have settled. */
  async idle(): Promise<void> {
    while (this.#queueHead < this.#queue.length || this.#inFlight.size > 0) {
      if (this.#queueHead < this.#queue.length) await new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
      else await Promise.allSettled([...this.#inFlight]);
    }
  }

  /** Messages waiting to be evaluated. */
  get queued(): number {
    return this.#queue.length - this.#queueHead;
  }

  #index(rule: CompiledRule): void {
    const counters = this.#counters.of(rule.record.ruleName);
    const active: ActiveRule = { rule, program: compileStatement(rule.statement), counters, actionCounts: rule.actions.map((action) => counters.action(action.kind)) };
    this.#active.set(rule.record.ruleName, active);
    const filter = rule.statement.topicFilter;
    if (filter !== undefined) this.#trie.add(filter, rule.record.ruleName, active); // else Basic Ingest only
  }

  #unindex(ruleName: string): void {
    const filter = this.#active.get(ruleName)?.rule.statement.topicFilter;
    this.#active.delete(ruleName);
    if (filter !== undefined) this.#trie.remove(filter, ruleName);
  }

  #onPublish(message: Message, clientId: string | undefined): void {
    const depth = (message as RuleMessage)[RULE_DEPTH] ?? 0;
    if (depth > MAX_REPUBLISH_DEPTH) {
      this.#deps.metrics.loopsStopped.inc();
      return;
    }
    let rules: readonly ActiveRule[];
    let topic = message.topic;
    if (topic.startsWith('$aws/rules/')) {
      const ingest = stripBasicIngestPrefix(topic);
      const rule = ingest.ruleName === undefined ? undefined : this.#active.get(ingest.ruleName);
      if (rule === undefined || rule.rule.record.ruleDisabled) {
        this.#deps.metrics.ruleNotFound.inc();
        this.#failureLog.failed(`basic ingest ${ingest.ruleName ?? ''}`, { topic, clientId }, `Basic Ingest to ${ingest.ruleName ?? '(no rule name)'}: RuleNotFound (no such rule, or it is disabled)`);
        return;
      }
      rules = [rule];
      topic = ingest.topic;
    } else {
      rules = this.#matching(topic);
      if (rules.length === 0) return;
    }
    if (this.queued >= (this.#deps.maxQueuedMessages ?? DEFAULT_MAX_QUEUED_MESSAGES)) {
      this.#deps.metrics.messagesDropped.inc();
      if (!this.#overflowLogged) {
        this.#overflowLogged = true;
        this.#deps.logger.warn({ queued: this.queued }, 'the rules engine is behind: messages are not being evaluated until it catches up');
      }
      return;
    }
    this.#queue.push(new QueuedMessage(message, depth, clientId, rules, topic, this.#deps.accountId, this.#externals, this.#deps.principalOf));
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#drain());
    }
  }

  #matching(topic: string): readonly ActiveRule[] {
    let rules = this.#matches.get(topic);
    if (rules === undefined) {
      const found: ActiveRule[] = [];
      this.#trie.match(topic, (_name, active) => {
        if (!active.rule.record.ruleDisabled) found.push(active);
      });
      if (this.#matches.size >= MATCH_CACHE_TOPICS) this.#matches.clear();
      this.#matches.set(topic, (rules = found));
    }
    return rules;
  }

  #drain(): void {
    this.#scheduled = false;
    let budget = EVALUATIONS_PER_TURN;
    let now = this.#deps.clock.now();
    let clockReadAt = budget;
    for (; this.#queueHead < this.#queue.length && budget > 0; this.#queueHead++) {
      const queued = this.#queue[this.#queueHead] as QueuedMessage;
      this.#queue[this.#queueHead] = undefined; // let it be collected
      if (clockReadAt - budget >= EVALUATIONS_PER_CLOCK_READ) {
        now = this.#deps.clock.now();
        clockReadAt = budget;
      }
      budget -= queued.rules.length;
      queued.timestamp = now;
      this.#evaluate(queued);
    }
    if (this.#queueHead === this.#queue.length) {
      this.#queue.length = 0;
      this.#queueHead = 0;
      this.#overflowLogged = false;
      for (const resolve of this.#drainWaiters.splice(0)) resolve();
    } else {
      this.#scheduled = true;
      setImmediate(() => this.#drain());
    }
  }

  #evaluate(context: QueuedMessage): void {
    const { message } = context;
    for (const active of context.rules) {
      const name = active.rule.record.ruleName;
      let result;
      try {
        result = evaluateProgram(active.program, context);
      } catch (error) {
        // The evaluator answers Undefined for bad data; a throw is a bug in hako, kept to this message.
        this.#deps.metrics.evaluationErrors.inc({ rule: name });
        this.#deps.logger.error({ err: error, rule: name, topic: message.topic }, 'evaluating a topic rule failed');
        continue;
      }
      if (!result.matched) continue;
      active.counters.matched++;
      if (active.rule.actions.length > 0) this.#runActions(active, new MatchInput(name, result.output, context, message, context.depth));
    }
  }

  /**
   * Runs a match's actions together. Synchronous ones (republish) finish here with no promise at all;
   * only asynchronous ones are awaited, and only a failure reaches the error action.
   */
  #runActions({ rule, actionCounts }: ActiveRule, input: ActionInput): void {
    let failures: Failure[] | undefined;
    let pending: Promise<void>[] | undefined;
    for (let i = 0; i < rule.actions.length; i++) {
      const action = rule.actions[i] as RuleAction;
      const counts = actionCounts[i] as ActionCounts;
      let running: void | Promise<void>;
      try {
        running = action.run(input);
      } catch (error) {
        (failures ??= []).push(this.#failed(action, input, error, counts));
        continue;
      }
      if (running === undefined) {
        counts.succeeded++;
        continue;
      }
      (pending ??= []).push(running.then(
        () => void counts.succeeded++,
        (error: unknown) => void (failures ??= []).push(this.#failed(action, input, error, counts)),
      ));
    }
    if (pending === undefined) {
      if (failures !== undefined) this.#track(this.#reportFailures(rule, input, failures));
      return;
    }
    this.#track(Promise.all(pending).then(() => (failures === undefined ? undefined : this.#reportFailures(rule, input, failures))));
  }

  #failed(action: RuleAction, input: ActionInput, error: unknown, counts: ActionCounts): Failure {
    counts.failed++;
    if (!(error instanceof ActionFailure)) this.#failureLog.failed(`${input.ruleName} (${action.kind}, unexpected)`, { err: error, action: action.kind }, 'a rule action failed unexpectedly (a bug in hako)');
    return { failedAction: `${action.kind.charAt(0).toUpperCase()}${action.kind.slice(1)}Action`, failedResource: action.resource, errorMessage: (error as Error).message };
  }

  /** Logs the failures (throttled) and runs the error action once with all of them, in AWS's envelope. */
  async #reportFailures(rule: CompiledRule, input: ActionInput, failures: Failure[]): Promise<void> {
    this.#failureLog.failed(input.ruleName, { topic: input.message.topic, failures }, `topic rule ${input.ruleName}: ${failures.length} action(s) failed`);
    if (rule.errorAction === undefined) return;
    const envelope = {
      ruleName: input.ruleName,
      topic: input.message.topic,
      cloudwatchTraceId: input.context.traceId ?? '',
      clientId: input.context.clientId ?? '',
      base64OriginalPayload: input.message.payload.toString('base64'),
      failures,
    };
    const errorInput = new MatchInput(input.ruleName, envelope as unknown as SqlOutput, input.context, input.message, input.depth);
    try {
      await rule.errorAction.run(errorInput);
      this.#deps.metrics.errorActions.inc({ rule: input.ruleName, outcome: 'succeeded' });
    } catch (error) {
      this.#deps.metrics.errorActions.inc({ rule: input.ruleName, outcome: 'failed' });
      this.#failureLog.failed(`${input.ruleName} (error action)`, { error: (error as Error).message }, `topic rule ${input.ruleName}: its error action failed too`);
    }
  }

  /**
   * External functions: `get_thing_shadow(thing, [shadow,] roleArn)` answers the shadow as GetThingShadow
   * does (state with delta, metadata, version, timestamp); the others need services hako does not have.
   */
  readonly #externals: ExternalFunctionHook = (name, args) => {
    if (name !== 'get_thing_shadow' || this.#deps.shadowOf === undefined) return undefined;
    const [thingName, shadowName] = args.length === 3 ? [args[0], args[1]] : [args[0], undefined];
    if (typeof thingName !== 'string' || (shadowName !== undefined && typeof shadowName !== 'string')) return undefined;
    const document = this.#deps.shadowOf(thingName, shadowName);
    if (document === undefined) return undefined;
    return buildGetAccepted(document, { nowSeconds: Math.floor(this.#deps.clock.now() / 1000) }) as unknown as SqlValue;
  };

  #track(promise: Promise<void>): void {
    this.#inFlight.add(promise);
    void promise.finally(() => this.#inFlight.delete(promise));
  }
}

interface Failure {
  failedAction: string;
  failedResource: string;
  errorMessage: string;
}

/**
 * A matched message waiting for evaluation, and the context its rules evaluate against: one object per
 * message. `timestamp` is set when its turn comes; `principal` is looked up only if a rule asks for it.
 */
class QueuedMessage implements EvalContext {
  parsed: SqlValue = undefined;
  timestamp = 0;
  readonly payload: Uint8Array;
  #principal: string | undefined | null = null;

  constructor(
    readonly message: Message,
    /** How many rules in a row republished it (see MAX_REPUBLISH_DEPTH). */
    readonly depth: number,
    readonly clientId: string | undefined,
    readonly rules: readonly ActiveRule[],
    readonly topic: string,
    readonly accountId: string,
    readonly externals: ExternalFunctionHook,
    readonly principalOf: (clientId: string) => string | undefined,
  ) {
    this.payload = message.payload;
  }

  get principal(): string | undefined {
    if (this.#principal === null) this.#principal = this.clientId === undefined ? undefined : this.principalOf(this.clientId);
    return this.#principal;
  }
}

/** One match as its actions see it; the payload bytes are made on first use (a rule may not need them). */
class MatchInput implements ActionInput {
  #payload: Buffer | undefined;

  constructor(
    readonly ruleName: string,
    readonly output: SqlOutput,
    readonly context: EvalContext,
    readonly message: Message,
    readonly depth: number,
  ) {}

  get payload(): Buffer {
    if (this.#payload === undefined) {
      const bytes = serializeOutput(this.output);
      this.#payload = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return this.#payload;
  }
}
