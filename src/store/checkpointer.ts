/**
 * @module store/checkpointer — moves SQLite's WAL checkpoints off the event loop.
 *
 * By default SQLite checkpoints inside whichever commit takes the WAL past 1,000 pages: that commit copies
 * ~4 MB into the database file and fsyncs it, and stalls the event loop for tens of milliseconds (measured:
 * a 100-row group commit takes 0.8 ms, the one that checkpoints 26 ms). Every request in that loop turn
 * waits, which is what a p99 latency shows. Here the main connection never checkpoints
 * (`wal_autocheckpoint = 0`); a worker thread with its own connection runs PASSIVE checkpoints, which
 * never block the writer, every `intervalMs`. SQLite restarts the WAL from its beginning once a
 * checkpoint has caught up, so the file stays bounded.
 *
 * Durability does not change: commits are in the WAL (and the kernel's page cache) before they return,
 * as before; a checkpoint only moves them into the database file. If the worker dies, the main connection
 * goes back to checkpointing itself, and that is logged once.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../core/logger.js';
import type { CheckpointReport, CheckpointWorkerData } from './checkpoint-worker.js';
import type { Database } from './sqlite.js';

/** SQLite's own default, restored when the worker is gone. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

export class WalCheckpointer {
  readonly #db: Database;
  readonly #worker: Worker;
  readonly #logger: Logger;
  #waiting: Array<(report: CheckpointReport) => void> = [];
  #stopping = false;
  readonly #exited: Promise<void>;

  /** Starts checkpointing `db` (a file database in WAL mode) from a worker thread. */
  constructor(db: Database, logger: Logger, intervalMs = 1000) {
    this.#db = db;
    this.#logger = logger;
    const workerData: CheckpointWorkerData = { file: db.name, intervalMs };
    this.#worker = new Worker(new URL('./checkpoint-worker.js', import.meta.url), { workerData });
    this.#worker.unref();
    db.pragma('wal_autocheckpoint = 0');
    this.#worker.on('message', (report: CheckpointReport) => {
      const waiting = this.#waiting;
      this.#waiting = [];
      for (const resolve of waiting) resolve(report);
    });
    this.#worker.on('error', (error) => this.#fallBack(error));
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.once('exit', (code) => {
      if (!this.#stopping) this.#fallBack(new Error(`checkpoint worker exited with code ${code}`));
    });
  }

  /** Runs a checkpoint now and reports what it did (tests, and anyone who wants the WAL small now). */
  checkpointNow(): Promise<CheckpointReport> {
    this.#worker.ref();
    return new Promise<CheckpointReport>((resolve) => {
      this.#waiting.push(resolve);
      this.#worker.postMessage('checkpoint');
    }).finally(() => {
      if (this.#waiting.length === 0) this.#worker.unref();
    });
  }

  /** Stops the worker and closes its connection; the main connection may close after this resolves. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#worker.ref(); // an unref'd worker's exit would not keep this process waiting for it
    this.#worker.postMessage('stop');
    await this.#exited;
  }

  #fallBack(error: unknown): void {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#logger.error({ err: error }, 'the WAL checkpoint worker stopped; SQLite checkpoints on the main thread from now on');
    if (this.#db.open) this.#db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
  }
}
