/**
 * @module test/streams/warehouse/loader.test — loads into the warehouse: inferred and declared columns, new
 * columns in later batches, records that do not load (and only those), all-or-nothing transactions, what
 * concurrent readers see, serialised writers, and lossless values.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnsOf, load, rows, tableExists, target, testWarehouse } from './helpers.js';

test('loadDocuments: inferred columns, in order of first appearance, typed from the first batch', async (t) => {
  const { warehouse } = testWarehouse(t);
  const result = await load(warehouse, target(), [
    '{"id":1,"temp":21.5,"on":true,"name":"a","tags":["x"],"pos":{"x":1},"mixed":1}\n',
    '{"id":2,"temp":22,"on":false,"name":"b","tags":[],"pos":{"x":2},"mixed":"one","later":null}\n',
  ]);
  assert.deepEqual(result, { rows: 2, rejected: [], added: ['id', 'temp', 'on', 'name', 'tags', 'pos', 'mixed'] });
  // integers → BIGINT, with fractions → DOUBLE, objects/arrays/mixes → JSON; a key only ever null makes no column.
  assert.deepEqual(await columnsOf(warehouse), ['id BIGINT', 'temp DOUBLE', 'on BOOLEAN', 'name VARCHAR', 'tags JSON', 'pos JSON', 'mixed JSON']);
  assert.deepEqual(await rows(warehouse, 'SELECT id, temp, "on", name, tags, pos->>\'x\' AS x, mixed FROM events ORDER BY id'), [
    { id: '1', temp: 21.5, on: true, name: 'a', tags: '["x"]', x: '1', mixed: '1' },
    { id: '2', temp: 22, on: false, name: 'b', tags: '[]', x: '2', mixed: '"one"' },
  ]);
});

test('loadDocuments: a later batch with new keys adds columns; earlier rows read NULL there', async (t) => {
  const { warehouse } = testWarehouse(t);
  await load(warehouse, target(), ['{"id":1}', '{"id":2,"note":null}']);
  const result = await load(warehouse, target(), ['{"id":3,"note":"hi","level":7}']);
  assert.deepEqual(result.added, ['note', 'level']);
  assert.deepEqual(await columnsOf(warehouse), ['id BIGINT', 'note VARCHAR', 'level BIGINT']);
  assert.deepEqual(await rows(warehouse, 'SELECT * FROM events ORDER BY id'), [
    { id: '1', note: null, level: null },
    { id: '2', note: null, level: null },
    { id: '3', note: 'hi', level: '7' },
  ]);
});

test('loadDocuments: a value that does not fit its existing column rejects its record; the rest load', async (t) => {
  const { warehouse } = testWarehouse(t);
  await load(warehouse, target(), ['{"id":1,"temp":20.5}']);
  const result = await load(warehouse, target(), ['{"id":2,"temp":"warm"}', '{"id":3,"temp":19}', '{"id":"four"}']);
  assert.deepEqual(result.rejected, [
    { record: 0, reason: "key 'temp': the value warm does not fit column temp (DOUBLE)" },
    { record: 2, reason: "key 'id': the value four does not fit column id (BIGINT)" },
  ]);
  assert.deepEqual(await rows(warehouse, 'SELECT id, temp FROM events ORDER BY id'), [
    { id: '1', temp: 20.5 },
    { id: '3', temp: 19 },
  ]);
});

test('loadDocuments: integer columns take whole numbers only; an inferred BIGINT column widens to DOUBLE for fractions', async (t) => {
  const { warehouse } = testWarehouse(t);
  await load(warehouse, target(), ['{"id":1,"temp":21}']);
  const result = await load(warehouse, target(), ['{"id":2,"temp":21.7}', '{"id":"3","temp":"22"}', '{"id":4.5}']);
  assert.deepEqual(await columnsOf(warehouse), ['id DOUBLE', 'temp DOUBLE'], 'both met fractions');
  assert.deepEqual(result.rejected, []);
  assert.deepEqual(await rows(warehouse, 'SELECT id, temp FROM events ORDER BY id'), [
    { id: 1, temp: 21 },
    { id: 2, temp: 21.7 },
    { id: 3, temp: 22 },
    { id: 4.5, temp: null },
  ]);
  // Declared integer columns are not widened: the record is rejected rather than rounded.
  const declared = await load(warehouse, target('counts', 'n INTEGER'), ['{"n":7}', '{"n":7.5}', '{"n":"8"}', '{"n":1e3}']);
  assert.deepEqual(declared.rejected.map((r) => [r.record, r.reason.replace(/value .* does/, 'value … does')]), [
    [1, "key 'n': the value … does not fit column n (INTEGER)"],
    [3, "key 'n': the value … does not fit column n (INTEGER)"],
  ]);
  assert.deepEqual(await rows(warehouse, 'SELECT n FROM counts ORDER BY n'), [{ n: 7 }, { n: 8 }]);
});

test('loadDocuments: declared columns with types; undeclared keys ignored; an untyped column inferred', async (t) => {
  const { warehouse } = testWarehouse(t);
  const declared = target('readings', 'id BIGINT, at TIMESTAMP, amount DECIMAL(10,2), note');
  const result = await load(warehouse, declared, [
    '{"id":1,"at":"2024-05-06T07:08:09Z","amount":"12.34","note":"first","extra":"dropped"}',
    '{"id":2,"at":"2024-05-06 07:08:10.5","amount":5,"note":"second"}',
    '{"id":3,"at":"not a time"}',
  ]);
  assert.deepEqual(result.rejected, [{ record: 2, reason: "key 'at': the value not a time does not fit column at (TIMESTAMP)" }]);
  assert.deepEqual(await columnsOf(warehouse, 'readings'), ['id BIGINT', 'at TIMESTAMP', 'amount DECIMAL(10,2)', 'note VARCHAR']);
  assert.deepEqual(await rows(warehouse, 'SELECT * FROM readings ORDER BY id'), [
    { id: '1', at: '2024-05-06 07:08:09', amount: '12.34', note: 'first' },
    { id: '2', at: '2024-05-06 07:08:10.5', amount: '5.00', note: 'second' },
  ]);
  // A later declaration naming a column the table lacks adds it; the ones it has keep their types (a
  // number fits VARCHAR as its digits).
  await load(warehouse, target('readings', 'id, note, site'), ['{"id":4,"note":7,"site":"north"}']);
  assert.deepEqual(await columnsOf(warehouse, 'readings'), ['id BIGINT', 'at TIMESTAMP', 'amount DECIMAL(10,2)', 'note VARCHAR', 'site VARCHAR']);
  assert.deepEqual(await rows(warehouse, 'SELECT note, site FROM readings WHERE id = 4'), [{ note: '7', site: 'north' }]);
});

test('loadDocuments: records that are not JSON objects go whole to the rejections, with why', async (t) => {
  const { warehouse } = testWarehouse(t);
  const result = await load(warehouse, target(), [
    '{"n":1}\n{"n":2}\n', // two objects, one per line
    '{"n":3}{"n":4}', // concatenated
    '{"n":5}\n{"n":6,}x', // a good object, then junk: the whole record is rejected
    '{"n":7,"s":"a \\" } brace"}',
    '[{"n":8}]',
    '{"n": 9',
    '{"n":10 "m":1}',
    '   \n',
  ]);
  assert.deepEqual(
    result.rejected.map(({ record, reason }) => [record, reason.replace(/: .*/, '')]),
    [
      [2, 'expected a JSON object at byte 16 of the record, found "x"'],
      [4, 'expected a JSON object at byte 0 of the record, found "["'],
      [5, 'the JSON object starting at byte 0 of the record is not closed'],
      [6, 'not valid JSON'],
    ],
  );
  assert.deepEqual((await rows(warehouse, 'SELECT n, s FROM events ORDER BY rowid')).map((row) => [row.n, row.s]), [
    ['1', null],
    ['2', null],
    ['3', null],
    ['4', null],
    ['7', 'a " } brace'],
  ]);
});

test('loadDocuments: a failure before the commit leaves no row, no table and no column behind; the next load is clean', async (t) => {
  const { warehouse } = testWarehouse(t);
  await assert.rejects(load(warehouse, target(), ['{"id":1}'], async () => Promise.reject(new Error('error output unwritable'))), /error output unwritable/);
  assert.equal(await tableExists(warehouse), false);
  await load(warehouse, target(), ['{"id":1}']);
  await assert.rejects(load(warehouse, target(), ['{"id":2,"more":true}'], async () => Promise.reject(new Error('again'))), /again/);
  assert.deepEqual(await columnsOf(warehouse), ['id BIGINT'], 'the new column went with the failed load');
  assert.deepEqual(await rows(warehouse, 'SELECT * FROM events'), [{ id: '1' }]);
  await load(warehouse, target(), ['{"id":3}']);
  assert.deepEqual(await rows(warehouse, 'SELECT id FROM events ORDER BY id'), [{ id: '1' }, { id: '3' }], 'nothing left staged by the failed loads');
});

test('loadDocuments: a reader sees a load only once it commits', async (t) => {
  const { warehouse } = testWarehouse(t);
  await load(warehouse, target(), ['{"id":0}']);
  let release!: () => void;
  let reached!: () => void;
  const atCommit = new Promise<void>((resolve) => (reached = resolve));
  const loading = load(warehouse, target(), Array.from({ length: 1000 }, (_, i) => `{"id":${i + 1},"extra":1}`), async () => {
    reached();
    await new Promise<void>((resolve) => (release = resolve));
  });
  await atCommit; // every row is inserted in the open transaction
  assert.deepEqual(await rows(warehouse, 'SELECT count(*) AS n FROM events'), [{ n: '1' }]);
  assert.deepEqual(await columnsOf(warehouse), ['id BIGINT']);
  release();
  await loading;
  assert.deepEqual(await rows(warehouse, 'SELECT count(*) AS n, count(extra) AS e FROM events'), [{ n: '1001', e: '1000' }]);
});

test('loadDocuments: concurrent loads are serialised, new columns included', async (t) => {
  const { warehouse } = testWarehouse(t);
  await Promise.all(Array.from({ length: 10 }, (_, b) => load(warehouse, target(), Array.from({ length: 100 }, (_, i) => `{"b":${b},"i":${i},"k${b}":true}`))));
  assert.deepEqual(await rows(warehouse, 'SELECT count(*) AS n, count(DISTINCT (b, i)) AS d FROM events'), [{ n: '1000', d: '1000' }]);
  assert.equal((await columnsOf(warehouse)).length, 12);
});

test('loadDocuments: integers stay exact; keys that cannot be columns reject their records', async (t) => {
  const { warehouse } = testWarehouse(t);
  await load(warehouse, target('big', 'n BIGINT, h HUGEINT'), ['{"n":9007199254740993,"h":123456789012345678901234567890}']);
  assert.deepEqual(await rows(warehouse, 'SELECT * FROM big'), [{ n: '9007199254740993', h: '123456789012345678901234567890' }]);
  await load(warehouse, target(), ['{"Temp":1}']);
  const result = await load(warehouse, target(), ['{"temp":2}', '{"Temp":3}', '{"":4}']);
  assert.deepEqual(result.rejected, [
    { record: 0, reason: "key 'temp' differs only in case from column Temp of main.events (column names are case-insensitive)" },
    { record: 2, reason: 'the empty key cannot name a column' },
  ]);
  assert.deepEqual(await rows(warehouse, 'SELECT * FROM events ORDER BY rowid'), [{ Temp: '1' }, { Temp: '3' }]);
});

test('loadDocuments: a first batch with no non-null value creates nothing and rejects its records', async (t) => {
  const { warehouse } = testWarehouse(t);
  const result = await load(warehouse, target(), ['{}', '{"a":null}']);
  assert.equal(result.rejected.length, 2);
  assert.match(result.rejected[0]?.reason ?? '', /no column to create table main\.events with/);
  assert.equal(await tableExists(warehouse), false);
});
