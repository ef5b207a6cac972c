/**
 * @module gateway/usage-plans/usage-ledger — the usage counts kept across restarts without a store write per
 * request: requests are counted in memory (`UsageCounts`) and the (plan, key) pairs that changed are written every
 * `flushIntervalMs` (one record each, collection `gateway.usage-plans.usage`) and on `stop`.
 *
 * What a crash can lose: the requests counted since the last flush (at most `flushIntervalMs` of them), so after a
 * crash a key may get that many requests more than its quota allows this period. A clean stop loses nothing.
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { RecordCollection, RecordStore } from '../../store/records.js';
import { dayNumber } from './quota.js';
import { UsageCounts, type CountsChange, type DayCounts } from './usage-counts.js';

export const USAGE_COLLECTION = 'gateway.usage-plans.usage';
/** Days of usage kept for GetUsage (and for the longest quota period, a month). */
export const USAGE_RETENTION_DAYS = 90;

interface UsageRecord {
  usagePlanId: string;
  keyId: string;
  days: DayCounts;
}

export interface LedgerOptions {
  records: RecordStore;
  clock: Clock;
  logger: Logger;
  flushIntervalMs: number;
}

export class UsageLedger {
  readonly counts = new UsageCounts();
  readonly #store: RecordCollection<UsageRecord>;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #timer: NodeJS.Timeout;
  /** Flushes run one after another, so an older snapshot never lands after a newer one. */
  #flushing: Promise<void> = Promise.resolve();

  private constructor(store: RecordCollection<UsageRecord>, options: LedgerOptions) {
    this.#store = store;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    this.#timer.unref();
  }

  static async open(options: LedgerOptions): Promise<UsageLedger> {
    const store = options.records.collection<UsageRecord>(USAGE_COLLECTION);
    const ledger = new UsageLedger(store, options);
    for (const record of (await store.loadAll()).values()) ledger.counts.load(record.usagePlanId, record.keyId, record.days);
    return ledger;
  }

  /** Writes what changed since the last flush; a failed write is kept for the next one. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#write());
    return this.#flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  async #write(): Promise<void> {
    this.counts.prune(dayNumber(this.#clock.now()) - USAGE_RETENTION_DAYS);
    const changes = this.counts.takeChanges();
    // All at once: the SQLite store commits writes issued together in one transaction.
    const results = await Promise.allSettled(changes.map((change) => this.#save(change)));
    const failed: CountsChange[] = changes.filter((_change, i) => results[i]?.status === 'rejected');
    const firstError = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (firstError !== undefined) this.#logger.warn({ err: firstError.reason, pairs: failed.length }, 'could not store usage counts; retrying at the next flush');
    this.counts.markChanged(failed);
  }

  #save(change: CountsChange): Promise<void> {
    const key = `${change.usagePlanId}/${change.keyId}`;
    if (change.days === undefined) return this.#store.delete(key);
    return this.#store.put(key, { usagePlanId: change.usagePlanId, keyId: change.keyId, days: change.days });
  }
}
