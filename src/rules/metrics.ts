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

  constructor() {
    const registers = [this.registry];
    this.matched = new Counter({ name: 'hako_rule_matched_total', help: 'Messages whose topic matched the rule and whose WHERE held (TopicMatch)', labelNames: ['rule'], registers });
    this.actionsSucceeded = new Counter({ name: 'hako_rule_actions_succeeded_total', help: 'Actions that completed', labelNames: ['rule', 'action'], registers });
    this.actionsFailed = new Counter({ name: 'hako_rule_actions_failed_total', help: 'Actions that failed for good (after their retries)', labelNames: ['rule', 'action'], registers });
    this.errorActions = new Counter({ name: 'hako_rule_error_actions_total', help: 'Error actions run, by outcome', labelNames: ['rule', 'outcome'], registers });
    this.evaluationErrors = new Counter({ name: 'hako_rule_evaluation_errors_total', help: 'Evaluations that failed inside hako (a bug; logged)', labelNames: ['rule'], registers });
    this.ruleNotFound = new Counter({ name: 'hako_rule_not_found_total', help: 'Basic Ingest messages for a rule that does not exist or is disabled (RuleNotFound)', registers });
    this.messagesDropped = new Counter({ name: 'hako_rule_messages_dropped_total', help: 'Messages not evaluated because the engine was too far behind', registers });
    this.loopsStopped = new Counter({ name: 'hako_rule_republish_loops_stopped_total', help: 'Republished messages not evaluated again because rules republished them too many times in a row', registers });
  }

  readonly #byRule = new Map<string, RuleCounters>();

  /** A rule's counters, bound to its labels once: prom-client hashes a label object on every `inc`. */
  of(ruleName: string): RuleCounters {
    let counters = this.#byRule.get(ruleName);
    if (counters === undefined) this.#byRule.set(ruleName, (counters = new RuleCounters(this, ruleName)));
    return counters;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

type Child = ReturnType<Counter<string>['labels']>;

export class RuleCounters {
  readonly matched: Child;
  readonly #metrics: RuleMetrics;
  readonly #ruleName: string;
  readonly #actions = new Map<string, { succeeded: Child; failed: Child }>();

  constructor(metrics: RuleMetrics, ruleName: string) {
    this.#metrics = metrics;
    this.#ruleName = ruleName;
    this.matched = metrics.matched.labels({ rule: ruleName });
  }

  action(kind: string): { succeeded: Child; failed: Child } {
    let counters = this.#actions.get(kind);
    if (counters === undefined) {
      const labels = { rule: this.#ruleName, action: kind };
      this.#actions.set(kind, (counters = { succeeded: this.#metrics.actionsSucceeded.labels(labels), failed: this.#metrics.actionsFailed.labels(labels) }));
    }
    return counters;
  }
}
