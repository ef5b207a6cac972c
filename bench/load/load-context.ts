/**
 * @module bench/load/load-context — state the publishers and subscribers of one run share: per-publisher
 * delivery counts (for end-to-end windows and loss checks), the latency histogram and the problem list.
 */
import { Histogram } from './histogram.js';
import type { ProtocolLevel } from './packets.js';

/** What a subscriber needs to know about the publisher a message came from. */
export interface DeliveryTarget {
  delivered: number;
}

export class LoadContext {
  readonly histogram = new Histogram();
  readonly problems: string[] = [];
  readonly publishers: DeliveryTarget[] = [];
  /** Record latencies only inside the measurement window. */
  recording = false;
  /** Set once the run is closing its own connections, so closes stop being problems. */
  closing = false;
  #wakeScheduled = false;
  readonly #pump: () => void;
  /** Work deferred to the next wake-up, before the pump (subscribers' batched PUBACKs). */
  readonly #deferred: (() => void)[] = [];

  constructor(
    readonly protocol: ProtocolLevel,
    pump: () => void,
  ) {
    this.#pump = pump;
  }

  /**
   * Asks for one pump of the publishers after the current I/O callbacks. Many wake-ups in one event-loop
   * turn (one per chunk read) become one pump, so batches and writes stay large.
   */
  wake(): void {
    if (this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    setImmediate(() => {
      this.#wakeScheduled = false;
      const deferred = this.#deferred.splice(0);
      for (const task of deferred) task();
      this.#pump();
    });
  }

  /** Runs `task` at the next wake-up, before the pump. */
  defer(task: () => void): void {
    this.#deferred.push(task);
    this.wake();
  }

  /** Records a problem once per distinct message (a broken run would otherwise repeat it per packet). */
  report(problem: string): void {
    if (!this.problems.includes(problem) && this.problems.length < 20) this.problems.push(problem);
  }
}
