/**
 * @module http/firehose/redshift-destination — Firehose's `RedshiftDestinationConfiguration` read into
 * hako's `WarehouseDestination` (CreateDeliveryStream) and written back as `RedshiftDestinationDescription`
 * (DescribeDeliveryStream); S3 destinations go on through `destination.ts`. What the warehouse accepts
 * (`jdbc:hako:warehouse`, the CopyCommand) is checked by `streams/warehouse/destination`; features hako
 * does not have are refused by name, as for S3. DescribeDeliveryStream never returns the Password (nor does
 * Firehose); it is kept, in the stream's stored configuration, only for a `jdbc:postgresql:` URL, where
 * it is the login's password — hako's own warehouse has no use for it.
 */
import type { DeliveryStreamInfo, FolderDestination } from '../../streams/delivery/config.js';
import { DEFAULT_BUFFERING } from '../../streams/delivery/config.js';
import { firehoseConstraint, firehoseError } from '../../streams/delivery/errors.js';
import { keepsPassword, type WarehouseDestination } from '../../streams/warehouse/index.js';
import { describeDestination, destinationOf } from './destination.js';
import { boundedInteger, optionalStruct, optionalText, requiredText, type Body } from './params.js';

const FIELD = 'redshiftDestinationConfiguration';
/** Firehose's RetryOptions for Redshift: 0–7,200 s, 3,600 by default. */
const RETRY_SECONDS = { min: 0, max: 7200, fallback: 3600 };

const notYet = (what: string): Error => firehoseError('InvalidArgumentException', `${what} is not supported by hako yet.`);
const enabled = (struct: Body | undefined): boolean => struct !== undefined && struct.Enabled === true;

function requiredStruct(body: Body, name: string, field: string): Body {
  const struct = optionalStruct(body, name);
  if (struct === undefined) throw firehoseConstraint(field, null, 'Member must not be null');
  return struct;
}

/** S3Configuration (an S3DestinationConfiguration): the bucket folder of the error output, and the buffering hints. */
function s3ConfigurationOf(config: Body): FolderDestination {
  const field = `${FIELD}.s3Configuration`;
  const s3 = requiredStruct(config, 'S3Configuration', field);
  const hints = optionalStruct(s3, 'BufferingHints') ?? {};
  const compression = optionalText(s3, 'CompressionFormat', `${field}.compressionFormat`) ?? 'UNCOMPRESSED';
  if (compression !== 'UNCOMPRESSED' && compression !== 'GZIP') throw notYet(`S3Configuration CompressionFormat ${compression}`);
  return {
    kind: 'folder',
    extended: false,
    roleArn: requiredText(s3, 'RoleARN', `${field}.roleARN`),
    bucketArn: requiredText(s3, 'BucketARN', `${field}.bucketARN`),
    prefix: optionalText(s3, 'Prefix', `${field}.prefix`),
    errorOutputPrefix: optionalText(s3, 'ErrorOutputPrefix', `${field}.errorOutputPrefix`),
    bufferingHints: {
      sizeInMBs: boundedInteger(hints, 'SizeInMBs', 1, 128, DEFAULT_BUFFERING.sizeInMBs, `${field}.bufferingHints.sizeInMBs`),
      intervalInSeconds: boundedInteger(hints, 'IntervalInSeconds', 0, 900, DEFAULT_BUFFERING.intervalInSeconds, `${field}.bufferingHints.intervalInSeconds`),
    },
    compression,
  };
}

export function redshiftDestinationOf(config: Body): WarehouseDestination {
  if (enabled(optionalStruct(config, 'ProcessingConfiguration'))) throw notYet('ProcessingConfiguration (data transformation)');
  if (enabled(optionalStruct(config, 'SecretsManagerConfiguration'))) throw notYet('SecretsManagerConfiguration');
  if ((optionalText(config, 'S3BackupMode', `${FIELD}.s3BackupMode`) ?? 'Disabled') !== 'Disabled') throw notYet('S3BackupMode Enabled');
  const copy = requiredStruct(config, 'CopyCommand', `${FIELD}.copyCommand`);
  const retry = optionalStruct(config, 'RetryOptions') ?? {};
  const s3 = s3ConfigurationOf(config);
  const clusterJdbcUrl = requiredText(config, 'ClusterJDBCURL', `${FIELD}.clusterJDBCURL`);
  const password = optionalText(config, 'Password', `${FIELD}.password`);
  return {
    kind: 'warehouse',
    roleArn: requiredText(config, 'RoleARN', `${FIELD}.roleARN`),
    clusterJdbcUrl,
    dataTableName: requiredText(copy, 'DataTableName', `${FIELD}.copyCommand.dataTableName`),
    dataTableColumns: optionalText(copy, 'DataTableColumns', `${FIELD}.copyCommand.dataTableColumns`),
    copyOptions: optionalText(copy, 'CopyOptions', `${FIELD}.copyCommand.copyOptions`),
    username: optionalText(config, 'Username', `${FIELD}.username`),
    ...(password !== undefined && keepsPassword(clusterJdbcUrl) ? { password } : {}),
    retryDurationSeconds: boundedInteger(retry, 'DurationInSeconds', RETRY_SECONDS.min, RETRY_SECONDS.max, RETRY_SECONDS.fallback, `${FIELD}.retryOptions.durationInSeconds`),
    s3,
    bufferingHints: s3.bufferingHints,
  };
}

/** The destination of a CreateDeliveryStream request: Redshift-shaped (the warehouse), else S3. */
export function anyDestinationOf(body: Body): DeliveryStreamInfo['destination'] {
  const redshift = optionalStruct(body, 'RedshiftDestinationConfiguration');
  if (redshift === undefined) return destinationOf(body);
  for (const other of ['ExtendedS3DestinationConfiguration', 'S3DestinationConfiguration']) {
    if (body[other] !== undefined && body[other] !== null) throw firehoseError('InvalidArgumentException', `Only one destination configuration can be specified: RedshiftDestinationConfiguration or ${other}.`);
  }
  return redshiftDestinationOf(redshift);
}

/** `RedshiftDestinationDescription` for the warehouse, or what `destination.ts` describes for S3. */
export function describeAnyDestination(destination: DeliveryStreamInfo['destination']): Record<string, unknown> {
  if (destination.kind === 'folder') return describeDestination(destination);
  return {
    RedshiftDestinationDescription: {
      RoleARN: destination.roleArn,
      ClusterJDBCURL: destination.clusterJdbcUrl,
      CopyCommand: {
        DataTableName: destination.dataTableName,
        ...(destination.dataTableColumns === undefined ? {} : { DataTableColumns: destination.dataTableColumns }),
        ...(destination.copyOptions === undefined ? {} : { CopyOptions: destination.copyOptions }),
      },
      ...(destination.username === undefined ? {} : { Username: destination.username }),
      RetryOptions: { DurationInSeconds: destination.retryDurationSeconds },
      S3DestinationDescription: describeDestination(destination.s3)['S3DestinationDescription'],
      S3BackupMode: 'Disabled',
      CloudWatchLoggingOptions: { Enabled: false },
    },
  };
}
