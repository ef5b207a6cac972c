/**
 * @module streams/delivery/processor — the record-processing step between the buffer and the sink. A
 * `RecordProcessor` turns a batch of buffered chunks into groups of records for the destination (one
 * object each: a group per partition-key set with dynamic partitioning, else one) and records that failed
 * (which go to the error output as Firehose writes them, `error-output.ts`). Streams without processing
 * pass records through untouched; `pipeline.ts` composes transformation by a hako function, dynamic
 * partitioning and format conversion.
 */
import { recordsOf, type BufferedChunk } from './buffer-store.js';
import type { FailedRecord } from './error-output.js';
import type { PartitionKeys } from './prefix.js';

export { errorOutputLine, type FailedRecord } from './error-output.js';

/** Records for one destination object. */
export interface RecordGroup {
  /** In arrival order. */
  readonly records: readonly Buffer[];
  /** How many: `records.length`, without building `records` where it is made on demand. */
  readonly count: number;
  /** The same bytes as `records`, back to back in fewer buffers, when the group has them (`DeliveryBatch`). */
  readonly contiguous?: readonly Buffer[] | undefined;
  /** Arrival of the group's oldest record: what the object's name and timestamps show. */
  readonly oldestArrivalMs: number;
  readonly partitionKeys?: PartitionKeys | undefined;
}

export interface ProcessedRecords {
  readonly groups: readonly RecordGroup[];
  /** For the error output, each with its error output type. */
  readonly failed: readonly FailedRecord[];
}

export interface RecordProcessor {
  process(chunks: readonly BufferedChunk[]): Promise<ProcessedRecords>;
}

/**
 * The buffered chunks as one group: each chunk's data is already its records back to back, so a sink that
 * writes records as sent takes those buffers (`contiguous`), and the per-record views, 500 a call, are made
 * only for a sink that asks for `records`.
 */
class ChunkGroup implements RecordGroup {
  readonly count: number;
  readonly contiguous: readonly Buffer[];
  readonly oldestArrivalMs: number;
  readonly #chunks: readonly BufferedChunk[];
  #records: Buffer[] | undefined;

  constructor(chunks: readonly BufferedChunk[]) {
    this.#chunks = chunks;
    this.count = chunks.reduce((sum, chunk) => sum + chunk.lengths.length, 0);
    this.contiguous = chunks.map((chunk) => chunk.data);
    // reduce, not Math.min(...): a batch of single-record PutRecords can hold far more chunks than a call takes arguments
    this.oldestArrivalMs = chunks.reduce((oldest, chunk) => Math.min(oldest, chunk.arrivalMs), Infinity);
  }

  get records(): readonly Buffer[] {
    return (this.#records ??= this.#chunks.flatMap(recordsOf));
  }
}

/** No processing configured: every record goes to the destination as sent, in one object. */
export const passThrough: RecordProcessor = {
  process: async (chunks) => {
    const group = new ChunkGroup(chunks);
    return { groups: group.count === 0 ? [] : [group], failed: [] };
  },
};
