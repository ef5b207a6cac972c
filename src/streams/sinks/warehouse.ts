/**
 * @module streams/sinks/warehouse — the warehouse table: the local stand-in for Firehose's Redshift
 * destination (its COPY … JSON 'auto'). One batch is one load (`warehouse/loader`): every record that is
 * JSON objects fitting the table becomes rows, in one transaction with any columns it needs.
 *
 * Records that cannot load (not JSON objects, a value that does not fit its column) go to the error output
 * — the S3Configuration's bucket folder, under its ErrorOutputPrefix with error-output-type
 * `warehouse-failed`, one Firehose error line each (errorCode `Redshift.DataLoadFailed`, the reason, the
 * raw record in base64) — and the rest of the batch loads. The error output is written before the load
 * commits, so if it cannot be written nothing loads and the worker retries the batch. A load the table's
 * own constraints refuse as a whole (DuckDB: a user's PRIMARY KEY or CHECK) would fail every retry alike,
 * so the whole batch goes to the error output instead.
 *
 * The table is a `TableLoader`: hako's DuckDB warehouse, or a PostgreSQL server's table (`warehouse/postgres`).
 *
 * Delivery is at-least-once, as with Redshift's COPY: a crash after the commit and before the delivery
 * buffer forgets the batch loads it again at the next start. Batches from the worker's own error path
 * (`errorOutputType` set: records a transform failed) go straight to the error output.
 *
 * A batch still refused when `RetryOptions.DurationInSeconds` has run out (the server down, a password changed) is
 * put aside the same way (`abandon`), every record as it was put, so it can be backfilled: Firehose skips such a
 * batch and names its objects in a manifest under the backup bucket's `errors/`; hako has no intermediate objects,
 * so the records themselves go there. The error code says why: `Redshift.ConnectionFailed`,
 * `Redshift.AuthenticationFailed`, else `Redshift.DataLoadFailed`.
 */
import { errorOutputLine } from '../delivery/processor.js';
import { splitJsonRecords, type Rejection, type TableLoader } from '../warehouse/index.js';
import { PostgresDestinationError } from '../warehouse/postgres/table.js';
import type { DeliveryBatch, DeliveryFailure, DeliveryReceipt, Sink } from './sink.js';

export interface WarehouseSinkOptions {
  readonly table: TableLoader;
  /** Where failed records go: the folder sink of the S3Configuration's bucket. */
  readonly errors: Sink;
  readonly now?: () => number;
}

export const LOAD_ERROR_CODE = 'Redshift.DataLoadFailed';

export class WarehouseSink implements Sink {
  readonly kind = 'warehouse';
  readonly #options: WarehouseSinkOptions;

  constructor(options: WarehouseSinkOptions) {
    this.#options = options;
  }

  async deliver(batch: DeliveryBatch): Promise<DeliveryReceipt> {
    if (batch.errorOutputType !== undefined) return this.#options.errors.deliver(batch);
    const { table } = this.#options;
    const documents = splitJsonRecords(batch.records);
    const locations = [table.location];
    let bytes = 0;
    try {
      const result = await table.load(documents, async (rejected) => {
        if (rejected.length > 0) locations.push(...(await this.#writeErrors(batch, rejected)).locations);
      });
      const failed = new Set(result.rejected.map((rejection) => rejection.record));
      batch.records.forEach((record, i) => failed.has(i) || (bytes += record.length));
    } catch (error) {
      if (!table.refusesBatch(error)) throw error;
      const reason = `the table refused the load: ${(error as Error).message.split('\n')[0]}`;
      locations.push(...(await this.#writeErrors(batch, batch.records.map((_, record) => ({ record, reason })))).locations);
    }
    return { locations, bytes };
  }

  abandon(batch: DeliveryBatch, failure: DeliveryFailure): Promise<DeliveryReceipt> {
    const errorCode = failure.error instanceof PostgresDestinationError ? failure.error.errorCode : LOAD_ERROR_CODE;
    return this.#writeErrors(batch, batch.records.map((_, record) => ({ record, reason: failure.message })), { attemptsMade: failure.attempts, errorCode });
  }

  async close(): Promise<void> {
    await this.#options.table.close?.();
  }

  #writeErrors(batch: DeliveryBatch, rejected: readonly Rejection[], how = { attemptsMade: 1, errorCode: LOAD_ERROR_CODE }): Promise<DeliveryReceipt> {
    const now = (this.#options.now ?? Date.now)();
    const records = rejected.map(({ record, reason }) =>
      errorOutputLine({ data: batch.records[record] as Buffer, arrivalMs: batch.oldestArrivalMs, errorMessage: reason, ...how }, now),
    );
    // A new batch, not a copy of this one: its `contiguous` bytes, if any, are the records, not these lines.
    const { stream, version, oldestArrivalMs, partitionKeys } = batch;
    return this.#options.errors.deliver({ stream, version, oldestArrivalMs, partitionKeys, records, errorOutputType: 'warehouse-failed' });
  }
}
