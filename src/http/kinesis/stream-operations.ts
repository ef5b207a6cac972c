/**
 * @module http/kinesis/stream-operations — Kinesis's control plane (AWS JSON 1.1,
 * `X-Amz-Target: Kinesis_20131202.<Operation>`): CreateStream, DeleteStream, DescribeStream,
 * DescribeStreamSummary, ListStreams, ListShards, Increase/DecreaseStreamRetentionPeriod.
 */
import type { Streams } from '../../streams/index.js';
import { kinesisError } from '../../streams/errors.js';
import type { ShardInfo, StreamInfo, StreamMode } from '../../streams/registry.js';
import { formatSequenceNumber, shardIdOf, shardIndexOf } from '../../streams/sequence-numbers.js';
import type { JsonOperation } from '../json-targets.js';
import { boundedInteger, decodeToken, encodeToken, epochSeconds, optionalText, requiredText, streamOf, type Body } from './params.js';

/** ListShards' NextToken, like AWS's, is good for 300 seconds. */
const NEXT_TOKEN_TTL_MS = 300_000;

interface ShardsToken {
  stream: string;
  after: number;
  issuedAt: number;
}

const isShardsToken = (value: unknown): value is ShardsToken =>
  typeof value === 'object' && value !== null && typeof (value as ShardsToken).stream === 'string' && Number.isInteger((value as ShardsToken).after) && typeof (value as ShardsToken).issuedAt === 'number';

export function streamOperations(streams: Streams, now: () => number): Record<string, JsonOperation> {
  const { registry } = streams;
  const summary = (stream: StreamInfo): Record<string, unknown> => ({
    StreamName: stream.name,
    StreamARN: streams.arnOf(stream.name),
    StreamStatus: 'ACTIVE',
    StreamModeDetails: { StreamMode: stream.mode },
    StreamCreationTimestamp: epochSeconds(stream.createdMs),
  });
  const shardShape = (shard: ShardInfo): Record<string, unknown> => ({
    ShardId: shardIdOf(shard.index),
    HashKeyRange: { StartingHashKey: shard.startingHashKey, EndingHashKey: shard.endingHashKey },
    SequenceNumberRange: { StartingSequenceNumber: formatSequenceNumber(shard.startingCounter, shard.index) },
  });
  /** Shards after `ExclusiveStartShardId` (none: from the first). */
  const shardsAfter = (stream: StreamInfo, body: Body): readonly ShardInfo[] => {
    const start = optionalText(body, 'ExclusiveStartShardId');
    if (start === undefined) return stream.shards;
    const index = shardIndexOf(start) ?? -1;
    return stream.shards.filter((shard) => shard.index > index);
  };

  return {
    CreateStream: async (body) => {
      const modeValue = (body.StreamModeDetails as { StreamMode?: unknown } | undefined)?.StreamMode ?? 'PROVISIONED';
      if (modeValue !== 'PROVISIONED' && modeValue !== 'ON_DEMAND') throw kinesisError('ValidationException', `1 validation error detected: Value '${String(modeValue)}' at 'streamModeDetails.streamMode' failed to satisfy constraint: Member must satisfy enum value set: [ON_DEMAND, PROVISIONED]`);
      await registry.create(requiredText(body, 'StreamName'), boundedInteger(body, 'ShardCount', 1, Number.MAX_SAFE_INTEGER), modeValue as StreamMode);
      return {};
    },
    DeleteStream: async (body) => {
      await streams.deleteStream(streamOf(body, streams));
      return {};
    },
    DescribeStream: (body) => {
      const stream = registry.get(streamOf(body, streams));
      const limit = boundedInteger(body, 'Limit', 1, 10_000, 100);
      const shards = shardsAfter(stream, body);
      return {
        StreamDescription: {
          ...summary(stream),
          Shards: shards.slice(0, limit).map(shardShape),
          HasMoreShards: shards.length > limit,
          RetentionPeriodHours: stream.retentionHours,
          EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
          EncryptionType: 'NONE',
        },
      };
    },
    DescribeStreamSummary: (body) => {
      const stream = registry.get(streamOf(body, streams));
      return {
        StreamDescriptionSummary: {
          ...summary(stream),
          RetentionPeriodHours: stream.retentionHours,
          EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
          EncryptionType: 'NONE',
          OpenShardCount: stream.shards.length,
          ConsumerCount: 0,
        },
      };
    },
    ListStreams: (body) => {
      const limit = boundedInteger(body, 'Limit', 1, 10_000, 100);
      const token = optionalText(body, 'NextToken');
      const after = token !== undefined ? decodeToken(token, (v): v is string => typeof v === 'string') : optionalText(body, 'ExclusiveStartStreamName');
      const all = registry.list().filter((stream) => after === undefined || stream.name > after);
      const page = all.slice(0, limit);
      const more = all.length > limit;
      return {
        StreamNames: page.map((stream) => stream.name),
        HasMoreStreams: more,
        ...(more ? { NextToken: encodeToken(page.at(-1)?.name) } : {}),
        StreamSummaries: page.map(summary),
      };
    },
    ListShards: (body) => {
      const limit = boundedInteger(body, 'MaxResults', 1, 10_000, 1000);
      const token = optionalText(body, 'NextToken');
      let stream: StreamInfo;
      let shards: readonly ShardInfo[];
      if (token !== undefined) {
        if (body.StreamName !== undefined || body.ExclusiveStartShardId !== undefined) throw kinesisError('InvalidArgumentException', 'NextToken and StreamName cannot be provided together.');
        const position = decodeToken(token, isShardsToken);
        if (now() - position.issuedAt > NEXT_TOKEN_TTL_MS) throw kinesisError('ExpiredNextTokenException', 'The timestamp of the last ListShards call has expired. NextToken is valid for 300 seconds.');
        stream = registry.get(position.stream);
        shards = stream.shards.filter((shard) => shard.index > position.after);
      } else {
        stream = registry.get(streamOf(body, streams));
        shards = shardsAfter(stream, body);
      }
      const page = shards.slice(0, limit);
      const last = page.at(-1);
      return {
        Shards: page.map(shardShape),
        ...(shards.length > limit && last !== undefined ? { NextToken: encodeToken({ stream: stream.name, after: last.index, issuedAt: now() } satisfies ShardsToken) } : {}),
      };
    },
    IncreaseStreamRetentionPeriod: async (body) => {
      await registry.setRetention(streamOf(body, streams), boundedInteger(body, 'RetentionPeriodHours', 1, Number.MAX_SAFE_INTEGER, 0), 'increase');
      return {};
    },
    DecreaseStreamRetentionPeriod: async (body) => {
      await registry.setRetention(streamOf(body, streams), boundedInteger(body, 'RetentionPeriodHours', 1, Number.MAX_SAFE_INTEGER, 0), 'decrease');
      return {};
    },
  };
}
