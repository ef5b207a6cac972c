/**
 * @module test/streams/kinesis-iterators.test — GetShardIterator and GetRecords through the real
 * `@aws-sdk/client-kinesis` (spec §9): each iterator type starts exactly where it should, Limit pages
 * through NextShardIterator, MillisBehindLatest, and iterators that are expired (5 minutes), forged,
 * from another shard's sequence number or from a deleted stream are refused.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisServiceException,
  PutRecordCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { bytes, readFrom, startKinesisHako, text, type KinesisHako } from './helpers.js';

let running: KinesisHako;
let kinesis: KinesisClient;
/** Sequence numbers of r0…r4 in stream `iter`, put 10 s apart on hako's clock (r2…r4 10 s after r0, r1). */
const seqs: string[] = [];
const arrivals: Date[] = [];
const SHARD0 = 'shardId-000000000000';

before(async () => {
  running = await startKinesisHako();
  kinesis = running.kinesis;
  await kinesis.send(new CreateStreamCommand({ StreamName: 'iter', ShardCount: 1 }));
  for (let i = 0; i < 5; i++) {
    if (i === 2) running.clock.advance(10_000);
    const put = await kinesis.send(new PutRecordCommand({ StreamName: 'iter', PartitionKey: `k${i}`, Data: bytes(`r${i}`) }));
    seqs.push(put.SequenceNumber ?? '');
  }
  const all = await readFrom(kinesis, { StreamName: 'iter', ShardId: SHARD0, ShardIteratorType: 'TRIM_HORIZON' });
  for (const record of all.records) arrivals.push(record.ApproximateArrivalTimestamp as Date);
});
after(() => running.close());

async function rejectsWith(promise: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof KinesisServiceException, String(error));
    assert.deepEqual([error.name, error.$metadata.httpStatusCode], [name, 400]);
    if (message !== undefined) assert.match(error.message, message);
    return true;
  });
}

const read = async (input: Omit<Parameters<typeof readFrom>[1], 'StreamName' | 'ShardId'>): Promise<string[]> =>
  (await readFrom(kinesis, { StreamName: 'iter', ShardId: SHARD0, ...input })).records.map(text);

test('TRIM_HORIZON returns every record from the oldest; AT_SEQUENCE_NUMBER from that record; AFTER_SEQUENCE_NUMBER from the next', async () => {
  assert.deepEqual(await read({ ShardIteratorType: 'TRIM_HORIZON' }), ['r0', 'r1', 'r2', 'r3', 'r4']);
  assert.deepEqual(await read({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: seqs[2] }), ['r2', 'r3', 'r4']);
  assert.deepEqual(await read({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: seqs[2] }), ['r3', 'r4']);
  assert.deepEqual(await read({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: seqs[4] }), []);
  assert.deepEqual(await read({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: seqs[0] }), ['r0', 'r1', 'r2', 'r3', 'r4']);
});

test('AT_TIMESTAMP starts at the first record that arrived at or after the time; a future time reads only what comes after it', async () => {
  assert.ok((arrivals[2]?.getTime() ?? 0) - (arrivals[1]?.getTime() ?? 0) >= 10_000);
  assert.deepEqual(await read({ ShardIteratorType: 'AT_TIMESTAMP', Timestamp: arrivals[2] }), ['r2', 'r3', 'r4']);
  assert.deepEqual(await read({ ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date((arrivals[1]?.getTime() ?? 0) + 1) }), ['r2', 'r3', 'r4']);
  assert.deepEqual(await read({ ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date((arrivals[0]?.getTime() ?? 0) - 1) }), ['r0', 'r1', 'r2', 'r3', 'r4']);
  await kinesis.send(new CreateStreamCommand({ StreamName: 'future', ShardCount: 1 }));
  const future = new Date(running.clock.now() + 60_000);
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'future', ShardId: SHARD0, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: future }));
  await kinesis.send(new PutRecordCommand({ StreamName: 'future', PartitionKey: 'k', Data: bytes('before the time') }));
  running.clock.advance(60_000);
  await kinesis.send(new PutRecordCommand({ StreamName: 'future', PartitionKey: 'k', Data: bytes('at the time') }));
  assert.deepEqual((await kinesis.send(new GetRecordsCommand({ ShardIterator }))).Records?.map(text), ['at the time']);
  await rejectsWith(kinesis.send(new GetShardIteratorCommand({ StreamName: 'iter', ShardId: SHARD0, ShardIteratorType: 'AT_TIMESTAMP' })), 'InvalidArgumentException', /timestamp/i);
});

test('LATEST skips what is stored and reads exactly what is put after it; NextShardIterator carries on from there', async () => {
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/iter', ShardId: SHARD0, ShardIteratorType: 'LATEST' }));
  const empty = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
  assert.deepEqual([empty.Records, empty.MillisBehindLatest], [[], 0]);
  await kinesis.send(new PutRecordCommand({ StreamName: 'iter', PartitionKey: 'k', Data: bytes('r5') }));
  const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: empty.NextShardIterator }));
  assert.deepEqual(page.Records?.map(text), ['r5']);
  await kinesis.send(new PutRecordCommand({ StreamName: 'iter', PartitionKey: 'k', Data: bytes('r6') }));
  assert.deepEqual((await kinesis.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator }))).Records?.map(text), ['r6']);
  // The first iterator still points where it was issued: it reads r5 and r6 again (at-least-once readers rely on that).
  assert.deepEqual((await kinesis.send(new GetRecordsCommand({ ShardIterator }))).Records?.map(text), ['r5', 'r6']);
});

test('Limit pages through NextShardIterator; MillisBehindLatest says how far behind the tip a page is, 0 once caught up', async () => {
  const first = await readFrom(kinesis, { StreamName: 'iter', ShardId: SHARD0, ShardIteratorType: 'TRIM_HORIZON' }, 2);
  assert.deepEqual(first.records.map(text), ['r0', 'r1']);
  assert.ok((first.millisBehind ?? 0) >= 10_000, `r1 arrived ≥ 10 s before now: ${first.millisBehind}`);
  const second = await kinesis.send(new GetRecordsCommand({ ShardIterator: first.next, Limit: 3 }));
  assert.deepEqual(second.Records?.map(text), ['r2', 'r3', 'r4']);
  const rest = await kinesis.send(new GetRecordsCommand({ ShardIterator: second.NextShardIterator, Limit: 10_000 }));
  assert.deepEqual([rest.Records?.map(text).slice(-1), rest.MillisBehindLatest], [['r6'], 0]);
  await rejectsWith(kinesis.send(new GetRecordsCommand({ ShardIterator: first.next, Limit: 10_001 })), 'ValidationException', /limit/);
});

test('an iterator expires 5 minutes after it was issued (ExpiredIteratorException); one issued since still works', async () => {
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'iter', ShardId: SHARD0, ShardIteratorType: 'TRIM_HORIZON' }));
  running.clock.advance(4 * 60_000);
  const page = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
  running.clock.advance(60_001);
  await rejectsWith(kinesis.send(new GetRecordsCommand({ ShardIterator })), 'ExpiredIteratorException', /Iterator expired/);
  assert.deepEqual((await kinesis.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator, Limit: 1 }))).Records?.map(text), ['r1']);
});

test('forged iterators are refused: an edited position under the old tag, a made-up tag, garbage, another stream ARN', async () => {
  const { ShardIterator = '' } = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'iter', ShardId: SHARD0, ShardIteratorType: 'LATEST' }));
  const [body = '', tag = ''] = ShardIterator.split('.');
  const fields = JSON.parse(Buffer.from(body, 'base64url').toString()) as unknown[];
  fields[3] = 0; // rewind to the start of the shard
  const edited = `${Buffer.from(JSON.stringify(fields)).toString('base64url')}.${tag}`;
  await rejectsWith(kinesis.send(new GetRecordsCommand({ ShardIterator: edited })), 'InvalidArgumentException', /Invalid ShardIterator/);
  await rejectsWith(kinesis.send(new GetRecordsCommand({ ShardIterator: `${body}.${'A'.repeat(22)}` })), 'InvalidArgumentException', /Invalid ShardIterator/);
  await rejectsWith(kinesis.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })), 'InvalidArgumentException', /Invalid ShardIterator/);
  await rejectsWith(kinesis.send(new GetRecordsCommand({ ShardIterator, StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/other' })), 'InvalidArgumentException', /does not belong/);
});

test('GetShardIterator refuses a sequence number from another shard, a malformed one, an unknown shard or type', async () => {
  await kinesis.send(new CreateStreamCommand({ StreamName: 'two', ShardCount: 2 }));
  const put = await kinesis.send(new PutRecordCommand({ StreamName: 'two', PartitionKey: 'k', ExplicitHashKey: '0', Data: bytes('x') }));
  assert.equal(put.ShardId, SHARD0);
  await rejectsWith(kinesis.send(new GetShardIteratorCommand({ StreamName: 'two', ShardId: 'shardId-000000000001', ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: put.SequenceNumber })), 'InvalidArgumentException', /encodes shardId-000000000000/);
  await rejectsWith(kinesis.send(new GetShardIteratorCommand({ StreamName: 'two', ShardId: SHARD0, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: '12345' })), 'InvalidArgumentException', /12345/);
  await rejectsWith(kinesis.send(new GetShardIteratorCommand({ StreamName: 'two', ShardId: SHARD0, ShardIteratorType: 'AT_SEQUENCE_NUMBER' })), 'InvalidArgumentException', /StartingSequenceNumber/);
  await rejectsWith(kinesis.send(new GetShardIteratorCommand({ StreamName: 'two', ShardId: 'shardId-000000000002', ShardIteratorType: 'LATEST' })), 'ResourceNotFoundException', /shardId-000000000002/);
  await rejectsWith(kinesis.send(new GetShardIteratorCommand({ StreamName: 'two', ShardId: SHARD0, ShardIteratorType: 'SOMEWHERE' as 'LATEST' })), 'ValidationException', /shardIteratorType/);
});

test('an iterator of a deleted stream is refused, even once a stream of the same name exists again (which starts empty)', async () => {
  await kinesis.send(new CreateStreamCommand({ StreamName: 'reborn', ShardCount: 1 }));
  await kinesis.send(new PutRecordCommand({ StreamName: 'reborn', PartitionKey: 'k', Data: bytes('old life') }));
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'reborn', ShardId: SHARD0, ShardIteratorType: 'TRIM_HORIZON' }));
  await kinesis.send(new DeleteStreamCommand({ StreamName: 'reborn' }));
  await rejectsWith(kinesis.send(new GetRecordsCommand({ ShardIterator })), 'ResourceNotFoundException');
  running.clock.advance(1); // a new creation time
  await kinesis.send(new CreateStreamCommand({ StreamName: 'reborn', ShardCount: 1 }));
  await rejectsWith(kinesis.send(new GetRecordsCommand({ ShardIterator })), 'ResourceNotFoundException');
  assert.deepEqual((await readFrom(kinesis, { StreamName: 'reborn', ShardId: SHARD0, ShardIteratorType: 'TRIM_HORIZON' })).records, []);
});
