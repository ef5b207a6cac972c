/**
 * @module test/cli/query.test — `hako query` run as a real child process against a real hako: a table (the
 * default), CSV and JSON; bad SQL and writes fail with DuckDB's message and a hint, exit code 1.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadDocuments, splitJsonRecords } from '../../src/streams/warehouse/index.js';
import { cliFails, cliOk, runCli, tempDir } from '../helpers/cli.js';
import { startTestHako, type TestHako } from '../helpers/hako.js';

let hako: TestHako;

before(async () => {
  hako = await startTestHako();
  const records = ['{"device":"a","temp":21.5,"n":1}', '{"device":"b","temp":19,"n":12345678901234567}'];
  await hako.warehouse.write((connection) => loadDocuments(connection, { table: { schema: 'main', table: 'readings' } }, splitJsonRecords(records.map((r) => Buffer.from(r)))));
});

after(() => hako.close());

const at = (cwd: string) => ({ cwd, env: { HAKO_DATA_DIR: hako.dataDir } });

test('hako query: a text table by default', async (t) => {
  const out = await cliOk(['query', 'SELECT device, temp, n FROM readings ORDER BY device'], at(tempDir(t)));
  assert.equal(out, ['device | temp | n', '-------+------+------------------', 'a      | 21.5 | 1', 'b      | 19   | 12345678901234567', '(2 rows)', ''].join('\n'));
});

test('hako query --format csv and --format json (or --json)', async (t) => {
  const cwd = tempDir(t);
  assert.equal(await cliOk(['query', 'SELECT device, n FROM readings ORDER BY device', '--format', 'csv'], at(cwd)), 'device,n\r\na,1\r\nb,12345678901234567\r\n');
  for (const flag of [['--format', 'json'], ['--json']]) {
    const answer = JSON.parse(await cliOk(['query', 'SELECT n FROM readings ORDER BY n', ...flag], at(cwd))) as Record<string, unknown>;
    assert.deepEqual(answer, { columns: [{ name: 'n', type: 'BIGINT' }], rows: [['1'], ['12345678901234567']], rowCount: 2, truncated: false });
  }
});

test('hako query --max-rows: CSV says on stderr that rows were left out', async (t) => {
  const result = await runCli(['query', 'SELECT * FROM range(10)', '--format', 'csv', '--max-rows', '2'], at(tempDir(t)));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'range\r\n0\r\n1\r\n');
  assert.equal(result.stderr, 'hako: query: only the first 2 rows were returned; pass --max-rows to get more\n');
});

test("hako query: bad SQL fails with DuckDB's message, its caret, and a hint", async (t) => {
  const lines = await cliFails(['query', 'SELECT * FROM nowhere'], 1, at(tempDir(t)));
  assert.equal(lines[0], 'hako: query: Query: InvalidRequestException: Catalog Error: Table with name nowhere does not exist!');
  assert.ok(lines.some((line) => line.includes('LINE 1: SELECT * FROM nowhere')), lines.join('\n'));
  assert.match(lines.at(-1) ?? '', /^hint: the warehouse answers one read-only DuckDB statement/);
});

test('hako query: a write is refused', async (t) => {
  const lines = await cliFails(['query', 'DELETE FROM readings'], 1, at(tempDir(t)));
  assert.equal(lines[0], 'hako: query: Query: InvalidRequestException: the warehouse answers read-only queries (SELECT, EXPLAIN); this is a DELETE statement');
  assert.equal((await cliOk(['query', 'SELECT count(*) AS n FROM readings', '--format', 'csv'], at(tempDir(t)))), 'n\r\n2\r\n');
});
