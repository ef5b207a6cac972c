/**
 * @module http/firehose/destination — the S3 destination structures of the Firehose API, read into
 * hako's `FolderDestination` (CreateDeliveryStream) and written back (DescribeDeliveryStream), with the
 * optional processing, partitioning and conversion structures (`features.ts`). Features hako does not
 * have yet are refused by name rather than ignored, so a configuration never silently means less than
 * it says.
 */
import { DEFAULT_BUFFERING, type FolderDestination } from '../../streams/delivery/config.js';
import { LARGE_BUFFER_DEFAULT_MB } from '../../streams/delivery/features.js';
import { firehoseConstraint, firehoseError } from '../../streams/delivery/errors.js';
import { describeFeatures, featuresOf } from './features.js';
import { boundedInteger, optionalStruct, optionalText, requiredText, type Body } from './params.js';

const COMPRESSIONS = ['UNCOMPRESSED', 'GZIP', 'ZIP', 'Snappy', 'HADOOP_SNAPPY'];
const OTHER_DESTINATIONS = ['RedshiftDestinationConfiguration', 'ElasticsearchDestinationConfiguration', 'AmazonopensearchserviceDestinationConfiguration', 'SplunkDestinationConfiguration', 'HttpEndpointDestinationConfiguration', 'AmazonOpenSearchServerlessDestinationConfiguration', 'MSKSourceConfiguration', 'SnowflakeDestinationConfiguration', 'IcebergDestinationConfiguration'];

const notYet = (what: string): Error => firehoseError('InvalidArgumentException', `${what} is not supported by hako yet.`);

/** The destination of a CreateDeliveryStream request. */
export function destinationOf(body: Body): FolderDestination {
  for (const name of OTHER_DESTINATIONS) if (body[name] !== undefined && body[name] !== null) throw notYet(name);
  const extended = optionalStruct(body, 'ExtendedS3DestinationConfiguration');
  const plain = optionalStruct(body, 'S3DestinationConfiguration');
  if (extended !== undefined && plain !== undefined) throw firehoseError('InvalidArgumentException', 'Only one destination configuration can be specified: ExtendedS3DestinationConfiguration or S3DestinationConfiguration.');
  const config = extended ?? plain;
  if (config === undefined) throw firehoseError('InvalidArgumentException', 'A destination configuration is required: hako delivers to ExtendedS3DestinationConfiguration (or S3DestinationConfiguration) buckets.');
  const field = extended !== undefined ? 'extendedS3DestinationConfiguration' : 's3DestinationConfiguration';
  const features = extended === undefined ? {} : featuresOf(extended, field);
  if (extended !== undefined) {
    if ((optionalText(extended, 'S3BackupMode', `${field}.s3BackupMode`) ?? 'Disabled') !== 'Disabled') throw notYet('S3BackupMode Enabled');
    const zone = optionalText(extended, 'CustomTimeZone', `${field}.customTimeZone`);
    if (zone !== undefined && zone !== '' && zone !== 'UTC') throw notYet(`CustomTimeZone ${zone} (timestamps are UTC)`);
  }
  const hints = optionalStruct(config, 'BufferingHints') ?? {};
  // Dynamic partitioning and format conversion buffer at least 64 MiB; left out, Firehose uses 128.
  const largeBuffer = features.dynamicPartitioning?.enabled === true || features.formatConversion?.enabled === true;
  const compression = optionalText(config, 'CompressionFormat', `${field}.compressionFormat`) ?? 'UNCOMPRESSED';
  if (!COMPRESSIONS.includes(compression)) throw firehoseConstraint(`${field}.compressionFormat`, compression, `Member must satisfy enum value set: [${COMPRESSIONS.join(', ')}]`);
  if (compression !== 'UNCOMPRESSED' && compression !== 'GZIP') throw notYet(`CompressionFormat ${compression}`);
  return {
    kind: 'folder',
    extended: extended !== undefined,
    roleArn: requiredText(config, 'RoleARN', `${field}.roleARN`),
    bucketArn: requiredText(config, 'BucketARN', `${field}.bucketARN`),
    prefix: optionalText(config, 'Prefix', `${field}.prefix`),
    errorOutputPrefix: optionalText(config, 'ErrorOutputPrefix', `${field}.errorOutputPrefix`),
    bufferingHints: {
      sizeInMBs: boundedInteger(hints, 'SizeInMBs', 1, 128, largeBuffer ? LARGE_BUFFER_DEFAULT_MB : DEFAULT_BUFFERING.sizeInMBs, `${field}.bufferingHints.sizeInMBs`),
      intervalInSeconds: boundedInteger(hints, 'IntervalInSeconds', 0, 900, DEFAULT_BUFFERING.intervalInSeconds, `${field}.bufferingHints.intervalInSeconds`),
    },
    compression,
    fileExtension: extended === undefined ? undefined : optionalText(extended, 'FileExtension', `${field}.fileExtension`),
    ...features,
  };
}

/** `S3DestinationDescription` and, for an extended one, `ExtendedS3DestinationDescription`. */
export function describeDestination(destination: FolderDestination): Record<string, unknown> {
  const common = {
    RoleARN: destination.roleArn,
    BucketARN: destination.bucketArn,
    ...(destination.prefix === undefined ? {} : { Prefix: destination.prefix }),
    ...(destination.errorOutputPrefix === undefined ? {} : { ErrorOutputPrefix: destination.errorOutputPrefix }),
    BufferingHints: { SizeInMBs: destination.bufferingHints.sizeInMBs, IntervalInSeconds: destination.bufferingHints.intervalInSeconds },
    CompressionFormat: destination.compression,
    EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
    CloudWatchLoggingOptions: { Enabled: false },
  };
  if (!destination.extended) return { S3DestinationDescription: common };
  return {
    S3DestinationDescription: common,
    ExtendedS3DestinationDescription: {
      ...common,
      S3BackupMode: 'Disabled',
      ...(destination.fileExtension === undefined ? {} : { FileExtension: destination.fileExtension }),
      ...describeFeatures(destination, destination.roleArn),
    },
  };
}
