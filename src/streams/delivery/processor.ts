/**
 * @module streams/delivery/processor — the record-processing step between the buffer and the sink. A
 * `RecordProcessor` turns a batch of buffered chunks into records for the destination and records that
 * failed (which go to the error output as Firehose writes them). Today every stream passes records through
 * untouched; transforms by hako functions (Ok / Dropped / ProcessingFailed), format conversion and
 * partition keys plug in here.
 */
import { recordsOf, type BufferedChunk } from './buffer-store.js';

export interface FailedRecord {
  readonly data: Buffer;
  readonly arrivalMs: number;
  readonly attemptsMade: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  /** The function that failed it, when a transform did. */
  readonly lambdaArn?: string | undefined;
}

export interface ProcessedRecords {
  /** For the destination, in arrival order. */
  readonly ok: readonly Buffer[];
  /** For the error output (`processing-failed`). */
  readonly failed: readonly FailedRecord[];
}

export interface RecordProcessor {
  process(chunks: readonly BufferedChunk[]): Promise<ProcessedRecords>;
}

/** No processing configured: every record goes to the destination as sent. */
export const passThrough: RecordProcessor = {
  process: async (chunks) => ({ ok: chunks.flatMap(recordsOf), failed: [] }),
};

/**
 * One failed record as Firehose writes it under the error prefix: a JSON line with the raw data in base64
 * (spec §10, "ProcessingFailed records go to the error prefix").
 */
export function errorOutputLine(record: FailedRecord, attemptEndingMs: number): Buffer {
  return Buffer.from(
    `${JSON.stringify({
      attemptsMade: record.attemptsMade,
      arrivalTimestamp: record.arrivalMs,
      errorCode: record.errorCode,
      errorMessage: record.errorMessage,
      attemptEndingTimestamp: attemptEndingMs,
      rawData: record.data.toString('base64'),
      ...(record.lambdaArn === undefined ? {} : { lambdaArn: record.lambdaArn }),
    })}\n`,
  );
}
