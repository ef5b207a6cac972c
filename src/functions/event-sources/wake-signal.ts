/**
 * @module functions/event-sources/wake-signal — how a shard worker sleeps without polling: it waits
 * until the shard gets records (the writer's `onRecords` hook calls `wake`), a deadline passes (a
 * batching window), or the worker is stopped. A wake that comes while the worker is busy is remembered,
 * so records stored between a read and the next wait are never slept through.
 */

export class WakeSignal {
  #pending = false;
  #resolve: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  wake(): void {
    const resolve = this.#resolve;
    if (resolve === undefined) {
      this.#pending = true;
      return;
    }
    this.#settle();
    resolve();
  }

  /** Resolves at the next wake (at once if one came since the last wait), or after `timeoutMs`. */
  wait(timeoutMs?: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#resolve = resolve;
      if (timeoutMs === undefined) return;
      this.#timer = setTimeout(() => {
        this.#settle();
        resolve();
      }, Math.max(0, timeoutMs));
      this.#timer.unref();
    });
  }

  #settle(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#resolve = undefined;
  }
}

/** Waits `ms`, or less if `stopped` resolves first (a backoff must not hold up shutdown). */
export function pause(ms: number, stopped: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([elapsed, stopped]).finally(() => clearTimeout(timer));
}
