/**
 * @module streams/warehouse/table-loader — a destination table as the warehouse sink sees it: a batch's
 * JSON objects loaded in one transaction (with the sink's hook before the commit), whether a failure is
 * the table's own refusal (the same batch would fail every retry alike), and closing what it holds.
 * Implemented here for hako's DuckDB warehouse, and by `postgres/table.ts` for a PostgreSQL server.
 */
import type { JsonDocuments } from './json-records.js';
import { loadDocuments, type BeforeCommit, type LoadResult, type LoadTarget } from './loader.js';
import { displayName } from './schema.js';
import type { Warehouse } from './warehouse.js';

export interface TableLoader {
  /** Where the rows go, for receipts and logs (`warehouse:main.readings`). */
  readonly location: string;
  /** Loads one batch: all its good records and the columns they need, or (rejecting) nothing. */
  load(documents: JsonDocuments, beforeCommit: BeforeCommit): Promise<LoadResult>;
  /** Whether `error`, from `load`, is the table refusing the batch as a whole (its constraints). */
  refusesBatch(error: unknown): boolean;
  /** Releases what the loader holds (connections); the delivery worker calls it when the stream ends. */
  close?(): Promise<void>;
}

/** A table of hako's warehouse: loads queue on its writer connection. */
export function warehouseTable(warehouse: Warehouse, target: LoadTarget): TableLoader {
  return {
    location: `warehouse:${displayName(target.table)}`,
    load: (documents, beforeCommit) => warehouse.write((connection) => loadDocuments(connection, target, documents, beforeCommit)),
    // DuckDB's constraint violations (a user's PRIMARY KEY or CHECK): DuckDB has no savepoints to find the
    // records at fault, so the whole batch is refused.
    refusesBatch: (error) => error instanceof Error && error.message.startsWith('Constraint Error'),
  };
}
