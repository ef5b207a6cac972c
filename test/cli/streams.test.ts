/**
 * @module test/cli/streams.test — `hako streams …` and `hako delivery …` run as real child processes against a real
 * hako: create, list, describe, put and read a data stream (text, @FILE and standard input); create a delivery
 * stream from flags, put records and find them delivered in the bucket folder; map a stream to a function; failures
 * say what to do.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import mqtt from 'mqtt';
import { cliFails, cliJson, cliOk, tempDir } from '../helpers/cli.js';
import { lambdaClient, ROLE, zipOf } from '../helpers/lambda.js';
import { hakoForFile, type TestHako } from '../helpers/hako.js';

let hako: TestHako;
hakoForFile(() => ({ destroy: () => undefined }), (started) => {
  hako = started.hako;
});
const at = (cwd: string, input?: string) => ({ cwd, env: { HAKO_DATA_DIR: hako.dataDir }, ...(input === undefined ? {} : { input }) });

test('streams create, list, describe, put (text, @FILE, stdin) and read them back in order', async (t) => {
  const cwd = tempDir(t);
  assert.match(await cliOk(['streams', 'create', 'cli-telemetry', '--shards', '2'], at(cwd)), /^created stream cli-telemetry \(2 shard\(s\)\)\n {2}arn {2}arn:aws:kinesis:us-east-1:000000000000:stream\/cli-telemetry\n$/);
  assert.match(await cliOk(['streams', 'list'], at(cwd)), /cli-telemetry\s+ACTIVE\s+PROVISIONED/);
  const described = await cliJson<{ Shards: { ShardId: string }[] }>(['streams', 'describe', 'cli-telemetry'], at(cwd));
  assert.deepEqual(described.Shards.map((s) => s.ShardId), ['shardId-000000000000', 'shardId-000000000001']);
  writeFileSync(path.join(cwd, 'record.json'), '{"from":"file"}');
  const put = async (args: string[], input?: string): Promise<string> => (await cliJson<{ ShardId: string }>(['streams', 'put', 'cli-telemetry', ...args, '--partition-key', 'k1'], at(cwd, input))).ShardId;
  const shards = [await put(['{"from":"text"}']), await put(['@record.json']), await put(['-'], '{"from":"stdin"}')];
  assert.equal(new Set(shards).size, 1, 'one partition key, one shard');
  const read = await cliJson<{ Records: { Data: string; PartitionKey: string }[] }>(['streams', 'read', 'cli-telemetry', '--shard', shards[0] ?? ''], at(cwd));
  assert.deepEqual(read.Records.map((r) => [r.PartitionKey, r.Data]), [['k1', '{"from":"text"}'], ['k1', '{"from":"file"}'], ['k1', '{"from":"stdin"}']]);
  const limited = await cliJson<{ Records: unknown[] }>(['streams', 'read', 'cli-telemetry', '--shard', shards[0] ?? '', '--limit', '2'], at(cwd));
  assert.equal(limited.Records.length, 2);
  assert.match(await cliOk(['streams', 'read', 'cli-telemetry', '--shard', shards[0] ?? ''], at(cwd)), /^SEQUENCE NUMBER\s+PARTITION KEY\s+ARRIVED\s+DATA\n\d+\s+k1\s+\S+\s+\{"from":"text"\}\n/);
  const [message] = await cliFails(['streams', 'put', 'no-such-stream', 'x'], 1, at(cwd));
  assert.match(message ?? '', /^hako: streams put: PutRecord: ResourceNotFoundException: Stream no-such-stream under account 000000000000 not found\.$/);
  const [shardsMessage] = await cliFails(['streams', 'create', 'x', '--shards', 'many'], 1, at(cwd));
  assert.match(shardsMessage ?? '', /--shards must be a whole number of 1 or more, not many/);
  assert.equal(await cliOk(['streams', 'delete', 'cli-telemetry'], at(cwd)), 'deleted stream cli-telemetry\n');
});

test('delivery create from flags, put records, and they land in the bucket folder on delivery', async (t) => {
  const cwd = tempDir(t);
  const created = await cliOk(['delivery', 'create', 'cli-archive', '--bucket', 'cli-lake', '--prefix', 'raw/', '--size-mb', '1', '--interval-seconds', '900'], at(cwd));
  assert.match(created, /^created delivery stream cli-archive into arn:aws:s3:::cli-lake\n {2}arn {2}arn:aws:firehose:us-east-1:000000000000:deliverystream\/cli-archive\n$/);
  assert.match(await cliOk(['delivery', 'list'], at(cwd)), /^cli-archive$/m);
  assert.match(await cliOk(['delivery', 'describe', 'cli-archive'], at(cwd)), /prefix\s+raw\/\n(.*\n)*buffering\s+1 MiB or 900 s/);
  for (const n of [1, 2]) assert.match(await cliOk(['delivery', 'put', 'cli-archive', `{"n":${n}}`, '--newline'], at(cwd)), /^\S{20,}\n$/);
  await hako.delivery.flush('cli-archive');
  const root = path.join(hako.dataDir, 'buckets', 'cli-lake');
  const objects = (readdirSync(root, { recursive: true }) as string[]).filter((file) => file.startsWith('raw/') && file.includes('cli-archive-1-'));
  assert.equal(objects.length, 1);
  assert.equal(readFileSync(path.join(root, objects[0] ?? ''), 'utf8'), '{"n":1}\n{"n":2}\n');
  const [sizeMessage] = await cliFails(['delivery', 'create', 'bad-size', '--bucket', 'b', '--size-mb', 'lots'], 1, at(cwd));
  assert.equal(sizeMessage, 'hako: delivery create: --size-mb must be a whole number, not lots');
  const [message, hint] = await cliFails(['delivery', 'create', 'no-bucket'], 1, at(cwd));
  assert.equal(message, 'hako: delivery create: a bucket is needed: --bucket NAME (the folder <data-dir>/buckets/NAME)');
  assert.match(hint ?? '', /--config FILE/);
});

test('functions map-stream sends a stream\'s records to a function; mappings lists it; unmap deletes it; a missing stream says so', async (t) => {
  const cwd = tempDir(t);
  const lambda = lambdaClient(hako);
  t.after(() => lambda.destroy());
  // The function republishes each record's data to MQTT, where the test waits for it.
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'cli-mapped', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler',
    Code: { ZipFile: zipOf({ 'index.mjs': `import { IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane';
const iot = new IoTDataPlaneClient({});
export const handler = async (event) => { for (const r of event.Records) await iot.send(new PublishCommand({ topic: 'cli/mapped', payload: Buffer.from(r.kinesis.data, 'base64') })); };` }) },
  }));
  await cliOk(['streams', 'create', 'cli-mapped-stream'], at(cwd));
  const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${hako.ports.mqtt}`, { clientId: 'cli-mapping-watcher' });
  t.after(() => watcher.endAsync());
  await watcher.subscribeAsync('cli/mapped', { qos: 1 });
  const arrived = new Promise<string>((resolve) => watcher.once('message', (_topic, payload) => resolve(payload.toString())));
  const mapped = await cliJson<{ UUID: string; State: string; BatchSize: number }>(['functions', 'map-stream', 'cli-mapped', 'cli-mapped-stream', '--from', 'trim-horizon', '--batch-size', '10', '--bisect'], at(cwd));
  assert.equal(mapped.BatchSize, 10);
  await cliOk(['streams', 'put', 'cli-mapped-stream', '{"door":"open"}'], at(cwd));
  assert.equal(await arrived, '{"door":"open"}');
  assert.match(await cliOk(['functions', 'mappings', 'cli-mapped'], at(cwd)), new RegExp(`^UUID\\s+STREAM\\s+FUNCTION\\s+STATE\\s+BATCH\\s+LAST RESULT\\s+MODIFIED\\n${mapped.UUID}\\s+cli-mapped-stream\\s+cli-mapped\\s+Enabled\\s+10\\s`));
  assert.equal(await cliOk(['functions', 'unmap', mapped.UUID], at(cwd)), `deleted event source mapping ${mapped.UUID}\n`);
  const [missing] = await cliFails(['functions', 'map-stream', 'cli-mapped', 'no-such-stream'], 1, at(cwd));
  assert.match(missing ?? '', /^hako: functions map-stream: DescribeStreamSummary: ResourceNotFoundException: Stream no-such-stream/);
});
