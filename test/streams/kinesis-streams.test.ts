/**
 * @module test/streams/kinesis-streams.test — the Kinesis control plane through the real
 * `@aws-sdk/client-kinesis` with SigV4 (spec §9): CreateStream (provisioned and on-demand), shards with
 * even hash key ranges, DescribeStream(Summary), ListStreams and ListShards with their paging,
 * retention changes, DeleteStream, StreamARN in place of StreamName, and Kinesis's errors (all 400).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DeleteStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  IncreaseStreamRetentionPeriodCommand,
  KinesisServiceException,
  ListShardsCommand,
  ListStreamsCommand,
  waitUntilStreamExists,
  waitUntilStreamNotExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { startKinesisHako, type KinesisHako, type TestClock } from './helpers.js';

let running: KinesisHako;
let kinesis: KinesisClient;
let clock: TestClock;
before(async () => {
  running = await startKinesisHako();
  ({ kinesis, clock } = running);
});
after(() => running.close());

const ARN = (name: string): string => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;

async function rejectsWith(promise: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof KinesisServiceException, String(error));
    assert.equal(error.name, name);
    assert.equal(error.$metadata.httpStatusCode, 400);
    if (message !== undefined) assert.match(error.message, message);
    return true;
  });
}

test('CreateStream: ACTIVE at once, shardId-000000000000… with even, contiguous hash key ranges over 0…2^128−1', async () => {
  await kinesis.send(new CreateStreamCommand({ StreamName: 'three', ShardCount: 3 }));
  await waitUntilStreamExists({ client: kinesis, maxWaitTime: 20 }, { StreamName: 'three' });
  const { StreamDescription: d } = await kinesis.send(new DescribeStreamCommand({ StreamName: 'three' }));
  assert.deepEqual([d?.StreamName, d?.StreamARN, d?.StreamStatus, d?.StreamModeDetails?.StreamMode, d?.RetentionPeriodHours, d?.HasMoreShards, d?.EncryptionType], ['three', ARN('three'), 'ACTIVE', 'PROVISIONED', 24, false, 'NONE']);
  assert.ok(d?.StreamCreationTimestamp instanceof Date && Math.abs(d.StreamCreationTimestamp.getTime() - Date.now()) < 60_000);
  const shards = d?.Shards ?? [];
  assert.deepEqual(shards.map((s) => s.ShardId), ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
  const third = ((1n << 128n) / 3n);
  assert.deepEqual(shards.map((s) => [s.HashKeyRange?.StartingHashKey, s.HashKeyRange?.EndingHashKey]), [
    ['0', String(third - 1n)],
    [String(third), String(2n * third - 1n)],
    [String(2n * third), String((1n << 128n) - 1n)],
  ]);
  for (const shard of shards) assert.match(shard.SequenceNumberRange?.StartingSequenceNumber ?? '', /^49\d{54}$/);
});

test('CreateStream: ON_DEMAND starts with 4 shards; provisioned needs a ShardCount; a taken name is ResourceInUseException; a bad name ValidationException', async () => {
  await kinesis.send(new CreateStreamCommand({ StreamName: 'on-demand', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
  const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'on-demand' }));
  assert.deepEqual([summary.StreamDescriptionSummary?.StreamModeDetails?.StreamMode, summary.StreamDescriptionSummary?.OpenShardCount], ['ON_DEMAND', 4]);
  await rejectsWith(kinesis.send(new CreateStreamCommand({ StreamName: 'no-count' })), 'InvalidArgumentException', /ShardCount/);
  await rejectsWith(kinesis.send(new CreateStreamCommand({ StreamName: 'three', ShardCount: 1 })), 'ResourceInUseException', /Stream three under account 000000000000 already exists/);
  await rejectsWith(kinesis.send(new CreateStreamCommand({ StreamName: 'bad/name', ShardCount: 1 })), 'ValidationException', /streamName/);
  await rejectsWith(kinesis.send(new CreateStreamCommand({ StreamName: 'zero', ShardCount: 0 })), 'ValidationException', /shardCount/);
});

test('DescribeStreamSummary by StreamARN: counts, ARN, retention; another account\'s ARN or a missing stream is ResourceNotFoundException with 400', async () => {
  const { StreamDescriptionSummary: s } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamARN: ARN('three') }));
  assert.deepEqual([s?.StreamName, s?.StreamARN, s?.StreamStatus, s?.OpenShardCount, s?.ConsumerCount, s?.RetentionPeriodHours, s?.EncryptionType], ['three', ARN('three'), 'ACTIVE', 3, 0, 24, 'NONE']);
  await rejectsWith(kinesis.send(new DescribeStreamSummaryCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:111122223333:stream/three' })), 'ResourceNotFoundException');
  await rejectsWith(kinesis.send(new DescribeStreamCommand({ StreamName: 'never-made' })), 'ResourceNotFoundException', /Stream never-made under account 000000000000 not found/);
});

test('DescribeStream pages shards with Limit and ExclusiveStartShardId', async () => {
  const first = await kinesis.send(new DescribeStreamCommand({ StreamName: 'three', Limit: 2 }));
  assert.deepEqual([first.StreamDescription?.Shards?.map((s) => s.ShardId), first.StreamDescription?.HasMoreShards], [['shardId-000000000000', 'shardId-000000000001'], true]);
  const rest = await kinesis.send(new DescribeStreamCommand({ StreamName: 'three', Limit: 2, ExclusiveStartShardId: 'shardId-000000000001' }));
  assert.deepEqual([rest.StreamDescription?.Shards?.map((s) => s.ShardId), rest.StreamDescription?.HasMoreShards], [['shardId-000000000002'], false]);
});

test('ListStreams: names in order with StreamSummaries; Limit pages with HasMoreStreams and NextToken, or ExclusiveStartStreamName', async () => {
  await kinesis.send(new CreateStreamCommand({ StreamName: 'a-first', ShardCount: 1 }));
  const all = await kinesis.send(new ListStreamsCommand({}));
  assert.deepEqual(all.StreamNames, ['a-first', 'on-demand', 'three']);
  assert.deepEqual(all.StreamSummaries?.map((s) => [s.StreamName, s.StreamARN, s.StreamStatus]), [['a-first', ARN('a-first'), 'ACTIVE'], ['on-demand', ARN('on-demand'), 'ACTIVE'], ['three', ARN('three'), 'ACTIVE']]);
  assert.equal(all.HasMoreStreams, false);
  const page1 = await kinesis.send(new ListStreamsCommand({ Limit: 2 }));
  assert.deepEqual([page1.StreamNames, page1.HasMoreStreams], [['a-first', 'on-demand'], true]);
  const page2 = await kinesis.send(new ListStreamsCommand({ NextToken: page1.NextToken }));
  assert.deepEqual([page2.StreamNames, page2.HasMoreStreams, page2.NextToken], [['three'], false, undefined]);
  const after = await kinesis.send(new ListStreamsCommand({ ExclusiveStartStreamName: 'a-first' }));
  assert.deepEqual(after.StreamNames, ['on-demand', 'three']);
});

test('ListShards: MaxResults pages through NextToken (alone: with StreamName it is refused), by StreamARN too; the token expires after 300 s', async () => {
  const first = await kinesis.send(new ListShardsCommand({ StreamARN: ARN('three'), MaxResults: 2 }));
  assert.deepEqual(first.Shards?.map((s) => s.ShardId), ['shardId-000000000000', 'shardId-000000000001']);
  assert.ok(first.NextToken !== undefined);
  const second = await kinesis.send(new ListShardsCommand({ NextToken: first.NextToken }));
  assert.deepEqual([second.Shards?.map((s) => s.ShardId), second.NextToken], [['shardId-000000000002'], undefined]);
  assert.equal(second.Shards?.[0]?.HashKeyRange?.EndingHashKey, String((1n << 128n) - 1n));
  await rejectsWith(kinesis.send(new ListShardsCommand({ StreamName: 'three', NextToken: first.NextToken })), 'InvalidArgumentException', /cannot be provided together/);
  const afterOne = await kinesis.send(new ListShardsCommand({ StreamName: 'three', ExclusiveStartShardId: 'shardId-000000000000' }));
  assert.deepEqual(afterOne.Shards?.map((s) => s.ShardId), ['shardId-000000000001', 'shardId-000000000002']);
  clock.advance(301_000);
  await rejectsWith(kinesis.send(new ListShardsCommand({ NextToken: first.NextToken })), 'ExpiredNextTokenException');
});

test('Increase/DecreaseStreamRetentionPeriod: 24…8760 hours, each only in its own direction', async () => {
  await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'three', RetentionPeriodHours: 48 }));
  assert.equal((await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'three' }))).StreamDescriptionSummary?.RetentionPeriodHours, 48);
  await rejectsWith(kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'three', RetentionPeriodHours: 30 })), 'InvalidArgumentException', /can not be shorter than existing retention period \(48 hours\)/);
  await rejectsWith(kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'three', RetentionPeriodHours: 8761 })), 'InvalidArgumentException', /8760/);
  await kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamARN: ARN('three'), RetentionPeriodHours: 24 }));
  assert.equal((await kinesis.send(new DescribeStreamCommand({ StreamName: 'three' }))).StreamDescription?.RetentionPeriodHours, 24);
  await rejectsWith(kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'three', RetentionPeriodHours: 12 })), 'InvalidArgumentException', /Minimum allowed retention period is 24 hours/);
  await rejectsWith(kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'never-made', RetentionPeriodHours: 24 })), 'ResourceNotFoundException');
});

test('DeleteStream: gone at once (the SDK waiter agrees), a second delete is ResourceNotFoundException', async () => {
  await kinesis.send(new CreateStreamCommand({ StreamName: 'doomed', ShardCount: 1 }));
  await kinesis.send(new DeleteStreamCommand({ StreamName: 'doomed' }));
  await waitUntilStreamNotExists({ client: kinesis, maxWaitTime: 20 }, { StreamName: 'doomed' });
  await rejectsWith(kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'doomed' })), 'ResourceNotFoundException');
  await rejectsWith(kinesis.send(new DeleteStreamCommand({ StreamName: 'doomed' })), 'ResourceNotFoundException');
  assert.ok(!(await kinesis.send(new ListStreamsCommand({}))).StreamNames?.includes('doomed'));
});
