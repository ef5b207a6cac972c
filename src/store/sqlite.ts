/**
 * @module store/sqlite — opens hako's embedded SQLite database: connection settings and schema migrations.
 *
 * Every SQLite-backed store takes the `Database` this returns. The connection belongs to whoever opened
 * it (the composition root), which closes it after the stores that use it.
 */
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { HakoError } from '../core/errors.js';
import { migrations as defaultMigrations, type Migration } from './migrations.js';

export type { Database } from 'better-sqlite3';

/** How long a statement waits for another connection's lock (a `sqlite3` shell, a backup) before failing. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens or creates the database file at `file` (its directory must exist) and brings its schema up to
 * date. `migrations` is for tests of the mechanism; hako itself always uses the list in `migrations.ts`.
 */
export function openSqlite(file: string, migrations: readonly Migration[] = defaultMigrations): Database {
  const db = new Sqlite(file);
  try {
    // WAL lets readers run alongside the writer and turns each commit into one append to the -wal file.
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL skips the fsync at commit but still write()s the transaction's frames to the -wal
    // file before the commit returns. Those bytes are in the kernel's page cache, which outlives the
    // process, so a committed batch survives a crash or `kill -9` of hako (test/store/sqlite-crash.test.ts);
    // only a power cut or kernel panic can lose the last few commits, and never corrupts the file. That
    // is the promise `SessionStore.apply` makes, at a fraction of FULL's cost per batch.
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    migrate(db, migrations, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Applies the migrations above `PRAGMA user_version`, all in one transaction, so a database is never left
 * half-migrated. Returns the version the database is at afterwards.
 */
export function migrate(db: Database, migrations: readonly Migration[], file = db.name): number {
  checkOrder(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  // IMMEDIATE takes the write lock before reading user_version, so two processes opening a fresh file at
  // once do not both decide to run migration 1.
  return db.transaction((): number => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > latest) {
      throw new HakoError('DATA_DIR_UNUSABLE', [
        path.dirname(file),
        `database ${file} has schema version ${current}, newer than this hako knows (${latest}); upgrade hako`,
      ]);
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      try {
        db.exec(migration.sql);
      } catch (error) {
        throw new Error(`migration ${migration.version} (${migration.name}) failed: ${String(error)}`, { cause: error });
      }
    }
    // user_version lives in the database header, so it commits or rolls back with the schema changes.
    if (latest > current) db.pragma(`user_version = ${latest}`);
    return latest;
  }).immediate();
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration "${m.name}" has version ${m.version}, expected ${i + 1}: versions run 1, 2, 3, … without gaps`);
    }
  });
}
