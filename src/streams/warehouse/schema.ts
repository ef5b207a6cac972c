/**
 * @module streams/warehouse/schema — what a warehouse table looks like to hako: table names, declared
 * columns (`DataTableColumns`), SQL quoting, and the column types inferred from JSON values.
 *
 * Declared columns are Redshift's comma-separated names, each optionally followed by a DuckDB type
 * (`id BIGINT, at TIMESTAMP, note`); a name without a type gets one inferred from the first batch that
 * carries it. Inference maps the JSON types DuckDB reports for a key's values in one batch:
 * integers → BIGINT; integers and fractions → DOUBLE; booleans → BOOLEAN; strings → VARCHAR; objects,
 * arrays and any other mix → JSON (which holds every JSON value, so a mixed key never loses data).
 * Strings are not guessed into timestamps: a later string that is not one would no longer fit; declare
 * `TIMESTAMP` when the values are timestamps.
 */

export class SchemaError extends Error {}

export interface TableName {
  readonly schema: string;
  readonly table: string;
}

export interface DeclaredColumn {
  readonly name: string;
  /** A DuckDB type; undefined: inferred from the first batch with a value for it. */
  readonly type?: string | undefined;
}

/** A column as the table has it. */
export interface TableColumn {
  readonly name: string;
  /** As DuckDB prints it (`BIGINT`, `DECIMAL(10,2)`, `STRUCT(a INTEGER)`). */
  readonly type: string;
  readonly nullable: boolean;
}

/** Redshift's unquoted identifiers (127 bytes at most), which need no quoting rules in configs. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,126}$/;
/** Characters a declared type may use: names, precision, nested types. Checked by DuckDB afterwards. */
const TYPE_TEXT = /^[A-Za-z][A-Za-z0-9_ (),[\]"]*$/;
/** JSON keys that can be column names in an inferred table. */
const MAX_KEY_LENGTH = 127;

/** `table` or `schema.table`, unquoted identifiers; the schema defaults to `main` (DuckDB's; PostgreSQL's is `public`). */
export function parseTableName(text: string, defaultSchema = 'main'): TableName {
  const parts = text.split('.');
  if (parts.length > 2 || parts.some((part) => !IDENTIFIER.test(part))) {
    throw new SchemaError(`DataTableName '${text}' must be a table name or schema.table, each a letter or _ followed by letters, digits, _ or $ (127 characters at most).`);
  }
  return parts.length === 2 ? { schema: parts[0] as string, table: parts[1] as string } : { schema: defaultSchema, table: parts[0] as string };
}

/** Splits at commas outside parentheses, so `DECIMAL(10,2)` and `STRUCT(a INT, b INT)` stay whole. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim());
}

/** `DataTableColumns`: `name[ TYPE], …`. Types are checked for their characters here and by DuckDB later. */
export function parseColumns(text: string): DeclaredColumn[] {
  const columns: DeclaredColumn[] = [];
  const seen = new Set<string>();
  for (const part of splitTopLevel(text)) {
    const space = part.search(/\s/);
    const name = space === -1 ? part : part.slice(0, space);
    const type = space === -1 ? undefined : part.slice(space).trim();
    if (!IDENTIFIER.test(name)) throw new SchemaError(`DataTableColumns entry '${part}' must start with a column name (a letter or _ followed by letters, digits, _ or $), optionally followed by a DuckDB type.`);
    if (type !== undefined && !TYPE_TEXT.test(type)) throw new SchemaError(`DataTableColumns: the type '${type}' of column ${name} is not a DuckDB type name.`);
    // DuckDB column names are case-insensitive: `id` and `ID` would be the same column.
    if (seen.has(name.toLowerCase())) throw new SchemaError(`DataTableColumns names column ${name} twice (column names are case-insensitive).`);
    seen.add(name.toLowerCase());
    columns.push({ name, type });
  }
  return columns;
}

/** Why a JSON key cannot name a column of an inferred table, or undefined when it can. */
export function keyProblem(key: string): string | undefined {
  if (key === '') return 'the empty key cannot name a column';
  if (key.length > MAX_KEY_LENGTH) return `key '${key.slice(0, 40)}…' is longer than ${MAX_KEY_LENGTH} characters`;
  if (/[\u0000-\u001f]/.test(key)) return `key ${JSON.stringify(key)} holds control characters`;
  return undefined;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export function qualifiedName(name: TableName): string {
  return `${quoteIdent(name.schema)}.${quoteIdent(name.table)}`;
}

export function displayName(name: TableName): string {
  return `${name.schema}.${name.table}`;
}

/** The column type for a key whose values in one batch had these JSON types (DuckDB's names); undefined when all were null. */
export function inferType(jsonTypes: readonly string[]): string | undefined {
  const types = new Set(jsonTypes.filter((type) => type !== 'NULL'));
  if (types.size === 0) return undefined;
  const only = (...allowed: string[]): boolean => [...types].every((type) => allowed.includes(type));
  if (only('UBIGINT', 'BIGINT')) return 'BIGINT';
  if (only('UBIGINT', 'BIGINT', 'DOUBLE')) return 'DOUBLE';
  if (only('BOOLEAN')) return 'BOOLEAN';
  if (only('VARCHAR')) return 'VARCHAR';
  return 'JSON';
}

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT']);

/**
 * How a column's value is taken from a record: as text (a string's contents, a number's digits) for scalar
 * types, as JSON text for JSON and nested types; cast to the column's type unless it is VARCHAR or JSON.
 * `integer`: the text must be whole digits, because DuckDB's cast would round `21.7` to 22 silently.
 */
export function extractionOf(type: string): { as: 'VARCHAR' | 'JSON'; cast: boolean; integer: boolean } {
  const upper = type.toUpperCase();
  if (upper === 'VARCHAR') return { as: 'VARCHAR', cast: false, integer: false };
  if (upper === 'JSON') return { as: 'JSON', cast: false, integer: false };
  const nested = upper.endsWith(']') || upper.startsWith('STRUCT') || upper.startsWith('MAP') || upper.startsWith('UNION');
  return { as: nested ? 'JSON' : 'VARCHAR', cast: true, integer: INTEGER_TYPES.has(upper) };
}
