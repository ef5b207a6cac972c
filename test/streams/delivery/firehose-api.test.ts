/**
 * @module test/streams/delivery/firehose-api.test — the Firehose API through `@aws-sdk/client-firehose`
 * with SigV4: Create/Describe/List/Delete with AWS's shapes and errors, PutRecord and PutRecordBatch
 * (ids in order, limits), the metrics on /metrics, and a store failure reported per record.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  ListDeliveryStreamsCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
  type CreateDeliveryStreamCommandInput,
} from '@aws-sdk/client-firehose';
import { recordOperations } from '../../../src/http/firehose/record-operations.js';
import type { Delivery } from '../../../src/streams/delivery/index.js';
import { silentLogger } from '../../../src/core/logger.js';
import { signedFetch } from '../../helpers/iot-api.js';
import { createFolderStream, readObjects, startFirehoseHako, type FirehoseHako } from './helpers.js';

let h: FirehoseHako;
before(async () => {
  h = await startFirehoseHako();
});
after(async () => h.close());

const ROLE = 'arn:aws:iam::000000000000:role/firehose';
const errorOf = async (promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> => {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
};

describe('Firehose control plane', () => {
  it('CreateDeliveryStream → DescribeDeliveryStream: ACTIVE, version 1, the destination with defaults', async () => {
    const created = await h.firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'described', ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: 'arn:aws:s3:::lake', Prefix: 'raw/', CompressionFormat: 'GZIP' } }));
    assert.equal(created.DeliveryStreamARN, 'arn:aws:firehose:us-east-1:000000000000:deliverystream/described');
    const d = (await h.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'described' }))).DeliveryStreamDescription;
    assert.equal(d?.DeliveryStreamStatus, 'ACTIVE');
    assert.equal(d?.DeliveryStreamType, 'DirectPut');
    assert.equal(d?.VersionId, '1');
    assert.equal(d?.HasMoreDestinations, false);
    assert.ok(d?.CreateTimestamp instanceof Date && Math.abs(d.CreateTimestamp.getTime() - Date.now()) < 60_000);
    const destination = d?.Destinations?.[0];
    assert.equal(destination?.DestinationId, 'destinationId-000000000001');
    assert.deepEqual(destination?.ExtendedS3DestinationDescription?.BufferingHints, { SizeInMBs: 5, IntervalInSeconds: 300 });
    assert.equal(destination?.ExtendedS3DestinationDescription?.Prefix, 'raw/');
    assert.equal(destination?.ExtendedS3DestinationDescription?.CompressionFormat, 'GZIP');
    assert.equal(destination?.S3DestinationDescription?.BucketARN, 'arn:aws:s3:::lake');
  });

  it('ListDeliveryStreams pages by name with Limit and ExclusiveStartDeliveryStreamName', async () => {
    for (const name of ['list-a', 'list-b', 'list-c']) await createFolderStream(h.firehose, name);
    const first = await h.firehose.send(new ListDeliveryStreamsCommand({ Limit: 2, ExclusiveStartDeliveryStreamName: 'l' }));
    assert.deepEqual([first.DeliveryStreamNames, first.HasMoreDeliveryStreams], [['list-a', 'list-b'], true]);
    const rest = await h.firehose.send(new ListDeliveryStreamsCommand({ Limit: 2, ExclusiveStartDeliveryStreamName: 'list-b' }));
    assert.deepEqual(rest.DeliveryStreamNames?.[0], 'list-c');
    assert.equal((await h.firehose.send(new ListDeliveryStreamsCommand({ DeliveryStreamType: 'KinesisStreamAsSource' }))).DeliveryStreamNames?.length, 0);
  });

  it('DeleteDeliveryStream delivers what was buffered, then the stream is gone', async () => {
    await createFolderStream(h.firehose, 'doomed', { BucketARN: 'arn:aws:s3:::doomed-bucket', BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 900 } });
    await h.firehose.send(new PutRecordCommand({ DeliveryStreamName: 'doomed', Record: { Data: Buffer.from('last words\n') } }));
    await h.firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'doomed' }));
    assert.deepEqual(readObjects(h.bucketDir('doomed-bucket')).map((o) => o.body.toString()), ['last words\n']);
    const gone = await errorOf(h.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'doomed' })));
    assert.deepEqual([gone.name, gone.status, gone.message], ['ResourceNotFoundException', 400, 'Firehose doomed under account 000000000000 not found.']);
    assert.equal((await errorOf(h.firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'doomed' })))).name, 'ResourceNotFoundException');
  });

  const destination = { RoleARN: ROLE, BucketARN: 'arn:aws:s3:::ok-bucket' };
  const refusals: Array<[string, CreateDeliveryStreamCommandInput, string, RegExp]> = [
    ['a name in use', { DeliveryStreamName: 'described', ExtendedS3DestinationConfiguration: destination }, 'ResourceInUseException', /already exists/],
    ['a bad name', { DeliveryStreamName: 'bad name!', ExtendedS3DestinationConfiguration: destination }, 'ValidationException', /deliveryStreamName/],
    ['no destination', { DeliveryStreamName: 'x1' }, 'InvalidArgumentException', /destination configuration is required/],
    ['a bucket ARN that is not one', { DeliveryStreamName: 'x2', ExtendedS3DestinationConfiguration: { ...destination, BucketARN: 'arn:aws:s3:::../etc' } }, 'InvalidArgumentException', /not a valid S3 bucket ARN/],
    ['SizeInMBs 129', { DeliveryStreamName: 'x3', ExtendedS3DestinationConfiguration: { ...destination, BufferingHints: { SizeInMBs: 129, IntervalInSeconds: 60 } } }, 'ValidationException', /sizeInMBs/],
    ['IntervalInSeconds 901', { DeliveryStreamName: 'x4', ExtendedS3DestinationConfiguration: { ...destination, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 901 } } }, 'ValidationException', /intervalInSeconds/],
    ['expressions without an ErrorOutputPrefix', { DeliveryStreamName: 'x5', ExtendedS3DestinationConfiguration: { ...destination, Prefix: 'y=!{timestamp:yyyy}/' } }, 'InvalidArgumentException', /ErrorOutputPrefix cannot be null/],
    ['a prefix leaving the bucket folder', { DeliveryStreamName: 'x6', ExtendedS3DestinationConfiguration: { ...destination, Prefix: '../up/' } }, 'InvalidArgumentException', /cannot name files inside a bucket folder/],
    ['ZIP compression', { DeliveryStreamName: 'x7', ExtendedS3DestinationConfiguration: { ...destination, CompressionFormat: 'ZIP' } }, 'InvalidArgumentException', /ZIP is not supported by hako yet/],
    ['a Kinesis stream source without its configuration', { DeliveryStreamName: 'x8', DeliveryStreamType: 'KinesisStreamAsSource', ExtendedS3DestinationConfiguration: destination }, 'InvalidArgumentException', /KinesisStreamSourceConfiguration is required/],
    ['an MSK source', { DeliveryStreamName: 'x8b', DeliveryStreamType: 'MSKAsSource', ExtendedS3DestinationConfiguration: destination }, 'InvalidArgumentException', /MSKAsSource is not supported by hako: use DirectPut or KinesisStreamAsSource/],
    ['a transform', { DeliveryStreamName: 'x9', ExtendedS3DestinationConfiguration: { ...destination, ProcessingConfiguration: { Enabled: true, Processors: [] } } }, 'InvalidArgumentException', /ProcessingConfiguration/],
    ['no RoleARN', { DeliveryStreamName: 'x10', ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::b-b' } as never }, 'ValidationException', /roleARN/],
  ];
  for (const [what, input, name, message] of refusals) {
    it(`CreateDeliveryStream refuses ${what} with ${name}`, async () => {
      const error = await errorOf(h.firehose.send(new CreateDeliveryStreamCommand(input)));
      assert.equal(error.name, name);
      assert.match(error.message, message);
      assert.equal(error.status, 400);
    });
  }
});

describe('Firehose data plane', () => {
  before(async () => createFolderStream(h.firehose, 'puts', { BucketARN: 'arn:aws:s3:::puts-bucket', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } }));

  it('PutRecordBatch answers one unique RecordId per record in order; the records land as sent', async () => {
    const out = await h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'puts', Records: Array.from({ length: 500 }, (_, i) => ({ Data: Buffer.from(`${i},`) })) }));
    assert.equal(out.FailedPutCount, 0);
    assert.equal(out.Encrypted, false);
    const ids = out.RequestResponses?.map((r) => r.RecordId) ?? [];
    assert.equal(new Set(ids).size, 500);
    const single = await h.firehose.send(new PutRecordCommand({ DeliveryStreamName: 'puts', Record: { Data: Buffer.from('end') } }));
    assert.ok(single.RecordId !== undefined && !ids.includes(single.RecordId));
    await h.hako.delivery.flush('puts');
    const [object] = readObjects(h.bucketDir('puts-bucket'));
    assert.equal(object?.body.toString(), `${Array.from({ length: 500 }, (_, i) => `${i},`).join('')}end`);
  });

  it('PutRecordBatch bodies written by hand: JSON the SDK never writes is read as JSON, bad base64 is named', async () => {
    await createFolderStream(h.firehose, 'by-hand', { BucketARN: 'arn:aws:s3:::by-hand-bucket', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } });
    const put = async (body: string): Promise<{ status: number; json: { FailedPutCount?: number; message?: string } }> => {
      const response = await signedFetch({ ports: h.hako.ports, dataDir: h.dataDir }, 'POST', '/', { body, headers: { 'x-amz-target': 'Firehose_20150804.PutRecordBatch' } });
      return { status: response.status, json: (await response.json()) as { FailedPutCount?: number; message?: string } };
    };
    // Whitespace (read from the bytes), the members reordered and an escaped '/' (read by JSON.parse): all land.
    const accepted = [
      '{ "DeliveryStreamName" : "by-hand" , "Records" : [ { "Data" : "YQ==" } ] }',
      '{"Records":[{"Data":"Yg=="}],"DeliveryStreamName":"by-hand"}',
      '{"DeliveryStreamName":"by-hand","Records":[{"Data":"Y\\/8="}]}',
    ];
    for (const body of accepted) {
      const answer = await put(body);
      assert.deepEqual([answer.status, answer.json.FailedPutCount], [200, 0], body);
    }
    const bad = await put('{"DeliveryStreamName":"by-hand","Records":[{"Data":"YQ=="},{"Data":"Y*=="}]}');
    assert.deepEqual([bad.status, bad.json.message], [400, 'Record 2 is not valid base64.']);
    await h.hako.delivery.flush('by-hand');
    const [object] = readObjects(h.bucketDir('by-hand-bucket'));
    assert.deepEqual(object?.body, Buffer.from([0x61, 0x62, 0x63, 0xff]));
  });

  it('limits: 501 records, a record over 1,000 KiB, over 4 MiB in all, an unknown stream', async () => {
    const tooMany = await errorOf(h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'puts', Records: Array.from({ length: 501 }, () => ({ Data: Buffer.from('x') })) })));
    assert.deepEqual([tooMany.name, tooMany.status], ['ValidationException', 400]);
    assert.match(tooMany.message, /less than or equal to 500/);
    const big = await errorOf(h.firehose.send(new PutRecordCommand({ DeliveryStreamName: 'puts', Record: { Data: Buffer.alloc(1_024_001) } })));
    assert.equal(big.name, 'ValidationException');
    assert.equal((await h.firehose.send(new PutRecordCommand({ DeliveryStreamName: 'puts', Record: { Data: Buffer.alloc(1_024_000) } }))).RecordId !== undefined, true);
    const total = await errorOf(h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'puts', Records: Array.from({ length: 5 }, () => ({ Data: Buffer.alloc(1_000_000) })) })));
    assert.deepEqual([total.name, total.status], ['InvalidArgumentException', 400]);
    const missing = await errorOf(h.firehose.send(new PutRecordCommand({ DeliveryStreamName: 'nope', Record: { Data: Buffer.from('x') } })));
    assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', 'Firehose nope under account 000000000000 not found.']);
  });

  it('metrics: incoming records and bytes, delivered records and objects, success and freshness', async () => {
    await createFolderStream(h.firehose, 'metered', { BucketARN: 'arn:aws:s3:::metered', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } });
    await h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'metered', Records: [{ Data: Buffer.from('abc') }, { Data: Buffer.from('de') }] }));
    const before = await (await fetch(`http://127.0.0.1:${h.hako.ports.http}/metrics`)).text();
    assert.match(before, /hako_delivery_incoming_records_total\{stream="metered"\} 2\n/);
    assert.match(before, /hako_delivery_incoming_bytes_total\{stream="metered"\} 5\n/);
    assert.match(before, /hako_delivery_to_folder_data_freshness_seconds\{stream="metered"\} \d/);
    await h.hako.delivery.flush('metered');
    const text = await (await fetch(`http://127.0.0.1:${h.hako.ports.http}/metrics`)).text();
    assert.match(text, /hako_delivery_to_folder_records_total\{stream="metered"\} 2\n/);
    assert.match(text, /hako_delivery_to_folder_objects_total\{stream="metered"\} 1\n/);
    assert.match(text, /hako_delivery_to_folder_success_total\{stream="metered"\} 1\n/);
    assert.match(text, /hako_delivery_to_folder_data_freshness_seconds\{stream="metered"\} 0\n/);
  });

  it('a store that cannot take the records: PutRecordBatch fails every record (FailedPutCount), PutRecord answers 503', async () => {
    const failing = { registry: { get: () => ({ type: 'DirectPut' }) }, put: async () => Promise.reject(new Error('disk full')) } as unknown as Delivery;
    const operations = recordOperations(failing, silentLogger());
    const batch = (await operations.PutRecordBatch?.({ DeliveryStreamName: 's', Records: [{ Data: 'YQ==' }, { Data: 'Yg==' }] })) as { FailedPutCount: number; RequestResponses: unknown[] };
    assert.equal(batch.FailedPutCount, 2);
    assert.deepEqual(batch.RequestResponses, [{ ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }, { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }]);
    await assert.rejects(async () => operations.PutRecord?.({ DeliveryStreamName: 's', Record: { Data: 'YQ==' } }), { name: 'ServiceUnavailableException', status: 503 });
    await assert.rejects(async () => operations.PutRecord?.({ DeliveryStreamName: 's', Record: { Data: 'YQ!=' } }), { name: 'InvalidArgumentException' });
  });
});
