/**
 * @module streams/warehouse/columns — which columns one load writes, and the DDL that makes them exist:
 * the table's current columns, the batch's keys, inferred types, CREATE TABLE / ALTER TABLE ADD COLUMN.
 * Runs inside the load's transaction on the staged objects (`hako_staging`), so a failed load leaves
 * neither the table nor a column behind.
 *
 * Declared columns (`DataTableColumns`): the load writes exactly those; keys not declared are ignored (as
 * Redshift's `JSON 'auto'` ignores fields without a column); a declared column the table lacks is added.
 * Inferred (no `DataTableColumns`): every key becomes a column, the first batch creating the table and a
 * later batch with a new key adding one; rows loaded before have NULL there. A key only ever null makes no
 * column yet. A key that differs from a column only in case, or cannot name a column, rejects its record
 * (column names are case-insensitive, keys are not).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { displayName, inferType, keyProblem, qualifiedName, quoteIdent, quoteText, type DeclaredColumn, type TableColumn, type TableName } from './schema.js';

export interface ColumnPlan {
  /** The columns this load inserts into, each with the JSON key it is read from. */
  readonly targets: ReadonlyArray<TableColumn & { readonly key: string }>;
  /** Columns created by this load (the table's, when it creates the table). */
  readonly added: readonly string[];
}

export type Reject = (records: readonly number[], reason: string) => Promise<void>;

/** The table's columns, in order; undefined when there is no such table. */
export async function tableColumns(connection: DuckDBConnection, name: TableName): Promise<TableColumn[] | undefined> {
  const reader = await connection.runAndReadAll(
    'SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE database_name = current_database() AND lower(schema_name) = lower($1) AND lower(table_name) = lower($2) ORDER BY column_index',
    [name.schema, name.table],
  );
  const rows = reader.getRows();
  if (rows.length === 0) return undefined;
  return rows.map(([column, type, nullable]) => ({ name: String(column), type: String(type), nullable: nullable === true }));
}

/**
 * The type inferred for each key from its staged values (undefined: only nulls). One parse of each object
 * for all the keys: a key that is always null is asked about again by every batch.
 */
async function inferTypes(connection: DuckDBConnection, keys: readonly string[]): Promise<Map<string, string | undefined>> {
  if (keys.length === 0) return new Map();
  const spec = JSON.stringify(Object.fromEntries(keys.map((key) => [key, 'JSON'])));
  const lists = keys.map((key) => `list(DISTINCT json_type(v.${quoteIdent(key)}))`).join(', ');
  const [row] = (await connection.runAndReadAll(`SELECT ${lists} FROM (SELECT json_transform(doc, ${quoteText(spec)}) AS v FROM hako_staging)`)).getRowsJS();
  return new Map(keys.map((key, i) => [key, inferType(((row?.[i] ?? []) as Array<string | null>).filter((t): t is string => t !== null))]));
}

/** Records whose objects carry any of `keys`. */
async function recordsWithKeys(connection: DuckDBConnection, keys: readonly string[]): Promise<number[]> {
  const list = `[${keys.map(quoteText).join(', ')}]`;
  const rows = (await connection.runAndReadAll(`SELECT DISTINCT rec FROM hako_staging WHERE list_has_any(json_keys(doc), ${list}::VARCHAR[])`)).getRows();
  return rows.map(([rec]) => Number(rec));
}

/**
 * Decides the load's columns, rejecting records whose keys cannot be columns, and runs the DDL. `keys` are
 * the batch's top-level keys in order of first appearance (found while splitting the records).
 */
export async function planColumns(connection: DuckDBConnection, table: TableName, declared: readonly DeclaredColumn[] | undefined, keys: ReadonlySet<string>, reject: Reject): Promise<ColumnPlan> {
  const existing = (await tableColumns(connection, table)) ?? [];
  const byName = new Map(existing.map((column) => [column.name.toLowerCase(), column]));
  const targets: Array<TableColumn & { key: string }> = [];
  const wanted: Array<{ name: string; type: string | undefined }> = [];
  if (declared !== undefined) {
    for (const column of declared) {
      const found = byName.get(column.name.toLowerCase());
      if (found !== undefined) targets.push({ ...found, key: column.name });
      else wanted.push({ name: column.name, type: column.type });
    }
  } else {
    const added = new Map<string, string>();
    const refused = new Map<string, string>();
    for (const key of keys) {
      const found = byName.get(key.toLowerCase());
      const problem = keyProblem(key);
      if (found !== undefined && found.name !== key) refused.set(key, `key '${key}' differs only in case from column ${found.name} of ${displayName(table)} (column names are case-insensitive)`);
      else if (problem !== undefined) refused.set(key, problem);
      else if (found === undefined && added.has(key.toLowerCase())) refused.set(key, `key '${key}' differs only in case from key '${added.get(key.toLowerCase())}' (column names are case-insensitive)`);
      else if (found === undefined) {
        added.set(key.toLowerCase(), key);
        wanted.push({ name: key, type: undefined });
      }
    }
    for (const [key, reason] of refused) {
      const records = await recordsWithKeys(connection, [key]);
      await reject(records, reason);
    }
    targets.push(...existing.map((column) => ({ ...column, key: column.name })));
  }
  const types = await inferTypes(connection, wanted.filter((column) => column.type === undefined).map((column) => column.name));
  const created: TableColumn[] = [];
  for (const column of wanted) {
    // A declared column must exist even if no value came yet; an inferred one waits for a non-null value.
    const type = column.type ?? types.get(column.name) ?? (declared !== undefined ? 'VARCHAR' : undefined);
    if (type !== undefined) created.push({ name: column.name, type, nullable: true });
  }
  if (created.length > 0) await createColumns(connection, table, existing.length === 0, created);
  // Types as DuckDB spells them (a declared `int` is INTEGER), for the casts that follow.
  const now = created.length === 0 ? existing : ((await tableColumns(connection, table)) ?? []);
  const spelled = new Map(now.map((column) => [column.name.toLowerCase(), column]));
  for (const column of created) targets.push({ ...(spelled.get(column.name.toLowerCase()) ?? column), key: column.name });
  return { targets, added: created.map((column) => column.name) };
}

async function createColumns(connection: DuckDBConnection, table: TableName, createTable: boolean, columns: readonly TableColumn[]): Promise<void> {
  const name = qualifiedName(table);
  if (createTable) {
    if (table.schema.toLowerCase() !== 'main') await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(table.schema)}`);
    await connection.run(`CREATE TABLE ${name} (${columns.map((column) => `${quoteIdent(column.name)} ${column.type}`).join(', ')})`);
    return;
  }
  for (const column of columns) await connection.run(`ALTER TABLE ${name} ADD COLUMN ${quoteIdent(column.name)} ${column.type}`);
}

/** Checks declared types with DuckDB itself (`CAST(NULL AS <type>)`), before any load depends on them. */
export async function checkDeclaredTypes(connection: DuckDBConnection, columns: readonly DeclaredColumn[]): Promise<void> {
  for (const column of columns) {
    if (column.type === undefined) continue;
    const extracted = await connection.extractStatements(`SELECT CAST(NULL AS ${column.type})`);
    if (extracted.count !== 1) throw new Error(`the type '${column.type}' of column ${column.name} is not a DuckDB type`);
    try {
      (await extracted.prepare(0)).destroySync();
    } catch (error) {
      throw new Error(`the type '${column.type}' of column ${column.name} is not a DuckDB type: ${(error as Error).message.split('\n')[0]}`);
    }
  }
}
