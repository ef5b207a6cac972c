/**
 * @module test/streams/kinesis-durability.test — what survives a restart of hako on the same data
 * directory (streams, shards, records, iterators, sequence numbers that keep increasing) and retention
 * trimming under a controlled clock (`streams.trimExpired`, the pass the background timer runs).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  IncreaseStreamRetentionPeriodCommand,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { bytes, readFrom, startKinesisHako, TestClock, text } from './helpers.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const freshDir = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hako-kinesis-restart-'));
  dirs.push(dir);
  return dir;
};
const HOUR = 3600_000;
const SHARD0 = 'shardId-000000000000';

test('after a restart: the stream and its shards, every stored record, iterators issued before, and new sequence numbers above the old', async () => {
  const dataDir = freshDir();
  const first = await startKinesisHako({ dataDir });
  await first.kinesis.send(new CreateStreamCommand({ StreamName: 'kept', ShardCount: 2 }));
  const before = (await first.kinesis.send(new DescribeStreamCommand({ StreamName: 'kept' }))).StreamDescription;
  const put = await first.kinesis.send(new PutRecordsCommand({ StreamName: 'kept', Records: Array.from({ length: 20 }, (_, i) => ({ PartitionKey: 'k', ExplicitHashKey: '0', Data: bytes(`before-${i}`) })) }));
  const lastBefore = put.Records?.at(-1)?.SequenceNumber ?? '';
  const { ShardIterator } = await first.kinesis.send(new GetShardIteratorCommand({ StreamName: 'kept', ShardId: SHARD0, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: put.Records?.[5]?.SequenceNumber }));
  await first.stop();

  const second = await startKinesisHako({ dataDir });
  try {
    const after = (await second.kinesis.send(new DescribeStreamCommand({ StreamName: 'kept' }))).StreamDescription;
    assert.deepEqual(after?.Shards, before?.Shards);
    assert.equal(after?.StreamCreationTimestamp?.getTime(), before?.StreamCreationTimestamp?.getTime());
    const resumed = await second.kinesis.send(new GetRecordsCommand({ ShardIterator }));
    assert.deepEqual(resumed.Records?.map(text), Array.from({ length: 15 }, (_, i) => `before-${i + 5}`));
    const next = await second.kinesis.send(new PutRecordCommand({ StreamName: 'kept', PartitionKey: 'k', ExplicitHashKey: '0', Data: bytes('after') }));
    assert.ok((next.SequenceNumber ?? '') > lastBefore, 'the counter was re-derived from the stored records');
    assert.deepEqual((await second.kinesis.send(new GetRecordsCommand({ ShardIterator: resumed.NextShardIterator }))).Records?.map(text), ['after']);
  } finally {
    await second.stop();
  }
});

test('retention: a pass trims records older than the stream\'s period, keeps younger ones, and honours an increased period', async () => {
  const clock = new TestClock();
  const running = await startKinesisHako({ dataDir: freshDir(), clock });
  const { kinesis, hako } = running;
  try {
    for (const name of ['day', 'two-days']) await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'two-days', RetentionPeriodHours: 48 }));
    const putBoth = async (data: string): Promise<void> => {
      for (const name of ['day', 'two-days']) await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k', Data: bytes(data) }));
    };
    await putBoth('old');
    clock.advance(12 * HOUR);
    await putBoth('young');
    assert.equal(await hako.streams.trimExpired(), 0, 'nothing is 24 hours old yet');
    clock.advance(13 * HOUR); // 'old' is 25 h old, 'young' 13 h
    assert.equal(await hako.streams.trimExpired(), 1);
    const day = await readFrom(kinesis, { StreamName: 'day', ShardId: SHARD0, ShardIteratorType: 'TRIM_HORIZON' });
    assert.deepEqual(day.records.map(text), ['young']);
    const twoDays = await readFrom(kinesis, { StreamName: 'two-days', ShardId: SHARD0, ShardIteratorType: 'TRIM_HORIZON' });
    assert.deepEqual(twoDays.records.map(text), ['old', 'young']);
    clock.advance(24 * HOUR); // 'old' 49 h, 'young' 37 h
    assert.equal(await hako.streams.trimExpired(), 2);
    assert.deepEqual((await readFrom(kinesis, { StreamName: 'two-days', ShardId: SHARD0, ShardIteratorType: 'TRIM_HORIZON' })).records.map(text), ['young']);
    assert.deepEqual((await readFrom(kinesis, { StreamName: 'day', ShardId: SHARD0, ShardIteratorType: 'TRIM_HORIZON' })).records, []);
  } finally {
    await running.stop();
  }
});

test('sequence numbers keep increasing across a restart even when retention trimmed every record', async () => {
  const dataDir = freshDir();
  const clock = new TestClock();
  const first = await startKinesisHako({ dataDir, clock });
  await first.kinesis.send(new CreateStreamCommand({ StreamName: 'emptied', ShardCount: 1 }));
  const old = await first.kinesis.send(new PutRecordCommand({ StreamName: 'emptied', PartitionKey: 'k', Data: bytes('gone') }));
  clock.advance(25 * HOUR);
  assert.equal(await first.hako.streams.trimExpired(), 1);
  await first.stop();
  const second = await startKinesisHako({ dataDir, clock });
  try {
    const fresh = await second.kinesis.send(new PutRecordCommand({ StreamName: 'emptied', PartitionKey: 'k', Data: bytes('new') }));
    assert.ok((fresh.SequenceNumber ?? '') > (old.SequenceNumber ?? ''));
    const { records } = await readFrom(second.kinesis, { StreamName: 'emptied', ShardId: SHARD0, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: old.SequenceNumber });
    assert.deepEqual(records.map(text), ['new']);
  } finally {
    await second.stop();
  }
});

test('with --store memory the same API works (records live as long as the process)', async () => {
  const running = await startKinesisHako({ store: 'memory' });
  try {
    await running.kinesis.send(new CreateStreamCommand({ StreamName: 'volatile', ShardCount: 1 }));
    await running.kinesis.send(new PutRecordsCommand({ StreamName: 'volatile', Records: [{ PartitionKey: 'a', Data: bytes('1') }, { PartitionKey: 'b', Data: bytes('2') }] }));
    assert.deepEqual((await readFrom(running.kinesis, { StreamName: 'volatile', ShardId: SHARD0, ShardIteratorType: 'TRIM_HORIZON' })).records.map(text), ['1', '2']);
  } finally {
    await running.close();
  }
});
