/**
 * @module mqtt/session/sqlite-retained-store — `RetainedStore` on the embedded SQLite database.
 *
 * One row per topic in `mqtt_retained` (schema in `store/migrations.ts`); each `apply` is one transaction.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Message } from '../message.js';
import { MESSAGE_COLUMNS, fromMessageRow, toMessageColumns, type MessageRow } from '../../store/message-columns.js';
import type { RetainedOp, RetainedStore } from './store.js';

export class SqliteRetainedStore implements RetainedStore {
  readonly #put: Statement<unknown[]>;
  readonly #delete: Statement<[string]>;
  readonly #selectAll: Statement<[], MessageRow>;
  readonly #applyBatch: (ops: readonly RetainedOp[]) => void;

  /** `db` comes from `openSqlite` and stays open after `close`: its opener owns it. */
  constructor(db: Database) {
    this.#put = db.prepare(`INSERT OR REPLACE INTO mqtt_retained (${MESSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.#delete = db.prepare('DELETE FROM mqtt_retained WHERE topic = ?');
    this.#selectAll = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM mqtt_retained`);
    // A throw from any op rolls the whole transaction back, which is what makes a batch atomic.
    this.#applyBatch = db.transaction((ops: readonly RetainedOp[]) => {
      for (const op of ops) {
        if (op.kind === 'put') this.#put.run(...toMessageColumns(op.message));
        else if (op.kind === 'delete') this.#delete.run(op.topic);
        else throw new TypeError(`unknown retained op kind ${JSON.stringify((op as { kind?: unknown }).kind)}`);
      }
    });
  }

  async apply(ops: readonly RetainedOp[]): Promise<void> {
    if (ops.length === 0) return;
    this.#applyBatch(ops);
  }

  async loadAll(): Promise<Message[]> {
    return this.#selectAll.all().map(fromMessageRow);
  }

  async close(): Promise<void> {
    // Nothing to release: prepared statements are freed with the connection, which the opener closes.
  }
}
