/**
 * @module streams/sinks/duckdb — one in-memory DuckDB, opened on first use, for the statements Parquet
 * conversion runs (`COPY (SELECT … FROM read_json(…)) TO '….parquet'`). Loading the native module and
 * opening the database wait until a stream actually converts, so streams that do not pay nothing.
 * Statements run one at a time on one connection (a connection runs one statement at a time; DuckDB
 * parallelises each statement itself).
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export class LazyDuckDb {
  #opened: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** Whether the database has been opened (for tests: streams without Parquet never open it). */
  get opened(): boolean {
    return this.#opened !== undefined;
  }

  /** Runs one statement, after those queued before it. */
  run(sql: string): Promise<void> {
    const next = this.#queue.then(async () => {
      if (this.#closed) throw new Error('DuckDB is closed: hako is stopping');
      const { connection } = await this.#open();
      await connection.run(sql);
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #open(): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
    this.#opened ??= (async () => {
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const instance = await DuckDBInstance.create(':memory:');
      return { instance, connection: await instance.connect() };
    })();
    return this.#opened;
  }

  /** Closes the database once queued statements are done. */
  async close(): Promise<void> {
    await this.#queue;
    this.#closed = true;
    if (this.#opened === undefined) return;
    const { instance, connection } = await this.#opened;
    connection.closeSync();
    instance.closeSync();
  }
}

/** A SQL string literal. */
export const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;
