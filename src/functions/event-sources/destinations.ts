/**
 * @module functions/event-sources/destinations — sends an on-failure record to the mapping's
 * destination: a hako function (invoked asynchronously with the record as its event, so the async
 * queue's retries apply) or a hako Kinesis stream (one record, JSON, keyed by the source shard so a
 * shard's failures stay in order). Both kinds are checked when the mapping is created or updated.
 */
import { parseFunctionReference, type FunctionReference } from '../names.js';
import type { KinesisFailureRecord } from './failure-record.js';
import { destinationKindOf } from './parameters.js';
import type { StreamSource } from './stream-source.js';

export interface DestinationDeps {
  /** The asynchronous queue's `enqueue`: resolved once the event is durable. */
  enqueue(reference: FunctionReference, payload: Buffer): Promise<string>;
  source: StreamSource;
}

export async function deliverFailureRecord(destination: string, record: KinesisFailureRecord, deps: DestinationDeps): Promise<void> {
  const payload = Buffer.from(JSON.stringify(record));
  if (destinationKindOf(destination) === 'function') {
    await deps.enqueue(parseFunctionReference(destination, undefined), payload);
    return;
  }
  await deps.source.put(destination, record.KinesisBatchInfo.shardId, payload);
}
