/**
 * @module streams/sinks/sink — the `Sink` interface: where a delivery stream's buffered, processed
 * records end up (the object folder, the warehouse table). Every implementation passes the
 * contract suite in `test/contract/sink.contract.ts`.
 *
 * The delivery worker hands a sink one batch at a time per stream and retries a batch whose `deliver`
 * rejects, so a sink must make each batch all-or-nothing for its readers (no partial object or half-loaded
 * table visible) and may see the same batch again after a failure (delivery is at-least-once).
 */
import type { ErrorOutputType, PartitionKeys } from '../delivery/prefix.js';

export interface DeliveryBatch {
  /** The delivery stream's name and version (object names carry both). */
  readonly stream: string;
  readonly version: number;
  /** Arrival time of the batch's oldest record: what `!{timestamp:…}` and object names show. */
  readonly oldestArrivalMs: number;
  /** The records, in arrival order. Delivered as sent: no delimiter is added. */
  readonly records: readonly Buffer[];
  /**
   * The same bytes as `records`, back to back in fewer buffers (a PutRecordBatch call's each), when the
   * batch has them: a sink that writes the records as sent writes these instead of reading `records`, which
   * may then never be built.
   */
  readonly contiguous?: readonly Buffer[] | undefined;
  /** With dynamic partitioning: the keys the `Prefix` expressions name (all records of a batch share them). */
  readonly partitionKeys?: PartitionKeys | undefined;
  /** Set for records that failed before reaching the destination: they go to the error output. */
  readonly errorOutputType?: ErrorOutputType | undefined;
}

export interface DeliveryReceipt {
  /** Where the batch went (object keys for the folder), for logs and tests. */
  readonly locations: readonly string[];
  /** Bytes written to the destination (after compression). */
  readonly bytes: number;
}

export interface Sink {
  /** Names the destination in metrics: `hako_delivery_to_<kind>_…`. */
  readonly kind: 'folder' | 'warehouse';
  /** Delivers one batch; resolves once it is durable and visible whole. */
  deliver(batch: DeliveryBatch): Promise<DeliveryReceipt>;
  /**
   * Puts aside a batch the destination still refused when the retry duration ran out, where it can be backfilled
   * from: Redshift's "skipped objects", named under the S3 backup's error prefix. `batch` holds the records as they
   * were put (before any processing). Rejecting keeps the batch: the worker pauses on it and tries both again, as
   * Firehose pauses a stream that can neither deliver nor back up. A sink without it (the folder, S3's 24 hours)
   * has its expired batches dropped.
   */
  abandon?(batch: DeliveryBatch, failure: DeliveryFailure): Promise<DeliveryReceipt>;
  /** Releases what the sink holds (a PostgreSQL pool); called once, when its stream is deleted or hako stops. */
  close?(): Promise<void>;
}

/** Why a batch is being abandoned: its attempts, the last one's error, and what to tell the reader. */
export interface DeliveryFailure {
  readonly attempts: number;
  readonly error: unknown;
  /** e.g. `not delivered within the retry duration (3600 s, 14 attempt(s)): <the last error>`. */
  readonly message: string;
}

/** A failure that no retry can fix (a bad prefix, a record a table cannot take): the batch is not retried. */
export class PermanentDeliveryError extends Error {}
