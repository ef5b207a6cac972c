/**
 * @module http/kinesis/record-operations — Kinesis's data plane: PutRecord, PutRecords,
 * GetShardIterator, GetRecords (spec §9). Per-record failures of PutRecords are results, not errors.
 */
import type { Streams } from '../../streams/index.js';
import { constraintError, kinesisError } from '../../streams/errors.js';
import { ITERATOR_TYPES, MAX_GET_RECORDS, type IteratorType } from '../../streams/reader.js';
import type { PutEntry, PutResult } from '../../streams/writer.js';
import type { JsonOperation } from '../json-targets.js';
import { blob, boundedInteger, epochSeconds, optionalText, optionalTimestampMs, requiredText, streamOf, type Body } from './params.js';

function entryOf(record: Body, prefix: string): PutEntry {
  const partitionKey = record.PartitionKey;
  if (typeof partitionKey !== 'string') throw constraintError(`${prefix}partitionKey`, partitionKey ?? null, 'Member must not be null');
  const explicitHashKey = record.ExplicitHashKey;
  if (explicitHashKey !== undefined && explicitHashKey !== null && typeof explicitHashKey !== 'string') throw constraintError(`${prefix}explicitHashKey`, explicitHashKey, 'Member must be a string');
  return { data: blob(record.Data, `${prefix}data`), partitionKey, explicitHashKey: explicitHashKey ?? undefined };
}

function resultShape(result: PutResult): Record<string, unknown> {
  return result.errorCode === undefined ? { SequenceNumber: result.sequenceNumber, ShardId: result.shardId } : { ErrorCode: result.errorCode, ErrorMessage: result.errorMessage };
}

export function recordOperations(streams: Streams): Record<string, JsonOperation> {
  return {
    PutRecord: async (body) => {
      const sequenceForOrdering = optionalText(body, 'SequenceNumberForOrdering');
      // Every record already gets a number above all earlier ones in its shard; only the form is checked.
      if (sequenceForOrdering !== undefined && !/^(0|[1-9]\d{0,128})$/.test(sequenceForOrdering)) throw constraintError('sequenceNumberForOrdering', sequenceForOrdering, 'Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})');
      const [result] = await streams.writer.put(streamOf(body, streams), [entryOf(body, '')], true);
      if (result === undefined) throw kinesisError('InternalFailureException', 'no result for the record');
      if (result.errorCode === 'ProvisionedThroughputExceededException') throw kinesisError('ProvisionedThroughputExceededException', result.errorMessage);
      if (result.errorCode !== undefined) throw kinesisError('InternalFailureException', result.errorMessage);
      return { ShardId: result.shardId, SequenceNumber: result.sequenceNumber, EncryptionType: 'NONE' };
    },
    PutRecords: async (body) => {
      const records = body.Records;
      if (!Array.isArray(records)) throw constraintError('records', records ?? null, 'Member must not be null');
      const entries = records.map((record: unknown, i) => entryOf(typeof record === 'object' && record !== null ? (record as Body) : {}, `records.${i + 1}.member.`));
      const results = await streams.writer.put(streamOf(body, streams), entries);
      return { FailedRecordCount: results.filter((result) => result.errorCode !== undefined).length, Records: results.map(resultShape), EncryptionType: 'NONE' };
    },
    GetShardIterator: async (body) => {
      const type = requiredText(body, 'ShardIteratorType');
      if (!(ITERATOR_TYPES as readonly string[]).includes(type)) throw constraintError('shardIteratorType', type, `Member must satisfy enum value set: [${ITERATOR_TYPES.join(', ')}]`);
      const iterator = await streams.reader.getShardIterator(streamOf(body, streams), requiredText(body, 'ShardId'), {
        type: type as IteratorType,
        sequenceNumber: optionalText(body, 'StartingSequenceNumber'),
        timestampMs: optionalTimestampMs(body, 'Timestamp'),
      });
      return { ShardIterator: iterator };
    },
    GetRecords: async (body) => {
      const iterator = requiredText(body, 'ShardIterator');
      const limit = boundedInteger(body, 'Limit', 1, MAX_GET_RECORDS, MAX_GET_RECORDS);
      const arn = optionalText(body, 'StreamARN');
      if (arn !== undefined && streams.nameOfArn(arn) !== streams.reader.streamOf(iterator)) throw kinesisError('InvalidArgumentException', `ShardIterator does not belong to stream ${arn}.`);
      const batch = await streams.reader.getRecords(iterator, limit);
      return {
        Records: batch.records.map((record) => ({
          SequenceNumber: record.sequenceNumber,
          ApproximateArrivalTimestamp: epochSeconds(record.arrivalMs),
          Data: record.data.toString('base64'),
          PartitionKey: record.partitionKey,
        })),
        NextShardIterator: batch.nextShardIterator,
        MillisBehindLatest: batch.millisBehindLatest,
      };
    },
  };
}
