/**
 * @module test/streams/delivery/worker.test — one stream's buffer and deliveries, on the in-memory
 * buffer store with a scripted sink and a controlled clock: size and interval triggers, batches of whole
 * chunks within the size hint, retries that succeed (logged once, counted), the bounded retry duration
 * (then dropped, logged and counted; or, for a sink that can put a batch aside, handed to it as put, the stream
 * pausing on the batch until that works), permanent failures, and a stop during retries that keeps the batch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryDeliveryBufferStore, type BufferedChunk } from '../../../src/streams/delivery/buffer-store.js';
import type { DeliveryStreamInfo } from '../../../src/streams/delivery/config.js';
import { DeliveryMetrics } from '../../../src/streams/delivery/metrics.js';
import { passThrough } from '../../../src/streams/delivery/processor.js';
import { DeliveryWorker, type RetryPolicy } from '../../../src/streams/delivery/worker.js';
import { PermanentDeliveryError, type DeliveryBatch, type DeliveryFailure, type Sink } from '../../../src/streams/sinks/sink.js';
import { captureLog } from '../../helpers/log-capture.js';
import { TestClock } from '../helpers.js';

const MB = 1024 * 1024;
const T0 = Date.UTC(2030, 0, 1);

class ScriptedSink implements Sink {
  readonly kind = 'folder';
  readonly batches: DeliveryBatch[] = [];
  calls = 0;
  /** Returns an error to throw for this call, or undefined to succeed. */
  constructor(private readonly failure: (call: number) => Error | undefined = () => undefined) {}
  async deliver(batch: DeliveryBatch) {
    const error = this.failure(++this.calls);
    if (error !== undefined) throw error;
    this.batches.push(batch);
    return { locations: [`object-${this.batches.length}`], bytes: batch.records.reduce((sum, r) => sum + r.length, 0) };
  }
}

/** A sink that also puts expired batches aside (as the warehouse does), failing the first `abandonFailures` times. */
class AbandoningSink extends ScriptedSink {
  readonly abandoned: Array<{ batch: DeliveryBatch; failure: DeliveryFailure }> = [];
  abandonCalls = 0;
  constructor(failure: (call: number) => Error | undefined, private readonly abandonFailures = 0) {
    super(failure);
  }
  async abandon(batch: DeliveryBatch, failure: DeliveryFailure) {
    if (++this.abandonCalls <= this.abandonFailures) throw new Error(`backup bucket unreachable ${this.abandonCalls}`);
    this.abandoned.push({ batch, failure });
    return { locations: ['errors/object-1'], bytes: 1 };
  }
}

function setup(options: { sizeInMBs?: number; intervalInSeconds?: number; sink?: ScriptedSink; retry?: Partial<RetryPolicy> } = {}) {
  const clock = new TestClock();
  clock.freeze(T0);
  const store = new MemoryDeliveryBufferStore();
  const sink = options.sink ?? new ScriptedSink();
  const log = captureLog();
  const metrics = new DeliveryMetrics(() => new Map());
  const info: DeliveryStreamInfo = {
    name: 'w', type: 'DirectPut', createdMs: T0, version: 1,
    destination: { kind: 'folder', extended: true, roleArn: 'r', bucketArn: 'arn:aws:s3:::b', bufferingHints: { sizeInMBs: options.sizeInMBs ?? 1, intervalInSeconds: options.intervalInSeconds ?? 60 }, compression: 'UNCOMPRESSED' },
  };
  const worker = new DeliveryWorker({ info, sink, processor: passThrough, store, clock, logger: log.logger, metrics, retry: { durationMs: 3600_000, firstDelayMs: 1, maxDelayMs: 4, ...options.retry } });
  let seq = 0;
  /** Stores a chunk of `count` records of `size` bytes and hands it to the worker, as `Delivery.put` does. */
  const put = async (count: number, size = 100): Promise<BufferedChunk> => {
    seq++;
    const lengths = Array.from({ length: count }, () => size);
    const chunk = { stream: 'w', seq, arrivalMs: clock.now(), count, bytes: count * size, lengths, data: Buffer.alloc(count * size, seq % 256) };
    await store.append(chunk);
    worker.add(chunk);
    return chunk;
  };
  const value = async (name: string): Promise<number> => (await metrics.registry.getSingleMetric(name)?.get())?.values.find((v) => v.labels.stream === 'w')?.value ?? 0;
  return { clock, store, sink, log, worker, put, value };
}

describe('delivery worker: buffering', () => {
  it('nothing is delivered before the size or the interval is reached', async () => {
    const { worker, put, sink, clock } = setup();
    await put(10);
    clock.advance(59_999);
    worker.poke();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(sink.calls, 0);
    assert.equal(worker.oldestUndeliveredMs(), T0);
  });

  it('the interval: a poke once the oldest record is IntervalInSeconds old delivers everything, arrival time kept', async () => {
    const { worker, put, sink, clock, store } = setup();
    await put(10);
    clock.advance(30_000);
    await put(5);
    clock.advance(29_999);
    worker.poke();
    assert.equal(sink.calls, 0, 'one millisecond early');
    clock.advance(1);
    worker.poke();
    await worker.close({ flush: false });
    assert.equal(sink.batches.length, 1);
    assert.equal(sink.batches[0]?.records.length, 15);
    assert.equal(sink.batches[0]?.oldestArrivalMs, T0);
    assert.deepEqual(await store.load(), [], 'delivered chunks leave the store');
  });

  it('the size: reaching SizeInMBs delivers at once, in batches of whole chunks that stay within the size', async () => {
    const { worker, put, sink, store } = setup({ sizeInMBs: 1 });
    for (let i = 0; i < 25; i++) await put(1000); // 100,000 bytes a chunk: 10 fit in 1 MiB, the 11th triggers
    await worker.close({ flush: false });
    assert.deepEqual(sink.batches.map((b) => b.records.length), [10_000, 10_000]);
    assert.equal((await store.load()).length, 5, 'the rest waits for more records or the interval');
  });

  it('a single call larger than the size hint is one batch of its own', async () => {
    const { worker, put, sink } = setup({ sizeInMBs: 1 });
    await put(1, 100);
    await put(4, MB);
    await worker.flush();
    assert.deepEqual(sink.batches.map((b) => b.records.length), [1, 4]);
  });

  it('IntervalInSeconds 0 delivers each put without waiting', async () => {
    const { worker, put, sink } = setup({ intervalInSeconds: 0 });
    await put(3);
    await worker.close({ flush: false });
    assert.deepEqual(sink.batches.map((b) => b.records.length), [3]);
  });
});

describe('pass-through processing', () => {
  it('one group: its count, its chunks as they are (contiguous), and each record a view of them, in order', async () => {
    const chunk = (seq: number, records: string[]): BufferedChunk => {
      const data = Buffer.from(records.join(''));
      return { stream: 's', seq, arrivalMs: T0 + 10 - seq, count: records.length, bytes: data.length, data, lengths: records.map((r) => r.length) };
    };
    const chunks = [chunk(1, ['ab', '', 'cde']), chunk(2, ['f'])];
    const { groups, failed } = await passThrough.process(chunks);
    assert.equal(failed.length, 0);
    const [group] = groups;
    assert.equal(groups.length, 1);
    assert.deepEqual(group?.contiguous, [chunks[0]?.data, chunks[1]?.data]);
    assert.equal(group?.count, 4);
    assert.deepEqual(group?.records.map((r) => r.toString()), ['ab', '', 'cde', 'f']);
    assert.equal(group?.records[2]?.buffer, chunks[0]?.data.buffer, 'a view, not a copy');
    assert.equal(group?.oldestArrivalMs, T0 + 8);
    assert.deepEqual(await passThrough.process([]), { groups: [], failed: [] });
  });
});

describe('delivery worker: failures', () => {
  it('a failing destination is retried until it works: delivered once, the failure logged once and counted', async () => {
    const sink = new ScriptedSink((call) => (call <= 3 ? new Error(`disk on fire ${call}`) : undefined));
    const { worker, put, log, value, store } = setup({ sink });
    await put(7);
    await worker.flush();
    assert.equal(sink.batches.length, 1);
    assert.equal(sink.batches[0]?.records.length, 7);
    assert.equal(await value('hako_delivery_to_folder_attempts_total'), 4);
    assert.equal(await value('hako_delivery_to_folder_success_total'), 1);
    assert.equal(await value('hako_delivery_to_folder_records_total'), 7);
    assert.equal(log.matching(/delivery failed; retrying/).length, 1);
    assert.equal(log.matching(/succeeded after 4 attempts/).length, 1);
    assert.deepEqual(await store.load(), []);
  });

  it('after the retry duration the batch is dropped: logged once as an error, counted, removed from the store', async () => {
    const holder: { clock?: TestClock } = {};
    // Each attempt takes ten minutes of the controlled clock.
    const sink = new ScriptedSink(() => (holder.clock?.advance(600_000), new Error('bucket unreachable')));
    const { worker, put, clock, log, value, store } = setup({ sink, retry: { durationMs: 1800_000 } });
    holder.clock = clock;
    await put(4);
    await worker.flush();
    assert.equal(sink.calls, 3, '10, 20, 30 minutes: the third attempt reaches the duration');
    assert.equal(await value('hako_delivery_records_dropped_total'), 4);
    assert.equal(log.matching(/retrying/).length, 1);
    assert.equal(log.matching(/4 record\(s\) dropped/).length, 1);
    assert.deepEqual(await store.load(), []);
  });

  it('a sink that can put a batch aside gets it after the retry duration, as put: logged once, counted, removed from the store', async () => {
    const holder: { clock?: TestClock } = {};
    const sink = new AbandoningSink(() => (holder.clock?.advance(600_000), new Error('warehouse unreachable')));
    const { worker, put, clock, log, value, store } = setup({ sink, retry: { durationMs: 1800_000 } });
    holder.clock = clock;
    const first = await put(2, 3);
    const second = await put(1, 5);
    await worker.flush();
    assert.equal(sink.calls, 3);
    assert.equal(sink.abandoned.length, 1);
    const [{ batch, failure } = assert.fail('abandoned')] = sink.abandoned;
    assert.deepEqual(batch.records, [first.data.subarray(0, 3), first.data.subarray(3, 6), second.data], 'every record, as it was put');
    assert.equal(batch.oldestArrivalMs, T0);
    assert.equal(batch.errorOutputType, undefined);
    assert.equal(failure.attempts, 3);
    assert.equal((failure.error as Error).message, 'warehouse unreachable');
    assert.equal(failure.message, 'not delivered within the retry duration (1800 s, 3 attempt(s)): warehouse unreachable');
    assert.equal(await value('hako_delivery_records_to_error_output_total'), 3);
    assert.equal(await value('hako_delivery_records_dropped_total'), 0);
    assert.equal(log.matching(/retrying for up to/).length, 1);
    assert.equal(log.matching(/^delivery failed for the whole retry duration: 3 record\(s\) written to the error output instead$/).length, 1);
    assert.deepEqual(await store.load(), []);
  });

  it('when the batch cannot be put aside either, the stream waits on it, retrying both, and logs that once', async () => {
    const sink = new AbandoningSink((call) => (call <= 4 ? new Error(`load failed ${call}`) : undefined), 2);
    const { worker, put, log, value, store } = setup({ sink, retry: { durationMs: 0 } });
    await put(2);
    await worker.flush();
    // Attempts 1 and 2: delivery and abandon fail; attempt 3: delivery fails, abandon works.
    assert.equal(sink.calls, 3);
    assert.equal(sink.abandonCalls, 3);
    assert.equal(sink.abandoned.length, 1);
    assert.equal(sink.abandoned[0]?.batch.records.length, 2);
    assert.match(sink.abandoned[0]?.failure.message ?? '', /^not delivered within the retry duration \(0 s, 3 attempt\(s\)\): load failed 3$/);
    assert.equal(log.matching(/the error output could not be written either: the stream waits on these 2 record\(s\), retrying both$/).length, 1);
    assert.equal(log.matching(/2 record\(s\) written to the error output instead/).length, 1);
    assert.equal(await value('hako_delivery_records_to_error_output_total'), 2);
    assert.equal(await value('hako_delivery_records_dropped_total'), 0);
    assert.deepEqual(await store.load(), []);
    // The stream goes on: the next batch's delivery (call 4) fails and it is put aside at once; the one after delivers.
    await put(1);
    await worker.flush();
    assert.equal(sink.abandoned.length, 2);
    await put(1);
    await worker.flush();
    assert.equal(sink.batches.length, 1);
    assert.equal(sink.abandoned.length, 2);
  });

  it('a permanent failure is not retried', async () => {
    const sink = new ScriptedSink(() => new PermanentDeliveryError('bad key'));
    const { worker, put, value } = setup({ sink });
    await put(2);
    await worker.flush();
    assert.equal(sink.calls, 1);
    assert.equal(await value('hako_delivery_records_dropped_total'), 2);
  });

  it('closing during retries stops them and leaves the batch in the store for the next start', async () => {
    const sink = new ScriptedSink(() => new Error('down'));
    const { worker, put, store } = setup({ sink, retry: { firstDelayMs: 60_000, maxDelayMs: 60_000 } });
    await put(3);
    const flushed = worker.flush(); // the first attempt fails, then a one-minute backoff begins
    for (let i = 0; i < 100 && sink.calls === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(sink.calls, 1);
    await worker.close({ flush: true }); // ends the backoff at once, without another attempt
    await flushed;
    assert.equal(sink.calls, 1);
    assert.deepEqual((await store.load()).map((c) => c.count), [3]);
  });
});
