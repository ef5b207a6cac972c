/**
 * @module streams/warehouse/query — one read-only SQL query on the warehouse, with a time limit and a row
 * limit.
 *
 * Read-only twice over: the statement must be a single SELECT (with WITH, VALUES, FROM-first, DESCRIBE,
 * SHOW, SUMMARIZE, PRAGMA functions and set operations, which DuckDB all types as SELECT) or EXPLAIN, told by
 * DuckDB's own parser and binder (`extractStatements` + `prepare`, which do not execute), so INSERT, COPY,
 * ATTACH, SET, CALL, INSTALL and the rest are refused before they run; and it runs inside a
 * `BEGIN TRANSACTION READ ONLY`, so even `EXPLAIN ANALYZE` of a write, or a function that writes, cannot
 * change the database. File reads are confined by the warehouse's sandbox (see `warehouse.ts`).
 *
 * The result streams chunk by chunk and reading stops once `maxRows` is passed (`truncated`); the time limit
 * interrupts the connection, which stops DuckDB mid-query. Values come out as lossless JSON: BIGINT,
 * HUGEINT, DECIMAL, timestamps, dates, UUIDs as strings, lists and structs as arrays and objects.
 */
import type { DuckDBConnection, DuckDBPreparedStatement, Json } from '@duckdb/node-api';
import { WarehouseClosedError, type Warehouse } from './warehouse.js';

export class QueryError extends Error {
  /** `invalid`: DuckDB refused the SQL; `refused`: not read-only; `timeout`: over the time limit. */
  readonly kind: 'invalid' | 'refused' | 'timeout';

  constructor(kind: QueryError['kind'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

export interface QueryLimits {
  readonly maxRows: number;
  readonly timeoutMs: number;
}

export interface QueryColumn {
  readonly name: string;
  /** As DuckDB prints it: `BIGINT`, `DECIMAL(18,3)`, `TIMESTAMP WITH TIME ZONE`, `STRUCT(…)`. */
  readonly type: string;
}

export interface QueryResult {
  readonly columns: readonly QueryColumn[];
  readonly rows: readonly (readonly Json[])[];
  /** More rows than `maxRows` were there; `rows` holds the first `maxRows`. */
  readonly truncated: boolean;
}

export const DEFAULT_LIMITS: QueryLimits = { maxRows: 1000, timeoutMs: 30_000 };
export const MAX_ROWS = 100_000;
export const MAX_TIMEOUT_MS = 300_000;

/** DuckDB's statement types (`StatementType` in @duckdb/node-bindings) a query may have. */
const SELECT = 1;
const EXPLAIN = 4;
const TYPE_NAMES: Record<number, string> = { 2: 'INSERT', 3: 'UPDATE', 5: 'DELETE', 6: 'PREPARE', 7: 'CREATE', 8: 'EXECUTE', 9: 'ALTER', 10: 'TRANSACTION', 11: 'COPY', 12: 'ANALYZE', 13: 'SET VARIABLE', 14: 'CREATE FUNCTION', 15: 'DROP', 16: 'EXPORT', 17: 'PRAGMA', 18: 'VACUUM', 19: 'CALL', 20: 'SET', 21: 'LOAD/INSTALL', 25: 'ATTACH', 26: 'DETACH', 28: 'COPY DATABASE', 30: 'MERGE' };

/** DuckDB's error text (`Parser Error: syntax error at or near …`, with its LINE/caret lines), as DuckDB wrote it. */
function duckMessage(error: unknown): string {
  const message = ((error as Error).message ?? String(error)).trim();
  return message.replace(/^Failed to extract statements: /, ''); // @duckdb/node-api's wrapping of parser errors
}

async function prepareReadOnly(connection: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  let prepared: DuckDBPreparedStatement;
  try {
    const extracted = await connection.extractStatements(sql);
    if (extracted.count === 0) throw new QueryError('invalid', 'the query has no SQL statement');
    if (extracted.count > 1) throw new QueryError('invalid', `the query has ${extracted.count} statements; send one at a time`);
    prepared = await extracted.prepare(0);
  } catch (error) {
    if (error instanceof QueryError) throw error;
    // What the bindings say when the text splits into no statement at all (blank, `;`, only comments).
    if ((error as Error).message === 'Error in native callback') throw new QueryError('invalid', 'the query has no SQL statement', { cause: error });
    throw new QueryError('invalid', duckMessage(error), { cause: error });
  }
  const type = prepared.statementType as number;
  if (type !== SELECT && type !== EXPLAIN) {
    prepared.destroySync();
    throw new QueryError('refused', `the warehouse answers read-only queries (SELECT, EXPLAIN); this is ${/^[aeiou]/i.test(TYPE_NAMES[type] ?? '') ? 'an' : 'a'} ${TYPE_NAMES[type] ?? `type ${type}`} statement`);
  }
  return prepared;
}

async function readRows(prepared: DuckDBPreparedStatement, maxRows: number): Promise<QueryResult> {
  const result = await prepared.stream();
  const columns = result.columnNames().map((name, i) => ({ name, type: result.columnType(i).toString() }));
  const rows: Json[][] = [];
  let truncated = false;
  for await (const chunk of result.yieldRowsJson()) {
    const room = maxRows - rows.length;
    if (chunk.length > room) {
      rows.push(...chunk.slice(0, room));
      truncated = true;
      break; // the rest is never computed: the stream stops here
    }
    rows.push(...chunk);
  }
  return { columns, rows, truncated };
}

export async function runQuery(warehouse: Warehouse, sql: string, limits: QueryLimits = DEFAULT_LIMITS): Promise<QueryResult> {
  return warehouse.read(async (connection) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      connection.interrupt();
    }, limits.timeoutMs);
    await connection.run('BEGIN TRANSACTION READ ONLY');
    let prepared: DuckDBPreparedStatement | undefined;
    try {
      prepared = await prepareReadOnly(connection, sql);
      return await readRows(prepared, limits.maxRows);
    } catch (error) {
      if (warehouse.isClosed) throw new WarehouseClosedError(); // interrupted by close(): hako is stopping
      if (timedOut) throw new QueryError('timeout', `the query ran past its time limit of ${limits.timeoutMs / 1000} s and was interrupted`, { cause: error });
      if (error instanceof QueryError) throw error;
      throw new QueryError('invalid', duckMessage(error), { cause: error });
    } finally {
      clearTimeout(timer);
      prepared?.destroySync();
      await connection.run('ROLLBACK').catch(() => undefined);
    }
  });
}
