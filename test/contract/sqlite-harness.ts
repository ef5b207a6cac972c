/**
 * @module test/contract/sqlite-harness — fresh SQLite databases in temp dirs for the contract suites, with
 * `reopen` closing and reopening the same file, and cleanup of everything at the end of the test file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { openSqlite, type Database } from '../../src/store/sqlite.js';

export interface SqliteHarness<S extends { close(): Promise<void> }> {
  store: S;
  reopen: () => Promise<S>;
}

/** Registers an `after` hook that closes every database and deletes every temp dir this returns. */
export function sqliteHarnessFactory<S extends { close(): Promise<void> }>(
  prefix: string,
  create: (db: Database) => S,
): () => Promise<SqliteHarness<S>> {
  const dirs: string[] = [];
  const open: Database[] = [];
  after(() => {
    for (const db of open) if (db.open) db.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  const openTracked = (file: string): Database => {
    const db = openSqlite(file);
    open.push(db);
    return db;
  };
  return async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hako-${prefix}-`));
    dirs.push(dir);
    const file = path.join(dir, 'hako.db');
    let db = openTracked(file);
    let store = create(db);
    return {
      store,
      reopen: async () => {
        await store.close();
        db.close();
        db = openTracked(file);
        store = create(db);
        return store;
      },
    };
  };
}
