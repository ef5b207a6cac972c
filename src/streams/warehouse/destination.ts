/**
 * @module streams/warehouse/destination — a delivery stream's warehouse destination: Firehose's
 * `RedshiftDestinationConfiguration`, loaded where Redshift would run COPY — into hako's own warehouse or
 * into a PostgreSQL server's table — and the checks CreateDeliveryStream makes of it.
 *
 * - `ClusterJDBCURL`: `jdbc:hako:warehouse` (hako's one warehouse, `<data-dir>/warehouse.duckdb`), or
 *   `jdbc:postgresql://host[:port]/database` (see `postgres/url.ts`). Redshift URLs and anything else are
 *   refused with InvalidArgumentException naming the two accepted forms. A PostgreSQL URL is checked by
 *   shape only: as with Firehose, CreateDeliveryStream does not connect; an unreachable server or a wrong
 *   password fails the deliveries, which are retried for `RetryOptions.DurationInSeconds`.
 * - `CopyCommand.DataTableName`: `table` or `schema.table`; `DataTableColumns`: names, each optionally with
 *   a DuckDB type (see `schema.ts`; for PostgreSQL, mapped by `postgres/types.ts`); absent, the columns are
 *   inferred. For PostgreSQL the table and schema names are folded to lower case, as PostgreSQL (and
 *   Redshift) fold these unquoted names; the schema defaults to `public`; names are at most 63 bytes.
 * - `CopyOptions`: records are always JSON objects, as `JSON 'auto'`; that, `FORMAT AS JSON 'auto'`,
 *   `GZIP`, `TIMEFORMAT 'auto'` and `DATEFORMAT 'auto'` are accepted (and change nothing); anything else
 *   (CSV, jsonpaths files, MAXERROR, …) is refused rather than ignored.
 * - `S3Configuration`: the bucket folder that receives the error output, and the buffering hints. Firehose
 *   also stages every batch there before COPY; hako loads directly, so only the error output is written.
 *   Its `Prefix` may not use expressions (Firehose's rule for Redshift).
 * - `Username`/`Password`: for PostgreSQL, the login (Username required); the password is kept in the
 *   stream's stored configuration for delivery and, as in Firehose, never described. For hako's warehouse
 *   they are accepted and not used, and the password is not kept.
 */
import { checkFolderDestination, type BufferingHints, type FolderDestination } from '../delivery/config.js';
import { firehoseError } from '../delivery/errors.js';
import type { DestinationPrefixes } from '../delivery/prefix.js';
import { postgresColumns } from './postgres/types.js';
import { isPostgresUrl, parsePostgresUrl, POSTGRES_URL_FORM, PostgresUrlError, type PostgresAddress } from './postgres/url.js';
import { parseColumns, parseTableName, SchemaError, type DeclaredColumn, type TableName } from './schema.js';

export const WAREHOUSE_JDBC_URL = 'jdbc:hako:warehouse';

export interface WarehouseDestination {
  readonly kind: 'warehouse';
  readonly roleArn: string;
  readonly clusterJdbcUrl: string;
  readonly dataTableName: string;
  readonly dataTableColumns?: string | undefined;
  readonly copyOptions?: string | undefined;
  readonly username?: string | undefined;
  /** PostgreSQL targets only: the login's password (never described). */
  readonly password?: string | undefined;
  /** RetryOptions.DurationInSeconds: 0–7,200, Firehose's default 3,600. */
  readonly retryDurationSeconds: number;
  /** S3Configuration, as an S3 destination: where the error output goes. */
  readonly s3: FolderDestination;
  /** S3Configuration's buffering hints, where the delivery worker reads every destination's. */
  readonly bufferingHints: BufferingHints;
}

/** Where the rows go: hako's warehouse, or a PostgreSQL server with its login. */
export type WarehouseTarget =
  | { readonly kind: 'warehouse' }
  | { readonly kind: 'postgresql'; readonly address: PostgresAddress; readonly user: string; readonly password?: string | undefined };

export interface CheckedWarehouseDestination {
  readonly target: WarehouseTarget;
  readonly table: TableName;
  readonly declared?: DeclaredColumn[] | undefined;
  /** Of the S3Configuration: its ErrorOutputPrefix places the error output. */
  readonly prefixes: DestinationPrefixes;
}

const invalid = (message: string): Error => firehoseError('InvalidArgumentException', message);

/** PostgreSQL's limit for names (NAMEDATALEN - 1); longer ones are cut, silently. */
const POSTGRES_NAME_BYTES = 63;

/** Whether the password is kept with the stream: only a PostgreSQL target uses it. */
export function keepsPassword(url: string): boolean {
  return isPostgresUrl(url);
}

/** Where `url` points; InvalidArgumentException naming the accepted forms otherwise. */
export function checkJdbcUrl(url: string): { kind: 'warehouse' } | { kind: 'postgresql'; address: PostgresAddress } {
  if (url === WAREHOUSE_JDBC_URL) return { kind: 'warehouse' };
  if (isPostgresUrl(url)) {
    try {
      return { kind: 'postgresql', address: parsePostgresUrl(url) };
    } catch (error) {
      if (error instanceof PostgresUrlError) throw invalid(error.message);
      throw error;
    }
  }
  throw invalid(`ClusterJDBCURL ${url} is not a warehouse hako can load: use ${WAREHOUSE_JDBC_URL} (hako's embedded DuckDB warehouse, <data-dir>/warehouse.duckdb, which POST /hako/query and \`hako query\` read) or ${POSTGRES_URL_FORM} (a table in a PostgreSQL server).`);
}

/** The table named as PostgreSQL (and Redshift's COPY) read it, and the declared columns with PostgreSQL types. */
function forPostgres(destination: WarehouseDestination, table: TableName, declared: DeclaredColumn[] | undefined): { table: TableName; declared: DeclaredColumn[] | undefined } {
  // Unquoted names fold to lower case.
  const folded = { schema: table.schema.toLowerCase(), table: table.table.toLowerCase() };
  const tooLong = (name: string): boolean => Buffer.byteLength(name) > POSTGRES_NAME_BYTES;
  if (tooLong(folded.schema) || tooLong(folded.table)) throw invalid(`DataTableName '${destination.dataTableName}': a PostgreSQL name is at most ${POSTGRES_NAME_BYTES} bytes.`);
  const long = declared?.find((column) => tooLong(column.name));
  if (long !== undefined) throw invalid(`DataTableColumns '${destination.dataTableColumns}': the name ${long.name} is longer than ${POSTGRES_NAME_BYTES} bytes, PostgreSQL's limit.`);
  try {
    return { table: folded, declared: declared === undefined ? undefined : postgresColumns(declared) };
  } catch (error) {
    if (error instanceof SchemaError) throw invalid(`DataTableColumns '${destination.dataTableColumns}': ${error.message}`);
    throw error;
  }
}

/** Accepts the CopyOptions that mean "JSON objects, columns by key name"; refuses the rest by name. */
export function checkCopyOptions(options: string | undefined): void {
  const tokens = (options ?? '').match(/'[^']*'|[^\s']+/g) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const word = (tokens[i] as string).toUpperCase();
    const next = (tokens[i + 1] ?? '').toLowerCase();
    if (word === 'GZIP') continue;
    if ((word === 'TIMEFORMAT' || word === 'DATEFORMAT') && next === "'auto'") {
      i++;
      continue;
    }
    if (word === 'FORMAT') {
      if ((tokens[i + 1] ?? '').toUpperCase() === 'AS') i++;
      continue; // the JSON that follows is checked next
    }
    if (word === 'JSON' && (next === "'auto'" || next === '')) {
      if (next !== '') i++;
      continue;
    }
    const what = word === 'JSON' ? `JSON ${tokens[i + 1]} (jsonpaths files)` : tokens[i];
    throw invalid(`CopyOptions '${options}': ${what} is not supported by hako; records load as JSON objects, columns matched by key (JSON 'auto'). Accepted: JSON 'auto', FORMAT AS JSON 'auto', GZIP, TIMEFORMAT 'auto', DATEFORMAT 'auto'.`);
  }
}

export function checkWarehouseDestination(destination: WarehouseDestination, field = 'redshiftDestinationConfiguration'): CheckedWarehouseDestination {
  const url = checkJdbcUrl(destination.clusterJdbcUrl);
  let table: TableName;
  let declared: DeclaredColumn[] | undefined;
  try {
    table = parseTableName(destination.dataTableName, url.kind === 'postgresql' ? 'public' : 'main');
    const columns = destination.dataTableColumns?.trim() ?? '';
    declared = columns === '' ? undefined : parseColumns(columns);
  } catch (error) {
    if (error instanceof SchemaError) throw invalid(error.message);
    throw error;
  }
  if (url.kind === 'postgresql') ({ table, declared } = forPostgres(destination, table, declared));
  checkCopyOptions(destination.copyOptions);
  if ((destination.s3.prefix ?? '').includes('!{')) throw invalid(`S3Configuration Prefix '${destination.s3.prefix}' cannot use expressions for a Redshift destination.`);
  const prefixes = checkFolderDestination(destination.s3, `${field}.s3Configuration`);
  if (url.kind === 'warehouse') return { target: url, table, declared, prefixes };
  const user = destination.username ?? '';
  if (user === '') throw invalid(`Username is required to load into PostgreSQL (${destination.clusterJdbcUrl}): the login hako connects as.`);
  return { target: { kind: 'postgresql', address: url.address, user, password: destination.password }, table, declared, prefixes };
}
