/**
 * @module streams/warehouse/destination — a delivery stream's warehouse destination: Firehose's
 * `RedshiftDestinationConfiguration`, loaded into hako's warehouse where Redshift would run COPY, and the
 * checks CreateDeliveryStream makes of it.
 *
 * - `ClusterJDBCURL` must be `jdbc:hako:warehouse` (hako's one warehouse, `<data-dir>/warehouse.duckdb`);
 *   Redshift and PostgreSQL URLs are refused with InvalidArgumentException (no `pg` in this build).
 * - `CopyCommand.DataTableName`: `table` or `schema.table`; `DataTableColumns`: names, each optionally with
 *   a DuckDB type (see `schema.ts`); absent, the columns are inferred.
 * - `CopyOptions`: records are always JSON objects, as `JSON 'auto'`; that, `FORMAT AS JSON 'auto'`,
 *   `GZIP`, `TIMEFORMAT 'auto'` and `DATEFORMAT 'auto'` are accepted (and change nothing); anything else
 *   (CSV, jsonpaths files, MAXERROR, …) is refused rather than ignored.
 * - `S3Configuration`: the bucket folder that receives the error output, and the buffering hints. Firehose
 *   also stages every batch there before COPY; hako loads directly, so only the error output is written.
 *   Its `Prefix` may not use expressions (Firehose's rule for Redshift).
 * - `Username`/`Password` are accepted and not used (the warehouse is hako's own); the password is not kept.
 */
import { checkFolderDestination, type BufferingHints, type FolderDestination } from '../delivery/config.js';
import { firehoseError } from '../delivery/errors.js';
import type { DestinationPrefixes } from '../delivery/prefix.js';
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
  /** RetryOptions.DurationInSeconds: 0–7,200, Firehose's default 3,600. */
  readonly retryDurationSeconds: number;
  /** S3Configuration, as an S3 destination: where the error output goes. */
  readonly s3: FolderDestination;
  /** S3Configuration's buffering hints, where the delivery worker reads every destination's. */
  readonly bufferingHints: BufferingHints;
}

export interface CheckedWarehouseDestination {
  readonly table: TableName;
  readonly declared?: DeclaredColumn[] | undefined;
  /** Of the S3Configuration: its ErrorOutputPrefix places the error output. */
  readonly prefixes: DestinationPrefixes;
}

const invalid = (message: string): Error => firehoseError('InvalidArgumentException', message);

export function checkJdbcUrl(url: string): void {
  if (url === WAREHOUSE_JDBC_URL) return;
  if (/^jdbc:postgresql:/i.test(url)) throw invalid(`ClusterJDBCURL ${url}: loading into PostgreSQL is not available in this hako (the pg package is not installed); use ${WAREHOUSE_JDBC_URL}, hako's embedded warehouse.`);
  throw invalid(`ClusterJDBCURL ${url} is not a warehouse hako can load: use ${WAREHOUSE_JDBC_URL} (hako's embedded DuckDB warehouse, <data-dir>/warehouse.duckdb, which POST /hako/query and \`hako query\` read).`);
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
  checkJdbcUrl(destination.clusterJdbcUrl);
  let table: TableName;
  let declared: DeclaredColumn[] | undefined;
  try {
    table = parseTableName(destination.dataTableName);
    const columns = destination.dataTableColumns?.trim() ?? '';
    declared = columns === '' ? undefined : parseColumns(columns);
  } catch (error) {
    if (error instanceof SchemaError) throw invalid(error.message);
    throw error;
  }
  checkCopyOptions(destination.copyOptions);
  if ((destination.s3.prefix ?? '').includes('!{')) throw invalid(`S3Configuration Prefix '${destination.s3.prefix}' cannot use expressions for a Redshift destination.`);
  const prefixes = checkFolderDestination(destination.s3, `${field}.s3Configuration`);
  return { table, declared, prefixes };
}
