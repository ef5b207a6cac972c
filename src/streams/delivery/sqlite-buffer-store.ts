/**
 * @module streams/delivery/sqlite-buffer-store — `DeliveryBufferStore` on hako's SQLite database (table
 * `delivery_buffer`, one row per PutRecord(Batch) call).
 *
 * Appends made in one event-loop turn commit together in one transaction (group commit, as the stream
 * store does): concurrent PutRecordBatch calls share one commit, and none resolves before its chunk is
 * committed. With WAL and `synchronous = NORMAL` a commit survives `kill -9` (see `store/sqlite.ts`).
 */
import type { Database, Statement } from 'better-sqlite3';
import { GroupCommit } from '../../store/group-commit.js';
import type { BufferedChunk, ChunkMeta, DeliveryBufferStore } from './buffer-store.js';

interface MetaRow {
  stream: string;
  seq: number;
  arrival_ms: number;
  count: number;
  bytes: number;
}

interface ChunkRow extends MetaRow {
  lengths: Buffer;
  data: Buffer;
}

/** Lengths as little-endian uint32s: 4 bytes a record, whatever the host. */
function encodeLengths(lengths: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(lengths.length * 4);
  lengths.forEach((length, i) => out.writeUInt32LE(length, i * 4));
  return out;
}

function decodeLengths(encoded: Buffer): number[] {
  const out = new Array<number>(encoded.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = encoded.readUInt32LE(i * 4);
  return out;
}

export class SqliteDeliveryBufferStore implements DeliveryBufferStore {
  readonly #insert: Statement<[string, number, number, number, number, Buffer, Buffer]>;
  readonly #load: Statement<[], MetaRow>;
  readonly #read: Statement<[string, number, number], ChunkRow>;
  readonly #remove: Statement<[string, number, number]>;
  readonly #deleteStream: Statement<[string]>;
  readonly #writes: GroupCommit<BufferedChunk>;

  constructor(db: Database) {
    this.#insert = db.prepare('INSERT INTO delivery_buffer (stream, seq, arrival_ms, count, bytes, lengths, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.#load = db.prepare('SELECT stream, seq, arrival_ms, count, bytes FROM delivery_buffer ORDER BY stream, seq');
    this.#read = db.prepare('SELECT stream, seq, arrival_ms, count, bytes, lengths, data FROM delivery_buffer WHERE stream = ? AND seq >= ? AND seq <= ? ORDER BY seq');
    this.#remove = db.prepare('DELETE FROM delivery_buffer WHERE stream = ? AND seq >= ? AND seq <= ?');
    this.#deleteStream = db.prepare('DELETE FROM delivery_buffer WHERE stream = ?');
    this.#writes = new GroupCommit(db.transaction((chunks: readonly BufferedChunk[]) => {
      for (const c of chunks) this.#insert.run(c.stream, c.seq, c.arrivalMs, c.count, c.bytes, encodeLengths(c.lengths), c.data);
    }));
  }

  append(chunk: BufferedChunk): Promise<void> {
    return this.#writes.write([chunk]);
  }

  async load(): Promise<ChunkMeta[]> {
    return this.#load.all().map((row) => ({ stream: row.stream, seq: row.seq, arrivalMs: row.arrival_ms, count: row.count, bytes: row.bytes }));
  }

  async read(stream: string, from: number, to: number): Promise<BufferedChunk[]> {
    return this.#read.all(stream, from, to).map((row) => ({ stream, seq: row.seq, arrivalMs: row.arrival_ms, count: row.count, bytes: row.bytes, data: row.data, lengths: decodeLengths(row.lengths) }));
  }

  async remove(stream: string, from: number, to: number): Promise<void> {
    this.#writes.flush(); // an append still waiting for its commit must not be missed by the delete
    this.#remove.run(stream, from, to);
  }

  async deleteStream(stream: string): Promise<void> {
    this.#writes.flush();
    this.#deleteStream.run(stream);
  }

  async close(): Promise<void> {
    this.#writes.flush();
  }
}
