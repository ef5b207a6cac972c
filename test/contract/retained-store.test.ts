/** @module test/contract/retained-store.test — runs the RetainedStore contract against every implementation. */
import { MemoryRetainedStore } from '../../src/mqtt/session/memory-retained-store.js';
import { SqliteRetainedStore } from '../../src/mqtt/session/sqlite-retained-store.js';
import { runRetainedStoreContract } from './retained-store.contract.js';
import { sqliteHarnessFactory } from './sqlite-harness.js';

runRetainedStoreContract('memory', async () => {
  const store = new MemoryRetainedStore();
  return { store, reopen: async () => store };
});

runRetainedStoreContract('sqlite', sqliteHarnessFactory('retained-store', (db) => new SqliteRetainedStore(db)));
