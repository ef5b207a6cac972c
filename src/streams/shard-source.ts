/**
 * @module streams/shard-source — the streams as their consumers inside hako read them, shard by shard: Lambda
 * event source mappings (the `StreamSource` interface `functions/event-sources/stream-source.ts` declares) and
 * delivery streams with a Kinesis source (`delivery/kinesis-source.ts`), implemented here over the registry,
 * reader and writer (structurally: streams import nothing from functions). Reads go through the same
 * iterators as GetShardIterator/GetRecords, so a consumer sees exactly what a Kinesis client would.
 */
import { AwsError } from '../core/aws-error.js';
import type { Streams } from './index.js';
import { formatSequenceNumber, shardIdOf, shardIndexOf } from './sequence-numbers.js';

type Position = { type: 'TRIM_HORIZON' } | { type: 'AT_TIMESTAMP'; timestampMs: number } | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

export interface ShardSource {
  describe(streamArn: string): { arn: string; generation: number; shardIds: string[] } | undefined;
  latest(streamArn: string, shardId: string): string | undefined;
  read(streamArn: string, shardId: string, position: Position, limit: number): Promise<Array<{ sequenceNumber: string; partitionKey: string; data: Buffer; arrivalMs: number }> | undefined>;
  onRecords(listener: (streamArn: string, shardId: string) => void): () => void;
  onDeleted(listener: (streamArn: string) => void): () => void;
  put(streamArn: string, partitionKey: string, data: Buffer): Promise<void>;
}

export function shardSource(streams: Streams): ShardSource {
  /** The stream an ARN of this region and account names, if it exists. */
  const streamOf = (arn: string) => {
    try {
      return streams.registry.find(streams.nameOfArn(arn));
    } catch {
      return undefined; // an ARN of another account, region, or no stream ARN at all
    }
  };
  return {
    describe: (arn) => {
      const stream = streamOf(arn);
      if (stream === undefined) return undefined;
      // `createdMs` tells a stream from an earlier one of the same name (iterators use it the same way).
      return { arn: streams.arnOf(stream.name), generation: stream.createdMs, shardIds: stream.shards.map((shard) => shardIdOf(shard.index)) };
    },
    latest: (arn, shardId) => {
      const stream = streamOf(arn);
      const shard = shardIndexOf(shardId);
      if (stream === undefined || shard === undefined) return undefined;
      return formatSequenceNumber(streams.writer.lastCounter(stream, shard), shard);
    },
    read: async (arn, shardId, position, limit) => {
      const stream = streamOf(arn);
      if (stream === undefined) return undefined;
      try {
        const iterator = await streams.reader.getShardIterator(stream.name, shardId, position);
        const { records } = await streams.reader.getRecords(iterator, limit);
        return records.map((record) => ({ sequenceNumber: record.sequenceNumber, partitionKey: record.partitionKey, data: record.data, arrivalMs: record.arrivalMs }));
      } catch (error) {
        if (error instanceof AwsError && error.type === 'ResourceNotFoundException') return undefined; // deleted under the read
        throw error;
      }
    },
    onRecords: (listener) => streams.onRecords((event) => listener(streams.arnOf(event.stream), event.shardId)),
    onDeleted: (listener) => streams.onDeleted((name) => listener(streams.arnOf(name))),
    put: async (arn, partitionKey, data) => {
      const stream = streamOf(arn);
      if (stream === undefined) throw new Error(`no stream ${arn}`);
      const [result] = await streams.writer.put(stream.name, [{ data, partitionKey }], true);
      if (result?.errorCode !== undefined) throw new Error(`${result.errorCode}: ${result.errorMessage}`);
    },
  };
}
