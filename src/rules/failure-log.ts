/**
 * @module rules/failure-log — action failures logged once per rule per minute, not once per message: a
 * webhook that is down while sensors publish every second must not drown hako's log. The first failure
 * is logged at once, with its details; later ones are counted and reported in the next line.
 */
import type { Logger } from '../core/logger.js';

export const FAILURE_LOG_INTERVAL_MS = 60_000;

export class FailureLog {
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #last = new Map<string, { at: number; suppressed: number }>();

  constructor(logger: Logger, now: () => number) {
    this.#logger = logger;
    this.#now = now;
  }

  failed(ruleName: string, details: Record<string, unknown>, message: string): void {
    const now = this.#now();
    const last = this.#last.get(ruleName);
    if (last !== undefined && now - last.at < FAILURE_LOG_INTERVAL_MS) {
      last.suppressed++;
      return;
    }
    const suppressed = last?.suppressed ?? 0;
    this.#last.set(ruleName, { at: now, suppressed: 0 });
    this.#logger.warn({ rule: ruleName, ...details, ...(suppressed > 0 ? { similarFailuresNotLogged: suppressed } : {}) }, suppressed > 0 ? `${message} (and ${suppressed} more failure(s) of this rule since the last line)` : message);
  }
}
