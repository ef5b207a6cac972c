/**
 * @module streams — Kinesis-compatible data streams, composed: the stream registry, the writer
 * (PutRecord(s)), the reader (iterators, GetRecords) and retention trimming, over a `StreamStore` and
 * the record store. `startStreams` builds them; `stop` ends the background trimming.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { RecordStore } from '../store/records.js';
import { kinesisError } from './errors.js';
import { IteratorCodec, loadIteratorKey } from './iterators.js';
import { StreamReader } from './reader.js';
import { StreamRegistry } from './registry.js';
import { RetentionTrimmer } from './retention.js';
import type { StreamStore } from './store.js';
import { AWS_SHARD_WRITE_LIMIT, ShardWriteLimiter, type ShardWriteLimit } from './throughput.js';
import { StreamWriter, type RecordsListener } from './writer.js';

export type { RecordsEvent, RecordsListener } from './writer.js';

export interface StreamsOptions {
  store: StreamStore;
  records: RecordStore;
  clock: Clock;
  logger: Logger;
  region: string;
  account: string;
  /** How often retention trimming runs; default one minute. */
  trimIntervalMs?: number;
  /** Per-shard write limit of provisioned streams; AWS's by default, `null` for none. */
  shardWriteLimit?: ShardWriteLimit | null;
}

export interface Streams {
  readonly registry: StreamRegistry;
  readonly writer: StreamWriter;
  readonly reader: StreamReader;
  /** `arn:aws:kinesis:<region>:<account>:stream/<name>`. */
  arnOf(name: string): string;
  /** The stream name in an ARN of this region and account; ResourceNotFoundException for another's. */
  nameOfArn(arn: string): string;
  deleteStream(name: string): Promise<void>;
  /** Calls `listener` after each put that stored records, once per shard that got some. */
  onRecords(listener: RecordsListener): () => void;
  /** Calls `listener` with a stream's name once it has been deleted (its consumers stop reading it). */
  onDeleted(listener: (name: string) => void): () => void;
  /** Runs retention trimming now (the timer runs it too); resolves to the number of records trimmed. */
  trimExpired(): Promise<number>;
  stop(): Promise<void>;
}

const ARN_PATTERN = /^arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})$/;

export async function startStreams(options: StreamsOptions): Promise<Streams> {
  const { store, clock, logger, region, account } = options;
  const registry = await StreamRegistry.open(options.records, clock, account);
  const limit = options.shardWriteLimit === undefined ? AWS_SHARD_WRITE_LIMIT : options.shardWriteLimit;
  const writer = await StreamWriter.open({ store, registry, clock, account, logger, limiter: limit === null ? undefined : new ShardWriteLimiter(limit) });
  const iterators = new IteratorCodec(await loadIteratorKey(options.records), clock);
  const reader = new StreamReader({ store, registry, writer, iterators, clock, account });
  const trimmer = new RetentionTrimmer(store, registry, clock, logger);
  trimmer.start(options.trimIntervalMs ?? 60_000);
  const deletedListeners = new Set<(name: string) => void>();
  return {
    registry,
    writer,
    reader,
    arnOf: (name) => `arn:aws:kinesis:${region}:${account}:stream/${name}`,
    nameOfArn: (arn) => {
      const match = ARN_PATTERN.exec(arn);
      if (match === null) throw kinesisError('InvalidArgumentException', `Invalid StreamARN: ${arn}`);
      const [, arnRegion, arnAccount, name] = match as unknown as [string, string, string, string];
      if (arnRegion !== region || arnAccount !== account) throw kinesisError('ResourceNotFoundException', `Stream ${name} under account ${arnAccount} not found.`);
      return name;
    },
    deleteStream: async (name) => {
      await registry.delete(name);
      writer.forget(name);
      await store.deleteStream(name);
      for (const listener of deletedListeners) {
        try {
          listener(name);
        } catch (error) {
          logger.error({ err: error, stream: name }, 'a stream deletion listener failed');
        }
      }
    },
    onRecords: (listener) => writer.onRecords(listener),
    onDeleted: (listener) => {
      deletedListeners.add(listener);
      return () => void deletedListeners.delete(listener);
    },
    trimExpired: () => trimmer.trimExpired(),
    stop: () => trimmer.stop(),
  };
}
