/**
 * @module store/records — keyed JSON records in named collections: the storage under the identity and
 * registry services.
 *
 * Those services keep their whole state in memory (it is small, and authorization must not wait for
 * I/O) and write each change through to a collection before they answer. A collection only has to load
 * everything at start and put or delete one record, which every backend can do well.
 */

export interface RecordCollection<T> {
  /** Every record, by key. */
  loadAll(): Promise<Map<string, T>>;
  /** Creates or replaces one record; resolved once it is durable. */
  put(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface RecordStore {
  collection<T>(name: string): RecordCollection<T>;
  close(): Promise<void>;
}

export class MemoryRecordStore implements RecordStore {
  readonly #collections = new Map<string, Map<string, string>>();

  collection<T>(name: string): RecordCollection<T> {
    let records = this.#collections.get(name);
    if (records === undefined) this.#collections.set(name, (records = new Map()));
    const rows = records;
    // Values are kept as JSON, as SQLite keeps them: a caller that mutates an object after `put` must not
    // change what is stored, and both implementations hand back the same shapes.
    return {
      loadAll: async () => new Map([...rows].map(([key, json]) => [key, JSON.parse(json) as T])),
      put: async (key, value) => void rows.set(key, JSON.stringify(value)),
      delete: async (key) => void rows.delete(key),
    };
  }

  async close(): Promise<void> {}
}
