/**
 * @module rules/metrics — the rules engine's counters (AWS IoT's CloudWatch rule metrics: RuleMessage
 * Throttled, RuleNotFound, TopicMatch, Success/Failure per action, ErrorActionSuccess/Failure) as
 * Prometheus metrics in their own prom-client registry; `/metrics` appends its text.
 */
import { Counter, Registry } from 'prom-client';

export class RuleMetrics {
  readonly registry = new Registry();
  readonly matched: Counter<'rule'>;
  readonly actionsSucceeded: Counter<'rule' | 'action'>;
  readonly actionsFailed: Counter<'rule' | 'action'>;
  readonly errorActions: Counter<'rule' | 'outcome'>;
  readonly evaluationErrors: Counter<'rule'>;
  readonly ruleNotFound: Counter;
  readonly messagesDropped: Counter;
  readonly loopsStopped: Counter;
  readonly #byRule = new Map<string, RuleCounters>();

  constructor() {
    const registers = [this.registry];
    // prom-client hashes its labels on every `inc` (3 % of the broker's CPU with rules attached): the
    // engine counts in plain numbers (RuleCounters) and they are added here when /metrics is read.
    const byRule = this.#byRule;
    this.matched = new Counter({ name: 'hako_rule_matched_total', help: 'Messages whose topic matched the rule and whose WHERE held (TopicMatch)', labelNames: ['rule'], registers, collect() {
      for (const [rule, counts] of byRule) {
        if (counts.matched > 0) this.inc({ rule }, counts.matched);
        counts.matched = 0;
      }
    } });
    this.actionsSucceeded = new Counter({ name: 'hako_rule_actions_succeeded_total', help: 'Actions that completed', labelNames: ['rule', 'action'], registers, collect() {
      for (const [rule, counts] of byRule) {
        for (const [action, count] of counts.actions) {
          if (count.succeeded > 0) this.inc({ rule, action }, count.succeeded);
          count.succeeded = 0;
        }
      }
    } });
    this.actionsFailed = new Counter({ name: 'hako_rule_actions_failed_total', help: 'Actions that failed for good (after their retries)', labelNames: ['rule', 'action'], registers, collect() {
      for (const [rule, counts] of byRule) {
        for (const [action, count] of counts.actions) {
          if (count.failed > 0) this.inc({ rule, action }, count.failed);
          count.failed = 0;
        }
      }
    } });
    this.errorActions = new Counter({ name: 'hako_rule_error_actions_total', help: 'Error actions run, by outcome', labelNames: ['rule', 'outcome'], registers });
    this.evaluationErrors = new Counter({ name: 'hako_rule_evaluation_errors_total', help: 'Evaluations that failed inside hako (a bug; logged)', labelNames: ['rule'], registers });
    this.ruleNotFound = new Counter({ name: 'hako_rule_not_found_total', help: 'Basic Ingest messages for a rule that does not exist or is disabled (RuleNotFound)', registers });
    this.messagesDropped = new Counter({ name: 'hako_rule_messages_dropped_total', help: 'Messages not evaluated because the engine was too far behind', registers });
    this.loopsStopped = new Counter({ name: 'hako_rule_republish_loops_stopped_total', help: 'Republished messages not evaluated again because rules republished them too many times in a row', registers });
  }

  /** A rule's counts, kept until the next scrape. */
  of(ruleName: string): RuleCounters {
    let counters = this.#byRule.get(ruleName);
    if (counters === undefined) this.#byRule.set(ruleName, (counters = new RuleCounters()));
    return counters;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** One rule's counts since the last scrape: plain numbers on the hot path, handed to prom-client when scraped. */
export class RuleCounters {
  matched = 0;
  readonly actions = new Map<string, { succeeded: number; failed: number }>();

  action(kind: string): { succeeded: number; failed: number } {
    let counts = this.actions.get(kind);
    if (counts === undefined) this.actions.set(kind, (counts = { succeeded: 0, failed: 0 }));
    return counts;
  }
}
