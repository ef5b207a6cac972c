/**
 * @module test/contract/shadow-store.contract — what every `ShadowStore` must do: keep one document per
 * thing and shadow name (classic and named apart), replace on put, delete while remembering the last
 * version, list a thing's live named shadows, and hand everything back after a reopen.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ShadowDocument } from '../../src/shadow/document/index.js';
import type { ShadowStore } from '../../src/shadow/store.js';

export interface ShadowStoreHarness {
  store: ShadowStore;
  reopen: () => Promise<ShadowStore>;
}

const doc = (version: number, color = 'green'): ShadowDocument => ({
  state: { desired: { color }, reported: { color: 'red', nested: { list: [1, 'ü'] } } },
  metadata: { desired: { color: { timestamp: 1_700_000_000 } }, reported: { color: { timestamp: 1_700_000_001 }, nested: { list: [{ timestamp: 1 }, { timestamp: 1 }] } } },
  version,
  timestamp: 1_700_000_001,
});

export function runShadowStoreContract(name: string, open: () => Promise<ShadowStoreHarness>): void {
  describe(`ShadowStore contract: ${name}`, () => {
    it('returns what was put, classic and named apart, after a reopen too', async () => {
      const { store, reopen } = await open();
      assert.equal(await store.get('lamp', undefined), undefined);
      await store.put('lamp', undefined, doc(1, 'classic'));
      await store.put('lamp', 'config', doc(7, 'named'));
      await store.put('lamp:2', undefined, doc(3, 'other thing'));
      for (const s of [store, await reopen()]) {
        assert.deepEqual(await s.get('lamp', undefined), doc(1, 'classic'));
        assert.deepEqual(await s.get('lamp', 'config'), doc(7, 'named'));
        assert.deepEqual(await s.get('lamp:2', undefined), doc(3, 'other thing'));
        assert.equal(await s.get('lamp', 'missing'), undefined);
        assert.equal(await s.get('lamp:2', 'config'), undefined);
      }
    });

    it('put replaces; a stored document is frozen, so neither the writer nor a reader can change it', async () => {
      const { store } = await open();
      const written = doc(1);
      await store.put('t', undefined, written);
      assert.throws(() => {
        written.version = 99;
      }, TypeError);
      assert.throws(() => {
        (written.state.reported as { nested: { list: unknown[] } }).nested.list.push(2);
      }, TypeError);
      const read = await store.get('t', undefined);
      assert.ok(read !== undefined);
      assert.throws(() => {
        read.state.desired = { changed: true };
      }, TypeError);
      assert.deepEqual(await store.get('t', undefined), doc(1));
      await store.put('t', undefined, doc(2, 'blue'));
      assert.deepEqual(await store.get('t', undefined), doc(2, 'blue'));
    });

    it('documents read back after a reopen are frozen too', async () => {
      const { store, reopen } = await open();
      await store.put('t', undefined, doc(1));
      const read = await (await reopen()).get('t', undefined);
      assert.ok(read !== undefined && Object.isFrozen(read) && Object.isFrozen(read.metadata.reported));
    });

    it('delete removes the document and remembers its last version until the shadow is re-created', async () => {
      const { store, reopen } = await open();
      await store.put('t', 's', doc(5));
      assert.equal(await store.deleted('t', 's'), undefined, 'a live shadow is not deleted');
      await store.delete('t', 's', 1_700_000_123_456);
      for (const s of [store, await reopen()]) {
        assert.equal(await s.get('t', 's'), undefined);
        assert.deepEqual(await s.deleted('t', 's'), { version: 5, deletedAt: 1_700_000_123_456 });
        assert.equal(await s.deleted('t', undefined), undefined, 'the classic shadow was not deleted');
      }
      const s = await reopen();
      await s.put('t', 's', doc(6));
      assert.equal(await s.deleted('t', 's'), undefined);
      assert.equal((await (await reopen()).get('t', 's'))?.version, 6);
    });

    it('deleting a shadow that does not exist changes nothing', async () => {
      const { store } = await open();
      await store.delete('ghost', undefined, 1);
      assert.equal(await store.deleted('ghost', undefined), undefined);
      assert.equal(await store.get('ghost', undefined), undefined);
    });

    it('lists the live named shadows of a thing, sorted, never the classic one', async () => {
      const { store, reopen } = await open();
      await store.put('pump', undefined, doc(1));
      for (const shadowName of ['zeta', 'alpha', '$config', 'beta']) await store.put('pump', shadowName, doc(1));
      await store.put('pump-2', 'other', doc(1));
      await store.delete('pump', 'beta', 10);
      await store.put('pump', 'alpha', doc(2)); // replacing does not list it twice
      for (const s of [store, await reopen()]) {
        assert.deepEqual(await s.listNamed('pump'), ['$config', 'alpha', 'zeta']);
        assert.deepEqual(await s.listNamed('pump-2'), ['other']);
        assert.deepEqual(await s.listNamed('unknown'), []);
      }
    });
  });
}
