/**
 * @module test/streams/warehouse/query.test — read-only queries: lossless values, statements that would
 * write refused before they run, bad SQL, the row limit, the time limit, and file reads confined to the
 * buckets folder (NDJSON and Parquet objects, relative and absolute paths).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { QueryError, runQuery, type QueryResult } from '../../../src/streams/warehouse/index.js';
import { sandboxSettings } from '../../../src/streams/warehouse/warehouse.js';
import { load, rows, target, testWarehouse } from './helpers.js';

async function fails(query: Promise<QueryResult>, kind: QueryError['kind'], message: RegExp): Promise<void> {
  await assert.rejects(query, (error: unknown) => {
    assert.ok(error instanceof QueryError, String(error));
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, message);
    return true;
  });
}

test('runQuery: columns with DuckDB types, values as lossless JSON', async (t) => {
  const { warehouse } = testWarehouse(t);
  const result = await runQuery(warehouse, "SELECT 9007199254740993::BIGINT AS b, 12.50::DECIMAL(10,2) AS d, TIMESTAMP '2024-05-06 07:08:09.123456' AS ts, 1.5 AS x, NULL AS n, 'é' AS s, [1, 2] AS l, {'a': 1} AS st, true AS ok");
  assert.deepEqual(result.columns.map((column) => `${column.name} ${column.type}`), ['b BIGINT', 'd DECIMAL(10,2)', 'ts TIMESTAMP', 'x DECIMAL(2,1)', 'n INTEGER', 's VARCHAR', 'l INTEGER[]', 'st STRUCT("a" INTEGER)', 'ok BOOLEAN']);
  assert.deepEqual(result.rows, [['9007199254740993', '12.50', '2024-05-06 07:08:09.123456', '1.5', null, 'é', [1, 2], { a: 1 }, true]]);
  assert.equal(result.truncated, false);
});

test('runQuery: statements that would write are refused before they run; the table is unchanged', async (t) => {
  const { warehouse, dataDir } = testWarehouse(t);
  await load(warehouse, target(), ['{"id":1}']);
  const refused: Array<[string, RegExp]> = [
    ['INSERT INTO events VALUES (2)', /this is an INSERT statement/],
    ['UPDATE events SET id = 3', /UPDATE/],
    ['DELETE FROM events', /DELETE/],
    ['CREATE TABLE other (x INT)', /CREATE/],
    ['DROP TABLE events', /DROP/],
    [`COPY events TO '${path.join(dataDir, 'buckets', 'out.csv')}'`, /COPY/],
    [`ATTACH '${path.join(dataDir, 'other.duckdb')}' AS other`, /ATTACH/],
    ['SET enable_external_access = true', /SET/],
    ['CHECKPOINT', /CALL/],
    ['INSTALL httpfs', /LOAD\/INSTALL/],
    ['BEGIN TRANSACTION', /TRANSACTION/],
  ];
  for (const [sql, message] of refused) await fails(runQuery(warehouse, sql), 'refused', message);
  await fails(runQuery(warehouse, 'SELECT 1; DROP TABLE events'), 'invalid', /2 statements; send one at a time/);
  // EXPLAIN is allowed, and ANALYZE executes: the read-only transaction stops the write anyway.
  await fails(runQuery(warehouse, 'EXPLAIN ANALYZE INSERT INTO events VALUES (4)'), 'invalid', /read-only/);
  assert.deepEqual(await rows(warehouse, 'SELECT id FROM events'), [{ id: '1' }]);
  assert.equal((await runQuery(warehouse, 'DESCRIBE events')).rows.length, 1, 'DESCRIBE, SHOW and friends are queries');
});

test("runQuery: bad SQL is refused with DuckDB's message; the warehouse keeps answering", async (t) => {
  const { warehouse } = testWarehouse(t);
  await fails(runQuery(warehouse, 'SELEC 1'), 'invalid', /^Parser Error: syntax error at or near "SELEC"/);
  await fails(runQuery(warehouse, 'SELECT * FROM missing'), 'invalid', /^Catalog Error: Table with name missing does not exist/);
  await fails(runQuery(warehouse, "SELECT 'x'::INTEGER"), 'invalid', /^Conversion Error/);
  for (const empty of ['  ', ';', '-- only a comment']) await fails(runQuery(warehouse, empty), 'invalid', /no SQL statement/);
  assert.deepEqual((await runQuery(warehouse, 'SELECT 42 AS answer')).rows, [[42]]);
});

test('runQuery: maxRows keeps the first rows and flags the rest as truncated', async (t) => {
  const { warehouse } = testWarehouse(t);
  const cut = await runQuery(warehouse, 'SELECT range AS i FROM range(5000) ORDER BY i', { maxRows: 10, timeoutMs: 10_000 });
  assert.deepEqual(cut.rows.map((row) => row[0]), Array.from({ length: 10 }, (_, i) => String(i)));
  assert.equal(cut.truncated, true);
  const whole = await runQuery(warehouse, 'SELECT range AS i FROM range(5000)', { maxRows: 5000, timeoutMs: 10_000 });
  assert.equal(whole.rows.length, 5000);
  assert.equal(whole.truncated, false);
});

test('runQuery: a query past its time limit is interrupted, and the next one runs', async (t) => {
  const { warehouse } = testWarehouse(t);
  await fails(runQuery(warehouse, 'SELECT sum(hash(i)) FROM range(100000000000000) t(i)', { maxRows: 10, timeoutMs: 200 }), 'timeout', /time limit of 0.2 s/);
  assert.deepEqual((await runQuery(warehouse, 'SELECT 1 AS one')).rows, [[1]]);
});

test('runQuery: reads NDJSON and Parquet objects under the buckets folder, and nothing outside it', async (t) => {
  const { warehouse, bucketsRoot, dataDir } = testWarehouse(t);
  const folder = path.join(bucketsRoot, 'b', '2026', '05');
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'one.json'), '{"n":1,"s":"a"}\n{"n":2,"s":"b"}\n');
  writeFileSync(path.join(dataDir, 'secret.txt'), 'not for queries');
  // Parquet written by a DuckDB of the test's own (the warehouse's cannot write files).
  const writer = await DuckDBInstance.create(':memory:');
  const connection = await writer.connect();
  await connection.run(`COPY (SELECT range AS n FROM range(3)) TO '${path.join(folder, 'two.parquet')}' (FORMAT parquet)`);
  connection.closeSync();
  writer.closeSync();

  assert.deepEqual((await runQuery(warehouse, "SELECT n, s FROM read_json('buckets/b/2026/**/*.json') ORDER BY n")).rows, [['1', 'a'], ['2', 'b']]);
  assert.deepEqual((await runQuery(warehouse, "SELECT sum(n) AS total FROM read_parquet('buckets/b/2026/**/*.parquet')")).rows, [['3']]);
  assert.deepEqual((await runQuery(warehouse, `SELECT count(*) AS n FROM read_parquet('${path.join(folder, 'two.parquet')}')`)).rows, [['3']]);
  // (DuckDB lets a database read its own file, which holds nothing a query could not select anyway.)
  for (const outside of ['buckets/../secret.txt', path.join(dataDir, 'secret.txt'), path.join(bucketsRoot, '..', 'secret.txt'), '/etc/hostname']) {
    await fails(runQuery(warehouse, `SELECT * FROM read_text('${outside}')`), 'invalid', /Permission Error/);
  }
  await fails(runQuery(warehouse, "SELECT * FROM glob('/*')"), 'invalid', /Permission Error/);
});

test('sandboxSettings: relative bucket paths only when the working directory has no other buckets folder', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hako-sandbox-'));
  try {
    const root = path.join(dir, 'data', 'buckets');
    assert.match(sandboxSettings(root, dir).join('\n'), /allowed_directories = \['[^']*buckets\/', 'buckets\/'\]/);
    mkdirSync(path.join(dir, 'buckets'));
    assert.match(sandboxSettings(root, dir).join('\n'), /allowed_directories = \['[^']*buckets\/'\]/);
    assert.match(sandboxSettings(root, path.join(dir, 'data')).join('\n'), /'buckets\/'\]/, 'the data directory as working directory is the same folder');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
