/**
 * @module functions/event-sources/kinesis-event — the event a Kinesis mapping invokes its function with
 * (spec §7.4): `{Records: [{kinesis: {…}, eventSource: "aws:kinesis", …}]}`, data in base64 and the
 * arrival time in epoch seconds with a millisecond fraction, as AWS sends them.
 */
import type { SourceRecord } from './stream-source.js';

export interface KinesisEventContext {
  shardId: string;
  eventSourceArn: string;
  awsRegion: string;
  /** The function's execution role (AWS sends the role the mapping reads the stream with). */
  invokeIdentityArn: string;
}

export interface KinesisEventRecord {
  kinesis: {
    kinesisSchemaVersion: '1.0';
    partitionKey: string;
    sequenceNumber: string;
    data: string;
    approximateArrivalTimestamp: number;
  };
  eventSource: 'aws:kinesis';
  eventVersion: '1.0';
  eventID: string;
  eventName: 'aws:kinesis:record';
  invokeIdentityArn: string;
  awsRegion: string;
  eventSourceARN: string;
}

export function kinesisEvent(records: readonly SourceRecord[], context: KinesisEventContext): { Records: KinesisEventRecord[] } {
  return {
    Records: records.map((record) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: record.partitionKey,
        sequenceNumber: record.sequenceNumber,
        data: record.data.toString('base64'),
        approximateArrivalTimestamp: record.arrivalMs / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${context.shardId}:${record.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: context.invokeIdentityArn,
      awsRegion: context.awsRegion,
      eventSourceARN: context.eventSourceArn,
    })),
  };
}

/**
 * Bytes one record adds to the event, from above: base64 data, the key (escaped at worst ×6), and the
 * fixed fields and ARNs. Batching uses it to keep an event under the 6 MB synchronous payload limit
 * without serializing twice.
 */
export function eventBytesOf(record: SourceRecord, context: KinesisEventContext): number {
  const fixed = 400 + 2 * context.shardId.length + context.eventSourceArn.length + context.invokeIdentityArn.length + context.awsRegion.length;
  return fixed + Math.ceil(record.data.length / 3) * 4 + 6 * record.partitionKey.length + 2 * record.sequenceNumber.length;
}
