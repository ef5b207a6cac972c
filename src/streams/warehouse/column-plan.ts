/**
 * @module streams/warehouse/column-plan — which columns one load writes, and which it creates: the rules
 * every warehouse target shares (hako's DuckDB warehouse, a PostgreSQL table). What they need of their
 * database — the table's columns, types inferred from the batch, the records carrying a key, the DDL — is a
 * `ColumnCatalog`, run inside the load's transaction on the batch's staged objects, so a failed load
 * leaves neither the table nor a column behind.
 *
 * Declared columns (`DataTableColumns`): the load writes exactly those; keys not declared are ignored (as
 * Redshift's `JSON 'auto'` ignores fields without a column); a declared column the table lacks is added.
 * Inferred (no `DataTableColumns`): every key becomes a column, the first batch creating the table and a
 * later batch with a new key adding one; rows loaded before have NULL there. A key only ever null makes no
 * column yet. A key that differs from a column only in case, or cannot name a column, rejects its record
 * (column names are matched case-insensitively, keys are not).
 */
import { displayName, keyProblem, type DeclaredColumn, type TableColumn, type TableName } from './schema.js';

export interface ColumnPlan {
  /** The columns this load inserts into, each with the JSON key it is read from. */
  readonly targets: ReadonlyArray<TableColumn & { readonly key: string }>;
  /** Columns created by this load (the table's, when it creates the table). */
  readonly added: readonly string[];
}

export type Reject = (records: readonly number[], reason: string) => Promise<void>;

/** What planning asks of one database, inside the load's transaction, about the batch's staged objects. */
export interface ColumnCatalog {
  /** The table's columns, in order, types spelled as the database spells them; undefined when there is no such table. */
  tableColumns(table: TableName): Promise<TableColumn[] | undefined>;
  /** The type each key's staged values infer (`schema.inferType`, in this database's spelling); undefined: only nulls. */
  inferTypes(keys: readonly string[]): Promise<Map<string, string | undefined>>;
  /** Records whose staged objects carry any of `keys`. */
  recordsWithKeys(keys: readonly string[]): Promise<number[]>;
  /** Creates the table with `columns` (`createTable`), or adds them to it. */
  createColumns(table: TableName, createTable: boolean, columns: readonly TableColumn[]): Promise<void>;
  /** The type of a declared column that has no type and no value yet (DuckDB VARCHAR, PostgreSQL text). */
  readonly textType: string;
  /** Why a key cannot name a column in this database, beyond `schema.keyProblem` (PostgreSQL: over 63 bytes). */
  keyProblem?(key: string): string | undefined;
}

/**
 * Decides the load's columns, rejecting records whose keys cannot be columns, and runs the DDL. `keys` are
 * the batch's top-level keys in order of first appearance (found while splitting the records).
 */
export async function planColumns(catalog: ColumnCatalog, table: TableName, declared: readonly DeclaredColumn[] | undefined, keys: ReadonlySet<string>, reject: Reject): Promise<ColumnPlan> {
  const found = await catalog.tableColumns(table);
  const existing = found ?? [];
  const byName = new Map(existing.map((column) => [column.name.toLowerCase(), column]));
  const targets: Array<TableColumn & { key: string }> = [];
  const wanted: Array<{ name: string; type: string | undefined }> = [];
  if (declared !== undefined) {
    for (const column of declared) {
      const present = byName.get(column.name.toLowerCase());
      if (present !== undefined) targets.push({ ...present, key: column.name });
      else wanted.push({ name: column.name, type: column.type });
    }
  } else {
    const added = new Map<string, string>();
    const refused = new Map<string, string>();
    for (const key of keys) {
      const present = byName.get(key.toLowerCase());
      const problem = keyProblem(key) ?? catalog.keyProblem?.(key);
      if (present !== undefined && present.name !== key) refused.set(key, `key '${key}' differs only in case from column ${present.name} of ${displayName(table)} (column names are case-insensitive)`);
      else if (problem !== undefined) refused.set(key, problem);
      else if (present === undefined && added.has(key.toLowerCase())) refused.set(key, `key '${key}' differs only in case from key '${added.get(key.toLowerCase())}' (column names are case-insensitive)`);
      else if (present === undefined) {
        added.set(key.toLowerCase(), key);
        wanted.push({ name: key, type: undefined });
      }
    }
    for (const [key, reason] of refused) {
      const records = await catalog.recordsWithKeys([key]);
      await reject(records, reason);
    }
    targets.push(...existing.map((column) => ({ ...column, key: column.name })));
  }
  const types = await catalog.inferTypes(wanted.filter((column) => column.type === undefined).map((column) => column.name));
  const created: TableColumn[] = [];
  for (const column of wanted) {
    // A declared column must exist even if no value came yet; an inferred one waits for a non-null value.
    const type = column.type ?? types.get(column.name) ?? (declared !== undefined ? catalog.textType : undefined);
    if (type !== undefined) created.push({ name: column.name, type, nullable: true });
  }
  if (created.length > 0) await catalog.createColumns(table, found === undefined, created);
  // Types as the database spells them (a declared DuckDB `int` is INTEGER), for the casts that follow.
  const now = created.length === 0 ? existing : ((await catalog.tableColumns(table)) ?? []);
  const spelled = new Map(now.map((column) => [column.name.toLowerCase(), column]));
  for (const column of created) targets.push({ ...(spelled.get(column.name.toLowerCase()) ?? column), key: column.name });
  return { targets, added: created.map((column) => column.name) };
}
