/** @module test/contract/shadow-store.test — runs the ShadowStore contract against every implementation. */
import { RecordShadowStore } from '../../src/shadow/store.js';
import { MemoryRecordStore } from '../../src/store/records.js';
import { SqliteRecordStore } from '../../src/store/sqlite-records.js';
import { runShadowStoreContract } from './shadow-store.contract.js';
import { sqliteHarnessFactory } from './sqlite-harness.js';

runShadowStoreContract('records (memory)', async () => {
  const records = new MemoryRecordStore();
  return { store: await RecordShadowStore.open(records), reopen: () => RecordShadowStore.open(records) };
});

const openSqlite = sqliteHarnessFactory('shadow-store', (db) => new SqliteRecordStore(db));
runShadowStoreContract('records (sqlite)', async () => {
  const harness = await openSqlite();
  return { store: await RecordShadowStore.open(harness.store), reopen: async () => RecordShadowStore.open(await harness.reopen()) };
});
