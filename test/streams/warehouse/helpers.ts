/**
 * @module test/streams/warehouse/helpers — a warehouse in a fresh temporary data directory per test, loads
 * of string records, and reads of a table's rows as lossless JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { Json } from '@duckdb/node-api';
import { silentLogger } from '../../../src/core/logger.js';
import { createWarehouse, loadDocuments, splitJsonRecords, type LoadResult, type LoadTarget, type Warehouse } from '../../../src/streams/warehouse/index.js';
import type { BeforeCommit } from '../../../src/streams/warehouse/loader.js';
import { parseColumns } from '../../../src/streams/warehouse/schema.js';

export interface TestWarehouse {
  warehouse: Warehouse;
  dataDir: string;
  bucketsRoot: string;
}

/** A warehouse on `<tmp>/warehouse.duckdb` reading files under `<tmp>/buckets`; closed and removed after the test. */
export function testWarehouse(t: TestContext): TestWarehouse {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hako-warehouse-'));
  const bucketsRoot = path.join(dataDir, 'buckets');
  const warehouse = createWarehouse({ dataDir, filesRoot: bucketsRoot, inMemory: false, logger: silentLogger() });
  t.after(async () => {
    await warehouse.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { warehouse, dataDir, bucketsRoot };
}

/** `events` with inferred columns, or with `columns` declared as DataTableColumns would. */
export function target(table = 'events', columns?: string): LoadTarget {
  return { table: { schema: 'main', table }, declared: columns === undefined ? undefined : parseColumns(columns) };
}

export function load(warehouse: Warehouse, into: LoadTarget, records: readonly string[], beforeCommit?: BeforeCommit): Promise<LoadResult> {
  const documents = splitJsonRecords(records.map((record) => Buffer.from(record)));
  return warehouse.write((connection) => loadDocuments(connection, into, documents, beforeCommit));
}

/** Rows of `sql` as lossless JSON objects (BIGINT and DECIMAL as strings). */
export function rows(warehouse: Warehouse, sql: string): Promise<Record<string, Json>[]> {
  return warehouse.read(async (connection) => (await connection.runAndReadAll(sql)).getRowObjectsJson());
}

/** `name TYPE` of each column of a table, in order. */
export async function columnsOf(warehouse: Warehouse, table = 'events'): Promise<string[]> {
  const found = await rows(warehouse, `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = '${table}' ORDER BY column_index`);
  return found.map((row) => `${row.column_name} ${row.data_type}`);
}

export async function tableExists(warehouse: Warehouse, table = 'events'): Promise<boolean> {
  return (await rows(warehouse, `SELECT 1 AS x FROM duckdb_tables() WHERE table_name = '${table}'`)).length > 0;
}
