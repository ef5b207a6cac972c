/**
 * @module streams/sqlite-stream-store — `StreamStore` on hako's SQLite database (table `stream_records`).
 *
 * Appends made in one event-loop turn are committed together in one transaction (`store/group-commit`):
 * concurrent PutRecord calls pay for one commit, and none resolves before its records are committed. A PutRecords batch is one `append`, hence all in one transaction.
 */
import type { Database, Statement } from 'better-sqlite3';
import { GroupCommit } from '../store/group-commit.js';
import type { ReadLimits, StoredRecord, StreamStore } from './store.js';

interface Row {
  seq: number;
  arrival_ms: number;
  partition_key: string;
  data: Buffer;
}

export class SqliteStreamStore implements StreamStore {
  readonly #insert: Statement<[string, number, number, number, string, Buffer]>;
  readonly #read: Statement<[string, number, number, number], Row>;
  readonly #seek: Statement<[string, number, number, number], { seq: number }>;
  readonly #last: Statement<[string, number], { seq: number | null }>;
  readonly #trim: Statement<[string, number, number]>;
  readonly #deleteStream: Statement<[string]>;
  readonly #writes: GroupCommit<StoredRecord>;

  constructor(db: Database) {
    this.#insert = db.prepare('INSERT INTO stream_records (stream, shard, seq, arrival_ms, partition_key, data) VALUES (?, ?, ?, ?, ?, ?)');
    this.#read = db.prepare('SELECT seq, arrival_ms, partition_key, data FROM stream_records WHERE stream = ? AND shard = ? AND seq >= ? ORDER BY seq LIMIT ?');
    this.#seek = db.prepare('SELECT seq FROM stream_records WHERE stream = ? AND shard = ? AND seq >= ? AND arrival_ms >= ? ORDER BY seq LIMIT 1');
    this.#last = db.prepare('SELECT max(seq) AS seq FROM stream_records WHERE stream = ? AND shard = ?');
    this.#trim = db.prepare('DELETE FROM stream_records WHERE stream = ? AND shard = ? AND seq < ?');
    this.#deleteStream = db.prepare('DELETE FROM stream_records WHERE stream = ?');
    this.#writes = new GroupCommit(db.transaction((records: readonly StoredRecord[]) => {
      for (const r of records) this.#insert.run(r.stream, r.shard, r.seq, r.arrivalMs, r.partitionKey, r.data);
    }));
  }

  append(records: readonly StoredRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return this.#writes.write(records);
  }

  async read(stream: string, shard: number, fromSeq: number, limits: ReadLimits): Promise<StoredRecord[]> {
    const out: StoredRecord[] = [];
    let bytes = 0;
    // iterate() so a byte budget reached early does not pull `limit` large rows into memory.
    for (const row of this.#read.iterate(stream, shard, fromSeq, limits.limit)) {
      if (out.length > 0 && bytes + row.data.length > limits.maxBytes) break;
      bytes += row.data.length;
      out.push({ stream, shard, seq: row.seq, arrivalMs: row.arrival_ms, partitionKey: row.partition_key, data: row.data });
    }
    return out;
  }

  async seekArrival(stream: string, shard: number, fromSeq: number, arrivalMs: number): Promise<number | undefined> {
    return this.#seek.get(stream, shard, fromSeq, arrivalMs)?.seq;
  }

  async lastSeq(stream: string, shard: number): Promise<number | undefined> {
    return this.#last.get(stream, shard)?.seq ?? undefined;
  }

  async trim(stream: string, shard: number, beforeSeq: number): Promise<number> {
    return this.#trim.run(stream, shard, beforeSeq).changes;
  }

  async deleteStream(stream: string): Promise<void> {
    this.#writes.flush(); // appends still waiting for their commit must not outlive the delete
    this.#deleteStream.run(stream);
  }

  async close(): Promise<void> {
    this.#writes.flush();
  }
}
