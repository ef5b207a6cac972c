/**
 * @module streams/delivery/buffer-store — where records wait for delivery: the `DeliveryBufferStore`
 * interface and its in-memory implementation (with a data directory: segment files,
 * `segment-buffer-store.ts`; before those, SQLite: `sqlite-buffer-store.ts`).
 *
 * The unit is a chunk: the records of one PutRecord or PutRecordBatch call, stored back to back with
 * their lengths. One entry per call rather than per record keeps the store's cost per call, not per
 * record (500 records of 200 bytes are one 100 KB append); deliveries take whole chunks, and the record
 * boundaries survive for processors that need records (transforms, partitioning).
 */

export interface ChunkMeta {
  readonly stream: string;
  /** Per stream, increasing: delivery order. */
  readonly seq: number;
  readonly arrivalMs: number;
  readonly count: number;
  readonly bytes: number;
}

export interface BufferedChunk extends ChunkMeta {
  /** The records' bytes, back to back. */
  readonly data: Buffer;
  /** Each record's length, in order (they sum to `data.length`). */
  readonly lengths: readonly number[];
}

export interface DeliveryBufferStore {
  /**
   * Stores a chunk; resolves once it is durable (it survives a crash of hako). Per stream, seqs come in
   * increasing order: above every seq appended before, or after a reopen, above those `load` returns.
   */
  append(chunk: BufferedChunk): Promise<void>;
  /** Every stored chunk's metadata, by stream then seq: what start-up re-buffers. */
  load(): Promise<ChunkMeta[]>;
  /** One stream's chunks with `from <= seq <= to`, in seq order. */
  read(stream: string, from: number, to: number): Promise<BufferedChunk[]>;
  /** Deletes one stream's chunks with `from <= seq <= to` (delivered, or given up). */
  remove(stream: string, from: number, to: number): Promise<void>;
  deleteStream(stream: string): Promise<void>;
  close(): Promise<void>;
}

/** Splits a chunk into its records (views of `data`, no copies). */
export function recordsOf(chunk: BufferedChunk): Buffer[] {
  const records = new Array<Buffer>(chunk.lengths.length);
  let offset = 0;
  chunk.lengths.forEach((length, i) => {
    records[i] = chunk.data.subarray(offset, offset + length);
    offset += length;
  });
  return records;
}

/** The metadata of a chunk, without its bytes. */
export const metaOf = ({ stream, seq, arrivalMs, count, bytes }: ChunkMeta): ChunkMeta => ({ stream, seq, arrivalMs, count, bytes });

/** For `--store memory` and tests: nothing survives the process. */
export class MemoryDeliveryBufferStore implements DeliveryBufferStore {
  readonly #chunks = new Map<string, BufferedChunk[]>();

  async append(chunk: BufferedChunk): Promise<void> {
    let chunks = this.#chunks.get(chunk.stream);
    if (chunks === undefined) this.#chunks.set(chunk.stream, (chunks = []));
    chunks.push({ ...chunk, data: Buffer.from(chunk.data), lengths: [...chunk.lengths] });
  }

  async load(): Promise<ChunkMeta[]> {
    return [...this.#chunks.keys()].sort().flatMap((stream) => (this.#chunks.get(stream) ?? []).map(metaOf));
  }

  async read(stream: string, from: number, to: number): Promise<BufferedChunk[]> {
    return (this.#chunks.get(stream) ?? []).filter((chunk) => chunk.seq >= from && chunk.seq <= to);
  }

  async remove(stream: string, from: number, to: number): Promise<void> {
    const chunks = this.#chunks.get(stream);
    if (chunks !== undefined) this.#chunks.set(stream, chunks.filter((chunk) => chunk.seq < from || chunk.seq > to));
  }

  async deleteStream(stream: string): Promise<void> {
    this.#chunks.delete(stream);
  }

  async close(): Promise<void> {}
}
