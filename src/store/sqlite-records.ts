/**
 * @module store/sqlite-records — `RecordStore` on hako's SQLite database (table `records`). Writes are
 * group-committed (`group-commit.ts`): a burst of shadow updates or API calls pays for one commit, and
 * each `put`/`delete` resolves once it is durable.
 */
import { GroupCommit } from './group-commit.js';
import type { Database } from './sqlite.js';
import type { RecordCollection, RecordStore } from './records.js';

type Write = { collection: string; key: string; json: string | undefined };

export class SqliteRecordStore implements RecordStore {
  readonly #select;
  readonly #writes: GroupCommit<Write>;

  constructor(db: Database) {
    this.#select = db.prepare<[string], { key: string; value: string }>('SELECT key, value FROM records WHERE collection = ?');
    const upsert = db.prepare<[string, string, string]>(
      'INSERT INTO records (collection, key, value) VALUES (?, ?, ?) ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value',
    );
    const remove = db.prepare<[string, string]>('DELETE FROM records WHERE collection = ? AND key = ?');
    this.#writes = new GroupCommit(db.transaction((writes: readonly Write[]) => {
      for (const { collection, key, json } of writes) {
        if (json === undefined) remove.run(collection, key);
        else upsert.run(collection, key, json);
      }
    }));
  }

  collection<T>(name: string): RecordCollection<T> {
    return {
      loadAll: async () => new Map(this.#select.all(name).map((row) => [row.key, JSON.parse(row.value) as T])),
      put: (key, value) => this.#writes.write([{ collection: name, key, json: JSON.stringify(value) }]),
      delete: (key) => this.#writes.write([{ collection: name, key, json: undefined }]),
    };
  }

  async close(): Promise<void> {
    this.#writes.flush();
  }
}
