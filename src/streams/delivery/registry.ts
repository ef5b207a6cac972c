/**
 * @module streams/delivery/registry — the delivery streams that exist. Kept whole in memory (every put
 * looks one up) and written through to the record store before an operation answers. A stream is ACTIVE
 * as soon as CreateDeliveryStream answers: there is nothing to provision.
 */
import type { Clock } from '../../core/clock.js';
import type { RecordCollection, RecordStore } from '../../store/records.js';
import { checkDeliveryStreamName, type DeliveryStreamInfo, type KinesisStreamSource } from './config.js';
import { deliveryStreamNotFound, firehoseError } from './errors.js';

export class DeliveryStreamRegistry {
  readonly #streams: Map<string, DeliveryStreamInfo>;
  readonly #collection: RecordCollection<DeliveryStreamInfo>;
  readonly #clock: Clock;
  readonly #account: string;

  private constructor(collection: RecordCollection<DeliveryStreamInfo>, streams: Map<string, DeliveryStreamInfo>, clock: Clock, account: string) {
    this.#collection = collection;
    this.#streams = streams;
    this.#clock = clock;
    this.#account = account;
  }

  static async open(records: RecordStore, clock: Clock, account: string): Promise<DeliveryStreamRegistry> {
    const collection = records.collection<DeliveryStreamInfo>('firehose-delivery-streams');
    return new DeliveryStreamRegistry(collection, await collection.loadAll(), clock, account);
  }

  /** Stores a new stream; the caller has checked the destination. */
  async create(name: string, destination: DeliveryStreamInfo['destination'], source?: KinesisStreamSource): Promise<DeliveryStreamInfo> {
    checkDeliveryStreamName(name);
    if (this.#streams.has(name)) throw firehoseError('ResourceInUseException', `Firehose ${name} under accountId ${this.#account} already exists`);
    const stream: DeliveryStreamInfo = { name, type: source === undefined ? 'DirectPut' : 'KinesisStreamAsSource', ...(source === undefined ? {} : { source }), createdMs: this.#clock.now(), version: 1, destination };
    await this.#collection.put(name, stream);
    this.#streams.set(name, stream);
    return stream;
  }

  get(name: string): DeliveryStreamInfo {
    const stream = this.#streams.get(name);
    if (stream === undefined) throw deliveryStreamNotFound(name, this.#account);
    return stream;
  }

  find(name: string): DeliveryStreamInfo | undefined {
    return this.#streams.get(name);
  }

  list(): DeliveryStreamInfo[] {
    return [...this.#streams.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async delete(name: string): Promise<void> {
    this.get(name);
    await this.#collection.delete(name);
    this.#streams.delete(name);
  }
}
