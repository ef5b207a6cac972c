/**
 * @module streams/warehouse — hako's embedded analytical database (DuckDB, `<data-dir>/warehouse.duckdb`):
 * the `Warehouse` (lazy open, serialised writers, sandboxed reads), batch loads of JSON records into
 * tables with declared or inferred columns, read-only queries and their renderings, and the warehouse as a
 * Firehose destination (Redshift's configuration shape). A Redshift destination may instead name a
 * PostgreSQL server (`postgres/`: the `pg` pool, loader and type mapping), loaded by the same rules.
 */
import path from 'node:path';
import type { Logger } from '../../core/logger.js';
import { STAGING_SETUP } from './loader.js';
import { Warehouse } from './warehouse.js';

export { Warehouse, WarehouseClosedError } from './warehouse.js';
export { loadDocuments, type BeforeCommit, type LoadResult, type LoadTarget, type Rejection } from './loader.js';
export { warehouseTable, type TableLoader } from './table-loader.js';
export { splitJsonRecords, type JsonDocuments } from './json-records.js';
export { checkDeclaredTypes } from './columns.js';
export { DEFAULT_LIMITS, MAX_ROWS, MAX_TIMEOUT_MS, QueryError, runQuery, type QueryLimits, type QueryResult } from './query.js';
export { FORMATS, renderResult, type QueryFormat } from './render.js';
export { checkWarehouseDestination, keepsPassword, WAREHOUSE_JDBC_URL, type CheckedWarehouseDestination, type WarehouseDestination, type WarehouseTarget } from './destination.js';

/** `<data-dir>/warehouse.duckdb`, queries reading files under `filesRoot` (`<data-dir>/buckets`); `:memory:` for `--store memory`. */
export function createWarehouse(options: { dataDir: string; filesRoot: string; inMemory: boolean; logger: Logger }): Warehouse {
  return new Warehouse({
    file: options.inMemory ? ':memory:' : path.join(options.dataDir, 'warehouse.duckdb'),
    filesRoot: options.filesRoot,
    logger: options.logger,
    writerSetup: STAGING_SETUP,
  });
}
