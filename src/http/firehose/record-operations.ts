/**
 * @module http/firehose/record-operations — PutRecord and PutRecordBatch (spec §10). Records are
 * decoded from base64 straight into one buffer, stored durably as one chunk, and only then answered.
 * If the store cannot take a batch, every record of it fails in the result (`FailedPutCount`), as AWS
 * reports per-record failures, so producers' retry paths run; PutRecord answers the error itself.
 */
import type { Delivery } from '../../streams/delivery/index.js';
import { checkBatchLimits } from '../../streams/delivery/index.js';
import { checkDeliveryStreamName } from '../../streams/delivery/config.js';
import { firehoseConstraint, firehoseError } from '../../streams/delivery/errors.js';
import type { Logger } from '../../core/logger.js';
import { AwsError } from '../../core/aws-error.js';
import type { JsonOperation } from '../json-targets.js';
import { DecodedRecords } from './batch-body.js';
import { decodedLengths, decodeInto, optionalStruct, recordData, requiredText, type Body } from './params.js';

export function recordOperations(delivery: Delivery, logger: Logger): Record<string, JsonOperation> {
  const nameOf = (body: Readonly<Record<string, unknown>>): string => {
    const name = requiredText(body, 'DeliveryStreamName');
    checkDeliveryStreamName(name);
    // ResourceNotFoundException before any record is looked at; a stream fed by a data stream takes no puts.
    if (delivery.registry.get(name).type === 'KinesisStreamAsSource') throw firehoseError('InvalidArgumentException', 'This operation is not permitted on KinesisStreamAsSource delivery stream type.');
    return name;
  };
  const storeFailure = (error: unknown): AwsError => {
    if (error instanceof AwsError) return error;
    logger.error({ err: error }, 'could not store delivery stream records');
    return firehoseError('ServiceUnavailableException', 'Slow down.');
  };

  return {
    PutRecord: async (body) => {
      const name = nameOf(body);
      const record = optionalStruct(body, 'Record');
      if (record === undefined) throw firehoseConstraint('record', null, 'Member must not be null');
      const data = recordData([record], () => 'record.data');
      const lengths = decodedLengths(data);
      checkBatchLimits(lengths);
      try {
        const [id] = await delivery.put(name, decodeInto(data, lengths), lengths);
        return { RecordId: id, Encrypted: false };
      } catch (error) {
        throw storeFailure(error);
      }
    },
    PutRecordBatch: async (body) => {
      const name = nameOf(body);
      const { data, lengths } = batchRecords(body);
      let ids: string[];
      try {
        ids = await delivery.put(name, data(), lengths);
      } catch (error) {
        const failure = storeFailure(error);
        if (failure.type !== 'ServiceUnavailableException') throw failure;
        return { FailedPutCount: lengths.length, Encrypted: false, RequestResponses: lengths.map(() => ({ ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' })) };
      }
      // Written by hand: 500 ids through JSON.stringify cost more than the rest of the answer (ids need no escaping).
      return `{"FailedPutCount":0,"Encrypted":false,"RequestResponses":[${ids.map((id) => `{"RecordId":"${id}"}`).join(',')}]}`;
    },
  };
}

/**
 * PutRecordBatch's records, checked against the batch limits before any is decoded: from the JSON document,
 * or already decoded by the body reader (`batch-body.ts`), which checked nothing but their base64.
 */
function batchRecords(body: Body): { data: () => Buffer; lengths: readonly number[] } {
  const records = body.Records;
  if (records instanceof DecodedRecords) {
    checkBatchLimits(records.lengths);
    return { data: () => records.data, lengths: records.lengths };
  }
  if (!Array.isArray(records)) throw firehoseConstraint('records', records ?? null, 'Member must not be null');
  const data = recordData(records, (i) => `records.${i + 1}.member.data`);
  const lengths = decodedLengths(data);
  checkBatchLimits(lengths);
  return { data: () => decodeInto(data, lengths), lengths };
}
