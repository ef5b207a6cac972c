/**
 * @module store/sqlite-records — `RecordStore` on hako's SQLite database (table `records`).
 *
 * Writes made in one event-loop turn are committed together in one transaction (group commit), and each
 * `put`/`delete` resolves once that transaction has committed: a burst of shadow updates or API calls
 * pays for one commit instead of one each, and nothing resolves before it is durable.
 */
import type { Database } from './sqlite.js';
import type { RecordCollection, RecordStore } from './records.js';

type Write = { collection: string; key: string; json: string | undefined };

export class SqliteRecordStore implements RecordStore {
  readonly #select;
  readonly #commit: (writes: readonly Write[]) => void;
  #pending: Write[] = [];
  #waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];

  constructor(db: Database) {
    this.#select = db.prepare<[string], { key: string; value: string }>('SELECT key, value FROM records WHERE collection = ?');
    const upsert = db.prepare<[string, string, string]>(
      'INSERT INTO records (collection, key, value) VALUES (?, ?, ?) ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value',
    );
    const remove = db.prepare<[string, string]>('DELETE FROM records WHERE collection = ? AND key = ?');
    this.#commit = db.transaction((writes: readonly Write[]) => {
      for (const { collection, key, json } of writes) {
        if (json === undefined) remove.run(collection, key);
        else upsert.run(collection, key, json);
      }
    });
  }

  collection<T>(name: string): RecordCollection<T> {
    return {
      loadAll: async () => new Map(this.#select.all(name).map((row) => [row.key, JSON.parse(row.value) as T])),
      put: (key, value) => this.#write({ collection: name, key, json: JSON.stringify(value) }),
      delete: (key) => this.#write({ collection: name, key, json: undefined }),
    };
  }

  #write(write: Write): Promise<void> {
    if (this.#pending.length === 0) setImmediate(() => this.#flush());
    this.#pending.push(write);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #flush(): void {
    const writes = this.#pending;
    const waiters = this.#waiters;
    this.#pending = [];
    this.#waiters = [];
    try {
      this.#commit(writes); // better-sqlite3 commits before returning: durable from here on
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    for (const waiter of waiters) waiter.resolve();
  }

  async close(): Promise<void> {
    if (this.#pending.length > 0) this.#flush();
  }
}
