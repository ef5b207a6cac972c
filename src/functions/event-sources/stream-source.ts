/**
 * @module functions/event-sources/stream-source — what event source mappings need of hako's
 * Kinesis-compatible streams, as one small interface. `main.ts` hands in the implementation
 * (`streams/shard-source.ts`), so `functions/` never imports `streams/` and the pollers can be tested
 * against the real streams through hako's public APIs.
 */

/** One stream record as a mapping sees it. */
export interface SourceRecord {
  /** Kinesis's decimal sequence number; within a shard they compare as strings (all the same length). */
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Buffer;
  /** Epoch ms (Kinesis's ApproximateArrivalTimestamp). */
  readonly arrivalMs: number;
}

export interface SourceStream {
  readonly arn: string;
  /**
   * Changes when a stream of the same name is deleted and created again, so a checkpoint of the old
   * stream is never used to read the new one.
   */
  readonly generation: number;
  readonly shardIds: readonly string[];
}

/** Where a read starts: the starting positions of a mapping, or just after a checkpoint. */
export type ShardPosition =
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestampMs: number }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

export interface StreamSource {
  /** The stream an ARN names, or undefined when hako has no such stream (now). */
  describe(streamArn: string): SourceStream | undefined;
  /** The sequence number of the shard's newest record (what `LATEST` means now); a number below every record when it has none. */
  latest(streamArn: string, shardId: string): string | undefined;
  /** Up to `limit` records from `position` on, in order; undefined when the stream no longer exists. */
  read(streamArn: string, shardId: string, position: ShardPosition, limit: number): Promise<SourceRecord[] | undefined>;
  /** Called after records were stored in a shard (the writer's `onRecords` hook). */
  onRecords(listener: (streamArn: string, shardId: string) => void): () => void;
  /** Called after a stream was deleted. */
  onDeleted(listener: (streamArn: string) => void): () => void;
  /** Puts one record (an on-failure destination that is a stream); throws when it was not stored. */
  put(streamArn: string, partitionKey: string, data: Buffer): Promise<void>;
}
