/**
 * @module store/checkpoint-worker — the worker thread behind `WalCheckpointer`: its own connection to the
 * database file, running a PASSIVE checkpoint every `intervalMs` and whenever the main thread asks.
 *
 * Messages in: `'checkpoint'` (run one now and answer with a `CheckpointReport`, the numbers SQLite
 * reports), `'stop'` (close the connection and exit). The periodic checkpoints answer nothing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';

export interface CheckpointWorkerData {
  file: string;
  intervalMs: number;
}

export interface CheckpointReport {
  /** Frames copied into the database file so far in this WAL. */
  checkpointed: number;
  /** Frames in the WAL. */
  walFrames: number;
  /** True when a writer or reader kept the checkpoint from finishing (it is retried next time). */
  busy: boolean;
}

const { file, intervalMs } = workerData as CheckpointWorkerData;
const port = parentPort;
if (port === null) throw new Error('checkpoint-worker runs as a worker thread');

function open(): Sqlite.Database {
  try {
    const connection = new Sqlite(file, { fileMustExist: true });
    connection.pragma('busy_timeout = 5000');
    return connection;
  } catch (error) {
    // A plain Error: better-sqlite3's own loses its message on the way to the main thread.
    throw new Error(`cannot open ${file}: ${(error as Error).message}`);
  }
}

const db = open();

function checkpoint(): CheckpointReport {
  const [row] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
  return { checkpointed: row?.checkpointed ?? 0, walFrames: row?.log ?? 0, busy: (row?.busy ?? 0) !== 0 };
}

const timer = setInterval(checkpoint, intervalMs);
port.on('message', (message: unknown) => {
  if (message === 'checkpoint') port.postMessage(checkpoint());
  if (message === 'stop') {
    clearInterval(timer);
    db.close();
    port.close();
  }
});
