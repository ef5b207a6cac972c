/**
 * @module streams/delivery/assemble — builds one stream's sink and record processor from its
 * configuration: the object folder (records as sent, or gzipped), or the Parquet folder when the stream
 * converts records; and the processing pipeline (`pipeline.ts`), or pass-through when nothing is enabled.
 */
import type { Logger } from '../../core/logger.js';
import { LazyDuckDb } from '../sinks/duckdb.js';
import { checkObjectKey, FolderSink } from '../sinks/folder.js';
import { ParquetSink } from '../sinks/parquet.js';
import type { Sink } from '../sinks/sink.js';
import type { TableCatalog } from './catalog.js';
import { bucketOf, type FolderDestination } from './config.js';
import { conversionEnabled } from './features.js';
import { duckdbTypeOf } from './hive-types.js';
import { processorFor } from './pipeline.js';
import type { DestinationPrefixes } from './prefix.js';
import type { RecordProcessor } from './processor.js';
import type { FunctionInvoker } from './transform.js';

export interface AssembleDeps {
  readonly bucketsRoot: string;
  readonly catalog: TableCatalog;
  /** Shared by every converting stream; opened by the first conversion. */
  readonly duckdb: LazyDuckDb;
  readonly invoke?: FunctionInvoker | undefined;
  readonly region: string;
  readonly account: string;
  readonly logger: Logger;
  readonly transformRetryDelayMs?: number | undefined;
}

export function sinkFor(destination: FolderDestination, prefixes: DestinationPrefixes, deps: AssembleDeps): Sink {
  const base = { root: deps.bucketsRoot, bucket: bucketOf(destination.bucketArn), prefixes, compression: destination.compression };
  const conversion = destination.formatConversion;
  if (conversion === undefined || !conversionEnabled(destination)) return new FolderSink({ ...base, fileExtension: destination.fileExtension });
  const { databaseName, tableName } = conversion.schema;
  return new ParquetSink({
    // Firehose names converted objects `….parquet`; a FileExtension replaces that. Error output stays plain.
    data: new FolderSink({ ...base, fileExtension: destination.fileExtension || '.parquet' }),
    errors: new FolderSink(base),
    duckdb: deps.duckdb,
    compression: conversion.compression,
    columns: async () => (await deps.catalog.columnsOf(databaseName, tableName))?.map((column) => [column.name, duckdbTypeOf(column.type)] as const),
  });
}

export function assembleStream(destination: FolderDestination, prefixes: DestinationPrefixes, deliveryStreamArn: string, deps: AssembleDeps): { sink: Sink; processor: RecordProcessor } {
  return {
    sink: sinkFor(destination, prefixes, deps),
    processor: processorFor(destination, prefixes, { ...deps, deliveryStreamArn, checkKey: checkObjectKey }),
  };
}
