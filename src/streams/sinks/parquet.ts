/**
 * @module streams/sinks/parquet — the object folder for streams that convert JSON to Parquet (Firehose's
 * DataFormatConversionConfiguration with ParquetSerDe). A batch's records arrive as newline-delimited JSON
 * rows (`delivery/conversion.ts`); they are written to a temporary NDJSON file, DuckDB copies that into a
 * temporary Parquet file (`read_json` with the declared columns, or inferring them from the whole batch),
 * which is fsynced and renamed into place as the object — as atomic as the folder sink's objects.
 *
 * Objects are named as Firehose names them, ending in `.parquet` unless FileExtension says otherwise.
 * Error output (failed records as JSON lines) is not converted: it goes to the error prefix as plain files.
 */
import { open, rm, stat } from 'node:fs/promises';
import type { ParquetCompression } from '../delivery/features.js';
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
    try {
      await writeRows(rows, batch.records);
      await duckdb.run(`COPY (SELECT * FROM ${await this.#source(rows)}) TO ${sqlString(parquet)} (FORMAT PARQUET, COMPRESSION ${compression.toLowerCase()})`);
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

async function writeRows(file: string, records: readonly Buffer[]): Promise<void> {
  const handle = await open(file, 'w', 0o600);
  try {
    for (let i = 0; i < records.length; i += 1000) {
      const slice = records.slice(i, i + 1000);
      const expected = slice.reduce((sum, part) => sum + part.length, 0);
      const written = (await handle.writev(slice)).bytesWritten;
      if (written !== expected) throw new Error(`short write to ${file}: ${written} of ${expected} bytes`);
    }
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
