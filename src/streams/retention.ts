/**
 * @module streams/retention — deletes records older than their stream's retention period, in the
 * background on a timer, and on demand (`trimExpired`, which tests call under a controlled clock).
 *
 * Trimming goes by sequence counter: a counter below `cutoff × 1000` belongs to a record that arrived
 * before the cutoff (`streams/sequence-numbers`), so each shard's trim is one primary-key range delete.
 * A record may outlive its period by up to one interval, which retention allows ("at least").
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { StreamRegistry } from './registry.js';
import { counterFloorAt } from './sequence-numbers.js';
import type { StreamStore } from './store.js';

const HOUR_MS = 3600 * 1000;

export class RetentionTrimmer {
  readonly #store: StreamStore;
  readonly #registry: StreamRegistry;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(store: StreamStore, registry: StreamRegistry, clock: Clock, logger: Logger) {
    this.#store = store;
    this.#registry = registry;
    this.#clock = clock;
    this.#logger = logger;
  }

  /** Trims every shard of every stream now; returns how many records went. One pass at a time. */
  trimExpired(): Promise<number> {
    this.#running ??= this.#trimAll().finally(() => (this.#running = undefined));
    return this.#running;
  }

  start(intervalMs: number): void {
    this.#timer = setInterval(() => {
      this.trimExpired().catch((error: unknown) => this.#logger.error({ err: error }, 'trimming expired stream records failed'));
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  async #trimAll(): Promise<number> {
    let trimmed = 0;
    const now = this.#clock.now();
    for (const stream of this.#registry.list()) {
      const before = counterFloorAt(now - stream.retentionHours * HOUR_MS);
      for (const shard of stream.shards) trimmed += await this.#store.trim(stream.name, shard.index, before);
    }
    if (trimmed > 0) this.#logger.debug({ trimmed }, `trimmed ${trimmed} expired stream record(s)`);
    return trimmed;
  }
}
