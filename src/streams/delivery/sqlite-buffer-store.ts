/**
 * @module streams/delivery/sqlite-buffer-store — the `DeliveryBufferStore` hako used before the segment files
 * (`segment-buffer-store.ts`): table `delivery_buffer` of hako's SQLite database, one row per PutRecord(Batch)
 * call. hako no longer buffers here; `moveSqliteBufferRows` reads what an older hako left at start and moves
 * it into the segment store, so an upgrade loses no acknowledged record.
 *
 * Appends made in one event-loop turn commit together in one transaction (group commit, as the stream
 * store does): concurrent PutRecordBatch calls share one commit, and none resolves before its chunk is
 * committed. With WAL and `synchronous = NORMAL` a commit survives `kill -9` (see `store/sqlite.ts`).
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Logger } from '../../core/logger.js';
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
    this.#writes.flush();
    return this.#load.all().map((row) => ({ stream: row.stream, seq: row.seq, arrivalMs: row.arrival_ms, count: row.count, bytes: row.bytes }));
  }

  async read(stream: string, from: number, to: number): Promise<BufferedChunk[]> {
    this.#writes.flush();
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

/** Rows read and moved at a time: a bound on the memory the move takes. */
const MOVE_BATCH_BYTES = 64 * 1024 * 1024;

/**
 * Moves every row of `delivery_buffer` into `target` (the segment store), oldest first, deleting rows once
 * `target` holds them; returns how many chunks moved. A crash part-way leaves rows that are already in
 * `target` (same stream and seq): those are deleted, not appended twice, at the next start.
 *
 * A row whose seq is below the last one `target` holds for its stream, and not in `target`, cannot be put in
 * order: `target.append` refuses it and the start fails, rather than dropping it. Only a data directory that
 * an older hako wrote to after a newer one did (a downgrade) has such rows.
 */
export async function moveSqliteBufferRows(db: Database, target: DeliveryBufferStore, logger: Logger): Promise<number> {
  const source = new SqliteDeliveryBufferStore(db);
  const rows = await source.load();
  if (rows.length === 0) return 0;
  const present = new Set((await target.load()).map((chunk) => `${chunk.stream}\n${chunk.seq}`));
  let moved = 0;
  for (let i = 0; i < rows.length;) {
    const first = rows[i] as ChunkMeta;
    let bytes = 0;
    let j = i;
    while (j < rows.length && (rows[j] as ChunkMeta).stream === first.stream && (j === i || bytes + (rows[j] as ChunkMeta).bytes <= MOVE_BATCH_BYTES)) bytes += (rows[j++] as ChunkMeta).bytes;
    const to = (rows[j - 1] as ChunkMeta).seq;
    const chunks = (await source.read(first.stream, first.seq, to)).filter((chunk) => !present.has(`${chunk.stream}\n${chunk.seq}`));
    await Promise.all(chunks.map((chunk) => target.append(chunk)));
    await source.remove(first.stream, first.seq, to);
    moved += chunks.length;
    i = j;
  }
  await source.close();
  logger.info({ chunks: moved, rows: rows.length }, `moved ${moved} buffered PutRecord(Batch) call(s) from SQLite table delivery_buffer into the delivery buffer files`);
  return moved;
}
