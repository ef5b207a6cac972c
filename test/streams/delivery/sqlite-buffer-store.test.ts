/**
 * @module test/streams/delivery/sqlite-buffer-store.test — the upgrade from the SQLite delivery buffer:
 * `moveSqliteBufferRows` moves every row an older hako left in `delivery_buffer` into the segment files,
 * bytes intact, and deletes the rows; a move cut short by a crash is finished at the next start without
 * duplicating what it had already moved. (firehose-delivery.test.ts delivers such a row through a restart.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { silentLogger } from '../../../src/core/logger.js';
import type { BufferedChunk } from '../../../src/streams/delivery/buffer-store.js';
import { SegmentDeliveryBufferStore } from '../../../src/streams/delivery/segment-buffer-store.js';
import { moveSqliteBufferRows, SqliteDeliveryBufferStore } from '../../../src/streams/delivery/sqlite-buffer-store.js';
import { openSqlite, type Database } from '../../../src/store/sqlite.js';
import { chunk } from '../../contract/delivery-buffer-store.contract.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A data directory as an older hako left it: `chunks` as rows of delivery_buffer. */
async function olderDataDir(chunks: readonly BufferedChunk[]): Promise<{ db: Database; root: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hako-buffer-move-'));
  dirs.push(dir);
  const db = openSqlite(path.join(dir, 'hako.db'));
  const rows = new SqliteDeliveryBufferStore(db);
  await Promise.all(chunks.map((c) => rows.append(c)));
  await rows.close();
  return { db, root: path.join(dir, 'delivery-buffer') };
}

const plain = (c: BufferedChunk): object => ({ stream: c.stream, seq: c.seq, arrivalMs: c.arrivalMs, count: c.count, bytes: c.bytes, lengths: [...c.lengths], data: Buffer.from(c.data) });
const rowCount = (db: Database): number => (db.prepare('SELECT count(*) AS n FROM delivery_buffer').get() as { n: number }).n;

test('moveSqliteBufferRows: every row into the segment files, bytes intact, then the rows are gone', async () => {
  const chunks = [chunk('a', 3), chunk('a', 4, 500), chunk('..', 1), chunk('b', 9, 1)];
  const { db, root } = await olderDataDir(chunks);
  let store = SegmentDeliveryBufferStore.open(root);
  assert.equal(await moveSqliteBufferRows(db, store, silentLogger()), 4);
  assert.equal(rowCount(db), 0);
  await store.close();
  store = SegmentDeliveryBufferStore.open(root);
  assert.deepEqual((await store.load()).map((c) => `${c.stream}:${c.seq}`), ['..:1', 'a:3', 'a:4', 'b:9']);
  for (const stream of ['a', 'b', '..']) {
    assert.deepEqual((await store.read(stream, 0, 100)).map(plain), chunks.filter((c) => c.stream === stream).map(plain));
  }
  // Seqs go on above the moved ones, as startDelivery's counters do.
  await store.append(chunk('a', 5));
  assert.equal(await moveSqliteBufferRows(db, store, silentLogger()), 0, 'nothing left to move');
  await store.close();
  db.close();
});

test('moveSqliteBufferRows after a crash part-way: rows already moved are deleted, not moved twice', async () => {
  const chunks = [chunk('a', 1), chunk('a', 2), chunk('a', 3)];
  const { db, root } = await olderDataDir(chunks);
  // The crash: chunks 1 and 2 were written to the segment files, the rows not yet deleted.
  let store = SegmentDeliveryBufferStore.open(root);
  await store.append(chunks[0] as BufferedChunk);
  await store.append(chunks[1] as BufferedChunk);
  await store.close();
  store = SegmentDeliveryBufferStore.open(root);
  assert.equal(await moveSqliteBufferRows(db, store, silentLogger()), 1);
  assert.equal(rowCount(db), 0);
  assert.deepEqual((await store.read('a', 1, 3)).map(plain), chunks.map(plain));
  await store.close();
  db.close();
});
