/**
 * @module streams/writer — PutRecord(s): checks the request's limits, routes each record to its shard,
 * assigns sequence numbers, applies the shards' write limits, stores the accepted records in one
 * `append` (durable before the call answers) and then tells subscribers which shards have new data.
 *
 * Counters are assigned synchronously for the whole request, so a shard's records keep request order,
 * and requests keep arrival order.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { constraintError, kinesisError } from './errors.js';
import { hashKeyOf, parseHashKey, rangeIndexOf } from './hash-keys.js';
import type { StreamInfo, StreamRegistry } from './registry.js';
import { formatSequenceNumber, nextCounter, shardIdOf } from './sequence-numbers.js';
import type { StoredRecord, StreamStore } from './store.js';
import type { ShardWriteLimiter } from './throughput.js';

export const MAX_RECORD_BYTES = 1024 * 1024;
export const MAX_REQUEST_BYTES = 5 * 1024 * 1024;
export const MAX_RECORDS_PER_REQUEST = 500;

export interface PutEntry {
  readonly data: Buffer;
  readonly partitionKey: string;
  readonly explicitHashKey?: string | undefined;
}

export type PutResult =
  | { readonly shardId: string; readonly sequenceNumber: string; readonly errorCode?: undefined }
  | { readonly errorCode: 'ProvisionedThroughputExceededException' | 'InternalFailure'; readonly errorMessage: string };

/** A shard got new records: what a consumer (event source mapping) waits for instead of polling. */
export interface RecordsEvent {
  readonly stream: string;
  readonly shardId: string;
  readonly lastSequenceNumber: string;
}

export type RecordsListener = (event: RecordsEvent) => void;

export interface WriterOptions {
  store: StreamStore;
  registry: StreamRegistry;
  clock: Clock;
  account: string;
  logger: Logger;
  /** Undefined: no write limits (for benchmarks and tests that need none). */
  limiter: ShardWriteLimiter | undefined;
}

export class StreamWriter {
  readonly #options: WriterOptions;
  /** Last counter assigned per stream, per shard index. */
  readonly #counters = new Map<string, number[]>();
  readonly #listeners = new Set<RecordsListener>();

  private constructor(options: WriterOptions) {
    this.#options = options;
  }

  /** Re-derives every shard's counter from the largest stored sequence counter. */
  static async open(options: WriterOptions): Promise<StreamWriter> {
    const writer = new StreamWriter(options);
    for (const stream of options.registry.list()) {
      writer.#counters.set(stream.name, await Promise.all(stream.shards.map(async (shard) => (await options.store.lastSeq(stream.name, shard.index)) ?? 0)));
    }
    return writer;
  }

  /** The last counter assigned in a shard (0 when none was). */
  lastCounter(stream: StreamInfo, shard: number): number {
    return this.#countersOf(stream)[shard] ?? 0;
  }

  onRecords(listener: RecordsListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Forgets a deleted stream's counters and limits. */
  forget(stream: string): void {
    this.#counters.delete(stream);
    this.#options.limiter?.forget(`${stream}\0`);
  }

  /**
   * Stores the entries; one result per entry, in order. `single` is PutRecord: its field names in errors
   * have no `records.N.member.` prefix.
   */
  async put(streamName: string, entries: readonly PutEntry[], single = false): Promise<PutResult[]> {
    const stream = this.#options.registry.get(streamName);
    const hashKeys = checkRequest(entries, single);
    const counters = this.#countersOf(stream);
    const now = this.#options.clock.now();
    const stored: StoredRecord[] = [];
    const results: PutResult[] = entries.map((entry, i) => {
      const shard = rangeIndexOf(stream.shards, hashKeys[i] as bigint);
      const shardId = shardIdOf(shard);
      const bytes = entry.data.length + Buffer.byteLength(entry.partitionKey);
      if (stream.mode === 'PROVISIONED' && this.#options.limiter?.admit(`${stream.name}\0${shard}`, bytes, now) === false) {
        return { errorCode: 'ProvisionedThroughputExceededException', errorMessage: `Rate exceeded for shard ${shardId} in stream ${stream.name} under account ${this.#options.account}.` };
      }
      const seq = nextCounter(counters[shard] ?? 0, now);
      counters[shard] = seq;
      stored.push({ stream: stream.name, shard, seq, arrivalMs: now, partitionKey: entry.partitionKey, data: entry.data });
      return { shardId, sequenceNumber: formatSequenceNumber(seq, shard) };
    });
    try {
      await this.#options.store.append(stored);
    } catch (error) {
      this.#options.logger.error({ err: error, stream: stream.name }, 'storing stream records failed');
      return results.map((result) => (result.errorCode === undefined ? { errorCode: 'InternalFailure', errorMessage: 'Internal service failure.' } : result));
    }
    this.#notify(stream.name, stored);
    return results;
  }

  #countersOf(stream: StreamInfo): number[] {
    let counters = this.#counters.get(stream.name);
    // A stream created since start has no stored records: its counters start at 0.
    if (counters === undefined) this.#counters.set(stream.name, (counters = stream.shards.map(() => 0)));
    return counters;
  }

  #notify(stream: string, stored: readonly StoredRecord[]): void {
    if (this.#listeners.size === 0) return;
    const lastByShard = new Map<number, number>();
    for (const record of stored) lastByShard.set(record.shard, record.seq);
    for (const [shard, seq] of lastByShard) {
      const event = { stream, shardId: shardIdOf(shard), lastSequenceNumber: formatSequenceNumber(seq, shard) };
      for (const listener of this.#listeners) {
        try {
          listener(event);
        } catch (error) {
          this.#options.logger.error({ err: error, stream }, 'a stream records listener failed');
        }
      }
    }
  }
}

/**
 * The request-wide checks AWS makes before writing anything (a failure rejects the whole request):
 * 1–500 records, keys of 1–256 characters, records of at most 1 MiB (data plus key), at most 5 MiB in
 * all, valid explicit hash keys. Returns each entry's hash key.
 */
function checkRequest(entries: readonly PutEntry[], single: boolean): bigint[] {
  if (entries.length < 1) throw constraintError('records', '[]', 'Member must have length greater than or equal to 1');
  if (entries.length > MAX_RECORDS_PER_REQUEST) throw constraintError('records', `[${entries.length} records]`, `Member must have length less than or equal to ${MAX_RECORDS_PER_REQUEST}`);
  const field = (i: number, name: string): string => (single ? name : `records.${i + 1}.member.${name}`);
  let total = 0;
  const hashKeys: bigint[] = [];
  entries.forEach((entry, i) => {
    const keyLength = [...entry.partitionKey].length;
    if (keyLength < 1 || keyLength > 256) throw constraintError(field(i, 'partitionKey'), entry.partitionKey, 'Member must have length between 1 and 256');
    const bytes = entry.data.length + Buffer.byteLength(entry.partitionKey);
    if (bytes > MAX_RECORD_BYTES) throw constraintError(field(i, 'data'), `${entry.data.length} bytes`, `Member must have length less than or equal to ${MAX_RECORD_BYTES}`);
    total += bytes;
    if (entry.explicitHashKey === undefined) return void hashKeys.push(hashKeyOf(entry.partitionKey));
    const explicit = parseHashKey(entry.explicitHashKey);
    if (explicit === undefined) throw kinesisError('InvalidArgumentException', `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${entry.explicitHashKey}`);
    hashKeys.push(explicit);
  });
  if (total > MAX_REQUEST_BYTES) throw kinesisError('InvalidArgumentException', `Records size exceeds ${MAX_REQUEST_BYTES} bytes: the data and partition keys come to ${total} bytes.`);
  return hashKeys;
}
