/**
 * @module test/streams/kinesis-records.test — PutRecord and PutRecords through the real
 * `@aws-sdk/client-kinesis` (spec §9): MD5 routing and ExplicitHashKey, per-shard order, per-record
 * results in request order with throughput failures reported per record (never as an HTTP error), the
 * request-wide limits (500 records, 1 MiB records, 5 MiB requests, the raised body limit), and the
 * `onRecords` hook consumers will wait on.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  CreateStreamCommand,
  KinesisServiceException,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  KinesisClient,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import type { RecordsEvent } from '../../src/streams/index.js';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { rootCredentials } from '../helpers/aws.js';
import { bytes, readFrom, startKinesisHako, text, type KinesisHako } from './helpers.js';

let running: KinesisHako;
let kinesis: KinesisClient;
before(async () => {
  running = await startKinesisHako();
  kinesis = running.kinesis;
});
after(() => running.close());

const MiB = 1024 * 1024;
const md5 = (key: string): bigint => BigInt(`0x${createHash('md5').update(key, 'utf8').digest('hex')}`);

async function rejectsWith(promise: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof KinesisServiceException, String(error));
    assert.deepEqual([error.name, error.$metadata.httpStatusCode], [name, 400]);
    if (message !== undefined) assert.match(error.message, message);
    return true;
  });
}

/** The shard whose HashKeyRange (as ListShards reports it) holds `hashKey`. */
async function shardHolding(stream: string, hashKey: bigint): Promise<string> {
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: stream }));
  const shard = Shards.find((s) => BigInt(s.HashKeyRange?.StartingHashKey ?? -1) <= hashKey && hashKey <= BigInt(s.HashKeyRange?.EndingHashKey ?? -1));
  return shard?.ShardId ?? 'none';
}

test('PutRecord: each partition key lands on the shard whose hash key range holds its MD5; ExplicitHashKey overrides', async () => {
  await kinesis.send(new CreateStreamCommand({ StreamName: 'routed', ShardCount: 4 }));
  const seen = new Set<string>();
  for (let i = 0; i < 24; i++) {
    const key = `sensor-${i}`;
    const put = await kinesis.send(new PutRecordCommand({ StreamName: 'routed', PartitionKey: key, Data: bytes(`reading ${i}`) }));
    assert.equal(put.ShardId, await shardHolding('routed', md5(key)), key);
    assert.match(put.SequenceNumber ?? '', /^49\d{54}$/);
    assert.equal(put.EncryptionType, 'NONE');
    seen.add(put.ShardId ?? '');
  }
  assert.equal(seen.size, 4, '24 keys spread over all 4 shards');
  const quarter = 1n << 126n;
  for (const [hashKey, shardId] of [[quarter * 2n, 'shardId-000000000002'], [quarter * 2n - 1n, 'shardId-000000000001'], [0n, 'shardId-000000000000'], [(1n << 128n) - 1n, 'shardId-000000000003']] as const) {
    const put = await kinesis.send(new PutRecordCommand({ StreamName: 'routed', PartitionKey: 'same-key', ExplicitHashKey: String(hashKey), Data: bytes('x') }));
    assert.equal(put.ShardId, shardId, String(hashKey));
  }
  await rejectsWith(kinesis.send(new PutRecordCommand({ StreamName: 'routed', PartitionKey: 'k', ExplicitHashKey: String(1n << 128n), Data: bytes('x') })), 'InvalidArgumentException', /ExplicitHashKey/);
  await rejectsWith(kinesis.send(new PutRecordCommand({ StreamName: 'routed', PartitionKey: '', Data: bytes('x') })), 'ValidationException', /partitionKey/);
  await rejectsWith(kinesis.send(new PutRecordCommand({ StreamName: 'nowhere', PartitionKey: 'k', Data: bytes('x') })), 'ResourceNotFoundException');
});

test('PutRecords: results in request order; each shard returns exactly its records, in order, with increasing sequence numbers', async () => {
  await kinesis.send(new CreateStreamCommand({ StreamName: 'ordered', ShardCount: 3 }));
  const entries: PutRecordsRequestEntry[] = Array.from({ length: 150 }, (_, i) => ({ PartitionKey: `device-${i % 7}`, Data: bytes(`m${i}`) }));
  const put = await kinesis.send(new PutRecordsCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/ordered', Records: entries }));
  assert.equal(put.FailedRecordCount, 0);
  assert.equal(put.Records?.length, 150);
  const expectedByShard = new Map<string, Array<{ data: string; key: string; seq: string }>>();
  for (const [i, result] of (put.Records ?? []).entries()) {
    assert.equal(result.ShardId, await shardHolding('ordered', md5(`device-${i % 7}`)));
    const list = expectedByShard.get(result.ShardId ?? '') ?? [];
    list.push({ data: `m${i}`, key: `device-${i % 7}`, seq: result.SequenceNumber ?? '' });
    expectedByShard.set(result.ShardId ?? '', list);
  }
  for (const shardId of ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']) {
    const { records, millisBehind } = await readFrom(kinesis, { StreamName: 'ordered', ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' });
    assert.deepEqual(records.map((r) => ({ data: text(r), key: r.PartitionKey, seq: r.SequenceNumber })), expectedByShard.get(shardId) ?? []);
    const seqs = records.map((r) => r.SequenceNumber ?? '');
    for (let i = 1; i < seqs.length; i++) assert.ok((seqs[i - 1] as string) < (seqs[i] as string) && seqs[i]?.length === seqs[0]?.length, 'increasing as strings of one length');
    for (const r of records) assert.ok(r.ApproximateArrivalTimestamp instanceof Date && Math.abs(r.ApproximateArrivalTimestamp.getTime() - Date.now()) < 60_000);
    assert.equal(millisBehind, 0);
  }
});

test('PutRecords over a shard\'s write limit: the excess records fail with ProvisionedThroughputExceededException, the rest are stored; PutRecord fails outright', async () => {
  running.clock.freeze(Math.floor(Date.now() / 1000) * 1000 + 100); // one whole second, whatever the test's speed
  try {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'limited', ShardCount: 2 }));
    const toShard = (shard: 0 | 1, data: string): PutRecordsRequestEntry => ({ PartitionKey: 'k', ExplicitHashKey: shard === 0 ? '0' : String((1n << 128n) - 1n), Data: bytes(data) });
    for (const batch of [0, 1]) {
      const full = await kinesis.send(new PutRecordsCommand({ StreamName: 'limited', Records: Array.from({ length: 500 }, (_, i) => toShard(0, `b${batch}-${i}`)) }));
      assert.equal(full.FailedRecordCount, 0);
    }
    const mixed = await kinesis.send(new PutRecordsCommand({ StreamName: 'limited', Records: [toShard(0, 'over-1'), toShard(1, 'fine-1'), toShard(0, 'over-2'), toShard(1, 'fine-2')] }));
    assert.equal(mixed.$metadata.httpStatusCode, 200);
    assert.equal(mixed.FailedRecordCount, 2);
    assert.deepEqual(mixed.Records?.map((r) => [r.ErrorCode, r.ShardId]), [['ProvisionedThroughputExceededException', undefined], [undefined, 'shardId-000000000001'], ['ProvisionedThroughputExceededException', undefined], [undefined, 'shardId-000000000001']]);
    assert.match(mixed.Records?.[0]?.ErrorMessage ?? '', /Rate exceeded for shard shardId-000000000000 in stream limited under account 000000000000/);
    await rejectsWith(kinesis.send(new PutRecordCommand({ StreamName: 'limited', PartitionKey: 'k', ExplicitHashKey: '0', Data: bytes('single') })), 'ProvisionedThroughputExceededException');
    const shard0 = await readFrom(kinesis, { StreamName: 'limited', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' });
    assert.equal(shard0.records.length, 1000);
    assert.deepEqual([text(shard0.records[0]), text(shard0.records[999])], ['b0-0', 'b1-499']);
    const shard1 = await readFrom(kinesis, { StreamName: 'limited', ShardId: 'shardId-000000000001', ShardIteratorType: 'TRIM_HORIZON' });
    assert.deepEqual(shard1.records.map(text), ['fine-1', 'fine-2']);
    running.clock.advance(1000); // the next second has room again
    assert.equal((await kinesis.send(new PutRecordCommand({ StreamName: 'limited', PartitionKey: 'k', ExplicitHashKey: '0', Data: bytes('later') }))).ShardId, 'shardId-000000000000');
    // 1 MiB per second: the fourth 300 KiB record of a second does not fit.
    running.clock.advance(1000);
    const big = await kinesis.send(new PutRecordsCommand({ StreamName: 'limited', Records: Array.from({ length: 4 }, () => ({ ...toShard(1, ''), Data: new Uint8Array(300 * 1024) })) }));
    assert.deepEqual(big.Records?.map((r) => r.ErrorCode ?? 'ok'), ['ok', 'ok', 'ok', 'ProvisionedThroughputExceededException']);
    // On-demand streams are not held to a shard's provisioned limit.
    await kinesis.send(new CreateStreamCommand({ StreamName: 'unlimited', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    for (let batch = 0; batch < 3; batch++) {
      const put = await kinesis.send(new PutRecordsCommand({ StreamName: 'unlimited', Records: Array.from({ length: 500 }, (_, i) => ({ PartitionKey: 'k', ExplicitHashKey: '0', Data: bytes(`${batch}-${i}`) })) }));
      assert.equal(put.FailedRecordCount, 0);
    }
  } finally {
    running.clock.unfreeze();
  }
});

test('request-wide limits reject the whole request, storing nothing: a record over 1 MiB, over 500 records, over 5 MiB, a body over the route limit', async () => {
  // On-demand: a provisioned shard would take only 1 MiB of the 5 per second.
  await kinesis.send(new CreateStreamCommand({ StreamName: 'sizes', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
  const small: PutRecordsRequestEntry = { PartitionKey: 'k', ExplicitHashKey: '0', Data: bytes('small') };
  await rejectsWith(kinesis.send(new PutRecordsCommand({ StreamName: 'sizes', Records: [small, { PartitionKey: 'k', Data: new Uint8Array(MiB) }] })), 'ValidationException', /records\.2\.member\.data.*less than or equal to 1048576/);
  await rejectsWith(kinesis.send(new PutRecordsCommand({ StreamName: 'sizes', Records: Array.from({ length: 501 }, () => small) })), 'ValidationException', /less than or equal to 500/);
  await rejectsWith(kinesis.send(new PutRecordsCommand({ StreamName: 'sizes', Records: Array.from({ length: 6 }, () => ({ PartitionKey: 'k', Data: new Uint8Array(900 * 1024) })) })), 'InvalidArgumentException', /exceeds 5242880 bytes: the data and partition keys come to 5529606 bytes/);
  // Over HTTP/1.1: over HTTP/2 the SDK keeps sending a body the server has already refused, and nghttp2
  // resets the stream (ENHANCE_YOUR_CALM) before the client reads the answer (noted in README).
  const http1 = new KinesisClient({ endpoint: `http://127.0.0.1:${running.hako.ports.http}`, region: 'us-east-1', credentials: rootCredentials(running.dataDir), maxAttempts: 1, requestHandler: new NodeHttpHandler() });
  try {
    await rejectsWith(http1.send(new PutRecordsCommand({ StreamName: 'sizes', Records: Array.from({ length: 9 }, () => ({ PartitionKey: 'k', Data: new Uint8Array(MiB - 16) })) })), 'InvalidArgumentException', /the request body is over 8388608 bytes/);
  } finally {
    http1.destroy();
  }
  await rejectsWith(kinesis.send(new PutRecordCommand({ StreamName: 'sizes', PartitionKey: 'k', Data: new Uint8Array(MiB) })), 'ValidationException', /'data'/);
  assert.deepEqual((await readFrom(kinesis, { StreamName: 'sizes', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' })).records, []);
  // Just under 5 MiB is ~6.7 MiB of JSON: above the server's 6 MB default, within the Kinesis route's limit.
  const nearly = await kinesis.send(new PutRecordsCommand({ StreamName: 'sizes', Records: Array.from({ length: 5 }, (_, i) => ({ PartitionKey: `k${i}`, ExplicitHashKey: '0', Data: new Uint8Array(MiB - 1000).fill(i) })) }));
  assert.equal(nearly.FailedRecordCount, 0);
  const stored = await readFrom(kinesis, { StreamName: 'sizes', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' });
  assert.deepEqual(stored.records.map((r) => [r.Data?.length, r.Data?.[0]]), [0, 1, 2, 3, 4].map((i) => [MiB - 1000, i]));
});

test('onRecords: after a put is stored, one event per shard that got records, naming its last sequence number', async () => {
  await kinesis.send(new CreateStreamCommand({ StreamName: 'watched', ShardCount: 2 }));
  const events: RecordsEvent[] = [];
  const unsubscribe = running.hako.streams.onRecords((event) => events.push(event));
  const put = await kinesis.send(new PutRecordsCommand({ StreamName: 'watched', Records: [
    { PartitionKey: 'a', ExplicitHashKey: '0', Data: bytes('1') },
    { PartitionKey: 'b', ExplicitHashKey: String((1n << 128n) - 1n), Data: bytes('2') },
    { PartitionKey: 'a', ExplicitHashKey: '1', Data: bytes('3') },
  ] }));
  const results = put.Records ?? [];
  assert.deepEqual(events.sort((x, y) => (x.shardId < y.shardId ? -1 : 1)), [
    { stream: 'watched', shardId: 'shardId-000000000000', lastSequenceNumber: results[2]?.SequenceNumber },
    { stream: 'watched', shardId: 'shardId-000000000001', lastSequenceNumber: results[1]?.SequenceNumber },
  ]);
  unsubscribe();
  await kinesis.send(new PutRecordCommand({ StreamName: 'watched', PartitionKey: 'a', Data: bytes('4') }));
  assert.equal(events.length, 2);
});
