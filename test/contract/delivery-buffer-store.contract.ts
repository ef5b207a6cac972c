/**
 * @module test/contract/delivery-buffer-store.contract — what every `DeliveryBufferStore` must do: hand back
 * appended chunks with every field intact, list them by stream then seq, read and remove inclusive seq
 * ranges (a prefix, as deliveries do, or not), see appends still waiting for their write, delete a stream,
 * and, when persistent, keep exactly the chunks not removed across a close and reopen, with a stream's seqs
 * free to go on from what is left (what `startDelivery` does after a restart).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BufferedChunk, ChunkMeta, DeliveryBufferStore } from '../../src/streams/delivery/buffer-store.js';

export interface DeliveryBufferStoreHarness {
  store: DeliveryBufferStore;
  /** Closes the store and opens it again, as a restart does (for memory: the same instance). */
  reopen: () => Promise<DeliveryBufferStore>;
}

/** A chunk of `count` records of distinct lengths (1, 2, …) and contents (stream, seq and index in each). */
export function chunk(stream: string, seq: number, count = 3, arrivalMs = 1_000 + seq): BufferedChunk {
  const records = Array.from({ length: count }, (_, i) => Buffer.from(`${stream}/${seq}/${i}:${'x'.repeat(i)}`));
  return { stream, seq, arrivalMs, count, bytes: records.reduce((sum, r) => sum + r.length, 0), lengths: records.map((r) => r.length), data: Buffer.concat(records) };
}

const meta = ({ stream, seq, arrivalMs, count, bytes }: ChunkMeta): ChunkMeta => ({ stream, seq, arrivalMs, count, bytes });
const keys = (chunks: readonly ChunkMeta[]): string[] => chunks.map((c) => `${c.stream}:${c.seq}`);
const plain = (c: BufferedChunk): object => ({ ...meta(c), lengths: [...c.lengths], data: Buffer.from(c.data) });

export function runDeliveryBufferStoreContract(name: string, open: () => Promise<DeliveryBufferStoreHarness>, persistent: boolean): void {
  describe(`DeliveryBufferStore contract: ${name}`, () => {
    it('read hands back what was appended, every field intact, within an inclusive seq range', async () => {
      const { store } = await open();
      const chunks = [chunk('s', 1), chunk('s', 2, 1), chunk('s', 3, 500)];
      for (const c of chunks) await store.append(c);
      assert.deepEqual((await store.read('s', 1, 3)).map(plain), chunks.map(plain));
      assert.deepEqual(keys(await store.read('s', 2, 2)), ['s:2']);
      assert.deepEqual(keys(await store.read('s', 2, 100)), ['s:2', 's:3']);
      assert.deepEqual(await store.read('s', 4, 9), []);
      assert.deepEqual(await store.read('nothing', 0, 100), []);
      await store.close();
    });

    it('load lists the metadata by stream, then seq, whatever order the streams were written in', async () => {
      const { store } = await open();
      await Promise.all([chunk('b', 1), chunk('a', 1), chunk('b', 2), chunk('a', 2), chunk('c', 5)].map((c) => store.append(c)));
      const loaded = await store.load();
      assert.deepEqual(loaded, [chunk('a', 1), chunk('a', 2), chunk('b', 1), chunk('b', 2), chunk('c', 5)].map(meta));
      await store.close();
    });

    it('a burst of appends not awaited one by one all land, in order', async () => {
      const { store } = await open();
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(chunk('s', i + 1, 2))));
      assert.deepEqual((await store.read('s', 1, 50)).map((c) => c.seq), Array.from({ length: 50 }, (_, i) => i + 1));
      await store.close();
    });

    it('remove deletes an inclusive range: a prefix, the middle, the tail; nothing for a range or stream with no chunk', async () => {
      const { store } = await open();
      for (let seq = 1; seq <= 8; seq++) await store.append(chunk('s', seq));
      await store.append(chunk('t', 1));
      await store.remove('s', 1, 2);
      await store.remove('s', 4, 5);
      await store.remove('s', 8, 100);
      await store.remove('s', 20, 30);
      await store.remove('nothing', 1, 1);
      assert.deepEqual(keys(await store.load()), ['s:3', 's:6', 's:7', 't:1']);
      assert.deepEqual((await store.read('s', 1, 8)).map(plain), [chunk('s', 3), chunk('s', 6), chunk('s', 7)].map(plain));
      await store.close();
    });

    it('remove, read and load see an append still waiting for its write', async () => {
      const { store } = await open();
      const first = store.append(chunk('s', 1));
      assert.deepEqual(keys(await store.load()), ['s:1']);
      const second = store.append(chunk('s', 2));
      assert.deepEqual(keys(await store.read('s', 1, 2)), ['s:1', 's:2']);
      const third = store.append(chunk('s', 3));
      await store.remove('s', 1, 3);
      await Promise.all([first, second, third]);
      assert.deepEqual(await store.load(), []);
      await store.close();
    });

    it('deleteStream removes that stream only; its name can be used again from seq 1', async () => {
      const harness = await open();
      await harness.store.append(chunk('gone', 1));
      await harness.store.append(chunk('kept', 1));
      const inFlight = harness.store.append(chunk('gone', 2));
      await harness.store.deleteStream('gone');
      await inFlight;
      await harness.store.deleteStream('never-was');
      assert.deepEqual(keys(await harness.store.load()), ['kept:1']);
      await harness.store.append(chunk('gone', 1, 2));
      const store = await harness.reopen();
      if (persistent) {
        assert.deepEqual(keys(await store.load()), ['gone:1', 'kept:1']);
        assert.deepEqual((await store.read('gone', 1, 1)).map(plain), [plain(chunk('gone', 1, 2))]);
      }
      await store.close();
    });

    it('a reopen keeps exactly the chunks not removed, bytes intact, and appends go on above them', async () => {
      const harness = await open();
      for (let seq = 1; seq <= 6; seq++) await harness.store.append(chunk('a', seq));
      for (let seq = 1; seq <= 3; seq++) await harness.store.append(chunk('b', seq, 10));
      await harness.store.remove('a', 1, 2);
      await harness.store.remove('a', 4, 4);
      await harness.store.remove('b', 3, 3);
      let store = await harness.reopen();
      if (persistent) {
        assert.deepEqual(await store.load(), [chunk('a', 3), chunk('a', 5), chunk('a', 6), chunk('b', 1, 10), chunk('b', 2, 10)].map(meta));
        assert.deepEqual((await store.read('a', 1, 6)).map(plain), [chunk('a', 3), chunk('a', 5), chunk('a', 6)].map(plain));
      }
      // After a restart the next seq is the last one left + 1: for b that is 3 again, which was removed.
      await store.append(chunk('a', 7));
      await store.append(chunk('b', 3, 4));
      store = await harness.reopen();
      if (persistent) {
        assert.deepEqual(keys(await store.load()), ['a:3', 'a:5', 'a:6', 'a:7', 'b:1', 'b:2', 'b:3']);
        assert.deepEqual((await store.read('b', 3, 3)).map(plain), [plain(chunk('b', 3, 4))]);
      }
      await store.close();
    });

    it('a stream with every chunk removed starts again from seq 1 after a reopen', async () => {
      const harness = await open();
      for (let seq = 1; seq <= 4; seq++) await harness.store.append(chunk('s', seq));
      await harness.store.remove('s', 1, 4);
      let store = await harness.reopen();
      assert.deepEqual(await store.load(), []);
      await store.append(chunk('s', 1, 7));
      store = await harness.reopen();
      if (persistent) assert.deepEqual((await store.read('s', 1, 4)).map(plain), [plain(chunk('s', 1, 7))]);
      await store.close();
    });

    it('close writes appends still waiting', async () => {
      const harness = await open();
      const pending = harness.store.append(chunk('s', 1));
      const store = await harness.reopen();
      await pending;
      if (persistent) assert.deepEqual(keys(await store.load()), ['s:1']);
      await store.close();
    });
  });
}
