/**
 * @module test/streams/warehouse/warehouse-sink.test — the warehouse sink beyond the shared contract: a
 * load the table's own constraints refuse sends the whole batch to the error output (it would fail every
 * retry alike); an error output that cannot be written loads nothing, so the retry finds the batch whole;
 * closing the warehouse interrupts a running query and lets a queued load finish.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { destinationPrefixes } from '../../../src/streams/delivery/prefix.js';
import { FolderSink } from '../../../src/streams/sinks/folder.js';
import type { DeliveryBatch } from '../../../src/streams/sinks/sink.js';
import { WarehouseSink } from '../../../src/streams/sinks/warehouse.js';
import { runQuery, WarehouseClosedError, warehouseTable } from '../../../src/streams/warehouse/index.js';
import { readObjects } from '../delivery/helpers.js';
import { rows, target, testWarehouse, type TestWarehouse } from './helpers.js';

function sinkFor(w: TestWarehouse, columns?: string): WarehouseSink {
  const errors = new FolderSink({ root: w.bucketsRoot, bucket: 'errors', compression: 'UNCOMPRESSED', prefixes: destinationPrefixes(undefined, 'failed/!{firehose:error-output-type}/') });
  return new WarehouseSink({ table: warehouseTable(w.warehouse, target('events', columns)), errors, now: () => 1_000 });
}

const batch = (records: string[]): DeliveryBatch => ({ stream: 's', version: 1, oldestArrivalMs: 500, records: records.map((record) => Buffer.from(record)) });

function errorLines(w: TestWarehouse): Array<Record<string, unknown>> {
  return readObjects(path.join(w.bucketsRoot, 'errors')).flatMap((object) => object.body.toString('utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>));
}

test('WarehouseSink: a load the table refuses (its PRIMARY KEY) goes whole to the error output', async (t) => {
  const w = testWarehouse(t);
  await w.warehouse.write(async (connection) => void (await connection.run('CREATE TABLE events (id BIGINT PRIMARY KEY, note VARCHAR)')));
  const sink = sinkFor(w);
  await sink.deliver(batch(['{"id":1,"note":"a"}']));
  const receipt = await sink.deliver(batch(['{"id":2,"note":"b"}', '{"id":1,"note":"again"}']));
  assert.equal(receipt.bytes, 0);
  assert.deepEqual(await rows(w.warehouse, 'SELECT id, note FROM events ORDER BY id'), [{ id: '1', note: 'a' }]);
  const lines = errorLines(w);
  assert.deepEqual(lines.map((line) => Buffer.from(String(line.rawData), 'base64').toString('utf8')), ['{"id":2,"note":"b"}', '{"id":1,"note":"again"}']);
  assert.match(String(lines[0]?.errorMessage), /^the table refused the load: Constraint Error: .*[Dd]uplicate key/);
  assert.deepEqual([lines[0]?.errorCode, lines[0]?.arrivalTimestamp, lines[0]?.attemptEndingTimestamp], ['Redshift.DataLoadFailed', 500, 1_000]);
  assert.match(receipt.locations[1] ?? '', /^failed\/warehouse-failed\//);
});

test('WarehouseSink: when the error output cannot be written, nothing loads and the retry lands once', async (t) => {
  const w = testWarehouse(t);
  const sink = sinkFor(w);
  const failing = batch(['{"id":1}', 'not json', '{"id":2}']);
  // A file where the error bucket's folder should be: the error output cannot be written.
  const bucket = path.join(w.bucketsRoot, 'errors');
  mkdirSync(w.bucketsRoot, { recursive: true });
  writeFileSync(bucket, 'not a folder');
  await assert.rejects(sink.deliver(failing));
  assert.deepEqual(await rows(w.warehouse, "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'events'"), [{ n: '0' }], 'not even the table');
  rmSync(bucket);
  const receipt = await sink.deliver(failing);
  assert.equal(receipt.bytes, '{"id":1}'.length + '{"id":2}'.length);
  assert.deepEqual(await rows(w.warehouse, 'SELECT id FROM events ORDER BY id'), [{ id: '1' }, { id: '2' }]);
  assert.equal(errorLines(w).length, 1);
});

test('Warehouse.close interrupts a running query, finishes a queued load, then refuses more', async (t) => {
  const w = testWarehouse(t);
  const sink = sinkFor(w);
  await sink.deliver(batch(['{"id":0}']));
  const running = assert.rejects(runQuery(w.warehouse, 'SELECT sum(hash(i)) FROM range(100000000000000) t(i)', { maxRows: 1, timeoutMs: 120_000 }), WarehouseClosedError);
  const loading = sink.deliver(batch(['{"id":1}']));
  // Whether the query is already running or still connecting, close() stops it rather than waiting 120 s.
  await w.warehouse.close();
  await running;
  await loading;
  assert.equal(w.warehouse.isOpen, true);
  await assert.rejects(sink.deliver(batch(['{"id":2}'])), WarehouseClosedError);
  await assert.rejects(runQuery(w.warehouse, 'SELECT 1'), WarehouseClosedError);
});
