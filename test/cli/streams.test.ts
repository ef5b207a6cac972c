/**
 * @module test/cli/streams.test — `hako streams …` and `hako delivery …` run as real child processes against a real
 * hako: create, list, describe, put and read a data stream (text, @FILE and standard input); create a delivery
 * stream from flags, put records and find them delivered in the bucket folder; failures say what to do.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cliFails, cliJson, cliOk, tempDir } from '../helpers/cli.js';
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
  const [message, hint] = await cliFails(['delivery', 'create', 'no-bucket'], 1, at(cwd));
  assert.equal(message, 'hako: delivery create: a bucket is needed: --bucket NAME (the folder <data-dir>/buckets/NAME)');
  assert.match(hint ?? '', /--config FILE/);
});
