/**
 * @module test/streams/warehouse/postgres/loader.test — loads into a real PostgreSQL table (one server for
 * this file, `test/helpers/postgres.ts`): inferred and declared columns as the DuckDB warehouse makes them,
 * new columns in later batches, widening, records PostgreSQL refuses (values, constraints) rejected with
 * its message while the rest load, all-or-nothing transactions, concurrent loads into one table, and the
 * pool closed by `close`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../../../src/core/logger.js';
import { splitJsonRecords, type BeforeCommit, type LoadResult } from '../../../../src/streams/warehouse/index.js';
import { PostgresTable } from '../../../../src/streams/warehouse/postgres/table.js';
import { postgresColumns } from '../../../../src/streams/warehouse/postgres/types.js';
import { parseColumns } from '../../../../src/streams/warehouse/schema.js';
import { postgresForFile } from '../../../helpers/postgres.js';

const DATABASE = 'loads';
const server = postgresForFile(async (started) => {
  await started.query(`CREATE ROLE loader LOGIN PASSWORD 'loader-pw'`);
  await started.query(`CREATE DATABASE ${DATABASE} OWNER loader`);
});

/** A table (in `public` unless `schema.table`) loaded as `loader`, with `columns` declared as DataTableColumns would. */
function tableOf(name: string, columns?: string): PostgresTable {
  const [schema, table] = name.includes('.') ? name.split('.') : ['public', name];
  return new PostgresTable({
    address: { host: '127.0.0.1', port: server().port, database: DATABASE },
    user: 'loader',
    password: 'loader-pw',
    target: { table: { schema: schema as string, table: table as string }, declared: columns === undefined ? undefined : postgresColumns(parseColumns(columns)) },
    logger: silentLogger(),
  });
}

async function load(table: PostgresTable, records: readonly string[], beforeCommit: BeforeCommit = async () => undefined): Promise<LoadResult> {
  return table.load(splitJsonRecords(records.map((record) => Buffer.from(record))), beforeCommit);
}

function rows(sql: string): Promise<Array<Record<string, unknown>>> {
  return server().query(sql, [], DATABASE);
}

async function columnsOf(table: string): Promise<string[]> {
  const found = await rows(`SELECT attname || ' ' || format_type(atttypid, atttypmod) AS c FROM pg_attribute WHERE attrelid = to_regclass('${table}') AND attnum > 0 AND NOT attisdropped ORDER BY attnum`);
  return found.map((row) => String(row.c));
}

async function tableExists(table: string): Promise<boolean> {
  return (await rows(`SELECT to_regclass('${table}') IS NOT NULL AS found`))[0]?.found === true;
}

test('PostgreSQL load: inferred columns typed as in DuckDB; new keys add columns; fractions widen bigint', async (t) => {
  const table = tableOf('inferred');
  t.after(() => table.close());
  const first = await load(table, [
    '{"id":1,"temp":21.5,"on":true,"name":"a","tags":["x"],"pos":{"x":1},"mixed":1}\n',
    '{"id":2,"temp":22,"on":false,"name":"b","tags":[],"pos":{"x":2},"mixed":"one","later":null}\n',
  ]);
  assert.deepEqual(first, { rows: 2, rejected: [], added: ['id', 'temp', 'on', 'name', 'tags', 'pos', 'mixed'] });
  assert.deepEqual(await columnsOf('inferred'), ['id bigint', 'temp double precision', 'on boolean', 'name text', 'tags jsonb', 'pos jsonb', 'mixed jsonb']);
  const second = await load(table, ['{"id":3,"later":"now","level":7}', '{"id":4.5}']);
  assert.deepEqual(second, { rows: 2, rejected: [], added: ['later', 'level'] });
  assert.deepEqual(await columnsOf('inferred'), ['id double precision', 'temp double precision', 'on boolean', 'name text', 'tags jsonb', 'pos jsonb', 'mixed jsonb', 'later text', 'level bigint']);
  assert.deepEqual(await rows('SELECT id, temp, "on", name, tags, pos, mixed, later, level FROM inferred ORDER BY id'), [
    { id: 1, temp: 21.5, on: true, name: 'a', tags: ['x'], pos: { x: 1 }, mixed: 1, later: null, level: null },
    { id: 2, temp: 22, on: false, name: 'b', tags: [], pos: { x: 2 }, mixed: 'one', later: null, level: null },
    { id: 3, temp: null, on: null, name: null, tags: null, pos: null, mixed: null, later: 'now', level: '7' },
    { id: 4.5, temp: null, on: null, name: null, tags: null, pos: null, mixed: null, later: null, level: null },
  ]);
});

test('PostgreSQL load: declared columns with PostgreSQL types; undeclared keys ignored; refused values reject only their records', async (t) => {
  const table = tableOf('analytics.readings', 'id INTEGER, at TIMESTAMPTZ, amount DECIMAL(10,2), code VARCHAR(3), note');
  t.after(() => table.close());
  const result = await load(table, [
    '{"id":1,"at":"2024-05-06T07:08:09Z","amount":"12.345","code":"abc","note":"first","extra":"dropped"}',
    '{"id":2.5}',
    '{"id":3,"code":"toolong"}',
    '{"id":4,"at":"not a time"}',
    '{"id":5,"note":"fifth"}',
    'not json',
    '{"id":6,"note":"nul \\u0000 here"}',
  ]);
  assert.deepEqual(result.rows, 2);
  assert.deepEqual(result.rejected, [
    { record: 1, reason: 'PostgreSQL refused the record: invalid input syntax for type integer: "2.5"' },
    { record: 2, reason: 'PostgreSQL refused the record: value too long for type character varying(3)' },
    { record: 3, reason: 'PostgreSQL refused the record: invalid input syntax for type timestamp with time zone: "not a time"' },
    { record: 5, reason: 'expected a JSON object at byte 0 of the record, found "n"' },
    { record: 6, reason: 'PostgreSQL text cannot hold the character U+0000 (\\u0000)' },
  ]);
  assert.deepEqual(await columnsOf('analytics.readings'), ['id integer', 'at timestamp with time zone', 'amount numeric(10,2)', 'code character varying(3)', 'note text']);
  assert.deepEqual(await rows("SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS at, amount, code, note FROM analytics.readings ORDER BY id"), [
    { id: 1, at: '2024-05-06 07:08:09', amount: '12.35', code: 'abc', note: 'first' },
    { id: 5, at: null, amount: null, code: null, note: 'fifth' },
  ]);
});

test('PostgreSQL load: the table\'s own constraints refuse records one by one (PRIMARY KEY, NOT NULL, CHECK); the rest load', async (t) => {
  await rows("CREATE TABLE keyed (id bigint PRIMARY KEY, v text NOT NULL CHECK (v <> 'bad'))");
  await rows('ALTER TABLE keyed OWNER TO loader');
  const table = tableOf('keyed');
  t.after(() => table.close());
  await load(table, ['{"id":1,"v":"a"}']);
  const result = await load(table, ['{"id":2,"v":"b"}', '{"id":1,"v":"again"}', '{"id":3}', '{"id":4,"v":"bad"}', '{"id":5,"v":"e"}\n{"id":5,"v":"twice"}', '{"id":6,"v":"f"}']);
  assert.deepEqual(result.rows, 2);
  assert.deepEqual(result.rejected.map((r) => [r.record, r.reason]), [
    [1, 'PostgreSQL refused the record: duplicate key value violates unique constraint "keyed_pkey" (Key (id)=(1) already exists.)'],
    [2, 'PostgreSQL refused the record: null value in column "v" of relation "keyed" violates not-null constraint (Failing row contains (3, null).)'],
    [3, 'PostgreSQL refused the record: new row for relation "keyed" violates check constraint "keyed_v_check" (Failing row contains (4, bad).)'],
    [4, 'PostgreSQL refused the record: duplicate key value violates unique constraint "keyed_pkey" (Key (id)=(5) already exists.)'],
  ]);
  assert.deepEqual(await rows('SELECT id, v FROM keyed ORDER BY id'), [
    { id: '1', v: 'a' },
    { id: '2', v: 'b' },
    { id: '6', v: 'f' },
  ]);
});

test('PostgreSQL load: a failure before the commit leaves no row, table or column behind', async (t) => {
  const table = tableOf('atomic');
  t.after(() => table.close());
  const unwritable = async (): Promise<void> => Promise.reject(new Error('error output unwritable'));
  await assert.rejects(load(table, ['{"id":1}'], unwritable), /^Error: error output unwritable$/);
  assert.equal(await tableExists('atomic'), false);
  await load(table, ['{"id":1}']);
  await assert.rejects(load(table, ['{"id":2,"more":true}'], unwritable), /error output unwritable/);
  assert.deepEqual(await columnsOf('atomic'), ['id bigint'], 'the new column went with the failed load');
  await load(table, ['{"id":3}']);
  assert.deepEqual(await rows('SELECT id FROM atomic ORDER BY id'), [{ id: '1' }, { id: '3' }]);
});

test('PostgreSQL load: concurrent loads into one table from several streams take turns, new columns included', async (t) => {
  const tables = Array.from({ length: 4 }, () => tableOf('shared'));
  t.after(() => Promise.all(tables.map((table) => table.close())));
  await Promise.all(tables.map((table, b) => load(table, Array.from({ length: 100 }, (_, i) => `{"b":${b},"i":${i},"k${b}":true}`))));
  assert.deepEqual(await rows('SELECT count(*)::int AS n, count(DISTINCT (b, i))::int AS d FROM shared'), [{ n: 400, d: 400 }]);
  assert.equal((await columnsOf('shared')).length, 6);
});

test('PostgreSQL load: keys that cannot be columns reject their records; close ends the pool\'s connections', async () => {
  const table = tableOf('named');
  await load(table, ['{"Temp":1}']);
  const result = await load(table, ['{"temp":2}', '{"Temp":3}', `{"${'k'.repeat(64)}":4}`]);
  assert.deepEqual(result.rejected, [
    { record: 0, reason: "key 'temp' differs only in case from column Temp of public.named (column names are case-insensitive)" },
    { record: 2, reason: `key '${'k'.repeat(40)}…' is longer than 63 bytes, PostgreSQL's limit for column names` },
  ]);
  assert.deepEqual(await rows('SELECT "Temp" FROM named ORDER BY "Temp"'), [{ Temp: '1' }, { Temp: '3' }]);
  const connected = async (): Promise<number> => Number((await server().query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'hako' AND usename = 'loader' AND datname = $1", [DATABASE]))[0]?.n);
  assert.ok((await connected()) >= 1, 'the pool keeps its connection between loads');
  await table.close();
  assert.equal(await connected(), 0);
  await assert.rejects(load(table, ['{"x":1}']), /is closed/);
});
