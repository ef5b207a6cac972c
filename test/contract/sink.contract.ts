/**
 * @module test/contract/sink.contract — what every delivery `Sink` must do: once `deliver` resolves the
 * batch's records are readable, in order, exactly as sent (no delimiter added); batches stay whole and
 * apart, concurrent ones included; failed records go to the error output, not the data; a destination
 * that cannot be written rejects the batch and shows no part of it, and works again once repaired.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeliveryBatch, Sink } from '../../src/streams/sinks/sink.js';

export interface SinkHarness {
  sink: Sink;
  /** Each delivered data batch's bytes (one entry per object/load), in no particular order. */
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

export function runSinkContract(name: string, open: () => Promise<SinkHarness>): void {
  describe(`Sink contract: ${name}`, () => {
    it('a delivered batch reads back as its records concatenated, in order, bytes intact', async () => {
      const h = await open();
      const records = ['{"a":1}\n', 'no newline', '\u0000\u00ff binary ä', '{"a":2}\n'];
      await h.sink.deliver(batch(records));
      assert.deepEqual((await h.readData()).map((b) => b.toString('utf8')), [records.join('')]);
      assert.deepEqual(await h.readErrors(), []);
    });

    it('batches, concurrent ones too, stay whole and apart', async () => {
      const h = await open();
      const batches = Array.from({ length: 12 }, (_, i) => Array.from({ length: 50 }, (_, j) => `b${i}-r${j};`));
      await Promise.all(batches.map((records) => h.sink.deliver(batch(records))));
      assert.deepEqual(sorted(await h.readData()), batches.map((records) => records.join('')).sort());
    });

    it('records that failed before the destination go to the error output', async () => {
      const h = await open();
      await h.sink.deliver(batch(['ok\n']));
      await h.sink.deliver(batch(['{"errorCode":"x"}\n'], { errorOutputType: 'processing-failed' }));
      assert.deepEqual(sorted(await h.readData()), ['ok\n']);
      assert.deepEqual(sorted(await h.readErrors()), ['{"errorCode":"x"}\n']);
    });

    it('an unwritable destination rejects the batch and shows none of it; after repair the retry lands once', async () => {
      const h = await open();
      await h.breakDestination();
      const failing = batch(['lost?\n']);
      await assert.rejects(h.sink.deliver(failing));
      await h.repairDestination();
      assert.deepEqual(await h.readData(), []);
      await h.sink.deliver(failing);
      assert.deepEqual(sorted(await h.readData()), ['lost?\n']);
    });

    it('a large batch (4 MiB in 20,000 records) arrives complete', async () => {
      const h = await open();
      const records = Array.from({ length: 20_000 }, (_, i) => `${String(i).padStart(8, '0')}${'x'.repeat(200)}\n`);
      await h.sink.deliver(batch(records));
      const [data] = await h.readData();
      assert.equal(data?.length, records.reduce((sum, r) => sum + r.length, 0));
      assert.equal(data?.toString('utf8'), records.join(''));
    });
  });
}
