/**
 * @module streams/store — where stream records live: the `StreamStore` interface (contract suite in
 * `test/contract/stream-store.contract.ts`) and its in-memory implementation.
 *
 * A store knows records by stream name, shard index and sequence counter (`streams/sequence-numbers`);
 * it does not assign counters, route keys or keep stream metadata: the stream service does, and the
 * stream list itself lives in the record store.
 */
import { firstAtOrAbove } from '../core/seq-search.js';

export interface StoredRecord {
  readonly stream: string;
  readonly shard: number;
  /** The per-shard sequence counter: a safe integer, strictly increasing within a shard. */
  readonly seq: number;
  readonly arrivalMs: number;
  readonly partitionKey: string;
  readonly data: Buffer;
}

export interface ReadLimits {
  /** At most this many records. */
  readonly limit: number;
  /** Stop once this many data bytes have been returned; the first record is returned whatever its size. */
  readonly maxBytes: number;
}

export interface StreamStore {
  /**
   * Stores records of any streams and shards, resolving once they are durable (they survive a restart).
   * Within a shard each record's `seq` is larger than every stored one; the store may rely on that.
   */
  append(records: readonly StoredRecord[]): Promise<void>;
  /** One shard's records with `seq >= fromSeq`, in sequence order, within `limits`. */
  read(stream: string, shard: number, fromSeq: number, limits: ReadLimits): Promise<StoredRecord[]>;
  /** The `seq` of the shard's first record at or after `fromSeq` that arrived at or after `arrivalMs`. */
  seekArrival(stream: string, shard: number, fromSeq: number, arrivalMs: number): Promise<number | undefined>;
  /** The largest stored `seq` of a shard, for re-deriving the counter at start. */
  lastSeq(stream: string, shard: number): Promise<number | undefined>;
  /** Deletes one shard's records with `seq < beforeSeq`; returns how many went. */
  trim(stream: string, shard: number, beforeSeq: number): Promise<number>;
  /** Deletes every record of a stream. */
  deleteStream(stream: string): Promise<void>;
  close(): Promise<void>;
}

/** Records in arrays per shard; for `--store memory` and tests. Nothing survives the process. */
export class MemoryStreamStore implements StreamStore {
  readonly #shards = new Map<string, Map<number, StoredRecord[]>>();

  async append(records: readonly StoredRecord[]): Promise<void> {
    for (const record of records) {
      const rows = this.#rows(record.stream, record.shard, true);
      const last = rows.at(-1);
      if (last !== undefined && last.seq >= record.seq) throw new Error(`seq ${record.seq} is not above ${last.seq} in ${record.stream}/${record.shard}`);
      // A copy, as SQLite keeps one: the caller may reuse its buffer.
      rows.push({ ...record, data: Buffer.from(record.data) });
    }
  }

  async read(stream: string, shard: number, fromSeq: number, limits: ReadLimits): Promise<StoredRecord[]> {
    const rows = this.#rows(stream, shard, false);
    const out: StoredRecord[] = [];
    let bytes = 0;
    for (let i = firstAtOrAbove(rows, fromSeq); i < rows.length && out.length < limits.limit; i++) {
      const row = rows[i] as StoredRecord;
      if (out.length > 0 && bytes + row.data.length > limits.maxBytes) break;
      bytes += row.data.length;
      out.push({ ...row, data: Buffer.from(row.data) });
    }
    return out;
  }

  async seekArrival(stream: string, shard: number, fromSeq: number, arrivalMs: number): Promise<number | undefined> {
    const rows = this.#rows(stream, shard, false);
    for (let i = firstAtOrAbove(rows, fromSeq); i < rows.length; i++) {
      if ((rows[i] as StoredRecord).arrivalMs >= arrivalMs) return (rows[i] as StoredRecord).seq;
    }
    return undefined;
  }

  async lastSeq(stream: string, shard: number): Promise<number | undefined> {
    return this.#rows(stream, shard, false).at(-1)?.seq;
  }

  async trim(stream: string, shard: number, beforeSeq: number): Promise<number> {
    const rows = this.#rows(stream, shard, false);
    const count = firstAtOrAbove(rows, beforeSeq);
    rows.splice(0, count);
    return count;
  }

  async deleteStream(stream: string): Promise<void> {
    this.#shards.delete(stream);
  }

  async close(): Promise<void> {}

  #rows(stream: string, shard: number, create: boolean): StoredRecord[] {
    let shards = this.#shards.get(stream);
    if (shards === undefined) {
      if (!create) return [];
      this.#shards.set(stream, (shards = new Map()));
    }
    let rows = shards.get(shard);
    if (rows === undefined) {
      if (!create) return [];
      shards.set(shard, (rows = []));
    }
    return rows;
  }
}
