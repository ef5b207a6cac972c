/**
 * @module streams/delivery/destination-sinks — the `Sink` each kind of destination delivers through (the
 * bucket folder for S3; for Redshift, a table of hako's warehouse or of a PostgreSQL server), and the checks
 * CreateDeliveryStream makes of a destination, including those that need the warehouse itself (declared
 * column types are checked by DuckDB, so a typo is refused at creation instead of failing every delivery).
 * A PostgreSQL destination is checked without connecting (its declared types by `warehouse/postgres/types`):
 * the server need not be up when the stream is created, as with Firehose.
 */
import type { Logger } from '../../core/logger.js';
import { FolderSink } from '../sinks/folder.js';
import type { Sink } from '../sinks/sink.js';
import { WarehouseSink } from '../sinks/warehouse.js';
import { PostgresTable } from '../warehouse/postgres/table.js';
import { checkDeclaredTypes, checkWarehouseDestination, warehouseTable, type TableLoader, type Warehouse } from '../warehouse/index.js';
import { bucketOf, checkFolderDestination, type DeliveryStreamInfo } from './config.js';
import { firehoseError } from './errors.js';

type Destination = DeliveryStreamInfo['destination'];

export interface SinkContext {
  /** Where bucket folders live. */
  readonly bucketsRoot: string;
  /** hako's warehouse; without one, `jdbc:hako:warehouse` destinations are refused. */
  readonly warehouse?: Warehouse | undefined;
  readonly now: () => number;
  readonly logger: Logger;
}

export interface DestinationSink {
  readonly sink: Sink;
  /** The destination's own retry duration (Redshift's RetryOptions), over the delivery default. */
  readonly retryDurationMs?: number | undefined;
}

function warehouseOf(context: SinkContext): Warehouse {
  if (context.warehouse === undefined) throw firehoseError('InvalidArgumentException', 'This hako has no warehouse to load a RedshiftDestinationConfiguration into.');
  return context.warehouse;
}

export function sinkFor(destination: Destination, context: SinkContext): DestinationSink {
  if (destination.kind === 'folder') {
    const prefixes = checkFolderDestination(destination, 'extendedS3DestinationConfiguration');
    return { sink: new FolderSink({ root: context.bucketsRoot, bucket: bucketOf(destination.bucketArn), prefixes, compression: destination.compression, fileExtension: destination.fileExtension }) };
  }
  const { target, table, declared, prefixes } = checkWarehouseDestination(destination);
  const s3 = destination.s3;
  const errors = new FolderSink({ root: context.bucketsRoot, bucket: bucketOf(s3.bucketArn), prefixes, compression: s3.compression, fileExtension: s3.fileExtension });
  const loader: TableLoader =
    target.kind === 'warehouse'
      ? warehouseTable(warehouseOf(context), { table, declared })
      : new PostgresTable({ address: target.address, user: target.user, password: target.password, target: { table, declared }, logger: context.logger });
  return {
    sink: new WarehouseSink({ table: loader, errors, now: context.now }),
    retryDurationMs: destination.retryDurationSeconds * 1000,
  };
}

/** Every check of a new destination; InvalidArgumentException (or ValidationException) for what fails. */
export async function checkDestination(destination: Destination, context: SinkContext): Promise<void> {
  if (destination.kind === 'folder') {
    checkFolderDestination(destination, 'extendedS3DestinationConfiguration');
    return;
  }
  const { target, declared } = checkWarehouseDestination(destination);
  if (target.kind === 'postgresql') return;
  const warehouse = warehouseOf(context);
  if (declared === undefined || declared.every((column) => column.type === undefined)) return;
  try {
    await warehouse.read((connection) => checkDeclaredTypes(connection, declared));
  } catch (error) {
    throw firehoseError('InvalidArgumentException', `DataTableColumns '${destination.dataTableColumns}': ${(error as Error).message}`);
  }
}
