/**
 * @module streams/delivery — Firehose-compatible delivery streams, composed: the registry, durable
 * buffers (`DeliveryBufferStore`), one `DeliveryWorker` per stream, its `Sink` (the object folder, or a
 * table of the warehouse or of a PostgreSQL server: `destination-sinks.ts`) and record processor, and
 * metrics. `startDelivery` re-buffers what a previous run left in the store, so records acknowledged
 * before a crash or stop are delivered after the restart.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { RecordStore } from '../../store/records.js';
import { LazyDuckDb } from '../sinks/duckdb.js';
import { sweepTemporaryFiles } from '../sinks/folder.js';
import type { Warehouse } from '../warehouse/index.js';
import { assembleStream } from './assemble.js';
import type { DeliveryBufferStore } from './buffer-store.js';
import { TableCatalog } from './catalog.js';
import { checkFolderDestination, type DeliveryStreamInfo, type KinesisStreamSource } from './config.js';
import { KinesisSourceReaders, type KinesisRecordSource } from './kinesis-source.js';
import { checkDestination, sinkFor } from './destination-sinks.js';
import { passThrough } from './processor.js';
import { firehoseConstraint, firehoseError } from './errors.js';
import { DeliveryMetrics } from './metrics.js';
import { DeliveryStreamRegistry } from './registry.js';
import type { FunctionInvoker } from './transform.js';
import { DEFAULT_RETRY, DeliveryWorker, type DeliveredEvent, type RetryPolicy } from './worker.js';

export type { DeliveredEvent } from './worker.js';
export type { FunctionInvoker } from './transform.js';

export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;
export const MAX_RECORD_BYTES = 1_024_000;

export interface DeliveryOptions {
  store: DeliveryBufferStore;
  records: RecordStore;
  clock: Clock;
  logger: Logger;
  region: string;
  account: string;
  /** Where bucket folders live: `arn:aws:s3:::<b>` is `<bucketsRoot>/<b>/`. */
  bucketsRoot: string;
  /** hako's warehouse, for Redshift-shaped destinations (opened on first use). */
  warehouse?: Warehouse;
  retry?: Partial<RetryPolicy>;
  /** How often buffers are checked for records past their interval; default one second. */
  tickMs?: number;
  /** Invokes hako functions synchronously: what streams with a Lambda processor call. */
  invokeFunction?: FunctionInvoker;
  /** Where Glue-like table files live (`catalog.ts`); default `<bucketsRoot>/../catalog`. */
  catalogRoot?: string;
  /** hako's data streams, for `KinesisStreamAsSource` delivery streams. */
  streamSource?: KinesisRecordSource;
}

export interface Delivery {
  readonly registry: DeliveryStreamRegistry;
  readonly metrics: DeliveryMetrics;
  readonly bucketsRoot: string;
  /** `arn:aws:firehose:<region>:<account>:deliverystream/<name>`. */
  arnOf(name: string): string;
  /** With `source`, a `KinesisStreamAsSource` stream reading that data stream from now on. */
  create(name: string, destination: DeliveryStreamInfo['destination'], source?: KinesisStreamSource): Promise<DeliveryStreamInfo>;
  /** Deletes a stream after one attempt to deliver what it buffered (AWS promises nothing for it). */
  delete(name: string): Promise<void>;
  /** Stores one call's records (back to back in `data`); resolves with their record ids once durable. */
  put(name: string, data: Buffer, lengths: readonly number[]): Promise<string[]>;
  /** Delivers what is buffered now (one stream, or all); for tests and stop. */
  flush(name?: string): Promise<void>;
  /** Resolves when no stream is delivering (what was due is delivered; nothing is forced). */
  idle(): Promise<void>;
  /** Calls `listener` after each object a stream delivered (tests wait on this instead of polling). */
  onDelivered(listener: (event: DeliveredEvent) => void): () => void;
  /** Checks every buffer's interval now (the timer does this every `tickMs`). */
  tick(): void;
  stop(): Promise<void>;
}

/** Checks PutRecordBatch's limits (spec §10) on the records' decoded lengths. */
export function checkBatchLimits(lengths: readonly number[]): void {
  if (lengths.length < 1) throw firehoseConstraint('records', '[]', 'Member must have length greater than or equal to 1');
  if (lengths.length > MAX_BATCH_RECORDS) throw firehoseConstraint('records', `[${lengths.length} records]`, `Member must have length less than or equal to ${MAX_BATCH_RECORDS}`);
  let total = 0;
  lengths.forEach((length, i) => {
    if (length > MAX_RECORD_BYTES) throw firehoseConstraint(`records.${i + 1}.member.data`, `<${length} bytes>`, `Member must have length less than or equal to ${MAX_RECORD_BYTES}`);
    total += length;
  });
  if (total > MAX_BATCH_BYTES) throw firehoseError('InvalidArgumentException', `Records size exceeds ${MAX_BATCH_BYTES} bytes limit: the request's records add up to ${total} bytes.`);
}

export async function startDelivery(options: DeliveryOptions): Promise<Delivery> {
  const { store, clock, logger, region, account, bucketsRoot } = options;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const registry = await DeliveryStreamRegistry.open(options.records, clock, account);
  const workers = new Map<string, DeliveryWorker>();
  const counters = new Map<string, number>();
  const listeners = new Set<(event: DeliveredEvent) => void>();
  const onDelivered = (event: DeliveredEvent): void => {
    for (const listener of listeners) listener(event);
  };
  const metrics = new DeliveryMetrics(() => {
    const now = clock.now();
    return new Map([...workers].map(([name, worker]) => [name, Math.max(0, (now - (worker.oldestUndeliveredMs() ?? now)) / 1000)]));
  });
  const swept = await sweepTemporaryFiles(bucketsRoot);
  if (swept > 0) logger.info({ swept }, `removed ${swept} temporary file(s) of object writes a crash interrupted`);

  const arnOf = (name: string): string => `arn:aws:firehose:${region}:${account}:deliverystream/${name}`;
  // Only streams that convert to Parquet open DuckDB (on their first delivery).
  const duckdb = new LazyDuckDb();
  const assembleDeps = { bucketsRoot, catalog: new TableCatalog(options.catalogRoot ?? path.join(path.dirname(bucketsRoot), 'catalog')), duckdb, invoke: options.invokeFunction, region, account, logger };
  const sinkContext = { bucketsRoot, warehouse: options.warehouse, now: () => clock.now(), logger };
  const workerFor = (info: DeliveryStreamInfo): DeliveryWorker => {
    if (info.destination.kind === 'warehouse') {
      // The warehouse takes records as they came (no transformation or conversion yet), with its own retry duration.
      const { sink, retryDurationMs } = sinkFor(info.destination, sinkContext);
      return new DeliveryWorker({ info, sink, processor: passThrough, store, clock, logger, metrics, retry: retryDurationMs === undefined ? retry : { ...retry, durationMs: retryDurationMs }, onDelivered });
    }
    const prefixes = checkFolderDestination(info.destination, 'extendedS3DestinationConfiguration');
    const { sink, processor } = assembleStream(info.destination, prefixes, arnOf(info.name), assembleDeps);
    return new DeliveryWorker({ info, sink, processor, store, clock, logger, metrics, retry, onDelivered });
  };
  for (const info of registry.list()) workers.set(info.name, workerFor(info));
  // Re-buffer what the last run acknowledged but did not deliver; it keeps its arrival time.
  for (const chunk of await store.load()) {
    const worker = workers.get(chunk.stream);
    if (worker === undefined) {
      await store.deleteStream(chunk.stream); // left by a stream deleted before its rows were
      continue;
    }
    counters.set(chunk.stream, chunk.seq);
    worker.add(chunk);
  }

  // Record ids only need to be unique: a per-run salt, the chunk and the record's index.
  const salt = randomBytes(8).toString('hex');
  let chunkCount = 0;
  const tick = (): void => {
    for (const worker of workers.values()) worker.poke();
  };
  const timer = setInterval(tick, options.tickMs ?? 1000);
  timer.unref();

  const put = async (name: string, data: Buffer, lengths: readonly number[]): Promise<string[]> => {
    registry.get(name);
    const worker = workers.get(name) as DeliveryWorker;
    const seq = (counters.get(name) ?? 0) + 1;
    counters.set(name, seq);
    const chunk = { stream: name, seq, arrivalMs: clock.now(), count: lengths.length, bytes: data.length, data, lengths };
    await store.append(chunk);
    const labels = { stream: name };
    metrics.incomingRecords.inc(labels, lengths.length);
    metrics.incomingBytes.inc(labels, data.length);
    metrics.incomingPutRequests.inc(labels);
    if (workers.get(name) === worker) worker.add(chunk);
    const base = `${salt}${(chunkCount++).toString(16).padStart(12, '0')}`;
    return lengths.map((_, i) => `${base}${i.toString().padStart(3, '0')}`);
  };
  // Delivery streams whose source is a data stream read it into `put`, after the re-buffering above.
  const readers = options.streamSource === undefined ? undefined : await KinesisSourceReaders.open({ source: options.streamSource, put, records: options.records, logger });
  for (const info of registry.list()) if (info.source !== undefined) await readers?.start(info.name, info.source.streamArn, false);

  return {
    registry,
    metrics,
    bucketsRoot,
    arnOf,
    create: async (name, destination, source) => {
      await checkDestination(destination, sinkContext);
      if (source !== undefined && readers?.exists(source.streamArn) !== true) throw firehoseError('InvalidArgumentException', `KinesisStreamARN ${source.streamArn} is not a stream of this hako.`);
      const info = await registry.create(name, destination, source);
      workers.set(name, workerFor(info));
      if (source !== undefined) await readers?.start(name, source.streamArn, true);
      return info;
    },
    delete: async (name) => {
      registry.get(name);
      await readers?.stop(name);
      await readers?.forget(name);
      const worker = workers.get(name);
      await registry.delete(name);
      workers.delete(name);
      await worker?.close({ flush: true });
      await store.deleteStream(name);
      counters.delete(name);
    },
    put,
    flush: async (name) => {
      const targets = name === undefined ? [...workers.values()] : [workers.get(name)].filter((w): w is DeliveryWorker => w !== undefined);
      await Promise.all(targets.map((worker) => worker.flush()));
    },
    idle: async () => {
      await Promise.all([...workers.values()].map((worker) => worker.idle()));
    },
    onDelivered: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    tick,
    stop: async () => {
      clearInterval(timer);
      await readers?.stopAll(); // nothing more comes in; what they read is in the buffers
      // SIGTERM flushes buffers (architecture: start-up contract); what fails stays for the next start.
      await Promise.all([...workers.values()].map((worker) => worker.close({ flush: true })));
      await duckdb.close();
    },
  };
}

/** `<data-dir>/catalog`: where table files (the Glue stand-in for format conversion) live. */
export function defaultCatalogRoot(dataDir: string): string {
  return path.join(dataDir, 'catalog');
}

/** `<data-dir>/delivery-buffer`: the segment files of records waiting for delivery (`segment-buffer-store.ts`). */
export function defaultDeliveryBufferRoot(dataDir: string): string {
  return path.join(dataDir, 'delivery-buffer');
}

/** `<data-dir>/buckets`: the default root of bucket folders. */
export function defaultBucketsRoot(dataDir: string): string {
  return path.join(dataDir, 'buckets');
}
