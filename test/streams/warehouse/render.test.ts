/**
 * @module test/streams/warehouse/render.test — query results as JSON, CSV (RFC 4180; NULL vs empty
 * string) and a text table.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderResult } from '../../../src/streams/warehouse/render.js';
import type { QueryResult } from '../../../src/streams/warehouse/query.js';

const result: QueryResult = {
  columns: [
    { name: 'id', type: 'BIGINT' },
    { name: 'note', type: 'VARCHAR' },
    { name: 'tags', type: 'VARCHAR[]' },
  ],
  rows: [
    ['1', 'plain', ['a', 'b']],
    ['2', 'comma, "quote"\nline', null],
    ['3', '', []],
  ],
  truncated: false,
};

test('renderResult json: columns, rows, rowCount, truncated', () => {
  const { contentType, body } = renderResult(result, 'json');
  assert.equal(contentType, 'application/json');
  assert.deepEqual(JSON.parse(body), { columns: result.columns, rows: result.rows, rowCount: 3, truncated: false });
});

test('renderResult csv: a header, quoting where needed, NULL empty and the empty string quoted', () => {
  const { contentType, body } = renderResult(result, 'csv');
  assert.equal(contentType, 'text/csv; charset=utf-8');
  assert.equal(body, 'id,note,tags\r\n1,plain,"[""a"",""b""]"\r\n2,"comma, ""quote""\nline",\r\n3,"",[]\r\n');
});

test('renderResult table: aligned columns, NULL shown, control characters escaped, a row count', () => {
  assert.equal(
    renderResult(result, 'table').body,
    ['id | note                 | tags', '---+----------------------+----------', '1  | plain                | ["a","b"]', '2  | comma, "quote"\\nline | NULL', '3  |                      | []', '(3 rows)', ''].join('\n'),
  );
  assert.match(renderResult({ ...result, truncated: true }, 'table').body, /\(3 rows; more were left out: raise maxRows or narrow the query\)\n$/);
});
