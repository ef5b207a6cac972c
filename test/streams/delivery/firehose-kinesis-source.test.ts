/**
 * @module test/streams/delivery/firehose-kinesis-source.test — delivery streams fed by a hako data stream
 * (`KinesisStreamAsSource`, spec §10) with the real `@aws-sdk/client-kinesis` and `-firehose`: records put after the
 * delivery stream was made are delivered, each shard's in order, none twice across a restart; earlier ones are
 * not (Firehose starts at LATEST); direct puts are refused; the source is described.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand, FirehoseClient, PutRecordCommand } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { rootCredentials } from '../../helpers/aws.js';
import { rejectsWithAws } from '../../helpers/iot-api.js';
import { startKinesisHako, type KinesisHako } from '../helpers.js';
import { numbersIn, readObjects } from './helpers.js';

const ROLE = 'arn:aws:iam::000000000000:role/firehose';
let started: KinesisHako;
let firehose: FirehoseClient;

const firehoseFor = (hako: KinesisHako): FirehoseClient => new FirehoseClient({ endpoint: `http://127.0.0.1:${hako.hako.ports.http}`, region: 'us-east-1', credentials: rootCredentials(hako.dataDir), maxAttempts: 1 });

before(async () => {
  started = await startKinesisHako();
  firehose = firehoseFor(started);
});
after(async () => {
  firehose.destroy();
  await started.close();
});

const record = (n: number): { Data: Uint8Array; PartitionKey: string } => ({ Data: Buffer.from(`{"n":${n}}\n`), PartitionKey: `device-${n % 5}` });

/** Flushes and reads the bucket until `count` records are there (the readers run after PutRecords answers). */
async function delivered(hako: KinesisHako, name: string, count: number): Promise<number[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await hako.hako.delivery.flush(name);
    const numbers = readObjects(`${hako.dataDir}/buckets/from-stream`).flatMap((object) => numbersIn(object.body));
    if (numbers.length >= count || Date.now() > deadline) return numbers;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('records put into the data stream after the delivery stream was made are delivered, per shard in order; earlier ones are not', async () => {
  const { kinesis } = started;
  await kinesis.send(new CreateStreamCommand({ StreamName: 'telemetry', ShardCount: 2 }));
  const streamArn = 'arn:aws:kinesis:us-east-1:000000000000:stream/telemetry';
  await kinesis.send(new PutRecordsCommand({ StreamName: 'telemetry', Records: [-3, -2, -1].map(record) }));
  await firehose.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: 'from-telemetry',
    DeliveryStreamType: 'KinesisStreamAsSource',
    KinesisStreamSourceConfiguration: { KinesisStreamARN: streamArn, RoleARN: ROLE },
    ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: 'arn:aws:s3:::from-stream', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } },
  }));
  for (let batch = 0; batch < 4; batch++) await kinesis.send(new PutRecordsCommand({ StreamName: 'telemetry', Records: Array.from({ length: 25 }, (_, i) => record(batch * 25 + i)) }));
  const numbers = await delivered(started, 'from-telemetry', 100);
  assert.deepEqual([...numbers].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i), 'every record put after creation, once; none from before');
  for (let key = 0; key < 5; key++) {
    const ofKey = numbers.filter((n) => n % 5 === key);
    assert.deepEqual(ofKey, [...ofKey].sort((a, b) => a - b), `partition key device-${key} (one shard) stays in order`);
  }

  const described = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'from-telemetry' }))).DeliveryStreamDescription;
  assert.equal(described?.DeliveryStreamType, 'KinesisStreamAsSource');
  assert.equal(described?.Source?.KinesisStreamSourceDescription?.KinesisStreamARN, streamArn);
  assert.equal(described?.Source?.KinesisStreamSourceDescription?.RoleARN, ROLE);
  assert.ok(described?.Source?.KinesisStreamSourceDescription?.DeliveryStartTimestamp instanceof Date);
  await rejectsWithAws(firehose.send(new PutRecordCommand({ DeliveryStreamName: 'from-telemetry', Record: { Data: Buffer.from('x') } })), 'InvalidArgumentException', { status: 400, message: /not permitted on KinesisStreamAsSource/ });
});

test('after a restart the readers go on from their checkpoints: nothing delivered twice, nothing skipped', async () => {
  await started.stop();
  started = await startKinesisHako({ dataDir: started.dataDir, clock: started.clock });
  firehose.destroy();
  firehose = firehoseFor(started);
  await started.kinesis.send(new PutRecordsCommand({ StreamName: 'telemetry', Records: [100, 101, 102, 103, 104].map(record) }));
  const numbers = await delivered(started, 'from-telemetry', 105);
  assert.deepEqual([...numbers].sort((a, b) => a - b), Array.from({ length: 105 }, (_, i) => i));
});

test('CreateDeliveryStream checks the source: it must name one of hako\'s streams, and only with KinesisStreamAsSource', async () => {
  const destination = { RoleARN: ROLE, BucketARN: 'arn:aws:s3:::from-stream' };
  await rejectsWithAws(firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'no-source', DeliveryStreamType: 'KinesisStreamAsSource', ExtendedS3DestinationConfiguration: destination })), 'InvalidArgumentException', { status: 400, message: /KinesisStreamSourceConfiguration is required/ });
  await rejectsWithAws(
    firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'missing', DeliveryStreamType: 'KinesisStreamAsSource', KinesisStreamSourceConfiguration: { KinesisStreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/nope', RoleARN: ROLE }, ExtendedS3DestinationConfiguration: destination })),
    'InvalidArgumentException',
    { status: 400, message: /stream\/nope is not a stream of this hako/ },
  );
  await rejectsWithAws(firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'direct', DeliveryStreamType: 'DirectPut', KinesisStreamSourceConfiguration: { KinesisStreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/telemetry', RoleARN: ROLE }, ExtendedS3DestinationConfiguration: destination })), 'InvalidArgumentException', { status: 400, message: /only for DeliveryStreamType KinesisStreamAsSource/ });
});
