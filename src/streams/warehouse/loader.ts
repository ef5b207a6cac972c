/**
 * @module streams/warehouse/loader — one batch of JSON objects into one table, in one transaction: all of
 * the batch's good records and the columns they need become visible together, or nothing does.
 *
 * The steps, on the writer connection:
 * 1. `stage` — the object texts go into a temporary table through DuckDB's appender (measured: ~4× faster
 *    than binding them as one string and splitting it in SQL; JSON parsing and casting then run in DuckDB,
 *    vectorised, rather than per value in JavaScript);
 * 2. `rejectInvalidJson` — objects DuckDB cannot parse reject their records;
 * 3. `planColumns` — the table and the columns this batch needs (see `column-plan.ts`);
 * 4. `castRows` — each object parsed once (`json_transform`) and each value cast to its column's type;
 *    a value present but not castable, or a NOT NULL column without a value, rejects its record;
 * 5. `insertRows` — the rest, in arrival order, in one INSERT … SELECT.
 * A rejected record loads none of its objects. The caller's `beforeCommit` sees the rejections before the
 * commit (the sink writes them to the error output there), so a failure to record them loads nothing.
 *
 * Values are cast from their JSON text with DuckDB's casts (`"12"` fits INTEGER, `"2024-05-06T07:08:09Z"`
 * fits TIMESTAMP, `true` does not fit INTEGER), except that integer columns take whole numbers only (DuckDB
 * would round `21.7` to 22 without a word). In an inferred table a BIGINT column that meets a number with
 * a fraction becomes DOUBLE (ALTER COLUMN, in the load's transaction) instead, as if the first batch had
 * had it. JSON numbers with a fraction are read as doubles by DuckDB's JSON reader, so a DECIMAL column is
 * exact only to ~15 significant digits: send larger decimals as strings. Integers of any size stay exact.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { planColumns, type ColumnPlan } from './column-plan.js';
import { duckdbCatalog } from './columns.js';
import type { JsonDocuments } from './json-records.js';
import { displayName, extractionOf, qualifiedName, quoteIdent, quoteText, type DeclaredColumn, type TableColumn, type TableName } from './schema.js';

export interface LoadTarget {
  readonly table: TableName;
  /** `DataTableColumns`; undefined: columns are inferred and grow with new keys. */
  readonly declared?: readonly DeclaredColumn[] | undefined;
}

export interface Rejection {
  /** The record's index in the batch. */
  readonly record: number;
  readonly reason: string;
}

export interface LoadResult {
  /** Rows inserted (one per object). */
  readonly rows: number;
  /** Records none of whose objects loaded, by record index. */
  readonly rejected: readonly Rejection[];
  /** Columns this load created. */
  readonly added: readonly string[];
}

export type BeforeCommit = (rejected: readonly Rejection[]) => Promise<void>;

/** Run once on the writer connection: the staging table lives as long as the connection. */
export const STAGING_SETUP = ['CREATE TEMP TABLE IF NOT EXISTS hako_staging (ord INTEGER, rec INTEGER, doc VARCHAR)'];

/** Loads `input` into the target table; must run on the writer connection (`Warehouse.write`). */
export async function loadDocuments(connection: DuckDBConnection, target: LoadTarget, input: JsonDocuments, beforeCommit?: BeforeCommit): Promise<LoadResult> {
  const rejected = new Map<number, string>(input.invalid);
  await connection.run('BEGIN TRANSACTION');
  try {
    let rows = 0;
    let added: readonly string[] = [];
    if (input.docs.length > 0) {
      ({ rows, added } = await loadStaged(connection, target, input, rejected));
    }
    const list = [...rejected].sort(([a], [b]) => a - b).map(([record, reason]) => ({ record, reason }));
    await beforeCommit?.(list);
    await connection.run('COMMIT');
    return { rows, rejected: list, added };
  } catch (error) {
    // Also undoes the staging rows and temporary tables: the next load starts clean.
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function loadStaged(connection: DuckDBConnection, target: LoadTarget, input: JsonDocuments, rejected: Map<number, string>): Promise<{ rows: number; added: readonly string[] }> {
  // Notes why each record is rejected and drops its staged objects (few, as a rule: an IN list will do).
  const reject = async (entries: ReadonlyArray<readonly [number, string]>): Promise<void> => {
    if (entries.length === 0) return;
    for (const [record, reason] of entries) if (!rejected.has(record)) rejected.set(record, reason);
    await connection.run(`DELETE FROM hako_staging WHERE rec IN (${entries.map(([record]) => record).join(', ')})`);
  };
  await stage(connection, input);
  await rejectInvalidJson(connection, rejected);
  let plan = await planColumns(duckdbCatalog(connection), target.table, target.declared, input.keys, (records, reason) => reject(records.map((record) => [record, reason])));
  if (plan.targets.length === 0) {
    const rest = (await connection.runAndReadAll('SELECT DISTINCT rec FROM hako_staging')).getRows().map(([rec]) => Number(rec));
    await reject(rest.map((record) => [record, `no column to create table ${displayName(target.table)} with: the records have no key with a non-null value`]));
    return { rows: 0, added: [] };
  }
  const widen = await castRows(connection, plan.targets, target.declared === undefined);
  if (widen.length > 0) {
    // An inferred BIGINT column meets fractions: it becomes DOUBLE (in this transaction), and the batch is cast again.
    for (const i of widen) await connection.run(`ALTER TABLE ${qualifiedName(target.table)} ALTER COLUMN ${quoteIdent((plan.targets[i] as TableColumn).name)} TYPE DOUBLE`);
    plan = { ...plan, targets: plan.targets.map((column, i) => (widen.includes(i) ? { ...column, type: 'DOUBLE' } : column)) };
    await castRows(connection, plan.targets, false);
  }
  const misfits = (await connection.runAndReadAll('SELECT rec, arg_min(misfit, ord) FROM hako_cast WHERE misfit IS NOT NULL GROUP BY rec')).getRows();
  for (const [rec, reason] of misfits) if (!rejected.has(Number(rec))) rejected.set(Number(rec), String(reason));
  // A record with one misfit object loses all its objects; however many there are, one statement.
  if (misfits.length > 0) await connection.run('DELETE FROM hako_cast WHERE rec IN (SELECT rec FROM hako_cast WHERE misfit IS NOT NULL)');
  const columns = plan.targets.map((column) => quoteIdent(column.name)).join(', ');
  const values = plan.targets.map((_, i) => `c${i}`).join(', ');
  const inserted = await connection.run(`INSERT INTO ${qualifiedName(target.table)} (${columns}) SELECT ${values} FROM hako_cast ORDER BY ord`);
  await connection.run('DROP TABLE hako_cast');
  await connection.run('DELETE FROM hako_staging');
  return { rows: inserted.rowsChanged, added: plan.added };
}

async function stage(connection: DuckDBConnection, input: JsonDocuments): Promise<void> {
  const appender = await connection.createAppender('hako_staging', 'main', 'temp');
  try {
    input.docs.forEach((doc, ord) => {
      appender.appendInteger(ord);
      appender.appendInteger(input.recordOf[ord] as number);
      appender.appendVarchar(doc);
      appender.endRow();
    });
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

async function rejectInvalidJson(connection: DuckDBConnection, rejected: Map<number, string>): Promise<void> {
  const rows = (await connection.runAndReadAll('SELECT rec, doc FROM hako_staging WHERE NOT json_valid(doc) ORDER BY ord')).getRows();
  if (rows.length === 0) return;
  // A batch of garbage can hold thousands: their SyntaxErrors need no stack traces, which cost the most.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const [rec, doc] of rows) if (!rejected.has(Number(rec))) rejected.set(Number(rec), `not valid JSON: ${whyNotJson(String(doc))}`);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  await connection.run('DELETE FROM hako_staging WHERE rec IN (SELECT rec FROM hako_staging WHERE NOT json_valid(doc))');
}

/** JavaScript's account of a parse error (DuckDB's json_valid says only whether); only for bad objects. */
function whyNotJson(text: string): string {
  try {
    JSON.parse(text);
    return 'DuckDB cannot parse it';
  } catch (error) {
    return (error as Error).message;
  }
}

/** JSON's integers, as DuckDB's JSON reader writes them out: what an integer column takes. */
const WHOLE = quoteText('-?[0-9]+');

/**
 * `hako_cast`: per object, each target column's value (`c<i>`) and the first reason it does not fit
 * (`misfit`, NULL when it does). Each object is parsed once, by `json_transform`, into a struct of texts.
 * With `widening`, answers the BIGINT columns that met numbers with a fraction (for the caller to widen).
 */
async function castRows(connection: DuckDBConnection, targets: ColumnPlan['targets'], widening: boolean): Promise<number[]> {
  const spec = JSON.stringify(Object.fromEntries(targets.map((column) => [column.key, extractionOf(column.type).as])));
  const inner = targets.map((column, i) => {
    const raw = `v.${quoteIdent(column.key)}`;
    const { cast, integer } = extractionOf(column.type);
    const value = !cast ? raw : integer ? `CASE WHEN regexp_full_match(${raw}, ${WHOLE}) THEN TRY_CAST(${raw} AS ${column.type}) END` : `TRY_CAST(${raw} AS ${column.type})`;
    return `${value} AS c${i}, ${raw} AS r${i}`;
  });
  const widenable = widening ? targets.flatMap((column, i) => (column.type.toUpperCase() === 'BIGINT' ? [i] : [])) : [];
  const fractions = widenable.map((i) => `, (r${i} IS NOT NULL AND c${i} IS NULL AND NOT regexp_full_match(r${i}, ${WHOLE}) AND TRY_CAST(r${i} AS DOUBLE) IS NOT NULL) AS w${i}`);
  const checks = targets.flatMap((column, i) => {
    const name = `column ${column.name} (${column.type})`;
    const fit = `WHEN r${i} IS NOT NULL AND c${i} IS NULL THEN ${quoteText(`key '${column.key}': the value `)} || left(r${i}, 80) || ${quoteText(` does not fit ${name}`)}`;
    return column.nullable ? [fit] : [fit, `WHEN c${i} IS NULL THEN ${quoteText(`${name} is NOT NULL and the record gives no value for key '${column.key}'`)}`];
  });
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE hako_cast AS SELECT ord, rec, ${targets.map((_, i) => `c${i}`).join(', ')}, CASE ${checks.join(' ')} END AS misfit${fractions.join('')} ` +
      `FROM (SELECT ord, rec, ${inner.join(', ')} FROM (SELECT ord, rec, json_transform(doc, ${quoteText(spec)}) AS v FROM hako_staging))`,
  );
  if (widenable.length === 0) return [];
  const [row] = (await connection.runAndReadAll(`SELECT ${widenable.map((i) => `coalesce(bool_or(w${i}), false)`).join(', ')} FROM hako_cast`)).getRows();
  return widenable.filter((_, j) => row?.[j] === true);
}
