/**
 * @module test/contract/delivery-buffer-store.test — runs the DeliveryBufferStore contract against every
 * implementation: memory, the segment files hako uses with a data directory (also with tiny segments, so
 * chunks span many files), and the SQLite table older hakos used (still read to move its rows).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { MemoryDeliveryBufferStore, type DeliveryBufferStore } from '../../src/streams/delivery/buffer-store.js';
import { SegmentDeliveryBufferStore } from '../../src/streams/delivery/segment-buffer-store.js';
import { SqliteDeliveryBufferStore } from '../../src/streams/delivery/sqlite-buffer-store.js';
import { runDeliveryBufferStoreContract, type DeliveryBufferStoreHarness } from './delivery-buffer-store.contract.js';
import { sqliteHarnessFactory } from './sqlite-harness.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function segmentHarness(segmentBytes?: number): () => Promise<DeliveryBufferStoreHarness> {
  return async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hako-delivery-buffer-'));
    dirs.push(dir);
    const root = path.join(dir, 'delivery-buffer');
    const options = segmentBytes === undefined ? {} : { segmentBytes };
    let store: DeliveryBufferStore = SegmentDeliveryBufferStore.open(root, options);
    return {
      store,
      reopen: async () => {
        await store.close();
        store = SegmentDeliveryBufferStore.open(root, options);
        return store;
      },
    };
  };
}

runDeliveryBufferStoreContract('memory', async () => {
  const store = new MemoryDeliveryBufferStore();
  return { store, reopen: async () => store };
}, false);

runDeliveryBufferStoreContract('segment files', segmentHarness(), true);

runDeliveryBufferStoreContract('segment files of 100 bytes', segmentHarness(100), true);

runDeliveryBufferStoreContract('sqlite (before segment files)', sqliteHarnessFactory('delivery-buffer', (db) => new SqliteDeliveryBufferStore(db)), true);
