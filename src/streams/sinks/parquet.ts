/**
 * @module streams/sinks/parquet — the object folder for streams that convert JSON to Parquet (Firehose's
 * DataFormatConversionConfiguration with ParquetSerDe). A batch's records arrive as newline-delimited JSON
 * rows (`delivery/conversion.ts`); they are written to a temporary NDJSON file, DuckDB copies that into a
 * temporary Parquet file (`read_json` with the declared columns, or inferring them from the whole batch),
 * which is fsynced and renamed into place as the object — as atomic as the folder sink's objects.
 *
 * Objects are named as Firehose names them, ending in `.parquet` unless FileExtension says otherwise.
 * Error output (failed records as JSON lines) is not converted: it goes to the error prefix as plain files.
 *
 * Rows can be records as they were sent (`conversion.ts`), which JSON.parse accepted but DuckDB may not (a key
 * given twice): when DuckDB refuses the input, the rows are spelt again by JavaScript and copied once more.
 */
import { open, rm, stat } from 'node:fs/promises';
import type { ParquetCompression } from '../delivery/features.js';
import { respellRows } from '../delivery/conversion.js';
import type { FolderSink } from './folder.js';
import { sqlString, type LazyDuckDb } from './duckdb.js';
import type { DeliveryBatch, DeliveryReceipt, Sink } from './sink.js';

export interface ParquetSinkOptions {
  /** Names and places data objects (its file extension is `.parquet` or the stream's FileExtension). */
  readonly data: FolderSink;
  /** Takes error output batches. */
  readonly errors: FolderSink;
  readonly duckdb: LazyDuckDb;
  readonly compression: ParquetCompression;
  /** DuckDB column types by name, when the table declares them; undefined: infer from the batch. */
  readonly columns: () => Promise<ReadonlyArray<readonly [string, string]> | undefined>;
}

export class ParquetSink implements Sink {
  readonly kind = 'folder';
  readonly #o: ParquetSinkOptions;

  constructor(options: ParquetSinkOptions) {
    this.#o = options;
  }

  async deliver(batch: DeliveryBatch): Promise<DeliveryReceipt> {
    if (batch.errorOutputType !== undefined) return this.#o.errors.deliver(batch);
    const { data, duckdb, compression } = this.#o;
    const key = data.keyFor(batch);
    const rows = await data.temporaryPath('.ndjson');
    const parquet = await data.temporaryPath('.parquet');
    const copy = async (records: readonly Buffer[]): Promise<void> => {
      await writeRows(rows, records);
      // Straight into our temporary file (no DuckDB `tmp_` file of its own beside it): we place the object ourselves.
      await duckdb.run(`COPY (SELECT * FROM ${await this.#source(rows)}) TO ${sqlString(parquet)} (FORMAT PARQUET, COMPRESSION ${compression.toLowerCase()}, USE_TMP_FILE false)`);
    };
    try {
      try {
        await copy(batch.records);
      } catch (error) {
        if (!isInputError(error)) throw error;
        await copy(batch.records.map(respellRows));
      }
      await fsync(parquet);
    } catch (error) {
      await rm(parquet, { force: true });
      throw error;
    } finally {
      await rm(rows, { force: true });
    }
    const { size } = await stat(parquet);
    await data.placeFile(key, parquet);
    return { locations: [key], bytes: size };
  }

  async #source(file: string): Promise<string> {
    const columns = await this.#o.columns();
    if (columns === undefined) return `read_json(${sqlString(file)}, format = 'newline_delimited', sample_size = -1)`;
    const struct = columns.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ');
    return `read_json(${sqlString(file)}, format = 'newline_delimited', columns = {${struct}})`;
  }
}

/** DuckDB's refusal of what it read (malformed JSON, a duplicate key), as opposed to a failure of its own. */
function isInputError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('Invalid Input Error');
}

/**
 * One `writev` for the whole batch: libuv writes any number of buffers in one job of its pool, where an await per
 * slice queued each slice behind the ingest's requests (a batch's write took up to 2 s under load).
 */
async function writeRows(file: string, records: readonly Buffer[]): Promise<void> {
  const handle = await open(file, 'w', 0o600);
  try {
    const expected = records.reduce((sum, part) => sum + part.length, 0);
    const written = (await handle.writev(records as Buffer[])).bytesWritten;
    if (written !== expected) throw new Error(`short write to ${file}: ${written} of ${expected} bytes`);
  } finally {
    await handle.close();
  }
}

/** DuckDB does not fsync what COPY writes; the object must be on disk before its name is. */
async function fsync(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
