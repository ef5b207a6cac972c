/** @module test/store/sqlite.test — openSqlite's connection settings and the migration mechanism. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { isHakoError } from '../../src/core/errors.js';
import { migrations as hakoMigrations, type Migration } from '../../src/store/migrations.js';
import { openSqlite } from '../../src/store/sqlite.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hako-sqlite-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshFile = (): string => path.join(root, `db-${++counter}.sqlite`);

// Plain CREATE TABLE (no IF NOT EXISTS), so running a migration twice fails loudly.
const one: Migration = { version: 1, name: 'things', sql: 'CREATE TABLE things (name TEXT PRIMARY KEY) STRICT;' };
const two: Migration = { version: 2, name: 'thing types', sql: 'CREATE TABLE thing_types (name TEXT PRIMARY KEY); ALTER TABLE things ADD COLUMN type TEXT;' };
const tables = (db: ReturnType<typeof openSqlite>): string[] =>
  db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();

describe('openSqlite', () => {
  it('sets WAL, synchronous=NORMAL, a busy timeout and foreign keys', () => {
    const db = openSqlite(freshFile());
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('synchronous', { simple: true }), 1);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.ok((db.pragma('busy_timeout', { simple: true }) as number) >= 1000);
    db.close();
  });

  it('creates hako\'s tables and records the schema version in user_version', () => {
    const db = openSqlite(freshFile());
    assert.equal(db.pragma('user_version', { simple: true }), hakoMigrations.length);
    for (const table of ['mqtt_sessions', 'mqtt_subscriptions', 'mqtt_outbound', 'mqtt_inbound', 'mqtt_retained']) {
      assert.ok(tables(db).includes(table), table);
    }
    db.close();
  });
});

describe('migrate', () => {
  it('runs each migration once: reopening leaves the schema and the data alone', () => {
    const file = freshFile();
    let db = openSqlite(file, [one]);
    db.prepare('INSERT INTO things VALUES (?)').run('lamp');
    db.close();
    db = openSqlite(file, [one]);
    assert.equal(db.pragma('user_version', { simple: true }), 1);
    assert.deepEqual(db.prepare('SELECT name FROM things').pluck().all(), ['lamp']);
    db.close();
  });

  it('applies only the migrations appended since the last open', () => {
    const file = freshFile();
    openSqlite(file, [one]).close();
    const db = openSqlite(file, [one, two]);
    assert.equal(db.pragma('user_version', { simple: true }), 2);
    assert.deepEqual(tables(db), ['thing_types', 'things']);
    db.close();
  });

  it('rolls back every pending migration when one fails, and names the one that failed', () => {
    const file = freshFile();
    const broken: Migration = { version: 3, name: 'broken', sql: 'CREATE TABLE ok (a); THIS IS NOT SQL;' };
    assert.throws(() => openSqlite(file, [one, two, broken]), /migration 3 \(broken\) failed/);
    const db = openSqlite(file, []);
    assert.equal(db.pragma('user_version', { simple: true }), 0);
    assert.deepEqual(tables(db), []);
    db.close();
  });

  it('refuses a database whose schema is newer than the migrations it knows', () => {
    const file = freshFile();
    openSqlite(file, [one, two]).close();
    assert.throws(() => openSqlite(file, [one]), (error) => isHakoError(error, 'DATA_DIR_UNUSABLE') && /schema version 2/.test(error.message));
  });

  it('refuses a migration list whose versions are not 1, 2, 3, … without gaps', () => {
    assert.throws(() => openSqlite(freshFile(), [one, { ...two, version: 3 }]), /expected 2/);
    assert.throws(() => openSqlite(freshFile(), [two]), /expected 1/);
  });
});
