/** @module store/sqlite-records — `RecordStore` on hako's SQLite database (table `records`). */
import type { Database } from './sqlite.js';
import type { RecordCollection, RecordStore } from './records.js';

export class SqliteRecordStore implements RecordStore {
  readonly #select;
  readonly #upsert;
  readonly #delete;

  constructor(db: Database) {
    this.#select = db.prepare<[string], { key: string; value: string }>('SELECT key, value FROM records WHERE collection = ?');
    this.#upsert = db.prepare<[string, string, string]>(
      'INSERT INTO records (collection, key, value) VALUES (?, ?, ?) ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value',
    );
    this.#delete = db.prepare<[string, string]>('DELETE FROM records WHERE collection = ? AND key = ?');
  }

  collection<T>(name: string): RecordCollection<T> {
    return {
      loadAll: async () => new Map(this.#select.all(name).map((row) => [row.key, JSON.parse(row.value) as T])),
      // better-sqlite3 commits each statement before returning: the record is durable when this resolves.
      put: async (key, value) => void this.#upsert.run(name, key, JSON.stringify(value)),
      delete: async (key) => void this.#delete.run(name, key),
    };
  }

  async close(): Promise<void> {}
}
