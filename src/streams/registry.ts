/**
 * @module streams/registry — the streams that exist: name, capacity mode, shards and their hash key
 * ranges, retention. Kept whole in memory (every put and read looks a stream up) and written through to
 * the record store before an operation answers, so the list survives restarts.
 *
 * Streams are ACTIVE as soon as CreateStream answers and gone as soon as DeleteStream does: there is no
 * provisioning to wait for, and SDK waiters accept both.
 */
import type { Clock } from '../core/clock.js';
import type { RecordCollection, RecordStore } from '../store/records.js';
import { constraintError, kinesisError, streamNotFound } from './errors.js';
import { evenHashKeyRanges, type HashKeyRange } from './hash-keys.js';
import { counterFloorAt } from './sequence-numbers.js';

export type StreamMode = 'PROVISIONED' | 'ON_DEMAND';

export interface ShardInfo extends HashKeyRange {
  readonly index: number;
  /** The counter of the shard's first possible record (its creation time). */
  readonly startingCounter: number;
}

export interface StreamInfo {
  readonly name: string;
  readonly mode: StreamMode;
  readonly retentionHours: number;
  readonly createdMs: number;
  readonly shards: readonly ShardInfo[];
}

export const DEFAULT_RETENTION_HOURS = 24;
export const MAX_RETENTION_HOURS = 8760;
/** AWS starts an on-demand stream with 4 shards. */
const ON_DEMAND_SHARDS = 4;
/** AWS's default shard quota per account (us-east-1); more shards than this in one stream is refused. */
export const MAX_SHARDS = 500;

const NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,128}$/;

export function checkStreamName(name: string, field = 'streamName'): void {
  if (!NAME_PATTERN.test(name)) throw constraintError(field, name, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 1 and 128');
}

export class StreamRegistry {
  readonly #streams: Map<string, StreamInfo>;
  readonly #collection: RecordCollection<StreamInfo>;
  readonly #clock: Clock;
  readonly #account: string;

  private constructor(collection: RecordCollection<StreamInfo>, streams: Map<string, StreamInfo>, clock: Clock, account: string) {
    this.#collection = collection;
    this.#streams = streams;
    this.#clock = clock;
    this.#account = account;
  }

  static async open(records: RecordStore, clock: Clock, account: string): Promise<StreamRegistry> {
    const collection = records.collection<StreamInfo>('kinesis-streams');
    return new StreamRegistry(collection, await collection.loadAll(), clock, account);
  }

  async create(name: string, shardCount: number | undefined, mode: StreamMode): Promise<StreamInfo> {
    checkStreamName(name);
    if (mode === 'PROVISIONED' && shardCount === undefined) throw kinesisError('InvalidArgumentException', 'ShardCount is required for a stream in PROVISIONED mode.');
    const count = mode === 'ON_DEMAND' ? ON_DEMAND_SHARDS : (shardCount as number);
    if (!Number.isInteger(count) || count < 1) throw constraintError('shardCount', count, 'Member must have value greater than or equal to 1');
    if (count > MAX_SHARDS) throw kinesisError('LimitExceededException', `This request would exceed the shard limit for the account ${this.#account} in ${MAX_SHARDS} shards.`);
    if (this.#streams.has(name)) throw kinesisError('ResourceInUseException', `Stream ${name} under account ${this.#account} already exists.`);
    const createdMs = this.#clock.now();
    const shards = evenHashKeyRanges(count).map((range, index) => ({ index, ...range, startingCounter: counterFloorAt(createdMs) }));
    const stream: StreamInfo = { name, mode, retentionHours: DEFAULT_RETENTION_HOURS, createdMs, shards };
    await this.#collection.put(name, stream);
    this.#streams.set(name, stream);
    return stream;
  }

  /** The stream, or ResourceNotFoundException. */
  get(name: string): StreamInfo {
    const stream = this.#streams.get(name);
    if (stream === undefined) throw streamNotFound(name, this.#account);
    return stream;
  }

  find(name: string): StreamInfo | undefined {
    return this.#streams.get(name);
  }

  /** Every stream, by name. */
  list(): StreamInfo[] {
    return [...this.#streams.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async delete(name: string): Promise<void> {
    this.get(name);
    await this.#collection.delete(name);
    this.#streams.delete(name);
  }

  /** Increase…/DecreaseStreamRetentionPeriod: the new period must move in the named direction. */
  async setRetention(name: string, hours: number, direction: 'increase' | 'decrease'): Promise<void> {
    const stream = this.get(name);
    if (!Number.isInteger(hours)) throw constraintError('retentionPeriodHours', hours, 'Member must be a whole number');
    if (hours < DEFAULT_RETENTION_HOURS) throw kinesisError('InvalidArgumentException', `Minimum allowed retention period is ${DEFAULT_RETENTION_HOURS} hours. Requested retention period (${hours} hours) is too short.`);
    if (hours > MAX_RETENTION_HOURS) throw kinesisError('InvalidArgumentException', `Maximum allowed retention period is ${MAX_RETENTION_HOURS} hours. Requested retention period (${hours} hours) is too long.`);
    if (direction === 'increase' && hours < stream.retentionHours) {
      throw kinesisError('InvalidArgumentException', `Requested retention period (${hours} hours) for stream ${name} can not be shorter than existing retention period (${stream.retentionHours} hours). Use DecreaseRetentionPeriod API.`);
    }
    if (direction === 'decrease' && hours > stream.retentionHours) {
      throw kinesisError('InvalidArgumentException', `Requested retention period (${hours} hours) for stream ${name} can not be longer than existing retention period (${stream.retentionHours} hours). Use IncreaseRetentionPeriod API.`);
    }
    const updated = { ...stream, retentionHours: hours };
    await this.#collection.put(name, updated);
    this.#streams.set(name, updated);
  }
}
