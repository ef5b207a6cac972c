/**
 * @module streams/warehouse/postgres/types — the column types of `DataTableColumns` (DuckDB's names, as
 * hako's own warehouse takes them; see `../schema.ts`) as PostgreSQL types, and the types inferred from
 * JSON values (BIGINT, DOUBLE, BOOLEAN, VARCHAR, JSON) likewise. Checked without a server, at
 * CreateDeliveryStream: a type PostgreSQL cannot take is refused there, saying what to declare instead.
 *
 * Where the two differ, the mapping keeps the values: TINYINT becomes smallint (PostgreSQL has no 1-byte
 * integer), HUGEINT numeric(39,0), FLOAT real (DuckDB's FLOAT is 4 bytes; PostgreSQL's is 8), VARCHAR and
 * other unbounded strings text, JSON jsonb, `T[]` an array of T. Length and precision are PostgreSQL's to
 * enforce: `VARCHAR(20)` is varchar(20) there (DuckDB ignores the 20), so a longer value rejects its record.
 * PostgreSQL's own spellings of these types (`DOUBLE PRECISION`, `TIMESTAMP WITH TIME ZONE`, `JSONB`,
 * `CHARACTER VARYING(n)`) are taken too.
 */
import { SchemaError, type DeclaredColumn } from '../schema.js';

const SCALARS: Readonly<Record<string, string>> = {
  BOOLEAN: 'boolean', BOOL: 'boolean', LOGICAL: 'boolean',
  TINYINT: 'smallint', INT1: 'smallint',
  SMALLINT: 'smallint', INT2: 'smallint', SHORT: 'smallint',
  INTEGER: 'integer', INT: 'integer', INT4: 'integer', SIGNED: 'integer',
  BIGINT: 'bigint', INT8: 'bigint', LONG: 'bigint',
  HUGEINT: 'numeric(39,0)', INT128: 'numeric(39,0)',
  REAL: 'real', FLOAT: 'real', FLOAT4: 'real',
  DOUBLE: 'double precision', 'DOUBLE PRECISION': 'double precision', FLOAT8: 'double precision',
  DECIMAL: 'numeric', NUMERIC: 'numeric',
  VARCHAR: 'text', 'CHARACTER VARYING': 'text', TEXT: 'text', STRING: 'text', CHAR: 'text', BPCHAR: 'text',
  UUID: 'uuid',
  BLOB: 'bytea', BYTEA: 'bytea', BINARY: 'bytea', VARBINARY: 'bytea',
  DATE: 'date',
  TIME: 'time', 'TIME WITHOUT TIME ZONE': 'time', TIMETZ: 'timetz', 'TIME WITH TIME ZONE': 'timetz',
  TIMESTAMP: 'timestamp', DATETIME: 'timestamp', 'TIMESTAMP WITHOUT TIME ZONE': 'timestamp', TIMESTAMP_US: 'timestamp',
  TIMESTAMP_MS: 'timestamp(3)', TIMESTAMP_S: 'timestamp(0)',
  TIMESTAMPTZ: 'timestamptz', 'TIMESTAMP WITH TIME ZONE': 'timestamptz',
  INTERVAL: 'interval',
  JSON: 'jsonb', JSONB: 'jsonb',
};

/** Types PostgreSQL cannot hold as such, and what to declare instead. */
const REFUSED: Readonly<Record<string, string>> = {
  UTINYINT: 'PostgreSQL has no unsigned integers: declare SMALLINT',
  USMALLINT: 'PostgreSQL has no unsigned integers: declare INTEGER',
  UINTEGER: 'PostgreSQL has no unsigned integers: declare BIGINT',
  UBIGINT: 'PostgreSQL has no unsigned integers: declare DECIMAL(20,0)',
  UHUGEINT: 'PostgreSQL has no unsigned integers: declare DECIMAL(39,0)',
  VARINT: 'PostgreSQL has no VARINT: declare DECIMAL',
  TIMESTAMP_NS: 'PostgreSQL timestamps hold microseconds: declare TIMESTAMP',
  STRUCT: 'PostgreSQL has no STRUCT columns: declare JSON (a jsonb column)',
  MAP: 'PostgreSQL has no MAP columns: declare JSON (a jsonb column)',
  UNION: 'PostgreSQL has no UNION columns: declare JSON (a jsonb column)',
  BIT: 'hako does not load BIT columns into PostgreSQL: declare VARCHAR',
  BITSTRING: 'hako does not load BIT columns into PostgreSQL: declare VARCHAR',
  ENUM: 'an ENUM type must exist in PostgreSQL first: create the table yourself, or declare VARCHAR',
};

/** `NAME(args)` with its arguments' digits; upper-cased name. */
const PARAMETERISED = /^([A-Z_ ]+?)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$/;

const inRange = (value: number, min: number, max: number): boolean => Number.isInteger(value) && value >= min && value <= max;

/** One type with parameters (`DECIMAL(10,2)`, `VARCHAR(20)`, `TIMESTAMP(3)`), or undefined when it has none. */
function parameterised(upper: string): { type: string } | { problem: string } | undefined {
  const match = PARAMETERISED.exec(upper);
  if (match === null) return undefined;
  const name = (match[1] as string).trim();
  const first = Number(match[2]);
  const second = match[3] === undefined ? undefined : Number(match[3]);
  if (name === 'DECIMAL' || name === 'NUMERIC') {
    if (!inRange(first, 1, 1000)) return { problem: 'the precision must be 1 to 1000' };
    if (second !== undefined && !inRange(second, 0, first)) return { problem: 'the scale must be 0 to the precision' };
    return { type: `numeric(${first},${second ?? 0})` };
  }
  if (second !== undefined) return { problem: `${name} takes one parameter` };
  const length = inRange(first, 1, 10_485_760) ? undefined : { problem: 'the length must be 1 to 10485760' };
  if (name === 'VARCHAR' || name === 'CHARACTER VARYING') return length ?? { type: `varchar(${first})` };
  if (name === 'CHAR' || name === 'CHARACTER' || name === 'BPCHAR') return length ?? { type: `char(${first})` };
  const precision = inRange(first, 0, 6) ? undefined : { problem: 'the precision (fractional digits of a second) must be 0 to 6' };
  if (name === 'TIMESTAMP') return precision ?? { type: `timestamp(${first})` };
  if (name === 'TIMESTAMPTZ') return precision ?? { type: `timestamptz(${first})` };
  if (name === 'TIME') return precision ?? { type: `time(${first})` };
  if (name === 'TIMETZ') return precision ?? { type: `timetz(${first})` };
  return undefined;
}

const EXAMPLES = 'for example BIGINT, DOUBLE, DECIMAL(10,2), BOOLEAN, VARCHAR, TIMESTAMP, TIMESTAMPTZ, DATE, JSON, UUID, or an array such as BIGINT[]';

/** The PostgreSQL type, or why there is none. */
function mapType(declared: string): { type: string } | { problem: string } {
  const upper = declared.trim().replace(/\s+/g, ' ').toUpperCase();
  const array = /^(.*?)\s*\[\s*\d*\s*\]$/.exec(upper);
  if (array !== null) {
    const element = mapType(array[1] as string);
    return 'type' in element ? { type: `${element.type}[]` } : element;
  }
  const scalar = SCALARS[upper];
  if (scalar !== undefined) return { type: scalar };
  const head = /^[A-Z_0-9]+/.exec(upper)?.[0] ?? upper;
  const refused = REFUSED[upper] ?? (upper.includes('(') ? REFUSED[head] : undefined);
  if (refused !== undefined) return { problem: `cannot be a PostgreSQL column: ${refused}` };
  const withParameters = parameterised(upper);
  if (withParameters === undefined) return { problem: `is not a type hako can load into PostgreSQL (${EXAMPLES})` };
  return 'type' in withParameters ? withParameters : { problem: `cannot be a PostgreSQL column: ${withParameters.problem}` };
}

/**
 * The PostgreSQL type for a declared (DuckDB-style) or inferred type; throws SchemaError saying why when
 * PostgreSQL cannot take it. Arrays (`T[]`, DuckDB's fixed `T[n]` too) become arrays of T's type.
 */
export function postgresType(declared: string): string {
  const mapped = mapType(declared);
  if ('problem' in mapped) throw new SchemaError(`the type '${declared}' ${mapped.problem}`);
  return mapped.type;
}

/** Declared columns with their types as PostgreSQL types (SchemaError naming the column otherwise). */
export function postgresColumns(columns: readonly DeclaredColumn[]): DeclaredColumn[] {
  return columns.map((column) => {
    if (column.type === undefined) return column;
    const mapped = mapType(column.type);
    if ('problem' in mapped) throw new SchemaError(`the type '${column.type}' of column ${column.name} ${mapped.problem}`);
    return { name: column.name, type: mapped.type };
  });
}
