/**
 * @module test/store/checkpointer.test — `WalCheckpointer`: the main connection stops checkpointing, the
 * worker's checkpoints move committed frames into the database file while writes go on, the WAL restarts
 * once a checkpoint has caught up, and a worker that cannot run hands checkpointing back to SQLite.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../src/core/logger.js';
import { WalCheckpointer } from '../../src/store/checkpointer.js';
import { openSqlite, type Database } from '../../src/store/sqlite.js';
import { captureLog } from '../helpers/log-capture.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hako-checkpoint-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

function freshDatabase(): { db: Database; file: string } {
  const file = path.join(root, `db-${++counter}.sqlite`);
  const db = openSqlite(file);
  db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return { db, file };
}

/** `commits` transactions of 20 rows of 1 KB each. */
function write(db: Database, commits: number, from = 0): void {
  const insert = db.prepare<[number, string]>('INSERT INTO rows (id, body) VALUES (?, ?)');
  const commit = db.transaction((first: number) => {
    for (let i = 0; i < 20; i++) insert.run(first + i, 'x'.repeat(1024));
  });
  for (let c = 0; c < commits; c++) commit(from + c * 20);
}

describe('WalCheckpointer', () => {
  it('turns off checkpoints on the main connection and runs them on the worker, into the database file', async () => {
    const { db, file } = freshDatabase();
    const checkpointer = new WalCheckpointer(db, silentLogger(), 60_000);
    try {
      assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0);
      write(db, 300); // ~6 MB: well past the 1,000 pages at which SQLite would have checkpointed by itself
      const before = fs.statSync(file).size;
      const report = await checkpointer.checkpointNow();
      assert.equal(report.busy, false);
      assert.ok(report.walFrames > 1000, `the WAL held every commit: ${report.walFrames} frames`);
      assert.equal(report.checkpointed, report.walFrames);
      assert.ok(fs.statSync(file).size > before + 5_000_000, 'the rows were copied into the database file');
    } finally {
      await checkpointer.stop();
      db.close();
    }
    const reopened = openSqlite(file);
    assert.equal(reopened.prepare('SELECT count(*) AS n FROM rows').pluck().get(), 6000);
    reopened.close();
  });

  it('the WAL starts over after a checkpoint has caught up, so it stays small while writes go on', async () => {
    const { db } = freshDatabase();
    const checkpointer = new WalCheckpointer(db, silentLogger(), 60_000);
    try {
      write(db, 100);
      const full = await checkpointer.checkpointNow();
      write(db, 1, 100 * 20);
      const restarted = await checkpointer.checkpointNow();
      assert.ok(restarted.walFrames < full.walFrames / 10, `${restarted.walFrames} frames after the restart, ${full.walFrames} before`);
      assert.equal(restarted.checkpointed, restarted.walFrames);
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });

  it('when the worker cannot open the database, logs it once and gives checkpointing back to SQLite', async () => {
    const { db, file } = freshDatabase();
    fs.renameSync(file, `${file}.moved`); // the main connection keeps its open file; the worker finds none
    const log = captureLog();
    const checkpointer = new WalCheckpointer(db, log.logger, 60_000);
    try {
      const line = await log.waitFor(/checkpoint worker stopped/);
      assert.match(String((line.err as { message?: string } | undefined)?.message), /unable to open|does not exist|directory/i);
      assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000);
      write(db, 1);
      assert.equal(log.matching(/checkpoint worker stopped/).length, 1);
    } finally {
      await checkpointer.stop();
      db.close();
    }
  });
});
