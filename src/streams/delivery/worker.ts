/**
 * @module streams/delivery/worker — one delivery stream's buffer and its deliveries.
 *
 * The records wait in the `DeliveryBufferStore`; the buffer here holds what a put handed it (a put's chunk still
 * has its bytes, which the request body already held) and only the metadata of what a restart re-buffered, so a
 * batch is read back from the store only when some of it came from a restart. A batch is due
 * when the buffered bytes reach `SizeInMBs` or the oldest buffered record is `IntervalInSeconds` old,
 * whichever comes first (spec §10); `flush` makes everything buffered due now. A batch is whole chunks
 * (PutRecord(Batch) calls) up to `SizeInMBs`, so an object exceeds the size only when one call alone does.
 *
 * Batches are delivered one at a time, in order: processed, handed to the sink, and
 * only then removed from the store. A crash anywhere before the removal means the batch is delivered
 * again at the next start (at-least-once; never lost). A failed attempt is retried with exponential
 * backoff until the stream's retry duration has passed since the first attempt. Then a sink that can put
 * a batch aside (`Sink.abandon`: the warehouse, into its error output) gets it as it was put; until that
 * works the stream pauses on the batch, trying both. Other sinks' expired batches are dropped and counted
 * (S3's 24 hours). The first failure and the outcome are logged, not every attempt.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { PermanentDeliveryError, type DeliveryBatch, type DeliveryFailure, type Sink } from '../sinks/sink.js';
import { recordsOf, type BufferedChunk, type ChunkMeta, type DeliveryBufferStore } from './buffer-store.js';
import type { DeliveryStreamInfo } from './config.js';
import type { DeliveryMetrics } from './metrics.js';
import { byErrorOutputType, errorOutputLine } from './error-output.js';
import type { RecordProcessor } from './processor.js';

export interface RetryPolicy {
  /** Give a batch up this long after its first attempt; Firehose keeps retrying S3 for 24 hours. */
  readonly durationMs: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { durationMs: 24 * 3600_000, firstDelayMs: 1000, maxDelayMs: 60_000 };

/** A batch reached the destination (the records of its data object; failed records are not counted). */
export interface DeliveredEvent {
  readonly stream: string;
  readonly records: number;
  readonly locations: readonly string[];
}

export interface WorkerOptions {
  readonly info: DeliveryStreamInfo;
  readonly sink: Sink;
  readonly processor: RecordProcessor;
  readonly store: DeliveryBufferStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: DeliveryMetrics;
  readonly retry: RetryPolicy;
  readonly onDelivered?: ((event: DeliveredEvent) => void) | undefined;
}

export class DeliveryWorker {
  readonly #o: WorkerOptions;
  readonly #sizeBytes: number;
  readonly #intervalMs: number;
  readonly #pending: ChunkMeta[] = [];
  #pendingBytes = 0;
  #inFlight: readonly ChunkMeta[] = [];
  /** Chunks up to this seq are due whatever their age (`flush`). */
  #forceThrough = -1;
  #running: Promise<void> | undefined;
  /** Set by `close`: one attempt per batch, no retries (what fails stays in the store). */
  #stopping = false;
  #closed = false;
  readonly #abort = new AbortController();

  constructor(options: WorkerOptions) {
    this.#o = options;
    this.#sizeBytes = options.info.destination.bufferingHints.sizeInMBs * 1024 * 1024;
    this.#intervalMs = options.info.destination.bufferingHints.intervalInSeconds * 1000;
  }

  /** A chunk now in the store; delivers at once if that makes a batch due. */
  add(chunk: ChunkMeta): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.bytes;
    this.poke();
  }

  /** Starts delivering if a batch is due and none is being delivered (the timer calls this). */
  poke(): void {
    if (this.#running !== undefined || this.#closed || !this.#due()) return;
    this.#running = this.#deliverDue().finally(() => (this.#running = undefined));
  }

  /** Delivers everything buffered now; resolves when it has been delivered (or given up). */
  async flush(): Promise<void> {
    const last = this.#pending.at(-1);
    if (last !== undefined) this.#forceThrough = Math.max(this.#forceThrough, last.seq);
    this.poke();
    while (this.#running !== undefined) await this.#running;
  }

  /** Resolves when no delivery is under way (without making anything due). */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  /** Arrival time of the oldest record not yet delivered, if any. */
  oldestUndeliveredMs(): number | undefined {
    return this.#inFlight[0]?.arrivalMs ?? this.#pending[0]?.arrivalMs;
  }

  /**
   * Stops retrying (a batch that still fails stays in the store for the next start), makes one attempt at
   * what is buffered when `flush`, ends deliveries and closes the sink (its connections, if any).
   */
  async close(options: { flush: boolean }): Promise<void> {
    this.#stopping = true;
    this.#abort.abort();
    if (options.flush) await this.flush();
    this.#closed = true;
    while (this.#running !== undefined) await this.#running;
    try {
      await this.#o.sink.close?.();
    } catch (error) {
      this.#o.logger.warn({ err: error, stream: this.#o.info.name }, `closing the destination of ${this.#o.info.name} failed`);
    }
  }

  #due(): boolean {
    const first = this.#pending[0];
    if (first === undefined) return false;
    return first.seq <= this.#forceThrough || this.#pendingBytes >= this.#sizeBytes || this.#o.clock.now() - first.arrivalMs >= this.#intervalMs;
  }

  async #deliverDue(): Promise<void> {
    while (!this.#closed && this.#due()) {
      let bytes = 0;
      let count = 0;
      // The first chunk always goes; more while the batch stays within the size hint.
      while (count < this.#pending.length && (count === 0 || bytes + (this.#pending[count] as ChunkMeta).bytes <= this.#sizeBytes)) bytes += (this.#pending[count++] as ChunkMeta).bytes;
      this.#inFlight = this.#pending.splice(0, count);
      this.#pendingBytes -= bytes;
      await this.#deliverWithRetries(this.#inFlight);
      this.#inFlight = [];
    }
  }

  async #deliverWithRetries(batch: readonly ChunkMeta[]): Promise<void> {
    const { info, store, clock, logger, metrics, retry } = this.#o;
    const from = (batch[0] as ChunkMeta).seq;
    const to = (batch.at(-1) as ChunkMeta).seq;
    const records = batch.reduce((sum, chunk) => sum + chunk.count, 0);
    const started = clock.now();
    const labels = { stream: info.name };
    let abandonFailed = false;
    for (let attempt = 1; ; attempt++) {
      metrics.attempts.inc(labels);
      try {
        await this.#send(await this.#chunksOf(batch));
        await store.remove(info.name, from, to);
        metrics.successes.inc(labels);
        if (attempt > 1) logger.info({ stream: info.name, attempt, records }, `delivery of ${records} record(s) succeeded after ${attempt} attempts`);
        return;
      } catch (error) {
        const permanent = error instanceof PermanentDeliveryError;
        const expired = clock.now() - started >= retry.durationMs;
        if (expired && !permanent && this.#o.sink.abandon !== undefined) {
          const failure = { attempts: attempt, error, message: `not delivered within the retry duration (${retry.durationMs / 1000} s, ${attempt} attempt(s)): ${messageOf(error)}` };
          if (await this.#abandon(batch, records, failure, !abandonFailed)) {
            await store.remove(info.name, from, to);
            return;
          }
          abandonFailed = true;
        } else if (permanent || expired) {
          logger.error({ err: error, stream: info.name, attempt, records }, `delivery failed ${permanent ? 'permanently' : `for ${retry.durationMs / 1000} s`}: ${records} record(s) dropped`);
          metrics.droppedRecords.inc(labels, records);
          await store.remove(info.name, from, to);
          return;
        }
        if (attempt === 1 && !expired) logger.warn({ err: error, stream: info.name, records }, `delivery failed; retrying for up to ${retry.durationMs / 1000} s`);
        if (this.#stopping) return; // the batch stays in the store for the next start
        await sleep(Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** (attempt - 1)), undefined, { signal: this.#abort.signal }).catch(() => undefined);
        if (this.#stopping) return;
      }
    }
  }

  /**
   * Hands an expired batch to the sink's `abandon`, as it was put; true once it is there. A failure is logged
   * (when `logFailure`: the first time) and the batch kept: the caller goes on retrying.
   */
  async #abandon(batch: readonly ChunkMeta[], records: number, failure: DeliveryFailure, logFailure: boolean): Promise<boolean> {
    const { info, logger, metrics, sink } = this.#o;
    const labels = { stream: info.name };
    try {
      const chunks = await this.#chunksOf(batch);
      if (chunks.length === 0) return true; // removed meanwhile (the stream was deleted)
      const receipt = await (sink.abandon as NonNullable<Sink['abandon']>)({ stream: info.name, version: info.version, oldestArrivalMs: (chunks[0] as BufferedChunk).arrivalMs, records: chunks.flatMap(recordsOf) }, failure);
      logger.error({ err: failure.error, stream: info.name, attempt: failure.attempts, records, locations: receipt.locations }, `delivery failed for the whole retry duration: ${records} record(s) written to the error output instead`);
      metrics.errorOutputRecords.inc(labels, records);
      return true;
    } catch (error) {
      if (logFailure) logger.error({ err: error, stream: info.name, records, delivery: messageOf(failure.error) }, `delivery failed for the whole retry duration and the error output could not be written either: the stream waits on these ${records} record(s), retrying both`);
      return false;
    }
  }

  /** A batch's chunks with their bytes: as held, or read back from the store (what a restart re-buffered). */
  async #chunksOf(batch: readonly ChunkMeta[]): Promise<readonly BufferedChunk[]> {
    return isHeld(batch) ? batch : this.#o.store.read(this.#o.info.name, (batch[0] as ChunkMeta).seq, (batch.at(-1) as ChunkMeta).seq);
  }

  async #send(chunks: readonly BufferedChunk[]): Promise<void> {
    const { info, sink, processor, metrics, clock } = this.#o;
    if (chunks.length === 0) return; // removed meanwhile (the stream was deleted)
    const labels = { stream: info.name };
    const processed = await processor.process(chunks);
    const base = { stream: info.name, version: info.version };
    // One object per group (per partition-key set with dynamic partitioning). A failure part-way retries
    // the whole batch, so an object may be written twice: delivery is at-least-once.
    for (const group of processed.groups) {
      // `records` read through a getter: a group may build them only if the sink reads them (`contiguous`).
      const batch: DeliveryBatch = { ...base, oldestArrivalMs: group.oldestArrivalMs, get records() { return group.records; }, contiguous: group.contiguous, partitionKeys: group.partitionKeys };
      const receipt = await sink.deliver(batch);
      metrics.deliveredRecords.inc(labels, group.count);
      metrics.deliveredBytes.inc(labels, receipt.bytes);
      metrics.objects.inc(labels, receipt.locations.length);
      this.#o.onDelivered?.({ stream: info.name, records: group.count, locations: receipt.locations });
    }
    const now = clock.now();
    for (const [errorOutputType, failed] of byErrorOutputType(processed.failed)) {
      const oldestFailed = failed.reduce((oldest, record) => Math.min(oldest, record.arrivalMs), Infinity);
      await sink.deliver({ ...base, oldestArrivalMs: oldestFailed, records: failed.map((record) => errorOutputLine(record, now)), errorOutputType });
    }
  }
}

/** Whether every chunk still has its bytes (a put's, as opposed to one re-buffered at start from the store). */
function isHeld(batch: readonly ChunkMeta[]): batch is readonly BufferedChunk[] {
  return batch.every((chunk) => (chunk as Partial<BufferedChunk>).data !== undefined);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
