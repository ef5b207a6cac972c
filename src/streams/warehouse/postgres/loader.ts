/**
 * @module streams/warehouse/postgres/loader — one batch of JSON objects into one PostgreSQL table, in one
 * transaction: all of the batch's good records and the columns they need become visible together, or
 * nothing does. The same outcome as the DuckDB loader (`../loader.ts`), by PostgreSQL's means:
 *
 * 1. `checkDocuments` (here, in JavaScript) — objects that are not valid JSON, or hold U+0000 (which
 *    PostgreSQL text cannot), reject their records;
 * 2. `stage` — the whole batch goes over as one parameter, a JSON array, into a temporary table
 *    (`pg_temp.hako_staging`, dropped at the commit): one round trip whatever the batch's size;
 * 3. `planColumns` — the table and the columns this batch needs (`../column-plan.ts`, shared with DuckDB);
 *    loads into one table take a transaction-scoped advisory lock first, so hako's streams (and nodes)
 *    planning DDL for the same table take turns;
 * 4. `widen` — in an inferred table, a bigint column that meets numbers with a fraction becomes double
 *    precision, as in DuckDB;
 * 5. `insertRecords` — one INSERT … SELECT over the staged objects (`json_to_record`, each value converted
 *    by PostgreSQL to its column's type), in arrival order, under a savepoint. If PostgreSQL refuses a
 *    value or a row (a data exception: `"two"` for an integer, a string too long; a constraint: NOT NULL,
 *    UNIQUE, CHECK, a foreign key), the load goes back to the savepoint and inserts record by record, each
 *    in a subtransaction, inside the server (one PL/pgSQL DO block): the records at fault are rejected
 *    with PostgreSQL's own message and the rest load, in order.
 * The caller's `beforeCommit` sees the rejections before the commit (the sink writes them to the error
 * output there), so a failure to record them loads nothing. Any other error (the connection, privileges)
 * rolls everything back and is thrown for the delivery worker to retry.
 */
import type pg from 'pg';
import { planColumns, type ColumnPlan } from '../column-plan.js';
import type { JsonDocuments } from '../json-records.js';
import type { BeforeCommit, LoadResult, LoadTarget } from '../loader.js';
import { displayName, qualifiedName, quoteIdent, quoteText } from '../schema.js';
import { postgresCatalog, STAGING } from './catalog.js';

/** SQLSTATEs that one record's values or row cause: data exceptions, integrity constraints, an index row too big. */
function isRecordError(error: unknown): error is Error & { code: string; detail?: string } {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23') || code === '54000');
}

/** Whether a parsed JSON value holds U+0000 in a string or a key. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([key, inner]) => key.includes('\u0000') || holdsNul(inner));
  return false;
}

/** The objects PostgreSQL can stage, with their records; notes why the others' records are rejected. */
function checkDocuments(input: JsonDocuments, rejected: Map<number, string>): { docs: string[]; recordOf: number[] } {
  // A batch of garbage can hold thousands: their SyntaxErrors need no stack traces, which cost the most.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    input.docs.forEach((doc, i) => {
      const record = input.recordOf[i] as number;
      if (rejected.has(record)) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(doc);
      } catch (error) {
        rejected.set(record, `not valid JSON: ${(error as Error).message}`);
        return;
      }
      if (doc.includes('\\u0000') && holdsNul(parsed)) rejected.set(record, 'PostgreSQL text cannot hold the character U+0000 (\\u0000)');
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const docs: string[] = [];
  const recordOf: number[] = [];
  input.docs.forEach((doc, i) => {
    const record = input.recordOf[i] as number;
    if (rejected.has(record)) return;
    docs.push(doc);
    recordOf.push(record);
  });
  return { docs, recordOf };
}

/** Loads `input` into the target table on `client` (a connection of its own: the load is its transaction). */
export async function loadIntoPostgres(client: pg.ClientBase, target: LoadTarget, input: JsonDocuments, beforeCommit?: BeforeCommit): Promise<LoadResult> {
  const rejected = new Map<number, string>(input.invalid);
  const staged = checkDocuments(input, rejected);
  await client.query('BEGIN');
  try {
    let rows = 0;
    let added: readonly string[] = [];
    if (staged.docs.length > 0) {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('hako warehouse load'), hashtext($1))", [displayName(target.table)]);
      ({ rows, added } = await loadStaged(client, target, input.keys, staged, rejected));
    }
    const list = [...rejected].sort(([a], [b]) => a - b).map(([record, reason]) => ({ record, reason }));
    await beforeCommit?.(list);
    await client.query('COMMIT');
    return { rows, rejected: list, added };
  } catch (error) {
    // Also drops the staging table: the connection's next load starts clean.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function loadStaged(client: pg.ClientBase, target: LoadTarget, keys: ReadonlySet<string>, staged: { docs: string[]; recordOf: number[] }, rejected: Map<number, string>): Promise<{ rows: number; added: readonly string[] }> {
  const reject = async (records: readonly number[], reason: string): Promise<void> => {
    if (records.length === 0) return;
    for (const record of records) if (!rejected.has(record)) rejected.set(record, reason);
    await client.query(`DELETE FROM ${STAGING} WHERE rec = ANY($1::int[])`, [records]);
  };
  await client.query(`CREATE TEMP TABLE hako_staging (ord int, rec int, doc json) ON COMMIT DROP`);
  await client.query(`INSERT INTO ${STAGING} SELECT (d.ord - 1)::int, ($2::int[])[d.ord], d.doc FROM json_array_elements($1::json) WITH ORDINALITY AS d(doc, ord)`, [`[${staged.docs.join(',')}]`, staged.recordOf]);
  let plan = await planColumns(postgresCatalog(client), target.table, target.declared, keys, reject);
  if (plan.targets.length === 0) {
    const records = (await client.query<{ rec: number }>(`SELECT DISTINCT rec FROM ${STAGING} ORDER BY rec`)).rows.map((row) => row.rec);
    await reject(records, `no column to create table ${displayName(target.table)} with: the records have no key with a non-null value`);
    return { rows: 0, added: [] };
  }
  if (target.declared === undefined) plan = await widen(client, target, plan);
  const rows = await insertRecords(client, target, plan, rejected);
  return { rows, added: plan.added };
}

/** JSON values a double precision column takes but a bigint one refuses: numbers (or numeric strings) with a fraction or an exponent. */
const FRACTIONAL = quoteText('^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$');
const WHOLE = quoteText('^\\s*[-+]?[0-9]+\\s*$');

/** An inferred table's bigint columns that meet fractions become double precision (in the load's transaction). */
async function widen(client: pg.ClientBase, target: LoadTarget, plan: ColumnPlan): Promise<ColumnPlan> {
  const bigints = plan.targets.flatMap((column, i) => (column.type === 'bigint' ? [i] : []));
  if (bigints.length === 0) return plan;
  const checks = bigints.map((_, j) => `coalesce(bool_or((doc ->> $${j + 1}::text) ~ ${FRACTIONAL} AND (doc ->> $${j + 1}::text) !~ ${WHOLE}), false)`);
  const { rows } = await client.query<boolean[]>({ text: `SELECT ${checks.join(', ')} FROM ${STAGING}`, values: bigints.map((i) => (plan.targets[i] as ColumnPlan['targets'][number]).key), rowMode: 'array' });
  const widened = bigints.filter((_, j) => rows[0]?.[j] === true);
  if (widened.length === 0) return plan;
  const alter = widened.map((i) => `ALTER COLUMN ${quoteIdent((plan.targets[i] as ColumnPlan['targets'][number]).name)} TYPE double precision`);
  await client.query(`ALTER TABLE ${qualifiedName(target.table)} ${alter.join(', ')}`);
  return { ...plan, targets: plan.targets.map((column, i) => (widened.includes(i) ? { ...column, type: 'double precision' } : column)) };
}

/** A dollar-quote tag that `body` does not contain. */
function dollarTag(body: string): string {
  let n = 0;
  while (body.includes(`$hako${n}$`)) n++;
  return `$hako${n}$`;
}

/**
 * Inserts the staged objects in arrival order: all in one statement under a savepoint; if PostgreSQL
 * refuses one, back to the savepoint and record by record, each in a subtransaction of its own, on the
 * server (one DO block, no round trip per record). Refused records are rejected with PostgreSQL's message.
 */
async function insertRecords(client: pg.ClientBase, target: LoadTarget, plan: ColumnPlan, rejected: Map<number, string>): Promise<number> {
  const columns = plan.targets.map((column) => quoteIdent(column.name)).join(', ');
  const values = plan.targets.map((column) => `x.${quoteIdent(column.key)}`).join(', ');
  const definitions = plan.targets.map((column) => `${quoteIdent(column.key)} ${column.type}`).join(', ');
  const insert = `INSERT INTO ${qualifiedName(target.table)} (${columns}) SELECT ${values} FROM ${STAGING} s, json_to_record(s.doc) AS x(${definitions})`;
  try {
    // One round trip (simple protocol): the savepoint, the insert, and its release.
    const results = (await client.query(`SAVEPOINT hako_rows; ${insert} ORDER BY s.ord; RELEASE SAVEPOINT hako_rows`)) as unknown as pg.QueryResult[];
    return results[1]?.rowCount ?? 0;
  } catch (error) {
    if (!isRecordError(error)) throw error;
  }
  await client.query('ROLLBACK TO SAVEPOINT hako_rows; RELEASE SAVEPOINT hako_rows');
  await client.query(`CREATE INDEX ON ${STAGING} (rec); ANALYZE ${STAGING}; CREATE TEMP TABLE hako_refused (rec int, message text, detail text) ON COMMIT DROP`);
  const body =
    'DECLARE r int; detail text; BEGIN ' +
    `FOR r IN SELECT DISTINCT rec FROM ${STAGING} ORDER BY rec LOOP ` +
    `BEGIN ${insert} WHERE s.rec = r ORDER BY s.ord; ` +
    'EXCEPTION WHEN data_exception OR integrity_constraint_violation OR program_limit_exceeded THEN ' +
    'GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL; ' +
    "INSERT INTO pg_temp.hako_refused VALUES (r, SQLERRM, nullif(detail, '')); " +
    'END; END LOOP; END';
  const tag = dollarTag(body);
  await client.query(`DO ${tag}${body}${tag}`);
  const refused = await client.query<{ rec: number; message: string; detail: string | null }>('SELECT rec, message, detail FROM pg_temp.hako_refused ORDER BY rec');
  for (const { rec, message, detail } of refused.rows) rejected.set(rec, `PostgreSQL refused the record: ${message}${detail === null ? '' : ` (${detail})`}`);
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${STAGING} s WHERE NOT EXISTS (SELECT 1 FROM pg_temp.hako_refused f WHERE f.rec = s.rec)`);
  return rows[0]?.n ?? 0;
}
