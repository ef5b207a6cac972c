/**
 * @module test/rules/stream-actions.test — the kinesis and firehose actions end to end (spec §4.6): a device's
 * messages, selected by a rule, land as records of a hako data stream (partition key from a template) and of a
 * delivery stream (with a separator, or one record per array element in batchMode); a missing stream reaches the
 * error action. Through a delivery stream with a warehouse destination, a rule's output becomes table rows.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { CreateTopicRuleCommand, type IoTClient } from '@aws-sdk/client-iot';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import mqtt, { type MqttClient } from 'mqtt';
import { hakoWithIotForFile, rootCredentials } from '../helpers/aws.js';
import type { TestHako } from '../helpers/hako.js';
import { ROLE } from '../helpers/lambda.js';
import { readFrom, text } from '../streams/helpers.js';
import { signedJson } from '../helpers/iot-api.js';

let hako: TestHako;
let iot: IoTClient;
let kinesis: KinesisClient;
let firehose: FirehoseClient;
let device: MqttClient;

hakoWithIotForFile(async (started) => {
  ({ hako, iot } = started);
  const client = { endpoint: `http://127.0.0.1:${hako.ports.http}`, region: 'us-east-1', credentials: rootCredentials(hako.dataDir), maxAttempts: 1 };
  kinesis = new KinesisClient(client);
  firehose = new FirehoseClient(client);
  device = await mqtt.connectAsync(`mqtt://127.0.0.1:${hako.ports.mqtt}`, { clientId: 'greenhouse-sensor' });
});
after(async () => {
  kinesis.destroy();
  firehose.destroy();
  await device.endAsync();
});

/** Every object delivered into `bucket`, read whole, in name order. */
function objectsIn(bucket: string): string[] {
  const root = path.join(hako.dataDir, 'buckets', bucket);
  const files = (readdirSync(root, { recursive: true }) as string[]).map((file) => path.join(root, file)).filter((file) => /-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-/.test(path.basename(file))).sort();
  return files.map((file) => readFileSync(file, 'utf8'));
}

test('kinesis and firehose actions: each selected message becomes a stream record (keyed by room) and a delivered line', async () => {
  await kinesis.send(new CreateStreamCommand({ StreamName: 'telemetry', ShardCount: 1 }));
  await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'archive', ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: 'arn:aws:s3:::lake', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } } }));
  await iot.send(new CreateTopicRuleCommand({
    ruleName: 'to_streams',
    topicRulePayload: {
      sql: "SELECT humidity, topic(2) AS room FROM 'sensors/+/humidity' WHERE humidity > 50",
      awsIotSqlVersion: '2016-03-23',
      actions: [
        { kinesis: { roleArn: ROLE, streamName: 'telemetry', partitionKey: '${topic(2)}' } },
        { firehose: { roleArn: ROLE, deliveryStreamName: 'archive', separator: '\n' } },
      ],
    },
  }));
  for (const [room, humidity] of [['kitchen', 72], ['attic', 40], ['cellar', 81]] as const) await device.publishAsync(`sensors/${room}/humidity`, JSON.stringify({ humidity }), { qos: 1 });
  await hako.rules.engine.idle();
  const { records } = await readFrom(kinesis, { StreamName: 'telemetry', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' });
  assert.deepEqual(records.map((record) => [record.PartitionKey, text(record)]), [['kitchen', '{"humidity":72,"room":"kitchen"}'], ['cellar', '{"humidity":81,"room":"cellar"}']]);
  await hako.delivery.flush('archive');
  assert.deepEqual(objectsIn('lake'), ['{"humidity":72,"room":"kitchen"}\n{"humidity":81,"room":"cellar"}\n']);
});

test('firehose batchMode: each element of the selected array is a record; a missing stream reaches the error action', async () => {
  await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'batched', ExtendedS3DestinationConfiguration: { RoleARN: ROLE, BucketARN: 'arn:aws:s3:::batches', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } } }));
  await iot.send(new CreateTopicRuleCommand({
    ruleName: 'batched_readings',
    topicRulePayload: {
      sql: "SELECT VALUE readings FROM 'bulk/+'",
      awsIotSqlVersion: '2016-03-23',
      actions: [{ firehose: { roleArn: ROLE, deliveryStreamName: 'batched', batchMode: true, separator: ',' } }, { kinesis: { roleArn: ROLE, streamName: 'no-such-stream' } }],
      errorAction: { republish: { roleArn: ROLE, topic: 'rule-errors' } },
    },
  }));
  const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${hako.ports.mqtt}`, { clientId: 'error-watcher' });
  try {
    await watcher.subscribeAsync('rule-errors', { qos: 1 });
    const error = new Promise<Record<string, unknown>>((resolve) => watcher.once('message', (_topic, payload) => resolve(JSON.parse(payload.toString()) as Record<string, unknown>)));
    await device.publishAsync('bulk/1', JSON.stringify({ readings: [{ t: 1 }, { t: 2 }, { t: 3 }] }), { qos: 1 });
    await hako.rules.engine.idle();
    await hako.delivery.flush('batched');
    assert.deepEqual(objectsIn('batches'), ['{"t":1},{"t":2},{"t":3},']);
    const envelope = await error;
    assert.equal(envelope.ruleName, 'batched_readings');
    const failures = envelope.failures as { failedAction: string; failedResource: string; errorMessage: string }[];
    assert.equal(failures.length, 1);
    assert.equal(failures[0]?.failedAction, 'KinesisAction');
    assert.equal(failures[0]?.failedResource, 'no-such-stream');
    assert.match(failures[0]?.errorMessage ?? '', /no-such-stream/);
  } finally {
    await watcher.endAsync();
  }
});

test('rule → firehose action → a delivery stream into the warehouse: each selected message is a row, read back with /hako/query', async () => {
  await firehose.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: 'to-warehouse',
    RedshiftDestinationConfiguration: {
      RoleARN: ROLE, ClusterJDBCURL: 'jdbc:hako:warehouse', Username: 'hako', Password: 'unused',
      CopyCommand: { DataTableName: 'readings', CopyOptions: "JSON 'auto'" },
      S3Configuration: { RoleARN: ROLE, BucketARN: 'arn:aws:s3:::staging', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } },
    },
  }));
  await iot.send(new CreateTopicRuleCommand({
    ruleName: 'to_warehouse',
    topicRulePayload: {
      sql: "SELECT humidity, topic(2) AS room FROM 'rooms/+/humidity'",
      awsIotSqlVersion: '2016-03-23',
      actions: [{ firehose: { roleArn: ROLE, deliveryStreamName: 'to-warehouse', separator: '\n' } }],
    },
  }));
  for (const [room, humidity] of [['kitchen', 72], ['attic', 40.5], ['cellar', 81]] as const) await device.publishAsync(`rooms/${room}/humidity`, JSON.stringify({ humidity }), { qos: 1 });
  await hako.rules.engine.idle();
  await hako.delivery.flush('to-warehouse');
  const result = await signedJson<{ columns: { name: string; type: string }[]; rows: unknown[][] }>(hako, 'POST', '/hako/query', { sql: 'SELECT room, humidity FROM readings ORDER BY room' });
  assert.deepEqual(result.columns.map((c) => [c.name, c.type]), [['room', 'VARCHAR'], ['humidity', 'DOUBLE']]);
  assert.deepEqual(result.rows, [['attic', 40.5], ['cellar', 81], ['kitchen', 72]]);
});
