/**
 * @module streams/warehouse/postgres/catalog — the PostgreSQL side of column planning (`../column-plan.ts`
 * decides which columns a load writes and creates, for every target alike), on the load's connection inside
 * its transaction: the table's columns (from `pg_attribute`, types as `format_type` spells them), the types
 * the staged objects (`pg_temp.hako_staging`, `loader.ts`) infer, and CREATE TABLE IF NOT EXISTS / ALTER
 * TABLE ADD COLUMN IF NOT EXISTS.
 *
 * Inference classifies each value as DuckDB's `json_type` would (integers BIGINT, other numbers DOUBLE,
 * strings VARCHAR, …) and reuses `schema.inferType`, so both targets infer the same column for the same
 * values; `types.ts` spells it for PostgreSQL (bigint, double precision, boolean, text, jsonb).
 */
import type pg from 'pg';
import type { ColumnCatalog } from '../column-plan.js';
import { inferType, qualifiedName, quoteIdent, type TableColumn, type TableName } from '../schema.js';
import { postgresType } from './types.js';

export const STAGING = 'pg_temp.hako_staging';
/** PostgreSQL's limit for names; a longer one would be cut, and no longer match its key. */
export const NAME_BYTES = 63;

/** A JSON value's type as DuckDB's json_type names it; NULL for null or a missing key. */
const classify = (value: string): string =>
  `CASE json_typeof(${value}) WHEN 'number' THEN CASE WHEN ${value}::text ~ '^-?[0-9]+$' THEN 'BIGINT' ELSE 'DOUBLE' END ` +
  `WHEN 'string' THEN 'VARCHAR' WHEN 'boolean' THEN 'BOOLEAN' WHEN 'object' THEN 'OBJECT' WHEN 'array' THEN 'ARRAY' END`;

async function tableColumns(client: pg.ClientBase, table: TableName): Promise<TableColumn[] | undefined> {
  const { rows } = await client.query<{ found: boolean; name: string | null; type: string | null; nullable: boolean | null }>(
    'SELECT c.oid IS NOT NULL AS found, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable ' +
      'FROM (SELECT to_regclass($1) AS oid) c LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum',
    [qualifiedName(table)],
  );
  if (rows[0]?.found !== true) return undefined;
  return rows.filter((row) => row.name !== null).map((row) => ({ name: row.name as string, type: row.type as string, nullable: row.nullable === true }));
}

async function inferTypes(client: pg.ClientBase, keys: readonly string[]): Promise<Map<string, string | undefined>> {
  if (keys.length === 0) return new Map();
  const lists = keys.map((_, i) => `array_agg(DISTINCT ${classify(`(doc -> $${i + 1}::text)`)})`).join(', ');
  const { rows } = await client.query<string[]>({ text: `SELECT ${lists} FROM ${STAGING}`, values: [...keys], rowMode: 'array' });
  const row = rows[0] ?? [];
  return new Map(keys.map((key, i) => {
    const type = inferType(((row[i] ?? []) as unknown as Array<string | null>).filter((t): t is string => t !== null));
    return [key, type === undefined ? undefined : postgresType(type)];
  }));
}

async function recordsWithKeys(client: pg.ClientBase, keys: readonly string[]): Promise<number[]> {
  const { rows } = await client.query<{ rec: number }>(`SELECT DISTINCT rec FROM ${STAGING} WHERE EXISTS (SELECT 1 FROM json_object_keys(doc) k WHERE k = ANY($1::text[])) ORDER BY rec`, [keys]);
  return rows.map((row) => row.rec);
}

async function createColumns(client: pg.ClientBase, table: TableName, createTable: boolean, columns: readonly TableColumn[]): Promise<void> {
  const name = qualifiedName(table);
  if (createTable) {
    // Only when missing: CREATE SCHEMA needs the CREATE privilege on the database even with IF NOT EXISTS.
    const { rows } = await client.query<{ found: boolean }>('SELECT to_regnamespace($1) IS NOT NULL AS found', [quoteIdent(table.schema)]);
    if (rows[0]?.found !== true) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(table.schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${name} (${columns.map((column) => `${quoteIdent(column.name)} ${column.type}`).join(', ')})`);
    return;
  }
  await client.query(`ALTER TABLE ${name} ${columns.map((column) => `ADD COLUMN IF NOT EXISTS ${quoteIdent(column.name)} ${column.type}`).join(', ')}`);
}

/** Planning's questions, answered by PostgreSQL on the load's connection. */
export function postgresCatalog(client: pg.ClientBase): ColumnCatalog {
  return {
    tableColumns: (table) => tableColumns(client, table),
    inferTypes: (keys) => inferTypes(client, keys),
    recordsWithKeys: (keys) => recordsWithKeys(client, keys),
    createColumns: (table, createTable, columns) => createColumns(client, table, createTable, columns),
    textType: 'text',
    keyProblem: (key) => (Buffer.byteLength(key) > NAME_BYTES ? `key '${key.slice(0, 40)}…' is longer than ${NAME_BYTES} bytes, PostgreSQL's limit for column names` : undefined),
  };
}
