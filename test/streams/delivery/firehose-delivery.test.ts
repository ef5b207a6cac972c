/**
 * @module test/streams/delivery/firehose-delivery.test — 100,000 records of 200-byte JSON through
 * `@aws-sdk/client-firehose` into bucket folders, buffered by size (uncompressed) and by time (gzip):
 * every file is read back (gunzipped) and every record is there exactly once, in order within its object,
 * under the prefix of its oldest record's arrival. Time is a frozen clock moved by the test, and the
 * buffers' interval check (`delivery.tick`) is called rather than waited for. Also: what a stop leaves
 * is delivered, and what the store still holds at start is delivered after a restart.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import type { Delivery } from '../../../src/streams/delivery/index.js';
import { SqliteDeliveryBufferStore } from '../../../src/streams/delivery/sqlite-buffer-store.js';
import { openSqlite } from '../../../src/store/sqlite.js';
import { createFolderStream, jsonRecord, numbersIn, readObjects, startFirehoseHako, TestClock } from './helpers.js';

const TOTAL = 100_000;
/**
 * The last second of the previous hour (within SigV4's allowed skew of the real time the SDK signs with):
 * objects are named for that hour even when delivered after it.
 */
const T0 = Math.floor(Date.now() / 3600_000) * 3600_000 - 1000;
const iso = new Date(T0).toISOString(); // yyyy-MM-ddTHH:mm:ss.sssZ
const [YYYY, MM, DD, HH] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10), iso.slice(11, 13)];
const STAMP = `${YYYY}-${MM}-${DD}-${HH}-59-59`;
const DAY_OF_YEAR = String(Math.floor((T0 - Date.UTC(Number(YYYY), 0, 1)) / 86_400_000) + 1).padStart(3, '0');

async function putAll(firehose: FirehoseClient, stream: string, total: number, inFlight = 4): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < total) {
      const from = next;
      next += 500;
      const out = await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: Array.from({ length: Math.min(500, total - from) }, (_, i) => ({ Data: jsonRecord(from + i) })) }));
      assert.equal(out.FailedPutCount, 0);
    }
  }));
}

/** Resolves once `count` records of `stream` have been delivered (the delivery hook, not polling). */
function delivered(delivery: Delivery, stream: string, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const off = delivery.onDelivered((event) => {
      if (event.stream !== stream) return;
      seen += event.records;
      if (seen >= count) {
        off();
        resolve();
      }
    });
  });
}

/**
 * Every record number across the objects, checking that each call's 500 records sit together and in
 * order (calls run concurrently, so calls may arrive out of number order, but never interleave).
 */
function allNumbers(objects: ReturnType<typeof readObjects>): number[] {
  return objects.flatMap((object) => {
    const numbers = numbersIn(object.body);
    numbers.forEach((n, i) => assert.ok(i === 0 || n % 500 === 0 || n === (numbers[i - 1] as number) + 1, `call ${Math.floor(n / 500)} whole and in order within ${object.key}`));
    return numbers;
  }).sort((a, b) => a - b);
}

const expectAll = (numbers: number[]): void => {
  assert.equal(numbers.length, TOTAL, 'no record lost or duplicated');
  assert.ok(numbers.every((n, i) => n === i), 'every record exactly once');
};

test('by size: 100,000 records in 1 MiB objects under the default prefix, the tail by time', async () => {
  const clock = new TestClock();
  clock.freeze(T0);
  const h = await startFirehoseHako({ clock });
  try {
    await createFolderStream(h.firehose, 'by-size', { BucketARN: 'arn:aws:s3:::size-bucket', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } });
    // 500 records of 200 bytes = 100,000 bytes a call: ten calls fit in 1 MiB, so objects hold 5,000 records.
    const bySize = delivered(h.hako.delivery, 'by-size', 95_000);
    await putAll(h.firehose, 'by-size', TOTAL);
    await bySize;
    const sized = readObjects(h.bucketDir('size-bucket'));
    assert.equal(sized.length, 19);
    assert.ok(sized.every((object) => object.body.length === 1_000_000), 'every object a whole 10 calls, within 1 MiB');
    // The last 5,000 wait for the interval, counted from their oldest record's arrival.
    clock.advance(899_000);
    h.hako.delivery.tick();
    assert.equal(readObjects(h.bucketDir('size-bucket')).length, 19);
    const tail = delivered(h.hako.delivery, 'by-size', 5_000);
    clock.advance(1_000);
    h.hako.delivery.tick();
    await tail;
    const objects = readObjects(h.bucketDir('size-bucket'));
    assert.equal(objects.length, 20);
    for (const { key } of objects) assert.match(key, new RegExp(`^${YYYY}/${MM}/${DD}/${HH}/by-size-1-${STAMP}-[0-9a-f-]{36}$`));
    expectAll(allNumbers(objects));
  } finally {
    await h.close();
  }
});

test('by time: 100,000 gzip records in one object once the interval has passed, under a custom prefix', async () => {
  const clock = new TestClock();
  clock.freeze(T0);
  const h = await startFirehoseHako({ clock });
  try {
    await createFolderStream(h.firehose, 'by-time', {
      BucketARN: 'arn:aws:s3:::time-bucket',
      CompressionFormat: 'GZIP',
      Prefix: "telemetry/!{timestamp:yyyy}/!{timestamp:'day='DDD}/",
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 60 },
    });
    await putAll(h.firehose, 'by-time', TOTAL);
    clock.advance(59_999);
    h.hako.delivery.tick();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(readObjects(h.bucketDir('time-bucket')), [], 'nothing before the interval');
    const all = delivered(h.hako.delivery, 'by-time', TOTAL);
    clock.advance(1);
    h.hako.delivery.tick();
    await all;
    const objects = readObjects(h.bucketDir('time-bucket'));
    assert.equal(objects.length, 1);
    assert.match(objects[0]?.key ?? '', new RegExp(`^telemetry/${YYYY}/day=${DAY_OF_YEAR}/by-time-1-${STAMP}-[0-9a-f-]{36}\\.gz$`));
    expectAll(allNumbers(objects));
  } finally {
    await h.close();
  }
});

test('a stop delivers what is buffered; rows a crash left in the store are delivered after the restart, arrival time kept', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hako-firehose-restart-'));
  const clock = new TestClock();
  clock.freeze(T0);
  try {
    const first = await startFirehoseHako({ dataDir, clock });
    await createFolderStream(first.firehose, 'kept', { BucketARN: 'arn:aws:s3:::kept', BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 300 } });
    await putAll(first.firehose, 'kept', 2_000);
    await first.stop();
    assert.deepEqual(allNumbers(readObjects(first.bucketDir('kept'))), Array.from({ length: 2_000 }, (_, i) => i), 'flushed at stop');

    // What a kill -9 leaves (test/process/delivery-crash.test.ts does it for real): acknowledged rows in
    // delivery_buffer and no object. Written here with the store itself, 10 minutes before "now".
    const db = openSqlite(path.join(dataDir, 'hako.db'));
    const store = new SqliteDeliveryBufferStore(db);
    await store.append({ stream: 'kept', seq: 7, arrivalMs: T0 - 600_000, count: 2, bytes: 400, lengths: [200, 200], data: Buffer.concat([jsonRecord(2_000), jsonRecord(2_001)]) });
    await store.close();
    db.close();

    const second = await startFirehoseHako({ dataDir, clock });
    try {
      // Older than the 300-second interval: delivered at start, with no tick or flush, named for its arrival.
      await second.hako.delivery.idle();
      const objects = readObjects(second.bucketDir('kept'));
      const recovered = objects.filter((object) => numbersIn(object.body)[0] === 2_000);
      assert.equal(recovered.length, 1);
      const old = new Date(T0 - 600_000).toISOString();
      assert.match(recovered[0]?.key ?? '', new RegExp(`^${old.slice(0, 4)}/${old.slice(5, 7)}/${old.slice(8, 10)}/${old.slice(11, 13)}/kept-1-`));
      assert.deepEqual(numbersIn(recovered[0]?.body ?? Buffer.alloc(0)), [2_000, 2_001]);
      // The next put's sequence is above the recovered row's, so it is not mistaken for it.
      await second.hako.delivery.put('kept', jsonRecord(2_002), [200]);
      await second.hako.delivery.flush('kept');
      assert.deepEqual(allNumbers(readObjects(second.bucketDir('kept'))).slice(-3), [2_000, 2_001, 2_002]);
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
