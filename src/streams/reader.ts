/**
 * @module streams/reader — GetShardIterator and GetRecords.
 *
 * A position is the next sequence counter to read; an iterator type only decides where it starts:
 * TRIM_HORIZON at 0 (the oldest record retention left), LATEST just after the last counter assigned,
 * AT_/AFTER_SEQUENCE_NUMBER at or after a number hako issued for that shard, AT_TIMESTAMP at the first
 * record that arrived at or after the time. Reading from a trimmed position simply starts at the oldest
 * record left, as on AWS.
 */
import type { Clock } from '../core/clock.js';
import { kinesisError } from './errors.js';
import type { IteratorCodec } from './iterators.js';
import type { StreamInfo, StreamRegistry } from './registry.js';
import { counterFloorAt, formatSequenceNumber, parseSequenceNumber, shardIdOf, shardIndexOf } from './sequence-numbers.js';
import type { StreamStore } from './store.js';
import type { StreamWriter } from './writer.js';

export const ITERATOR_TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'AT_TIMESTAMP'] as const;
export type IteratorType = (typeof ITERATOR_TYPES)[number];

export const MAX_GET_RECORDS = 10_000;
/** GetRecords returns at most 10 MiB per call. */
const MAX_GET_BYTES = 10 * 1024 * 1024;

export interface IteratorRequest {
  type: IteratorType;
  /** For AT_ and AFTER_SEQUENCE_NUMBER. */
  sequenceNumber?: string | undefined;
  /** For AT_TIMESTAMP, epoch milliseconds. */
  timestampMs?: number | undefined;
}

export interface ReadRecord {
  readonly sequenceNumber: string;
  readonly arrivalMs: number;
  readonly partitionKey: string;
  readonly data: Buffer;
}

export interface RecordsBatch {
  readonly records: ReadRecord[];
  readonly nextShardIterator: string;
  readonly millisBehindLatest: number;
}

export interface ReaderOptions {
  store: StreamStore;
  registry: StreamRegistry;
  writer: StreamWriter;
  iterators: IteratorCodec;
  clock: Clock;
  account: string;
}

export class StreamReader {
  readonly #o: ReaderOptions;

  constructor(options: ReaderOptions) {
    this.#o = options;
  }

  async getShardIterator(streamName: string, shardId: string, request: IteratorRequest): Promise<string> {
    const stream = this.#o.registry.get(streamName);
    const shard = shardIndexOf(shardId);
    if (shard === undefined || shard >= stream.shards.length) {
      throw kinesisError('ResourceNotFoundException', `Shard ${shardId} in stream ${stream.name} under account ${this.#o.account} does not exist`);
    }
    const seq = await this.#startOf(stream, shard, request);
    return this.#o.iterators.encode({ stream: stream.name, createdMs: stream.createdMs, shard, seq });
  }

  async getRecords(iterator: string, limit: number): Promise<RecordsBatch> {
    const position = this.#o.iterators.decode(iterator);
    const stream = this.#o.registry.find(position.stream);
    if (stream === undefined || stream.createdMs !== position.createdMs) {
      throw kinesisError('ResourceNotFoundException', `Stream ${position.stream} under account ${this.#o.account} not found.`);
    }
    const rows = await this.#o.store.read(stream.name, position.shard, position.seq, { limit, maxBytes: MAX_GET_BYTES });
    const last = rows.at(-1);
    const next = last === undefined ? position.seq : last.seq + 1;
    // Behind when records after the last one returned have been assigned: by how long the last one waited.
    const behind = last !== undefined && last.seq < this.#o.writer.lastCounter(stream, position.shard) ? Math.max(0, this.#o.clock.now() - last.arrivalMs) : 0;
    return {
      records: rows.map((row) => ({ sequenceNumber: formatSequenceNumber(row.seq, row.shard), arrivalMs: row.arrivalMs, partitionKey: row.partitionKey, data: row.data })),
      nextShardIterator: this.#o.iterators.encode({ stream: stream.name, createdMs: stream.createdMs, shard: position.shard, seq: next }),
      millisBehindLatest: behind,
    };
  }

  /** The stream an iterator reads, for checking a StreamARN sent along with it. */
  streamOf(iterator: string): string {
    return this.#o.iterators.decode(iterator).stream;
  }

  async #startOf(stream: StreamInfo, shard: number, request: IteratorRequest): Promise<number> {
    const latest = this.#o.writer.lastCounter(stream, shard) + 1;
    switch (request.type) {
      case 'TRIM_HORIZON':
        return 0;
      case 'LATEST':
        return latest;
      case 'AT_SEQUENCE_NUMBER':
      case 'AFTER_SEQUENCE_NUMBER': {
        const counter = this.#counterOf(stream, shard, request.sequenceNumber);
        return request.type === 'AT_SEQUENCE_NUMBER' ? counter : counter + 1;
      }
      case 'AT_TIMESTAMP': {
        if (request.timestampMs === undefined) throw kinesisError('InvalidArgumentException', 'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.');
        // A record arriving at t has a counter ≥ t × 1000 (sequence-numbers), so the seek starts there.
        const floor = counterFloorAt(request.timestampMs);
        const found = await this.#o.store.seekArrival(stream.name, shard, floor, request.timestampMs);
        return found ?? Math.max(latest, floor);
      }
    }
  }

  #counterOf(stream: StreamInfo, shard: number, sequenceNumber: string | undefined): number {
    if (sequenceNumber === undefined) throw kinesisError('InvalidArgumentException', 'Must specify StartingSequenceNumber for iterator of type AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER.');
    const parsed = parseSequenceNumber(sequenceNumber);
    if (parsed === undefined) throw kinesisError('InvalidArgumentException', `StartingSequenceNumber ${sequenceNumber} used in GetShardIterator on shard ${shardIdOf(shard)} in stream ${stream.name} under account ${this.#o.account} is invalid.`);
    if (parsed.shardIndex !== shard) {
      throw kinesisError('InvalidArgumentException', `Invalid StartingSequenceNumber. It encodes ${shardIdOf(parsed.shardIndex)}, while it was used in a call to a shard with ${shardIdOf(shard)}`);
    }
    return parsed.counter;
  }
}
