/** @module test/contract/record-store.test — runs the RecordStore contract against every implementation. */
import { MemoryRecordStore } from '../../src/store/records.js';
import { SqliteRecordStore } from '../../src/store/sqlite-records.js';
import { runRecordStoreContract } from './record-store.contract.js';
import { sqliteHarnessFactory } from './sqlite-harness.js';

runRecordStoreContract('memory', async () => {
  const store = new MemoryRecordStore();
  return { store, reopen: async () => store };
});

runRecordStoreContract('sqlite', sqliteHarnessFactory('record-store', (db) => new SqliteRecordStore(db)));
