/**
 * @module test/streams/warehouse/firehose-helpers — driving Redshift-shaped delivery streams through a real
 * `@aws-sdk/client-firehose`: a RedshiftDestinationConfiguration, CreateDeliveryStream, PutRecordBatch of
 * many records, and waiting for a number of delivered records on the delivery hook (not polling).
 */
import assert from 'node:assert/strict';
import { CreateDeliveryStreamCommand, PutRecordBatchCommand, type FirehoseClient, type RedshiftDestinationConfiguration } from '@aws-sdk/client-firehose';
import type { Delivery } from '../../../src/streams/delivery/index.js';

export type S3Configuration = NonNullable<RedshiftDestinationConfiguration['S3Configuration']>;

/** A configuration loading `table` (into hako's warehouse unless `extra` says otherwise), its error output to bucket `staging`. */
export function redshift(table: string, extra: Partial<RedshiftDestinationConfiguration> = {}, s3: Partial<S3Configuration> = {}): RedshiftDestinationConfiguration {
  return {
    RoleARN: 'arn:aws:iam::000000000000:role/firehose',
    ClusterJDBCURL: 'jdbc:hako:warehouse',
    CopyCommand: { DataTableName: table, CopyOptions: "JSON 'auto'" },
    Username: 'loader',
    Password: 'never shown',
    S3Configuration: { RoleARN: 'arn:aws:iam::000000000000:role/firehose', BucketARN: 'arn:aws:s3:::staging', ...s3 },
    ...extra,
  };
}

export async function createWarehouseStream(firehose: FirehoseClient, name: string, config: RedshiftDestinationConfiguration): Promise<void> {
  await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, DeliveryStreamType: 'DirectPut', RedshiftDestinationConfiguration: config }));
}

/** Puts `total` records, 500 a call, `inFlight` calls at a time; every record must be accepted. */
export async function putAll(firehose: FirehoseClient, stream: string, records: (i: number) => Buffer, total: number, inFlight = 4): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < total) {
      const from = next;
      next += 500;
      const out = await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: Array.from({ length: Math.min(500, total - from) }, (_, i) => ({ Data: records(from + i) })) }));
      assert.equal(out.FailedPutCount, 0);
    }
  }));
}

/** Resolves once `count` records of `stream` were delivered (the delivery hook, not polling), with the number of loads. */
export function delivered(delivery: Delivery, stream: string, count: number): Promise<number> {
  let seen = 0;
  let loads = 0;
  return new Promise((resolve) => {
    const off = delivery.onDelivered((event) => {
      if (event.stream !== stream) return;
      seen += event.records;
      loads++;
      if (seen >= count) {
        off();
        resolve(loads);
      }
    });
  });
}
