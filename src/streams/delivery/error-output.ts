/**
 * @module streams/delivery/error-output — records that failed before reaching the destination, and the
 * JSON line Firehose writes for each under the error output prefix (one line per record, the raw data in
 * base64):
 * - `processing-failed` (AWS's "Handle failure in data transformation"): attemptsMade, arrivalTimestamp,
 *   errorCode, errorMessage, attemptEndingTimestamp, rawData, lambdaArn;
 * - `partitioning-failed` / `activePartitionExceeded`: the same without lambdaArn;
 * - `format-conversion-failed` (AWS's "record format conversion error handling"): attemptsMade,
 *   arrivalTimestamp, lastErrorCode, lastErrorMessage, attemptEndingTimestamp, rawData, dataCatalogTable.
 *   (AWS's current page spells the two as `ErrorCode`/`ErrorMessage`; its earlier page and emulators that
 *   compared with Firehose use `lastErrorCode`/`lastErrorMessage`, which hako writes.)
 */
import type { ErrorOutputType } from './prefix.js';

/** The Glue table a conversion used, as error records name it. */
export interface DataCatalogTable {
  readonly catalogId: string;
  readonly databaseName: string;
  readonly tableName: string;
  readonly region: string;
  readonly versionId: string;
  readonly catalogArn: string;
}

export interface FailedRecord {
  readonly data: Buffer;
  readonly arrivalMs: number;
  readonly attemptsMade: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  /** Where it goes; `processing-failed` when absent. */
  readonly errorOutputType?: ErrorOutputType | undefined;
  /** The function that failed it, when a transform did. */
  readonly lambdaArn?: string | undefined;
  /** For `format-conversion-failed`. */
  readonly dataCatalogTable?: DataCatalogTable | undefined;
}

export const errorOutputTypeOf = (record: FailedRecord): ErrorOutputType => record.errorOutputType ?? 'processing-failed';

/** One failed record as Firehose writes it under the error prefix. */
export function errorOutputLine(record: FailedRecord, attemptEndingMs: number): Buffer {
  const rawData = record.data.toString('base64');
  const common = { attemptsMade: record.attemptsMade, arrivalTimestamp: record.arrivalMs };
  const line =
    errorOutputTypeOf(record) === 'format-conversion-failed'
      ? { ...common, lastErrorCode: record.errorCode, lastErrorMessage: record.errorMessage, attemptEndingTimestamp: attemptEndingMs, rawData, ...(record.dataCatalogTable === undefined ? {} : { dataCatalogTable: record.dataCatalogTable }) }
      : { ...common, errorCode: record.errorCode, errorMessage: record.errorMessage, attemptEndingTimestamp: attemptEndingMs, rawData, ...(record.lambdaArn === undefined ? {} : { lambdaArn: record.lambdaArn }) };
  return Buffer.from(`${JSON.stringify(line)}\n`);
}

/** Failed records by where they go, each list in arrival order. */
export function byErrorOutputType(records: readonly FailedRecord[]): Map<ErrorOutputType, FailedRecord[]> {
  const out = new Map<ErrorOutputType, FailedRecord[]>();
  for (const record of records) {
    const type = errorOutputTypeOf(record);
    const list = out.get(type);
    if (list === undefined) out.set(type, [record]);
    else list.push(record);
  }
  return out;
}
