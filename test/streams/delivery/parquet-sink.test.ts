/**
 * @module test/streams/delivery/parquet-sink.test — the Parquet folder beyond what the end-to-end tests
 * show: its objects appear whole or not at all (a conversion DuckDB refuses rejects the batch and leaves
 * neither an object nor a temporary file; rows DuckDB refuses as sent are spelt again and copied once more),
 * error output batches stay plain JSON lines, an unwritable
 * bucket rejects the batch and the retry lands once, and DuckDB opens only when a batch is converted.
 * (The byte-for-byte Sink contract does not apply: a Parquet object is not its records concatenated.)
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { destinationPrefixes } from '../../../src/streams/delivery/prefix.js';
import { LazyDuckDb } from '../../../src/streams/sinks/duckdb.js';
import { FolderSink } from '../../../src/streams/sinks/folder.js';
import { ParquetSink } from '../../../src/streams/sinks/parquet.js';
import type { DeliveryBatch } from '../../../src/streams/sinks/sink.js';
import { readParquet } from './feature-helpers.js';
import { readObjects } from './helpers.js';

const roots: string[] = [];
const duckdbs: LazyDuckDb[] = [];
after(async () => {
  for (const duckdb of duckdbs) await duckdb.close();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function setup(columns?: Array<readonly [string, string]>): { root: string; sink: ParquetSink; duckdb: LazyDuckDb } {
  const root = mkdtempSync(path.join(tmpdir(), 'hako-parquet-'));
  roots.push(root);
  const duckdb = new LazyDuckDb();
  duckdbs.push(duckdb);
  const base = { root, bucket: 'lake', compression: 'UNCOMPRESSED' as const, prefixes: destinationPrefixes('data/', 'errors/!{firehose:error-output-type}/') };
  const sink = new ParquetSink({ data: new FolderSink({ ...base, fileExtension: '.parquet' }), errors: new FolderSink(base), duckdb, compression: 'SNAPPY', columns: async () => columns });
  return { root, sink, duckdb };
}
const batch = (rows: string[], extra: Partial<DeliveryBatch> = {}): DeliveryBatch => ({ stream: 's', version: 1, oldestArrivalMs: Date.UTC(2024, 0, 2, 3), records: rows.map((row) => Buffer.from(`${row}\n`)), ...extra });
const temporaries = (root: string): string[] => readdirSync(path.join(root, '.hako-tmp'));

describe('Parquet sink', () => {
  it('DuckDB opens with the first converted batch, not before; the object reads back', async () => {
    const { root, sink, duckdb } = setup();
    assert.equal(duckdb.opened, false);
    await sink.deliver(batch(['{"errorCode":"x"}'], { errorOutputType: 'format-conversion-failed' }));
    assert.equal(duckdb.opened, false, 'error output needs no DuckDB');
    const receipt = await sink.deliver(batch(['{"a":1}', '{"a":2}']));
    assert.equal(duckdb.opened, true);
    assert.match(receipt.locations[0] ?? '', /^data\/2024\/01\/02\/03\/s-1-2024-01-02-03-00-00-[0-9a-f-]{36}\.parquet$/);
    assert.deepEqual((await readParquet(path.join(root, 'lake', receipt.locations[0] ?? ''))).rows, [{ a: '1' }, { a: '2' }]);
    const errors = readObjects(path.join(root, 'lake', 'errors'));
    assert.deepEqual(errors.map((o) => o.body.toString()), ['{"errorCode":"x"}\n']);
    assert.deepEqual(temporaries(root), []);
  });

  it('a conversion DuckDB refuses rejects the batch: no object, no temporary file', async () => {
    const { root, sink } = setup([['a', 'BIGINT']]);
    await assert.rejects(sink.deliver(batch(['{"a":"not a number"}'])));
    assert.deepEqual(readObjects(path.join(root, 'lake')), []);
    assert.deepEqual(temporaries(root), []);
  });

  it('rows DuckDB refuses as they were sent (a key given twice, bytes that are not UTF-8) are spelt again by JavaScript: the batch lands', async () => {
    const { root, sink } = setup();
    const receipt = await sink.deliver(batch(['{"a":1,"a":2}', '{"a":3}']));
    assert.deepEqual((await readParquet(path.join(root, 'lake', receipt.locations[0] ?? ''))).rows, [{ a: '2' }, { a: '3' }]);
    const notUtf8 = Buffer.concat([Buffer.from('{"s":"'), Buffer.from([0xff]), Buffer.from('"}\n')]);
    const second = await sink.deliver({ ...batch([]), records: [notUtf8] });
    assert.deepEqual((await readParquet(path.join(root, 'lake', second.locations[0] ?? ''))).rows, [{ s: '\ufffd' }], 'as JSON.parse read it');
    assert.deepEqual(temporaries(root), []);
  });

  it('an unwritable bucket rejects the batch and shows none of it; after repair the retry lands once', async () => {
    const { root, sink } = setup();
    const bucket = path.join(root, 'lake');
    mkdirSync(bucket, { recursive: true });
    renameSync(bucket, `${bucket}.aside`);
    writeFileSync(bucket, 'not a folder');
    const failing = batch(['{"a":1}']);
    await assert.rejects(sink.deliver(failing));
    assert.deepEqual(temporaries(root), []);
    rmSync(bucket);
    renameSync(`${bucket}.aside`, bucket);
    await sink.deliver(failing);
    assert.equal(readObjects(bucket).length, 1);
  });
});
