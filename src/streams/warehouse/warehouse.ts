/**
 * @module streams/warehouse/warehouse — hako's embedded analytical database: one DuckDB file,
 * `<data-dir>/warehouse.duckdb`, opened on first use (the DuckDB module is not even loaded before), so a
 * hako that never loads or queries a table pays nothing at start.
 *
 * Writers are serialised on one connection (`write`): loads, and the DDL they make, never overlap, so
 * there are no write-write conflicts between DuckDB transactions. Reads (`read`) each get a connection of
 * their own; DuckDB's MVCC gives each a snapshot of committed transactions, so a query never sees part of
 * a load. `close` interrupts running reads, lets queued writes finish, checkpoints and closes.
 *
 * Files: queries may read files only under the buckets root (`<data-dir>/buckets`): DuckDB's
 * `enable_external_access = false` with `allowed_directories`, then `lock_configuration` so no statement can
 * lift it. DuckDB checks the path it resolves, so `..` and symbolic links out of the root are refused.
 * Relative paths (`buckets/b/…`) are resolved through `file_search_path` (the data directory), but DuckDB
 * tries the working directory first; so the relative form is allowed only when the working directory has no
 * other `buckets` entry, and an absolute path always works.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Logger } from '../../core/logger.js';
import { quoteText } from './schema.js';

export interface WarehouseOptions {
  /** The database file, or `:memory:` (for `--store memory`: nothing survives the process). */
  readonly file: string;
  /** The one folder queries may read files under: `<data-dir>/buckets`. */
  readonly filesRoot: string;
  readonly logger: Logger;
  /** SQL run on the writer connection once the database is open (the loader's staging table). */
  readonly writerSetup?: readonly string[];
}

export class WarehouseClosedError extends Error {
  constructor() {
    super('the warehouse is closed (hako is stopping)');
  }
}

interface Open {
  readonly instance: DuckDBInstance;
  readonly writer: DuckDBConnection;
}

/** The settings that confine file access to `filesRoot` (see the module comment). */
export function sandboxSettings(filesRoot: string, workingDirectory = process.cwd()): string[] {
  const root = path.resolve(filesRoot);
  const name = path.basename(root);
  const allowed = [`${root}${path.sep}`];
  const local = path.resolve(workingDirectory, name);
  if (local === root || !existsSync(local)) allowed.push(`${name}/`);
  // GLOBAL: the query connections opened later must have them too (file_search_path is per session otherwise).
  return [
    `SET GLOBAL file_search_path = ${quoteText(path.dirname(root))}`,
    `SET GLOBAL allowed_directories = [${allowed.map(quoteText).join(', ')}]`,
    'SET GLOBAL enable_external_access = false',
    'SET GLOBAL lock_configuration = true',
  ];
}

export class Warehouse {
  readonly #options: WarehouseOptions;
  #opening: Promise<Open> | undefined;
  /** The tail of the writer queue; never rejects. */
  #writes: Promise<unknown> = Promise.resolve();
  readonly #readers = new Set<DuckDBConnection>();
  readonly #reads = new Set<Promise<unknown>>();
  #closed = false;

  constructor(options: WarehouseOptions) {
    this.#options = options;
  }

  get file(): string {
    return this.#options.file;
  }

  /** Whether the database has been opened (it is, on first use). */
  get isOpen(): boolean {
    return this.#opening !== undefined;
  }

  /** Whether `close` was called: reads and writes are refused from then on. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Runs `work` on the writer connection after every write queued before it. */
  write<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new WarehouseClosedError());
    const run = this.#writes.then(async () => work((await this.#open()).writer));
    this.#writes = run.catch(() => undefined);
    return run;
  }

  /** Runs `work` on a connection of its own (closed afterwards); `close` interrupts it. */
  read<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new WarehouseClosedError());
    const run = (async () => {
      const { instance } = await this.#open();
      const connection = await instance.connect();
      if (this.#closed) {
        // Connected after close() began: this read must not start.
        connection.closeSync();
        throw new WarehouseClosedError();
      }
      this.#readers.add(connection);
      try {
        return await work(connection);
      } finally {
        this.#readers.delete(connection);
        connection.closeSync();
      }
    })();
    const settled = run.catch(() => undefined);
    this.#reads.add(settled);
    void settled.then(() => this.#reads.delete(settled));
    return run;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // An interrupt reaches the statement running on a connection; a read between two statements would miss
    // it, so readers are interrupted again until every read has ended (a shutdown-only loop).
    const interruptReaders = (): void => {
      for (const reader of this.#readers) reader.interrupt();
    };
    interruptReaders();
    const again = setInterval(interruptReaders, 50);
    try {
      await this.#writes;
      await Promise.all(this.#reads);
    } finally {
      clearInterval(again);
    }
    const open = await this.#opening?.catch(() => undefined);
    if (open === undefined) return;
    try {
      // A checkpoint folds the WAL into the file, so the next start has nothing to replay.
      if (this.#options.file !== ':memory:') await open.writer.run('CHECKPOINT');
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'warehouse checkpoint at close failed; DuckDB replays its WAL at the next start');
    }
    open.writer.closeSync();
    open.instance.closeSync();
  }

  #open(): Promise<Open> {
    // A failed open (the file locked by another process, say) is tried again by the next use.
    this.#opening ??= this.#openNow().catch((error: unknown) => {
      this.#opening = undefined;
      throw error;
    });
    return this.#opening;
  }

  async #openNow(): Promise<Open> {
    const { file, filesRoot, logger } = this.#options;
    const { DuckDBInstance } = await import('@duckdb/node-api');
    if (file !== ':memory:') await mkdir(path.dirname(file), { recursive: true });
    // JSON and Parquet are built into the bindings; nothing is fetched or loaded from elsewhere.
    const instance = await DuckDBInstance.create(file, { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    try {
      const writer = await instance.connect();
      for (const statement of [...sandboxSettings(filesRoot), ...(this.#options.writerSetup ?? [])]) await writer.run(statement);
      logger.info({ file }, `warehouse opened: ${file}`);
      return { instance, writer };
    } catch (error) {
      instance.closeSync();
      throw error;
    }
  }
}
