/** @module test/contract/session-store.test — runs the SessionStore contract against every implementation. */
import { MemorySessionStore } from '../../src/mqtt/session/memory-session-store.js';
import { SqliteSessionStore } from '../../src/mqtt/session/sqlite-session-store.js';
import { runSessionStoreContract } from './session-store.contract.js';
import { sqliteHarnessFactory } from './sqlite-harness.js';

runSessionStoreContract('memory', async () => {
  const store = new MemorySessionStore();
  return { store, reopen: async () => store };
});

runSessionStoreContract('sqlite', sqliteHarnessFactory('session-store', (db) => new SqliteSessionStore(db)));
