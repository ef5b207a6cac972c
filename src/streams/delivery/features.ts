/**
 * @module streams/delivery/features — the optional parts of an extended S3 destination as hako keeps
 * them (data transformation by a hako function, dynamic partitioning, JSON → Parquet conversion) and
 * Firehose's rules for combining them, checked at CreateDeliveryStream (and again when a stored stream
 * is loaded):
 * - `MetadataExtraction` only with dynamic partitioning; its query must be in hako's jq subset and make
 *   at most 50 keys;
 * - dynamic partitioning needs a `Prefix` that uses partition keys, a way to make them (a
 *   `MetadataExtraction` or `Lambda` processor), keys the query actually makes, and buffering of at least
 *   64 MiB (not zero buffering); partition keys in a `Prefix` need dynamic partitioning;
 * - format conversion needs `CompressionFormat` UNCOMPRESSED (the serializer compresses) and buffering of
 *   at least 64 MiB.
 */
import { firehoseError } from './errors.js';
import { compileExtractionQuery, JqSyntaxError, type ExtractionQuery } from './jq/index.js';
import { partitionKeysOf, type DestinationPrefixes } from './prefix.js';

export interface LambdaProcessorSettings {
  readonly type: 'Lambda';
  readonly lambdaArn: string;
  /** Retries after a failed invocation; Firehose's default 3. */
  readonly numberOfRetries: number;
  /** Records are sent in invocations of at most this much data (0.2–3, default 1). */
  readonly bufferSizeInMBs: number;
  /** Kept and described; hako transforms when a batch is delivered, so it does not wait on it. */
  readonly bufferIntervalInSeconds: number;
  readonly roleArn?: string | undefined;
}

export interface MetadataExtractionSettings {
  readonly type: 'MetadataExtraction';
  readonly query: string;
  readonly jsonParsingEngine: 'JQ-1.6';
}

export interface AppendDelimiterSettings {
  readonly type: 'AppendDelimiterToRecord';
}

export type ProcessorSettings = LambdaProcessorSettings | MetadataExtractionSettings | AppendDelimiterSettings;

export interface ProcessingSettings {
  readonly enabled: boolean;
  readonly processors: readonly ProcessorSettings[];
}

export interface DynamicPartitioningSettings {
  readonly enabled: boolean;
  /** RetryOptions.DurationInSeconds (0–7200, default 300): kept and described; hako's delivery retry policy applies. */
  readonly retryDurationInSeconds: number;
}

export interface OpenXDeserializer {
  readonly kind: 'OpenXJsonSerDe';
  /** Default true: JSON keys match columns whatever their case (and inferred columns are lower case). */
  readonly caseInsensitive: boolean;
  readonly convertDotsInJsonKeysToUnderscores: boolean;
  /** Column → JSON key, for keys that cannot be column names. */
  readonly columnToJsonKeyMappings: Readonly<Record<string, string>>;
}

export interface HiveDeserializer {
  readonly kind: 'HiveJsonSerDe';
}

export type ParquetCompression = 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED';

export interface SchemaSettings {
  readonly databaseName: string;
  readonly tableName: string;
  readonly roleArn?: string | undefined;
  readonly region?: string | undefined;
  readonly catalogId?: string | undefined;
  readonly versionId?: string | undefined;
}

export interface FormatConversionSettings {
  readonly enabled: boolean;
  readonly deserializer: OpenXDeserializer | HiveDeserializer;
  readonly compression: ParquetCompression;
  /** ParquetSerDe's other members (block and page sizes, …): kept and described, not applied. */
  readonly parquetOptions: Readonly<Record<string, unknown>>;
  readonly schema: SchemaSettings;
}

/** What the features need of the destination they are part of. */
export interface FeatureHost {
  readonly compression: string;
  readonly bufferingHints: { readonly sizeInMBs: number; readonly intervalInSeconds: number };
  readonly processing?: ProcessingSettings | undefined;
  readonly dynamicPartitioning?: DynamicPartitioningSettings | undefined;
  readonly formatConversion?: FormatConversionSettings | undefined;
}

/** Firehose's minimum buffer size for dynamic partitioning and for format conversion. */
export const MIN_LARGE_BUFFER_MB = 64;
/** The buffer size either feature gets when BufferingHints gives none. */
export const LARGE_BUFFER_DEFAULT_MB = 128;
/** Keys one MetadataExtractionQuery may make (the Firehose console's limit [mem]). */
export const MAX_PARTITION_KEYS = 50;

const refuse = (message: string): Error => firehoseError('InvalidArgumentException', message);

/** The processors that run: none unless processing is enabled. */
export function activeProcessors(host: FeatureHost): readonly ProcessorSettings[] {
  return host.processing?.enabled === true ? host.processing.processors : [];
}

export const lambdaProcessorOf = (host: FeatureHost): LambdaProcessorSettings | undefined => activeProcessors(host).find((p): p is LambdaProcessorSettings => p.type === 'Lambda');
export const extractionOf = (host: FeatureHost): MetadataExtractionSettings | undefined => activeProcessors(host).find((p): p is MetadataExtractionSettings => p.type === 'MetadataExtraction');
export const partitioningEnabled = (host: FeatureHost): boolean => host.dynamicPartitioning?.enabled === true;
export const conversionEnabled = (host: FeatureHost): boolean => host.formatConversion?.enabled === true;

/** Compiles a MetadataExtractionQuery, refusing (InvalidArgumentException) what hako cannot run. */
export function compileQueryOrRefuse(query: string): ExtractionQuery {
  let compiled: ExtractionQuery;
  try {
    compiled = compileExtractionQuery(query);
  } catch (error) {
    if (error instanceof JqSyntaxError) throw refuse(`MetadataExtractionQuery '${query}' is not supported by hako: ${error.message}. hako's jq subset: object construction, .a.b, .[n], .["k"], |, //, literals, tostring, tonumber, todate, strftime("…"), ascii_downcase, ascii_upcase.`);
    throw error;
  }
  if (compiled.keys.length > MAX_PARTITION_KEYS) throw refuse(`MetadataExtractionQuery makes ${compiled.keys.length} partition keys; at most ${MAX_PARTITION_KEYS} are allowed.`);
  return compiled;
}

/** Checks how the features combine with each other and with the destination's prefixes and buffering. */
export function checkFeatures(host: FeatureHost, prefixes: DestinationPrefixes): void {
  const processors = activeProcessors(host);
  if (host.processing?.enabled === true && processors.length === 0) throw refuse('ProcessingConfiguration is enabled but names no processor.');
  for (const type of ['Lambda', 'MetadataExtraction', 'AppendDelimiterToRecord'] as const) {
    if (processors.filter((p) => p.type === type).length > 1) throw refuse(`ProcessingConfiguration may contain one ${type} processor, not several.`);
  }
  const extraction = extractionOf(host);
  const query = extraction === undefined ? undefined : compileQueryOrRefuse(extraction.query);
  const used = partitionKeysOf(prefixes.prefix);
  if (!partitioningEnabled(host)) {
    if (extraction !== undefined) throw refuse('The MetadataExtraction processor needs dynamic partitioning: enable DynamicPartitioningConfiguration.');
    if (used.length > 0) throw refuse('Prefix uses partitionKeyFromQuery/partitionKeyFromLambda expressions, which need DynamicPartitioningConfiguration to be enabled.');
  } else {
    if (used.length === 0) throw refuse('When dynamic partitioning is enabled, Prefix must contain at least one partitionKeyFromQuery or partitionKeyFromLambda expression.');
    if (query === undefined && lambdaProcessorOf(host) === undefined) throw refuse('Dynamic partitioning needs a way to make partition keys: a MetadataExtraction processor (inline jq) or a Lambda processor.');
    for (const { source, key } of used) {
      if (source === 'query' && (query === undefined || !query.keys.includes(key))) throw refuse(`Prefix uses !{partitionKeyFromQuery:${key}}, but ${query === undefined ? 'there is no MetadataExtraction processor' : `the MetadataExtractionQuery makes only ${query.keys.join(', ')}`}.`);
      if (source === 'lambda' && lambdaProcessorOf(host) === undefined) throw refuse(`Prefix uses !{partitionKeyFromLambda:${key}}, which needs a Lambda processor.`);
    }
    if (host.bufferingHints.intervalInSeconds === 0) throw refuse('Zero buffering (IntervalInSeconds 0) is not available with dynamic partitioning.');
    checkLargeBuffer(host, 'dynamic partitioning');
  }
  if (conversionEnabled(host)) {
    if (host.compression !== 'UNCOMPRESSED') throw refuse(`CompressionFormat must be UNCOMPRESSED when data format conversion is enabled (the serializer compresses); got ${host.compression}.`);
    checkLargeBuffer(host, 'data format conversion');
  }
}

function checkLargeBuffer(host: FeatureHost, feature: string): void {
  if (host.bufferingHints.sizeInMBs < MIN_LARGE_BUFFER_MB) throw refuse(`BufferingHints.SizeInMBs must be at least ${MIN_LARGE_BUFFER_MB} when ${feature} is enabled; got ${host.bufferingHints.sizeInMBs}.`);
}
