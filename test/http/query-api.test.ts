/**
 * @module test/http/query-api.test — `POST /hako/query` on a real hako, signed with SigV4 by the root key:
 * JSON (columns with types, lossless values), CSV and table renderings, the row limit, bad SQL and writes
 * answered 400 with DuckDB's message while the process keeps answering, and unsigned requests refused.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { loadDocuments, splitJsonRecords } from '../../src/streams/warehouse/index.js';
import { rootCredentials } from '../helpers/aws.js';
import { startTestHako, type TestHako } from '../helpers/hako.js';

let hako: TestHako;

before(async () => {
  hako = await startTestHako();
  const records = ['{"id":9007199254740993,"name":"big","at":"2024-05-06T07:08:09.123456Z","price":"12.30"}', '{"id":2,"name":"with, comma","price":"0.5"}'];
  await hako.warehouse.write((connection) =>
    loadDocuments(connection, { table: { schema: 'main', table: 'items' }, declared: [{ name: 'id', type: 'BIGINT' }, { name: 'name' }, { name: 'at', type: 'TIMESTAMP' }, { name: 'price', type: 'DECIMAL(10,2)' }] }, splitJsonRecords(records.map((r) => Buffer.from(r)))),
  );
});

after(() => hako.close());

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function post(body: unknown, signed = true): Promise<Answer> {
  const url = new URL(`http://127.0.0.1:${hako.ports.http}/hako/query`);
  const payload = JSON.stringify(body);
  let headers: Record<string, string> = { host: url.host, 'content-type': 'application/json' };
  if (signed) {
    const signer = new SignatureV4({ service: 'iot', region: 'us-east-1', credentials: rootCredentials(hako.dataDir), sha256: Hash.bind(null, 'sha256') });
    const request = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers, body: payload });
    headers = request.headers;
  }
  const { host: _host, ...send } = headers;
  const response = await fetch(url, { method: 'POST', headers: send, body: payload });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

test('POST /hako/query: JSON with column names and types; BIGINT, DECIMAL and TIMESTAMP lossless', async () => {
  const answer = await post({ sql: 'SELECT id, name, "at", price FROM items ORDER BY name' });
  assert.equal(answer.status, 200, answer.text);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(JSON.parse(answer.text), {
    columns: [
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'at', type: 'TIMESTAMP' },
      { name: 'price', type: 'DECIMAL(10,2)' },
    ],
    rows: [
      ['9007199254740993', 'big', '2024-05-06 07:08:09.123456', '12.30'],
      ['2', 'with, comma', null, '0.50'],
    ],
    rowCount: 2,
    truncated: false,
  });
});

test('POST /hako/query: CSV and a text table', async () => {
  const csv = await post({ sql: 'SELECT id, name, "at" FROM items ORDER BY name', format: 'csv' });
  assert.equal(csv.status, 200);
  assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(csv.text, 'id,name,at\r\n9007199254740993,big,2024-05-06 07:08:09.123456\r\n2,"with, comma",\r\n');
  const table = await post({ sql: 'SELECT id, name FROM items ORDER BY name', format: 'table' });
  assert.equal(table.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.equal(table.text, 'id               | name\n-----------------+------------\n9007199254740993 | big\n2                | with, comma\n(2 rows)\n');
});

test('POST /hako/query: maxRows truncates and says so, in the body and the headers', async () => {
  const answer = await post({ sql: 'SELECT * FROM range(100)', maxRows: 3 });
  const body = JSON.parse(answer.text) as { rows: unknown[]; truncated: boolean; rowCount: number };
  assert.deepEqual([body.rows.length, body.rowCount, body.truncated], [3, 3, true]);
  assert.equal(answer.headers.get('x-hako-truncated'), 'true');
  assert.equal(answer.headers.get('x-hako-row-count'), '3');
});

test("POST /hako/query: bad SQL and writes answer 400 with DuckDB's message; hako keeps answering", async () => {
  const bad = await post({ sql: 'SELECT * FROM nowhere' });
  assert.equal(bad.status, 400);
  assert.equal(bad.headers.get('x-amzn-errortype'), 'InvalidRequestException');
  assert.match((JSON.parse(bad.text) as { message: string }).message, /^Catalog Error: Table with name nowhere does not exist!/);
  const write = await post({ sql: 'DROP TABLE items' });
  assert.equal(write.status, 400);
  assert.match((JSON.parse(write.text) as { message: string }).message, /read-only queries \(SELECT, EXPLAIN\); this is a DROP statement/);
  for (const body of [{}, { sql: 'SELECT 1', format: 'xml' }, { sql: 'SELECT 1', maxRows: 0 }, { sql: 'SELECT 1', timeoutSeconds: 301 }]) {
    assert.equal((await post(body)).status, 400, JSON.stringify(body));
  }
  assert.equal(JSON.parse((await post({ sql: 'SELECT count(*) AS n FROM items' })).text).rows[0][0], '2');
});

test('POST /hako/query: an unsigned request is refused', async () => {
  const answer = await post({ sql: 'SELECT 1' }, false);
  assert.equal(answer.status, 403);
});
