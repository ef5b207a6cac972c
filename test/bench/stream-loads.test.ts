/**
 * @module test/bench/stream-loads.test — the pure parts of the bench's stream scenarios: the 200-byte records
 * and the PutRecordBatch bodies (bench/load/firehose-records.ts), the rates and the metric reading they are
 * judged by, and the stream-to-function handler (bench/load/stream-function-run.ts) sending each record's data
 * back by UDP.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { BATCH_RECORDS, benchRecord, benchRecords, putRecordBatchBody, rateOf, RECORD_BYTES, streamCounter } from '../../bench/load/firehose-records.js';
import { UDP_HANDLER } from '../../bench/load/stream-function-run.js';

describe('bench Firehose records', () => {
  it('every record is 200 bytes of one JSON object and a newline, whatever the number of digits', () => {
    for (const n of [0, 9, 10, 499, 12_345, 9_999_999]) {
      const record = benchRecord(n);
      assert.equal(record.length, RECORD_BYTES);
      assert.equal(record.at(-1), 0x0a);
      const parsed = JSON.parse(record.toString('utf8')) as Record<string, unknown>;
      assert.deepEqual(Object.keys(parsed), ['n', 'device', 't', 'pad']);
      assert.equal(parsed['n'], n);
    }
  });

  it('a PutRecordBatch body carries 500 records, base64, in order', () => {
    const records = benchRecords(1000);
    assert.equal(records.length, BATCH_RECORDS);
    const body = JSON.parse(putRecordBatchBody('s', records)) as { DeliveryStreamName: string; Records: Array<{ Data: string }> };
    assert.equal(body.DeliveryStreamName, 's');
    assert.deepEqual(body.Records.map((r) => Buffer.from(r.Data, 'base64')), records);
  });

  it('rates: records/s and MB/s (10^6 bytes), zero for an empty span', () => {
    assert.deepEqual(rateOf(100_000, 1000), { recordsPerSec: 100_000, mbPerSec: 20 });
    assert.deepEqual(rateOf(250_000, 2000), { recordsPerSec: 125_000, mbPerSec: 25 });
    assert.deepEqual(rateOf(5, 0), { recordsPerSec: 0, mbPerSec: 0 });
  });

  it('reads one stream\'s counter from Prometheus text, not another stream\'s or a longer name\'s', () => {
    const text = [
      '# HELP hako_delivery_to_folder_records_total Records written',
      'hako_delivery_to_folder_records_total{stream="a-1"} 7',
      'hako_delivery_to_folder_records_total{stream="a"} 1500',
      'hako_delivery_to_folder_records_total_extra{stream="a"} 3',
    ].join('\n');
    assert.equal(streamCounter(text, 'hako_delivery_to_folder_records_total', 'a'), 1500);
    assert.equal(streamCounter(text, 'hako_delivery_to_folder_records_total', 'b'), 0);
  });
});

describe('bench stream-to-function handler', () => {
  it('sends each record\'s decoded data to BENCH_UDP_PORT and answers null', async () => {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    process.env['BENCH_UDP_PORT'] = String(socket.address().port);
    try {
      const { handler } = (await import(`data:text/javascript,${encodeURIComponent(UDP_HANDLER)}`)) as { handler: (event: unknown) => Promise<unknown> };
      const received: string[] = [];
      const both = new Promise<void>((resolve) => socket.on('message', (m) => received.push(m.toString()) === 2 && resolve()));
      const event = { Records: ['41', '42'].map((data) => ({ kinesis: { data: Buffer.from(data).toString('base64') } })) };
      assert.equal(await handler(event), null);
      await both;
      assert.deepEqual(received.sort(), ['41', '42']);
    } finally {
      delete process.env['BENCH_UDP_PORT'];
      socket.close();
    }
  });
});
