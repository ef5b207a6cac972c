/**
 * @module test/streams/delivery/conversion.test — the record side of JSON → Parquet conversion,
 * table-driven: Hive column types (parsed, as DuckDB types, values checked and normalised by the OpenX and
 * Hive SerDes' rules), records split into their JSON objects, keys turned into columns by the
 * deserializer's options, the rows with and without declared columns, records that are their own row (as
 * sent) and those spelt again, the failures (ParseError, MalformedData), and table files read from the catalog
 * folder.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TableCatalog } from '../../../src/streams/delivery/catalog.js';
import { RecordConverter, respellRows, type Column } from '../../../src/streams/delivery/conversion.js';
import type { OpenXDeserializer } from '../../../src/streams/delivery/features.js';
import { duckdbTypeOf, normalizeValue, parseHiveType } from '../../../src/streams/delivery/hive-types.js';

const OPENX: OpenXDeserializer = { kind: 'OpenXJsonSerDe', caseInsensitive: true, convertDotsInJsonKeysToUnderscores: false, columnToJsonKeyMappings: {} };
const columns = (spec: Record<string, string>): Column[] => Object.entries(spec).map(([name, type]) => ({ name, type: parseHiveType(type) }));
const rowsOf = (converter: RecordConverter, text: string): unknown => {
  const result = converter.convert(Buffer.from(text));
  return 'rows' in result ? result.rows.toString().trim().split('\n').map((line) => JSON.parse(line) as unknown) : `${result.errorCode}: ${result.errorMessage}`;
};

describe('Hive column types', () => {
  const cases: Array<[string, string]> = [
    ['string', 'VARCHAR'], ['varchar(20)', 'VARCHAR'], ['CHAR(2)', 'VARCHAR'], ['tinyint', 'TINYINT'], ['smallint', 'SMALLINT'], ['int', 'INTEGER'], ['integer', 'INTEGER'],
    ['bigint', 'BIGINT'], ['float', 'FLOAT'], ['double', 'DOUBLE'], ['decimal', 'DECIMAL(10,0)'], ['decimal(12, 3)', 'DECIMAL(12,3)'], ['boolean', 'BOOLEAN'],
    ['timestamp', 'TIMESTAMP'], ['date', 'DATE'], ['array<string>', 'VARCHAR[]'], ['map<string,int>', 'MAP(VARCHAR, INTEGER)'],
    ['struct<a:int, b:array<struct<c:string>>>', 'STRUCT("a" INTEGER, "b" STRUCT("c" VARCHAR)[])'],
  ];
  for (const [hive, duck] of cases) it(`${hive} → ${duck}`, () => assert.equal(duckdbTypeOf(parseHiveType(hive)), duck));

  for (const bad of ['binary', 'uniontype<int,string>', 'array<int', 'decimal(40,2)', 'struct<>', 'int extra']) {
    it(`refuses '${bad}'`, () => assert.throws(() => parseHiveType(bad)));
  }
});

describe('Hive column values (OpenX lenient, Hive strict)', () => {
  const cases: Array<[string, unknown, boolean, unknown]> = [
    ['string', 'x', false, 'x'], ['string', 12, false, '12'], ['string', { a: 1 }, true, '{"a":1}'], ['string', { a: 1 }, false, Error],
    ['int', 5, false, 5], ['int', '5', true, 5], ['int', '5', false, Error], ['int', 5.5, true, Error], ['tinyint', 200, true, Error], ['bigint', -(2 ** 53), false, -(2 ** 53)],
    ['double', 1.5, false, 1.5], ['double', '2.5', true, 2.5], ['double', 'x', true, Error], ['decimal(5,2)', 3.14, false, 3.14],
    ['boolean', true, false, true], ['boolean', 'TRUE', true, true], ['boolean', 'yes', true, Error], ['boolean', 'true', false, Error],
    ['timestamp', '2017-02-07T15:13:01.39256Z', true, '2017-02-07 15:13:01.392560'], ['timestamp', '2017-2-7 15:13:01.14', true, '2017-02-07 15:13:01.140000'],
    ['timestamp', 1518033528, true, '2018-02-07 19:58:48.000000'], ['timestamp', 1518033528123, true, '2018-02-07 19:58:48.123000'], ['timestamp', 1518033528.5, true, '2018-02-07 19:58:48.500000'],
    ['timestamp', 'yesterday', true, Error], ['date', '2024-05-06', false, '2024-05-06'], ['date', 20240506, true, Error],
    ['array<int>', [1, '2'], true, [1, 2]], ['array<int>', 1, true, Error], ['map<string,int>', { a: 1 }, true, { a: 1 }],
    ['struct<a:int,b:string>', { A: 1, c: 'dropped' }, true, { a: 1, b: null }], ['int', null, false, null],
  ];
  for (const [type, value, lenient, expected] of cases) {
    it(`${type} ← ${JSON.stringify(value)} (${lenient ? 'OpenX' : 'Hive'})`, () => {
      if (expected === Error) assert.throws(() => normalizeValue(value, parseHiveType(type), lenient), /is not/);
      else assert.deepEqual(normalizeValue(value, parseHiveType(type), lenient), expected);
    });
  }
});

describe('record conversion: rows', () => {
  it('inferred schema: every key kept, lower-cased (OpenX CaseInsensitive, the default), one row per concatenated object', () => {
    assert.deepEqual(rowsOf(new RecordConverter(OPENX, undefined), '{"Id":1,"Name":"a"}  {"id":2,"nested":{"K":1}}\n'), [{ id: 1, name: 'a' }, { id: 2, nested: { K: 1 } }]);
  });

  it('OpenX options: ColumnToJsonKeyMappings, ConvertDotsInJsonKeysToUnderscores, CaseInsensitive false', () => {
    const converter = new RecordConverter({ ...OPENX, caseInsensitive: false, convertDotsInJsonKeysToUnderscores: true, columnToJsonKeyMappings: { ts: 'event time' } }, undefined);
    assert.deepEqual(rowsOf(converter, '{"a.b":1,"event time":5,"Up":true}'), [{ a_b: 1, ts: 5, Up: true }]);
  });

  it('declared columns: exactly those columns, values normalised, keys without a column dropped, missing ones null', () => {
    const converter = new RecordConverter(OPENX, columns({ id: 'bigint', amount: 'double', at: 'timestamp', tags: 'array<string>' }));
    assert.deepEqual(rowsOf(converter, '{"ID":"7","amount":1.5,"at":1518033528,"extra":"x"}'), [{ id: 7, amount: 1.5, at: '2018-02-07 19:58:48.000000', tags: null }]);
  });

  it('a record that is one object on one line, every key its column, is its own row: the same bytes, not a copy', () => {
    const converter = new RecordConverter(OPENX, undefined);
    for (const text of ['{"n":1,"room":"r1","t":21.0}\n', '{"n":1}\r\n', ' { "n" : 1e2 } \n']) {
      const data = Buffer.from(text);
      const result = converter.convert(data);
      assert.ok('rows' in result && result.rows === data, JSON.stringify(text));
    }
    const unterminated = converter.convert(Buffer.from('{"n":1}'));
    assert.equal('rows' in unterminated && unterminated.rows.toString(), '{"n":1}\n', 'a newline added where the record has none');
  });

  it('other records are spelt again: keys to rename, line breaks inside, several objects, declared columns', () => {
    const spelt = (converter: RecordConverter, text: string): string | undefined => {
      const result = converter.convert(Buffer.from(text));
      return 'rows' in result ? result.rows.toString() : undefined;
    };
    const inferred = new RecordConverter(OPENX, undefined);
    assert.equal(spelt(inferred, '{"N":1.0}\n'), '{"n":1}\n');
    assert.equal(spelt(inferred, '{\n  "n": 1\n}\n'), '{"n":1}\n');
    assert.equal(spelt(inferred, '{"n":1}\r{"n":2}'), '{"n":1}\n{"n":2}\n');
    assert.equal(spelt(new RecordConverter(OPENX, columns({ n: 'double' })), '{"n":1}\n'), '{"n":1}\n');
    assert.equal(spelt(new RecordConverter({ ...OPENX, convertDotsInJsonKeysToUnderscores: true }, undefined), '{"a.b":1}'), '{"a_b":1}\n');
  });

  it('respellRows: each line as JavaScript writes it (a key given twice keeps its last value)', () => {
    assert.equal(respellRows(Buffer.from('{"a":1,"a":2}\n{ "b" : 1.50 }\r\n\n')).toString(), '{"a":2}\n{"b":1.5}\n');
  });

  it('a "__proto__" key is just a column', () => {
    assert.deepEqual(rowsOf(new RecordConverter(OPENX, undefined), '{"__proto__":{"polluted":1}}'), [JSON.parse('{"__proto__":{"polluted":1}}')]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  const failures: Array<[string, string, Column[] | undefined, RegExp]> = [
    ['not JSON', 'hello', undefined, /^DataFormatConversion\.ParseError: expected a JSON object at offset 0/],
    ['an array', '[{"a":1}]', undefined, /^DataFormatConversion\.ParseError/],
    ['a broken second object', '{"a":1}{"a":', undefined, /^DataFormatConversion\.ParseError: the object at offset 7 is not valid JSON/],
    ['an empty record', '  \n', undefined, /^DataFormatConversion\.ParseError: the record holds no JSON object/],
    ['a value the column cannot hold', '{"id":"seven"}', columns({ id: 'bigint' }), /^DataFormatConversion\.MalformedData: column 'id': "seven" is not a bigint/],
    ['a string for a number with the Hive SerDe', '{"id":"7"}', columns({ id: 'int' }), /^DataFormatConversion\.MalformedData/],
  ];
  for (const [what, text, declared, expected] of failures) {
    it(`fails: ${what}`, () => {
      const converter = new RecordConverter(what.includes('Hive') ? { kind: 'HiveJsonSerDe' } : OPENX, declared);
      assert.match(String(rowsOf(converter, text)), expected);
    });
  }
});

describe('the catalog folder (the Glue stand-in)', () => {
  it('reads a table file in any of Glue\'s shapes, lower-cases names, re-reads it when it changes; no file means infer', async (t) => {
    const root = mkdtempSync(path.join(tmpdir(), 'hako-catalog-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const catalog = new TableCatalog(root);
    assert.equal(await catalog.columnsOf('db', 'events'), undefined);
    mkdirSync(path.join(root, 'db'));
    writeFileSync(path.join(root, 'db', 'events.json'), JSON.stringify({ Table: { StorageDescriptor: { Columns: [{ Name: 'Id', Type: 'bigint' }] } } }));
    assert.deepEqual((await catalog.columnsOf('db', 'events'))?.map((c) => c.name), ['id']);
    writeFileSync(path.join(root, 'db', 'events.json'), JSON.stringify({ Columns: [{ Name: 'a', Type: 'string' }, { Name: 'b', Type: 'int' }] }));
    const later = new Date(Date.now() + 5000);
    (await import('node:fs')).utimesSync(path.join(root, 'db', 'events.json'), later, later);
    assert.deepEqual((await catalog.columnsOf('db', 'events'))?.map((c) => c.name), ['a', 'b']);
    writeFileSync(path.join(root, 'db', 'bad.json'), JSON.stringify({ Columns: [{ Name: 'x', Type: 'binary' }] }));
    await assert.rejects(catalog.columnsOf('db', 'bad'), /bad\.json: column 'x': the column type 'binary' is not supported/);
    assert.equal(await catalog.columnsOf('..', 'events'), undefined, 'names that would leave the folder have no file');
  });
});
