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

/** No processing configured: every record goes to the destination as sent, in one object. */
export const passThrough: RecordProcessor = {
  process: async (chunks) => {
    const records = chunks.flatMap(recordsOf);
    if (records.length === 0) return { groups: [], failed: [] };
    // reduce, not Math.min(...): a batch of single-record PutRecords can hold far more chunks than a call takes arguments
    const oldestArrivalMs = chunks.reduce((oldest, chunk) => Math.min(oldest, chunk.arrivalMs), Infinity);
    return { groups: [{ records, oldestArrivalMs }], failed: [] };
  },
};
