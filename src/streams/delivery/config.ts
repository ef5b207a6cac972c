/**
 * @module streams/delivery/config — a delivery stream's configuration as hako keeps it, and the checks
 * Firehose makes of it at CreateDeliveryStream: buffering hint ranges, the bucket ARN, prefixes (AWS's
 * rules, `delivery/prefix`), compression and the file extension.
 *
 * Buckets are folders: `arn:aws:s3:::<bucket>` is `<buckets root>/<bucket>/` (`<data-dir>/buckets` by
 * default), created on first delivery.
 */
import { firehoseConstraint, firehoseError } from './errors.js';
import { checkFeatures, type DynamicPartitioningSettings, type FormatConversionSettings, type ProcessingSettings } from './features.js';
import { destinationPrefixes, evaluatePrefix, partitionKeysOf, PrefixError, type DestinationPrefixes } from './prefix.js';
import { checkObjectKey, type Compression } from '../sinks/folder.js';
import { PermanentDeliveryError } from '../sinks/sink.js';
import type { WarehouseDestination } from '../warehouse/destination.js';

export interface BufferingHints {
  /** 1–128; Firehose's default 5. */
  readonly sizeInMBs: number;
  /** 0–900; Firehose's default 300. 0 delivers each put at once. */
  readonly intervalInSeconds: number;
}

export const DEFAULT_BUFFERING: BufferingHints = { sizeInMBs: 5, intervalInSeconds: 300 };

export interface FolderDestination {
  readonly kind: 'folder';
  /** Came as ExtendedS3DestinationConfiguration (else the older S3DestinationConfiguration). */
  readonly extended: boolean;
  readonly roleArn: string;
  readonly bucketArn: string;
  readonly prefix?: string | undefined;
  readonly errorOutputPrefix?: string | undefined;
  readonly bufferingHints: BufferingHints;
  readonly compression: Compression;
  readonly fileExtension?: string | undefined;
  /** Extended destinations only: transformation, dynamic partitioning, format conversion (`features.ts`). */
  readonly processing?: ProcessingSettings | undefined;
  readonly dynamicPartitioning?: DynamicPartitioningSettings | undefined;
  readonly formatConversion?: FormatConversionSettings | undefined;
}

/** A `KinesisStreamAsSource` delivery stream's source. */
export interface KinesisStreamSource {
  readonly streamArn: string;
  readonly roleArn: string;
}

export interface DeliveryStreamInfo {
  readonly name: string;
  readonly type: 'DirectPut' | 'KinesisStreamAsSource';
  /** With `KinesisStreamAsSource`. */
  readonly source?: KinesisStreamSource | undefined;
  readonly createdMs: number;
  /** Starts at 1; object names carry it (UpdateDestination would raise it). */
  readonly version: number;
  readonly destination: FolderDestination | WarehouseDestination;
}

export const DESTINATION_ID = 'destinationId-000000000001';
const NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,64}$/;
/** S3's bucket name rules (3–63 characters, lower-case letters, digits, dots and hyphens; no `..`). */
const BUCKET_ARN = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;
const EXTENSION_PATTERN = /^$|^\.[0-9a-z!\-_.*'()]+$/;

export function checkDeliveryStreamName(name: string, field = 'deliveryStreamName'): void {
  if (!NAME_PATTERN.test(name)) throw firehoseConstraint(field, name, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 1 and 64');
}

/** The bucket an ARN names; InvalidArgumentException for anything else. */
export function bucketOf(bucketArn: string): string {
  const match = BUCKET_ARN.exec(bucketArn);
  if (match === null || (match[1] as string).includes('..')) throw firehoseError('InvalidArgumentException', `BucketARN ${bucketArn} is not a valid S3 bucket ARN (arn:aws:s3:::<bucket>).`);
  return match[1] as string;
}

/** Checks a destination; returns its prefixes with AWS's defaults applied. */
export function checkFolderDestination(destination: FolderDestination, field: string): DestinationPrefixes {
  bucketOf(destination.bucketArn);
  const { sizeInMBs, intervalInSeconds } = destination.bufferingHints;
  if (!Number.isInteger(sizeInMBs) || sizeInMBs < 1 || sizeInMBs > 128) throw firehoseConstraint(`${field}.bufferingHints.sizeInMBs`, sizeInMBs, 'Member must have value between 1 and 128');
  if (!Number.isInteger(intervalInSeconds) || intervalInSeconds < 0 || intervalInSeconds > 900) throw firehoseConstraint(`${field}.bufferingHints.intervalInSeconds`, intervalInSeconds, 'Member must have value between 0 and 900');
  const extension = destination.fileExtension;
  if (extension !== undefined && (extension.length > 128 || !EXTENSION_PATTERN.test(extension))) throw firehoseConstraint(`${field}.fileExtension`, extension, "Member must satisfy regular expression pattern: ^$|\\.[0-9a-z!\\-_.*'()]+");
  let prefixes: DestinationPrefixes;
  try {
    prefixes = destinationPrefixes(destination.prefix, destination.errorOutputPrefix);
  } catch (error) {
    if (error instanceof PrefixError) throw firehoseError('InvalidArgumentException', error.message);
    throw error;
  }
  checkFeatures(destination, prefixes);
  // A bucket is a folder: a prefix whose keys could not be files inside it ('..', '//', a leading '/') is
  // refused now rather than failing every delivery.
  for (const [name, template] of [['Prefix', prefixes.prefix], ['ErrorOutputPrefix', prefixes.errorOutputPrefix]] as const) {
    try {
      // Partition keys stand in as 'k': what a record's own values make of the key is checked per record.
      const partitionKeys = Object.fromEntries(partitionKeysOf(template).map(({ key }) => [key, 'k']));
      checkObjectKey(`${evaluatePrefix(template, { arrivalMs: 0, errorOutputType: 'processing-failed', partitionKeys, randomString: () => 'r'.repeat(11) })}object`);
    } catch (error) {
      if (error instanceof PermanentDeliveryError || error instanceof PrefixError) throw firehoseError('InvalidArgumentException', `${name} '${template.source}' cannot name files inside a bucket folder: ${error.message}`);
      throw error;
    }
  }
  return prefixes;
}
