/**
 * @module test/contract/sink.contract — what every delivery `Sink` must do: once `deliver` resolves the
 * batch's records are readable, in order, exactly as sent (no delimiter added); batches stay whole and
 * apart, concurrent ones included; failed records go to the error output, not the data; a destination
 * that cannot be written rejects the batch and shows no part of it, and works again once repaired.
 *
 * A sink that takes any bytes (the object folder) is checked with arbitrary records, each batch read back
 * as one object. A sink that takes JSON objects (the warehouse table) is checked with one-line JSON records
 * `{"v": <the same payloads>}`, read back as its rows in load order, one NDJSON line each, in one buffer:
 * there a batch must appear whole and contiguous, in order, rather than as an object of its own. A sink whose
 * text cannot hold U+0000 (PostgreSQL's) says so, and its payloads carry U+0001 there instead.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeliveryBatch, Sink } from '../../src/streams/sinks/sink.js';

export interface SinkHarness {
  sink: Sink;
  /** What records the destination takes: any bytes (default), or JSON objects. */
  records?: 'bytes' | 'json';
  /** False when the destination's text cannot hold U+0000 (such a record is refused, rightly, to the error output). */
  holdsNul?: boolean;
  /** Each delivered data batch's bytes (one entry per object), in no particular order; for `json`, one entry: every row in load order. */
  readData(): Promise<Buffer[]>;
  readErrors(): Promise<Buffer[]>;
  /** Makes the destination unwritable, and back. */
  breakDestination(): Promise<void>;
  repairDestination(): Promise<void>;
}

const batch = (records: string[], extra: Partial<DeliveryBatch> = {}): DeliveryBatch => ({
  stream: 'contract',
  version: 1,
  oldestArrivalMs: Date.UTC(2024, 4, 6, 7, 8, 9),
  records: records.map((record) => Buffer.from(record)),
  ...extra,
});
const sorted = (buffers: Buffer[]): string[] => buffers.map((b) => b.toString('utf8')).sort();

/** A payload as the harness's destination takes it: as is, or as a one-line JSON object. */
const recordFor = (h: SinkHarness) => (payload: string): string => (h.records === 'json' ? `${JSON.stringify({ v: payload })}\n` : payload);

/** Every batch's records appear once, whole, in order and contiguous, and nothing else is there. */
function assertBatchesApart(data: Buffer[], batches: string[][], h: SinkHarness): void {
  if (h.records !== 'json') {
    assert.deepEqual(sorted(data), batches.map((records) => records.join('')).sort());
    return;
  }
  const all = data.map((b) => b.toString('utf8')).join('');
  for (const records of batches) assert.ok(all.includes(records.join('')), `batch starting ${records[0]} whole and contiguous`);
  assert.equal(all.length, batches.reduce((sum, records) => sum + records.join('').length, 0), 'no record twice, nothing else');
}

export function runSinkContract(name: string, open: () => Promise<SinkHarness>): void {
  describe(`Sink contract: ${name}`, () => {
    it('a delivered batch reads back as its records concatenated, in order, bytes intact', async () => {
      const h = await open();
      const records = ['{"a":1}\n', 'no newline', `${h.holdsNul === false ? '\u0001' : '\u0000'}\u00ff binary ä`, '{"a":2}\n'].map(recordFor(h));
      await h.sink.deliver(batch(records));
      assert.deepEqual((await h.readData()).map((b) => b.toString('utf8')), [records.join('')]);
      assert.deepEqual(await h.readErrors(), []);
    });

    it('batches, concurrent ones too, stay whole and apart', async () => {
      const h = await open();
      const batches = Array.from({ length: 12 }, (_, i) => Array.from({ length: 50 }, (_, j) => recordFor(h)(`b${i}-r${j};`)));
      await Promise.all(batches.map((records) => h.sink.deliver(batch(records))));
      assertBatchesApart(await h.readData(), batches, h);
    });

    it('records that failed before the destination go to the error output', async () => {
      const h = await open();
      await h.sink.deliver(batch([recordFor(h)('ok\n')]));
      await h.sink.deliver(batch(['{"errorCode":"x"}\n'], { errorOutputType: 'processing-failed' }));
      assert.deepEqual(sorted(await h.readData()), [recordFor(h)('ok\n')]);
      assert.deepEqual(sorted(await h.readErrors()), ['{"errorCode":"x"}\n']);
    });

    it('an unwritable destination rejects the batch and shows none of it; after repair the retry lands once', async () => {
      const h = await open();
      await h.breakDestination();
      const failing = batch([recordFor(h)('lost?\n'), recordFor(h)('lost too?\n')]);
      await assert.rejects(h.sink.deliver(failing));
      await h.repairDestination();
      assert.deepEqual(await h.readData(), []);
      await h.sink.deliver(failing);
      assert.deepEqual(sorted(await h.readData()), [failing.records.join('')]);
    });

    it('a large batch (4 MiB in 20,000 records) arrives complete', async () => {
      const h = await open();
      const records = Array.from({ length: 20_000 }, (_, i) => recordFor(h)(`${String(i).padStart(8, '0')}${'x'.repeat(200)}\n`));
      await h.sink.deliver(batch(records));
      const [data] = await h.readData();
      assert.equal(data?.length, records.reduce((sum, r) => sum + r.length, 0));
      assert.equal(data?.toString('utf8'), records.join(''));
    });
  });
}
