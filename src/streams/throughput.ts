/**
 * @module streams/throughput — the write limit of a provisioned shard: 1,000 records or 1 MiB (data
 * plus partition keys) per second (spec §9). Over it, PutRecords fails the excess records with
 * ProvisionedThroughputExceededException and PutRecord fails outright, as AWS does, so producers' retry
 * and back-off paths run against hako too. On-demand streams scale on AWS; hako does not limit them.
 *
 * The window is the current whole second of the clock: simple, deterministic under a test clock, and
 * no more lenient than AWS over any second.
 */

export interface ShardWriteLimit {
  readonly recordsPerSecond: number;
  readonly bytesPerSecond: number;
}

export const AWS_SHARD_WRITE_LIMIT: ShardWriteLimit = { recordsPerSecond: 1000, bytesPerSecond: 1024 * 1024 };

interface Window {
  second: number;
  records: number;
  bytes: number;
}

export class ShardWriteLimiter {
  readonly #limit: ShardWriteLimit;
  readonly #windows = new Map<string, Window>();

  constructor(limit: ShardWriteLimit) {
    this.#limit = limit;
  }

  /** Counts one record of `bytes` against the shard's current second; false if it does not fit. */
  admit(shardKey: string, bytes: number, nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000);
    let window = this.#windows.get(shardKey);
    if (window === undefined || window.second !== second) {
      window = { second, records: 0, bytes: 0 };
      this.#windows.set(shardKey, window);
    }
    if (window.records + 1 > this.#limit.recordsPerSecond || window.bytes + bytes > this.#limit.bytesPerSecond) return false;
    window.records++;
    window.bytes += bytes;
    return true;
  }

  /** Drops the windows of a deleted stream's shards. */
  forget(prefix: string): void {
    for (const key of this.#windows.keys()) if (key.startsWith(prefix)) this.#windows.delete(key);
  }
}
