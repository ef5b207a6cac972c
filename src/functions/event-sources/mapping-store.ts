/**
 * @module functions/event-sources/mapping-store — the mappings that exist, kept whole in memory and
 * written through to the record store (collection `functions.event-source-mappings`, one record per
 * UUID) before a change is answered, as the function registry keeps functions.
 */
import { pageOf, type Page } from '../../core/paging.js';
import type { RecordCollection, RecordStore } from '../../store/records.js';
import type { StoredMapping } from './mapping.js';

export const MAPPING_COLLECTION = 'functions.event-source-mappings';

export interface MappingFilter {
  eventSourceArn?: string | undefined;
  functionName?: string | undefined;
  /** Only with `functionName`: mappings of this qualifier (none = unqualified mappings only). */
  qualifier?: string | undefined;
  qualified?: boolean;
}

export class MappingStore {
  readonly #collection: RecordCollection<StoredMapping>;
  readonly #mappings: Map<string, StoredMapping>;

  private constructor(collection: RecordCollection<StoredMapping>, mappings: Map<string, StoredMapping>) {
    this.#collection = collection;
    this.#mappings = mappings;
  }

  static async open(records: RecordStore): Promise<MappingStore> {
    const collection = records.collection<StoredMapping>(MAPPING_COLLECTION);
    return new MappingStore(collection, await collection.loadAll());
  }

  get(uuid: string): StoredMapping | undefined {
    return this.#mappings.get(uuid);
  }

  all(): StoredMapping[] {
    return [...this.#mappings.values()];
  }

  /** The mapping that already joins this source to this function (and qualifier), if any. */
  findPair(eventSourceArn: string, functionName: string, qualifier: string | undefined, except?: string): StoredMapping | undefined {
    return this.all().find((m) => m.uuid !== except && m.eventSourceArn === eventSourceArn && m.functionName === functionName && m.qualifier === qualifier);
  }

  /** Mappings in creation order, filtered, one page (the marker is opaque). */
  list(filter: MappingFilter, marker: string | undefined, maxItems: number): Page<StoredMapping> {
    const matching = this.all()
      .filter((m) => filter.eventSourceArn === undefined || m.eventSourceArn === filter.eventSourceArn)
      .filter((m) => filter.functionName === undefined || m.functionName === filter.functionName)
      .filter((m) => filter.qualified !== true || m.qualifier === filter.qualifier)
      .sort((a, b) => (orderKey(a) < orderKey(b) ? -1 : 1));
    return pageOf(matching, orderKey, marker, maxItems, maxItems);
  }

  /**
   * Memory first, then the store: a worker's status report that comes after a delete finds the mapping
   * gone instead of writing it back, and writes reach the store in call order.
   */
  async put(mapping: StoredMapping): Promise<void> {
    this.#mappings.set(mapping.uuid, mapping);
    await this.#collection.put(mapping.uuid, mapping);
  }

  async delete(uuid: string): Promise<void> {
    this.#mappings.delete(uuid);
    await this.#collection.delete(uuid);
  }
}

/** Creation time (fixed width, so keys sort as times do), then UUID. */
function orderKey(mapping: StoredMapping): string {
  return `${String(mapping.createdAt).padStart(15, '0')}/${mapping.uuid}`;
}
