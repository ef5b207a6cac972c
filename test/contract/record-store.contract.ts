/**
 * @module test/contract/record-store.contract — what every `RecordStore` must do: keep JSON records per
 * collection, replace on put, forget on delete, keep collections apart, and hand everything back after a
 * reopen (a persistent store) exactly as written.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordStore } from '../../src/store/records.js';

export interface RecordStoreHarness {
  store: RecordStore;
  reopen: () => Promise<RecordStore>;
}

interface Sample {
  name: string;
  count: number;
  nested: { list: string[]; flag: boolean; nothing: null };
}

const sample = (name: string, count = 1): Sample => ({ name, count, nested: { list: ['a', 'ü', ''], flag: count % 2 === 0, nothing: null } });

export function runRecordStoreContract(name: string, open: () => Promise<RecordStoreHarness>): void {
  describe(`RecordStore contract: ${name}`, () => {
    it('returns what was put, by key, after a reopen too', async () => {
      const harness = await open();
      const things = harness.store.collection<Sample>('things');
      await things.put('a', sample('a'));
      await things.put('key with spaces/and\nnewline', sample('b', 2));
      const expected = new Map([['a', sample('a')], ['key with spaces/and\nnewline', sample('b', 2)]]);
      assert.deepEqual(await things.loadAll(), expected);
      const reopened = await harness.reopen();
      assert.deepEqual(await reopened.collection<Sample>('things').loadAll(), expected);
      await reopened.close();
    });

    it('put replaces, delete removes, deleting a missing key is harmless', async () => {
      const harness = await open();
      const things = harness.store.collection<Sample>('things');
      await things.put('a', sample('a', 1));
      await things.put('a', sample('a', 7));
      await things.put('b', sample('b'));
      await things.delete('b');
      await things.delete('never-there');
      assert.deepEqual(await things.loadAll(), new Map([['a', sample('a', 7)]]));
      const reopened = await harness.reopen();
      assert.deepEqual(await reopened.collection<Sample>('things').loadAll(), new Map([['a', sample('a', 7)]]));
      await reopened.close();
    });

    it('collections with the same keys do not see each other', async () => {
      const harness = await open();
      const one = harness.store.collection<Sample>('one');
      const two = harness.store.collection<Sample>('two');
      await one.put('k', sample('one'));
      await two.put('k', sample('two'));
      await two.delete('k');
      assert.deepEqual(await one.loadAll(), new Map([['k', sample('one')]]));
      assert.equal((await two.loadAll()).size, 0);
      assert.equal((await harness.store.collection('empty').loadAll()).size, 0);
      await harness.store.close();
    });

    it('a value changed by the caller after put is not changed in the store', async () => {
      const harness = await open();
      const things = harness.store.collection<Sample>('things');
      const value = sample('a');
      await things.put('a', value);
      value.nested.list.push('changed later');
      value.count = 99;
      assert.deepEqual((await things.loadAll()).get('a'), sample('a'));
      await harness.store.close();
    });
  });
}
