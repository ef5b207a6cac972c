/**
 * @module streams/delivery/pipeline — one stream's record processing, composed from its configuration,
 * in Firehose's order: transformation by a hako function (`transform.ts`), AppendDelimiterToRecord,
 * dynamic partitioning (`partitioning.ts`), then conversion of each partition's records into rows for
 * Parquet (`conversion.ts`). Each step passes on the records that survive it and adds the ones that
 * failed to the error output: `processing-failed` (with the original record), `partitioning-failed` /
 * `activePartitionExceeded` and `format-conversion-failed` (with the record as that step got it).
 *
 * The pipeline runs when the worker delivers a batch, inside its retry loop: a batch whose delivery is
 * retried is processed again (the function invoked again), which is what at-least-once allows. Records
 * leave the durable buffer only once the destination and error output writes are done.
 *
 * Firehose's separate buffering for the function (BufferIntervalInSeconds) and per partition is not
 * reproduced: the stream's buffering hints decide when a batch goes, and DynamicPartitioningConfiguration
 * RetryOptions is kept and described while the stream's delivery retry policy applies.
 */
import { setImmediate } from 'node:timers/promises';
import type { Logger } from '../../core/logger.js';
import { recordsOf, type BufferedChunk } from './buffer-store.js';
import type { TableCatalog } from './catalog.js';
import type { FolderDestination } from './config.js';
import { RecordConverter } from './conversion.js';
import type { DataCatalogTable, FailedRecord } from './error-output.js';
import { activeProcessors, compileQueryOrRefuse, conversionEnabled, extractionOf, lambdaProcessorOf, partitioningEnabled, type FormatConversionSettings } from './features.js';
import { Partitioner } from './partitioning.js';
import type { DestinationPrefixes, PartitionKeys } from './prefix.js';
import { passThrough, type ProcessedRecords, type RecordProcessor } from './processor.js';
import { LambdaTransform, type FunctionInvoker } from './transform.js';

export interface PipelineDeps {
  /** Invokes hako functions synchronously; needed by streams with a Lambda processor. */
  readonly invoke?: FunctionInvoker | undefined;
  readonly deliveryStreamArn: string;
  readonly region: string;
  readonly account: string;
  readonly logger: Logger;
  readonly catalog: TableCatalog;
  /** The sink's object key rules: an evaluated prefix that breaks them fails the record, not the batch. */
  readonly checkKey: (key: string) => void;
  readonly transformRetryDelayMs?: number | undefined;
}

interface StageRecord {
  /** Unique within the batch: the chunk's seq and the record's index (digits, like Firehose's ids). */
  readonly id: string;
  readonly data: Buffer;
  readonly arrivalMs: number;
  readonly lambdaKeys?: Readonly<Record<string, string>> | undefined;
}

interface StageGroup {
  readonly records: StageRecord[];
  readonly keys?: PartitionKeys | undefined;
}

const NEWLINE = Buffer.from('\n');
const recordsIn = (chunk: BufferedChunk): StageRecord[] => recordsOf(chunk).map((data, i) => ({ id: `${chunk.seq}${String(i).padStart(4, '0')}`, data, arrivalMs: chunk.arrivalMs }));

export function processorFor(destination: FolderDestination, prefixes: DestinationPrefixes, deps: PipelineDeps): RecordProcessor {
  if (activeProcessors(destination).length === 0 && !partitioningEnabled(destination) && !conversionEnabled(destination)) return passThrough;
  const lambda = lambdaProcessorOf(destination);
  const transform = lambda === undefined ? undefined : new LambdaTransform(lambda, { invoke: (arn, payload) => (deps.invoke as FunctionInvoker)(arn, payload), deliveryStreamArn: deps.deliveryStreamArn, region: deps.region, logger: deps.logger, retryDelayMs: deps.transformRetryDelayMs });
  const appendDelimiter = activeProcessors(destination).some((p) => p.type === 'AppendDelimiterToRecord');
  const extraction = extractionOf(destination);
  const query = extraction === undefined ? undefined : compileQueryOrRefuse(extraction.query);
  const partitioning = partitioningEnabled(destination);
  const conversion = conversionEnabled(destination) ? destination.formatConversion : undefined;

  return {
    async process(chunks): Promise<ProcessedRecords> {
      // With no invoker (a delivery started without functions) the batch fails and is retried, not dropped.
      if (transform !== undefined && deps.invoke === undefined) throw new Error('this delivery has no function invoker: the Lambda processor cannot run');
      let records = chunks.flatMap(recordsIn);
      const failed: FailedRecord[] = [];
      if (transform !== undefined) {
        const results = await transform.run(records);
        records = [];
        for (const result of results) {
          if (result.kind === 'ok') records.push({ ...result.input, data: result.data, lambdaKeys: result.partitionKeys });
          else if (result.kind === 'failed') failed.push({ data: result.input.data, arrivalMs: result.input.arrivalMs, attemptsMade: result.attemptsMade, errorCode: result.errorCode, errorMessage: result.errorMessage, lambdaArn: transform.lambdaArn });
        }
      }
      if (appendDelimiter) records = records.map((record) => ({ ...record, data: Buffer.concat([record.data, NEWLINE]) }));
      let groups: StageGroup[] = records.length === 0 ? [] : [{ records }];
      if (partitioning) {
        const partitioner = new Partitioner<StageRecord>({ prefix: prefixes.prefix, query, checkPrefix: (prefix) => deps.checkKey(`${prefix}object`) });
        await inTurns(records, { done: 0 }, (record) => partitioner.add(record));
        const partitioned = partitioner.result();
        failed.push(...partitioned.failed);
        groups = partitioned.partitions;
      }
      if (conversion !== undefined) groups = await convertGroups(groups, conversion, deps, failed);
      return {
        groups: groups.filter((group) => group.records.length > 0).map((group) => ({ records: group.records.map((record) => record.data), count: group.records.length, oldestArrivalMs: oldestOf(group.records), partitionKeys: group.keys })),
        failed,
      };
    },
  };
}

/**
 * Records converted (or partitioned) per turn of the event loop. A batch can hold hundreds of thousands of records
 * at a few µs each: done in one go, it held all of hako for a second or two (bench/RESULTS.md, Parquet).
 */
const RECORDS_PER_TURN = 1024;

const oldestOf = (records: readonly StageRecord[]): number => records.reduce((oldest, record) => Math.min(oldest, record.arrivalMs), Infinity);

async function convertGroups(groups: readonly StageGroup[], settings: FormatConversionSettings, deps: PipelineDeps, failed: FailedRecord[]): Promise<StageGroup[]> {
  const { schema } = settings;
  const converter = new RecordConverter(settings.deserializer, await deps.catalog.columnsOf(schema.databaseName, schema.tableName));
  const catalogId = schema.catalogId ?? deps.account;
  const region = schema.region ?? deps.region;
  const table: DataCatalogTable = { catalogId, databaseName: schema.databaseName, tableName: schema.tableName, region, versionId: schema.versionId ?? 'LATEST', catalogArn: `arn:aws:glue:${region}:${catalogId}:catalog` };
  const convertedGroups: StageGroup[] = [];
  const turns: Turns = { done: 0 }; // counted across groups: a batch partitioned 500 ways has groups far below a turn each
  for (const group of groups) {
    const converted: StageRecord[] = [];
    await inTurns(group.records, turns, (record) => {
      const result = converter.convert(record.data);
      if ('rows' in result) converted.push({ ...record, data: result.rows });
      else failed.push({ data: record.data, arrivalMs: record.arrivalMs, attemptsMade: 1, errorCode: result.errorCode, errorMessage: result.errorMessage, errorOutputType: 'format-conversion-failed', dataCatalogTable: table });
    });
    convertedGroups.push({ records: converted, keys: group.keys });
  }
  return convertedGroups;
}

/** Records processed so far in one batch's step, over however many calls of inTurns it takes. */
interface Turns {
  done: number;
}

/** Runs `body` on every record, giving the event loop a turn after every RECORDS_PER_TURN records `turns` counts. */
async function inTurns<T>(records: readonly T[], turns: Turns, body: (record: T) => void): Promise<void> {
  for (const record of records) {
    body(record);
    // The ingest's requests (and everything else hako does) in between.
    if (++turns.done % RECORDS_PER_TURN === 0) await setImmediate();
  }
}
