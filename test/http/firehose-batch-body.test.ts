/**
 * @module test/http/firehose-batch-body.test — PutRecordBatch read from the request bytes: what it reads
 * is exactly what the general path (`JSON.parse`, then base64) makes of the same body, and every shape it
 * does not recognise is left to the general path (`undefined`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodedRecords, readPutRecordBatchBody } from '../../src/http/firehose/batch-body.js';

const bodyOf = (text: string): Buffer => Buffer.from(text, 'utf8');
const sdkBody = (name: string, records: readonly Buffer[]): Buffer => bodyOf(JSON.stringify({ DeliveryStreamName: name, Records: records.map((r) => ({ Data: r.toString('base64') })) }));

/** What the general path makes of a body: the name and the records decoded back to back. */
function generalPath(body: Buffer): { name: string; data: Buffer; lengths: number[] } {
  const parsed = JSON.parse(body.toString('utf8')) as { DeliveryStreamName: string; Records: { Data: string }[] };
  const records = parsed.Records.map((r) => Buffer.from(r.Data, 'base64'));
  return { name: parsed.DeliveryStreamName, data: Buffer.concat(records), lengths: records.map((r) => r.length) };
}

function read(body: Buffer): { name: string; data: Buffer; lengths: number[] } | undefined {
  const out = readPutRecordBatchBody(body);
  if (out === undefined) return undefined;
  assert.ok(out.Records instanceof DecodedRecords);
  return { name: out.DeliveryStreamName as string, data: out.Records.data, lengths: [...out.Records.lengths] };
}

describe('readPutRecordBatchBody: the shapes it reads, as the general path would', () => {
  const cases: [string, Buffer][] = [
    ['the SDK shape, 500 records of 200 bytes', sdkBody('ingest', Array.from({ length: 500 }, (_, i) => Buffer.from(`{"n":${i},"pad":"${'x'.repeat(190 - String(i).length)}"}`)))],
    ['records of every length mod 3 (no, one and two padding characters)', sdkBody('s', [Buffer.from('a'), Buffer.from('ab'), Buffer.from('abc'), Buffer.from('abcd')])],
    ['an empty record', sdkBody('s', [Buffer.alloc(0), Buffer.from('x')])],
    ['binary records (every byte value)', sdkBody('s', [Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from([0xff, 0xfe, 0])])],
    ['no records at all', sdkBody('s', [])],
    ['whitespace between every token', bodyOf('\n{ "DeliveryStreamName" :\t"s" ,\r\n "Records" : [ { "Data" : "YQ==" } , {"Data":"Yg=="} ] }\n')],
    ['a name with UTF-8 characters', sdkBody('straße-箱', [Buffer.from('x')])],
  ];
  for (const [what, body] of cases) {
    it(what, () => assert.deepEqual(read(body), generalPath(body)));
  }
});

describe('readPutRecordBatchBody: what it leaves to the general path', () => {
  const cases: [string, string][] = [
    ['members in the other order', '{"Records":[{"Data":"YQ=="}],"DeliveryStreamName":"s"}'],
    ['another member', '{"DeliveryStreamName":"s","Records":[{"Data":"YQ=="}],"Extra":1}'],
    ['another member in a record', '{"DeliveryStreamName":"s","Records":[{"Data":"YQ==","X":1}]}'],
    ['an escape in a value (\\/ is legal JSON in base64)', '{"DeliveryStreamName":"s","Records":[{"Data":"a\\/8="}]}'],
    ['an escape in the name', '{"DeliveryStreamName":"\\u0073","Records":[]}'],
    ['a control character in the name', '{"DeliveryStreamName":"a\tb","Records":[]}'],
    ['base64 whose length is not a multiple of 4', '{"DeliveryStreamName":"s","Records":[{"Data":"YQ="}]}'],
    ['a character outside the base64 alphabet', '{"DeliveryStreamName":"s","Records":[{"Data":"Y*=="}]}'],
    ['a newline inside a value', '{"DeliveryStreamName":"s","Records":[{"Data":"YW\nJj"}]}'],
    ['Data that is not a string', '{"DeliveryStreamName":"s","Records":[{"Data":null}]}'],
    ['Records that is not an array', '{"DeliveryStreamName":"s","Records":{}}'],
    ['a trailing comma', '{"DeliveryStreamName":"s","Records":[{"Data":"YQ=="},]}'],
    ['a truncated body', '{"DeliveryStreamName":"s","Records":[{"Data":"YQ=='],
    ['an unterminated value', '{"DeliveryStreamName":"s","Records":[{"Data":"YQ=='],
    ['bytes after the document', '{"DeliveryStreamName":"s","Records":[]} x'],
    ['two documents', '{"DeliveryStreamName":"s","Records":[]}{}'],
    ['not an object', '[]'],
    ['an empty body', ''],
  ];
  for (const [what, text] of cases) {
    it(what, () => assert.equal(readPutRecordBatchBody(bodyOf(text)), undefined));
  }
});
