/** @module test/contract/stream-store.test — runs the StreamStore contract against every implementation. */
import { MemoryStreamStore } from '../../src/streams/store.js';
import { SqliteStreamStore } from '../../src/streams/sqlite-stream-store.js';
import { runStreamStoreContract } from './stream-store.contract.js';
import { sqliteHarnessFactory } from './sqlite-harness.js';

runStreamStoreContract('memory', async () => {
  const store = new MemoryStreamStore();
  return { store, reopen: async () => store };
}, false);

runStreamStoreContract('sqlite', sqliteHarnessFactory('stream-store', (db) => new SqliteStreamStore(db)), true);
