/**
 * @module streams/warehouse/columns — the DuckDB side of column planning (`column-plan.ts` decides which
 * columns a load writes and creates): the table's current columns, types inferred from the staged objects
 * (`hako_staging`), CREATE TABLE / ALTER TABLE ADD COLUMN; and the check of declared DuckDB types.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnCatalog } from './column-plan.js';
import { inferType, qualifiedName, quoteIdent, quoteText, type DeclaredColumn, type TableColumn, type TableName } from './schema.js';

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

/** Planning's questions (`column-plan.ts`), answered by DuckDB on the writer connection. */
export function duckdbCatalog(connection: DuckDBConnection): ColumnCatalog {
  return {
    tableColumns: (table) => tableColumns(connection, table),
    inferTypes: (keys) => inferTypes(connection, keys),
    recordsWithKeys: (keys) => recordsWithKeys(connection, keys),
    createColumns: (table, createTable, columns) => createColumns(connection, table, createTable, columns),
    textType: 'VARCHAR',
  };
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
