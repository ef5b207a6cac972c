/**
 * @module functions/concurrency — how many invocations may run at once (spec §4): a function with
 * reserved concurrency has exactly that many, the others share what is left of the account's limit. An
 * invocation takes a slot before it gets an environment and gives it back when it ends; without a slot
 * it is throttled with the `Reason` Lambda gives (spec §1.4).
 */

export type ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded';

export type SlotDecision = { ok: true; release: () => void } | { ok: false; reason: ThrottleReason };

/** The part of the account's limit that must stay unreserved (AWS). */
export const MIN_UNRESERVED_CONCURRENCY = 100;

export class ConcurrencyLimiter {
  readonly accountLimit: number;
  readonly #reservedTotal: () => number;
  readonly #running = new Map<string, number>();
  /** Invocations running of functions without reserved concurrency. */
  #unreservedRunning = 0;

  constructor(accountLimit: number, reservedTotal: () => number) {
    this.accountLimit = accountLimit;
    this.#reservedTotal = reservedTotal;
  }

  /** Running invocations (ConcurrentExecutions), of one function or of all. */
  running(functionName?: string): number {
    if (functionName !== undefined) return this.#running.get(functionName) ?? 0;
    let total = 0;
    for (const count of this.#running.values()) total += count;
    return total;
  }

  tryAcquire(functionName: string, reserved: number | undefined): SlotDecision {
    const running = this.#running.get(functionName) ?? 0;
    if (reserved !== undefined) {
      if (running >= reserved) return { ok: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' };
    } else if (this.#unreservedRunning >= this.accountLimit - this.#reservedTotal()) {
      return { ok: false, reason: 'ConcurrentInvocationLimitExceeded' };
    }
    this.#running.set(functionName, running + 1);
    if (reserved === undefined) this.#unreservedRunning++;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.#running.get(functionName) ?? 1) - 1;
        if (left === 0) this.#running.delete(functionName);
        else this.#running.set(functionName, left);
        if (reserved === undefined) this.#unreservedRunning--;
      },
    };
  }
}
