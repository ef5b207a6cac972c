/**
 * @module test/contract/stream-store.contract — what every `StreamStore` must do: keep each shard's
 * records in sequence order, durable once `append` resolves (a persistent store hands them back after a
 * reopen), read within a count and byte budget, seek by arrival time, report the last sequence counter,
 * trim below a counter, delete a whole stream, and keep streams and shards apart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredRecord, StreamStore } from '../../src/streams/store.js';

export interface StreamStoreHarness {
  store: StreamStore;
  /** The same store after a restart (for memory: the same instance). */
  reopen: () => Promise<StreamStore>;
}

const record = (stream: string, shard: number, seq: number, data = `d${seq}`, arrivalMs = seq): StoredRecord => ({ stream, shard, seq, arrivalMs, partitionKey: `pk-${seq}`, data: Buffer.from(data) });
const ALL = { limit: 10_000, maxBytes: 10 * 1024 * 1024 };
const seqsOf = (records: readonly StoredRecord[]): number[] => records.map((r) => r.seq);

export function runStreamStoreContract(name: string, open: () => Promise<StreamStoreHarness>, persistent: boolean): void {
  describe(`StreamStore contract: ${name}`, () => {
    it('reads back what was appended, in sequence order, every field intact (after a reopen too, when persistent)', async () => {
      const harness = await open();
      await harness.store.append([record('s', 0, 10, 'ä\u0000b', 1000), record('s', 0, 20), record('s', 1, 15)]);
      await harness.store.append([record('s', 0, 30)]);
      const expected = [record('s', 0, 10, 'ä\u0000b', 1000), record('s', 0, 20), record('s', 0, 30)];
      assert.deepEqual(await harness.store.read('s', 0, 0, ALL), expected);
      const store = await harness.reopen();
      if (persistent) assert.deepEqual(await store.read('s', 0, 0, ALL), expected);
      await store.close();
    });

    it('appends not awaited one by one (a burst of puts) all land, in order', async () => {
      const { store } = await open();
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.append([record('s', 0, i + 1)])));
      assert.deepEqual(seqsOf(await store.read('s', 0, 0, ALL)), Array.from({ length: 50 }, (_, i) => i + 1));
      await store.close();
    });

    it('read starts at fromSeq (inclusive), stops at limit, and at maxBytes after at least one record', async () => {
      const { store } = await open();
      await store.append([10, 20, 30, 40].map((seq) => record('s', 0, seq, 'x'.repeat(100))));
      assert.deepEqual(seqsOf(await store.read('s', 0, 20, ALL)), [20, 30, 40]);
      assert.deepEqual(seqsOf(await store.read('s', 0, 21, ALL)), [30, 40]);
      assert.deepEqual(seqsOf(await store.read('s', 0, 0, { limit: 2, maxBytes: ALL.maxBytes })), [10, 20]);
      assert.deepEqual(seqsOf(await store.read('s', 0, 0, { limit: 10, maxBytes: 250 })), [10, 20]);
      assert.deepEqual(seqsOf(await store.read('s', 0, 0, { limit: 10, maxBytes: 1 })), [10], 'a record bigger than the budget still comes alone');
      assert.deepEqual(await store.read('s', 0, 41, ALL), []);
      assert.deepEqual(await store.read('nothing', 0, 0, ALL), []);
      await store.close();
    });

    it('streams and shards are kept apart', async () => {
      const { store } = await open();
      await store.append([record('a', 0, 1, 'a0'), record('a', 1, 1, 'a1'), record('b', 0, 1, 'b0')]);
      assert.deepEqual((await store.read('a', 0, 0, ALL)).map((r) => r.data.toString()), ['a0']);
      assert.deepEqual((await store.read('a', 1, 0, ALL)).map((r) => r.data.toString()), ['a1']);
      assert.deepEqual((await store.read('b', 0, 0, ALL)).map((r) => r.data.toString()), ['b0']);
      await store.close();
    });

    it('seekArrival: the first record at or after fromSeq that arrived at or after the time', async () => {
      const { store } = await open();
      await store.append([record('s', 0, 1, 'a', 100), record('s', 0, 2, 'b', 200), record('s', 0, 3, 'c', 200), record('s', 0, 4, 'd', 300)]);
      assert.equal(await store.seekArrival('s', 0, 0, 150), 2);
      assert.equal(await store.seekArrival('s', 0, 0, 200), 2);
      assert.equal(await store.seekArrival('s', 0, 3, 100), 3);
      assert.equal(await store.seekArrival('s', 0, 0, 301), undefined);
      assert.equal(await store.seekArrival('s', 1, 0, 0), undefined);
      await store.close();
    });

    it('lastSeq: undefined for an empty shard, else the largest stored (after a reopen too, when persistent)', async () => {
      const harness = await open();
      assert.equal(await harness.store.lastSeq('s', 0), undefined);
      await harness.store.append([record('s', 0, 5), record('s', 0, 9), record('s', 1, 100)]);
      assert.equal(await harness.store.lastSeq('s', 0), 9);
      const store = await harness.reopen();
      if (persistent) assert.equal(await store.lastSeq('s', 0), 9);
      await store.close();
    });

    it('trim deletes one shard\'s records below the counter, and says how many', async () => {
      const { store } = await open();
      await store.append([record('s', 0, 1), record('s', 0, 2), record('s', 0, 3), record('s', 1, 1), record('t', 0, 1)]);
      assert.equal(await store.trim('s', 0, 3), 2);
      assert.deepEqual(seqsOf(await store.read('s', 0, 0, ALL)), [3]);
      assert.deepEqual(seqsOf(await store.read('s', 1, 0, ALL)), [1]);
      assert.deepEqual(seqsOf(await store.read('t', 0, 0, ALL)), [1]);
      assert.equal(await store.trim('s', 0, 3), 0);
      assert.equal(await store.lastSeq('s', 0), 3);
      await store.close();
    });

    it('deleteStream removes every shard of that stream only, appends still in flight included', async () => {
      const harness = await open();
      await harness.store.append([record('gone', 0, 1), record('gone', 3, 1), record('kept', 0, 1)]);
      const inFlight = harness.store.append([record('gone', 0, 2)]);
      await harness.store.deleteStream('gone');
      await inFlight;
      assert.deepEqual(await harness.store.read('gone', 0, 0, ALL), []);
      assert.deepEqual(await harness.store.read('gone', 3, 0, ALL), []);
      const store = await harness.reopen();
      assert.deepEqual(seqsOf(await store.read('kept', 0, 0, ALL)), [1]);
      assert.deepEqual(await store.read('gone', 0, 0, ALL), []);
      await store.close();
    });

    it('the store keeps its own copy: changing the appended buffer later changes nothing', async () => {
      const { store } = await open();
      const data = Buffer.from('original');
      await store.append([{ ...record('s', 0, 1), data }]);
      data.fill(0);
      assert.equal((await store.read('s', 0, 0, ALL))[0]?.data.toString(), 'original');
      await store.close();
    });
  });
}
