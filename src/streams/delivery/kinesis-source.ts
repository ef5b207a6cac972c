/**
 * @module streams/delivery/kinesis-source — delivery streams whose source is a hako data stream
 * (`DeliveryStreamType: KinesisStreamAsSource`, spec §10): each shard is read in order, from where the delivery
 * stream was created (Firehose starts at LATEST) or from its checkpoint, and the records go into the delivery
 * buffer as one chunk per read. The checkpoint moves only after the chunk is durable in the buffer, so a crash
 * between the two puts the same records in again (at least once, as Firehose is) and never skips one.
 *
 * Readers wait on the stream writer's `onRecords` hook instead of polling. A stream deleted under a reader stops
 * it (logged once); its delivery stream keeps what it buffered.
 */
import type { Logger } from '../../core/logger.js';
import type { RecordCollection, RecordStore } from '../../store/records.js';

type Position = { type: 'TRIM_HORIZON' } | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

/** What the readers need of hako's data streams (`streams/shard-source.ts` provides it). */
export interface KinesisRecordSource {
  describe(streamArn: string): { generation: number; shardIds: readonly string[] } | undefined;
  latest(streamArn: string, shardId: string): string | undefined;
  read(streamArn: string, shardId: string, position: Position, limit: number): Promise<Array<{ sequenceNumber: string; data: Buffer }> | undefined>;
  onRecords(listener: (streamArn: string, shardId: string) => void): () => void;
}

interface Checkpoint {
  generation: number;
  sequenceNumber: string;
}

/** Records per read: Kinesis's GetRecords limit, and at most a few MB a chunk. */
const READ_LIMIT = 10_000;
export const CHECKPOINT_COLLECTION = 'delivery.kinesis-checkpoints';

type PutChunk = (name: string, data: Buffer, lengths: readonly number[]) => Promise<unknown>;

export class KinesisSourceReaders {
  readonly #source: KinesisRecordSource;
  readonly #put: PutChunk;
  readonly #checkpoints: RecordCollection<Checkpoint>;
  readonly #saved: Map<string, Checkpoint>;
  readonly #logger: Logger;
  /** By delivery stream name: its shards' wake-ups and a flag to stop. */
  readonly #readers = new Map<string, { streamArn: string; stopped: boolean; wakes: Map<string, () => void>; done: Promise<void> }>();
  readonly #unhook: () => void;

  private constructor(source: KinesisRecordSource, put: PutChunk, checkpoints: RecordCollection<Checkpoint>, saved: Map<string, Checkpoint>, logger: Logger) {
    this.#source = source;
    this.#put = put;
    this.#checkpoints = checkpoints;
    this.#saved = saved;
    this.#logger = logger;
    this.#unhook = source.onRecords((streamArn, shardId) => {
      for (const reader of this.#readers.values()) if (reader.streamArn === streamArn) reader.wakes.get(shardId)?.();
    });
  }

  static async open(options: { source: KinesisRecordSource; put: PutChunk; records: RecordStore; logger: Logger }): Promise<KinesisSourceReaders> {
    const checkpoints = options.records.collection<Checkpoint>(CHECKPOINT_COLLECTION);
    return new KinesisSourceReaders(options.source, options.put, checkpoints, await checkpoints.loadAll(), options.logger);
  }

  /** Whether hako has the stream (CreateDeliveryStream's check). */
  exists(streamArn: string): boolean {
    return this.#source.describe(streamArn) !== undefined;
  }

  /**
   * Starts reading `streamArn` into delivery stream `name`. A new delivery stream (`pinLatest`) starts after the
   * shards' newest records, pinned in its checkpoints so a restart does not move the start.
   */
  async start(name: string, streamArn: string, pinLatest: boolean): Promise<void> {
    const stream = this.#source.describe(streamArn);
    if (stream === undefined) {
      this.#logger.warn({ deliveryStream: name, streamArn }, `delivery stream ${name}: its source stream ${streamArn} does not exist; nothing is read`);
      return;
    }
    if (pinLatest) {
      for (const shardId of stream.shardIds) {
        const latest = this.#source.latest(streamArn, shardId);
        if (latest !== undefined) await this.#save(name, shardId, { generation: stream.generation, sequenceNumber: latest });
      }
    }
    const reader = { streamArn, stopped: false, wakes: new Map<string, () => void>(), done: Promise.resolve() };
    this.#readers.set(name, reader);
    reader.done = Promise.all(stream.shardIds.map((shardId) => this.#readShard(name, reader, shardId, stream.generation))).then(() => undefined);
  }

  /** Stops reading into `name` (deleted or stopping); resolves when its reads in progress have ended. */
  async stop(name: string): Promise<void> {
    const reader = this.#readers.get(name);
    if (reader === undefined) return;
    reader.stopped = true;
    for (const wake of reader.wakes.values()) wake();
    await reader.done;
    this.#readers.delete(name);
  }

  async stopAll(): Promise<void> {
    this.#unhook();
    await Promise.all([...this.#readers.keys()].map((name) => this.stop(name)));
  }

  /** Forgets a deleted delivery stream's checkpoints. */
  async forget(name: string): Promise<void> {
    for (const key of [...this.#saved.keys()].filter((k) => k.startsWith(`${name}\n`))) {
      this.#saved.delete(key);
      await this.#checkpoints.delete(key);
    }
  }

  async #readShard(name: string, reader: { streamArn: string; stopped: boolean; wakes: Map<string, () => void> }, shardId: string, generation: number): Promise<void> {
    const saved = this.#saved.get(`${name}\n${shardId}`);
    // A checkpoint of an earlier stream of the same name means nothing for this one: start at its beginning.
    let after = saved !== undefined && saved.generation === generation ? saved.sequenceNumber : undefined;
    while (!reader.stopped) {
      // Armed before the read, so records stored while it runs wake the next wait.
      let woken = false;
      const wake = new Promise<void>((resolve) => reader.wakes.set(shardId, () => ((woken = true), resolve())));
      let records: Array<{ sequenceNumber: string; data: Buffer }> | undefined;
      try {
        const position: Position = after === undefined ? { type: 'TRIM_HORIZON' } : { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: after };
        records = await this.#source.read(reader.streamArn, shardId, position, READ_LIMIT);
        if (records === undefined) {
          this.#logger.warn({ deliveryStream: name, streamArn: reader.streamArn }, `delivery stream ${name}: source stream ${reader.streamArn} was deleted; reading stopped`);
          return;
        }
        if (records.length > 0 && !reader.stopped) {
          await this.#put(name, Buffer.concat(records.map((record) => record.data)), records.map((record) => record.data.length));
          after = (records.at(-1) as { sequenceNumber: string }).sequenceNumber;
          await this.#save(name, shardId, { generation, sequenceNumber: after });
          continue;
        }
      } catch (error) {
        this.#logger.error({ err: error, deliveryStream: name, shardId }, `delivery stream ${name}: reading ${shardId} failed; trying again on the next records`);
      }
      if (!woken) await wake;
    }
  }

  async #save(name: string, shardId: string, checkpoint: Checkpoint): Promise<void> {
    const key = `${name}\n${shardId}`;
    this.#saved.set(key, checkpoint);
    await this.#checkpoints.put(key, checkpoint);
  }
}
