/**
 * @module test/streams/delivery/firehose-features-api.test — the control plane of Firehose's optional
 * destination features through `@aws-sdk/client-firehose`: what CreateDeliveryStream refuses (the API
 * model's enums and ranges with ValidationException; Firehose's rules and what hako does not support
 * with InvalidArgumentException, the unsupported jq construct named), and how DescribeDeliveryStream
 * shows an accepted configuration (Lambda processor defaults filled in, 128 MiB buffers).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand, type ExtendedS3DestinationConfiguration } from '@aws-sdk/client-firehose';
import { startFirehoseHako, type FirehoseHako } from './helpers.js';
import { FUNCTION_ARN, parameters } from './feature-helpers.js';

let h: FirehoseHako;
before(async () => {
  h = await startFirehoseHako();
});
after(async () => h.close());

const ROLE = 'arn:aws:iam::000000000000:role/firehose';
const BASE = { RoleARN: ROLE, BucketARN: 'arn:aws:s3:::features' };
const ERRORS = 'errors/!{firehose:error-output-type}/';
type Config = Partial<ExtendedS3DestinationConfiguration>;
const lambda = (values: Record<string, string>): Config => ({ ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: parameters(values) }] } });
const query = (q: string, engine = 'JQ-1.6'): Config['ProcessingConfiguration'] => ({ Enabled: true, Processors: [{ Type: 'MetadataExtraction', Parameters: parameters({ MetadataExtractionQuery: q, JsonParsingEngine: engine }) }] });
const partitioned = (q: string, extra: Config = {}): Config => ({ Prefix: 'c=!{partitionKeyFromQuery:c}/', ErrorOutputPrefix: ERRORS, DynamicPartitioningConfiguration: { Enabled: true }, ProcessingConfiguration: query(q), ...extra });
const parquet = (extra: Record<string, unknown> = {}): Config['DataFormatConversionConfiguration'] => ({
  SchemaConfiguration: { DatabaseName: 'db', TableName: 't', RoleARN: ROLE },
  InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
  OutputFormatConfiguration: { Serializer: { ParquetSerDe: {} } },
  ...extra,
});

let count = 0;
async function refusal(config: Config): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await h.firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: `refused-${++count}`, ExtendedS3DestinationConfiguration: { ...BASE, ...config } }));
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('CreateDeliveryStream accepted it');
}

describe('CreateDeliveryStream refuses feature configurations', () => {
  const cases: Array<[string, Config, string, RegExp]> = [
    // The API model's enums and ranges.
    ['an unknown processor type', { ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Bogus' as never }] } }, 'ValidationException', /processors\.1\.member\.type.*enum value set/],
    ['an unknown parameter name', { ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: [{ ParameterName: 'Nope' as never, ParameterValue: 'x' }] }] } }, 'ValidationException', /parameterName.*enum value set/],
    ['a Parquet compression outside the enum', { DataFormatConversionConfiguration: parquet({ OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'LZO' } } } }) }, 'ValidationException', /compression.*\[UNCOMPRESSED, GZIP, SNAPPY\]/],
    ['a retry duration over 7,200 s', partitioned('{c:.c}', { DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 7201 } } }), 'ValidationException', /durationInSeconds/],
    // The Lambda processor.
    ['a Lambda processor without LambdaArn', lambda({ NumberOfRetries: '1' }), 'InvalidArgumentException', /needs a LambdaArn/],
    ['a LambdaArn that is not a function ARN', lambda({ LambdaArn: 'arn:aws:sqs:us-east-1:000000000000:q' }), 'InvalidArgumentException', /is not a Lambda function ARN/],
    ['NumberOfRetries that is not a number', lambda({ LambdaArn: FUNCTION_ARN('f'), NumberOfRetries: 'many' }), 'InvalidArgumentException', /NumberOfRetries must be a whole number/],
    ['BufferSizeInMBs over 3', lambda({ LambdaArn: FUNCTION_ARN('f'), BufferSizeInMBs: '5' }), 'InvalidArgumentException', /between 0\.2 and 3/],
    ['a parameter of another processor type', lambda({ LambdaArn: FUNCTION_ARN('f'), MetadataExtractionQuery: '{a:.a}' }), 'InvalidArgumentException', /MetadataExtractionQuery is not valid for a Lambda processor/],
    ['two Lambda processors', { ProcessingConfiguration: { Enabled: true, Processors: [1, 2].map(() => ({ Type: 'Lambda' as const, Parameters: parameters({ LambdaArn: FUNCTION_ARN('f') }) })) } }, 'InvalidArgumentException', /one Lambda processor/],
    ['an enabled configuration without processors', { ProcessingConfiguration: { Enabled: true, Processors: [] } }, 'InvalidArgumentException', /names no processor/],
    ['a processor type hako does not have', { ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'RecordDeAggregation', Parameters: parameters({ SubRecordType: 'JSON' }) }] } }, 'InvalidArgumentException', /RecordDeAggregation processor is not supported by hako yet/],
    // Dynamic partitioning.
    ['partition keys in Prefix without dynamic partitioning', { Prefix: 'c=!{partitionKeyFromQuery:c}/', ErrorOutputPrefix: ERRORS }, 'InvalidArgumentException', /need DynamicPartitioningConfiguration to be enabled/],
    ['MetadataExtraction without dynamic partitioning', { ProcessingConfiguration: query('{c:.c}') }, 'InvalidArgumentException', /MetadataExtraction processor needs dynamic partitioning/],
    ['dynamic partitioning with a Prefix that uses no key', partitioned('{c:.c}', { Prefix: 'plain/' }), 'InvalidArgumentException', /Prefix must contain at least one partitionKeyFromQuery or partitionKeyFromLambda/],
    ['dynamic partitioning with no way to make keys', { Prefix: 'c=!{partitionKeyFromLambda:c}/', ErrorOutputPrefix: ERRORS, DynamicPartitioningConfiguration: { Enabled: true } }, 'InvalidArgumentException', /needs a way to make partition keys/],
    ['a Prefix key the query does not make', partitioned('{customer:.c}'), 'InvalidArgumentException', /uses !\{partitionKeyFromQuery:c\}, but the MetadataExtractionQuery makes only customer/],
    ['partitionKeyFromLambda without a Lambda processor', partitioned('{c:.c}', { Prefix: 'c=!{partitionKeyFromQuery:c}/r=!{partitionKeyFromLambda:r}/' }), 'InvalidArgumentException', /needs a Lambda processor/],
    ['dynamic partitioning without an ErrorOutputPrefix', partitioned('{c:.c}', { ErrorOutputPrefix: undefined }), 'InvalidArgumentException', /ErrorOutputPrefix cannot be null or empty/],
    ['dynamic partitioning with a 5 MiB buffer', partitioned('{c:.c}', { BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 60 } }), 'InvalidArgumentException', /SizeInMBs must be at least 64 when dynamic partitioning/],
    ['dynamic partitioning with zero buffering', partitioned('{c:.c}', { BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 0 } }), 'InvalidArgumentException', /Zero buffering/],
    ['a jq engine other than JQ-1.6', partitioned('{c:.c}', { ProcessingConfiguration: query('{c:.c}', 'JQ-1.5') }), 'InvalidArgumentException', /JsonParsingEngine JQ-1\.5 is not supported/],
    ['a jq query using iteration', partitioned('{c:.items[].c}'), 'InvalidArgumentException', /MetadataExtractionQuery '\{c:\.items\[\]\.c\}' is not supported by hako: '\[\]' \(iteration\) at position 9/],
    ['a jq query using select', partitioned('{c:.c|select(. != null)}'), 'InvalidArgumentException', /function 'select\/1' at position 6 is not supported/],
    ['a jq query that is not an object', partitioned('.c'), 'InvalidArgumentException', /must be an object construction/],
    ['a jq query with more than 50 keys', partitioned(`{c:.c, ${Array.from({ length: 50 }, (_, i) => `k${i}:.k`).join(', ')}}`), 'InvalidArgumentException', /makes 51 partition keys; at most 50/],
    // Format conversion.
    ['conversion with GZIP objects', { CompressionFormat: 'GZIP', DataFormatConversionConfiguration: parquet() }, 'InvalidArgumentException', /CompressionFormat must be UNCOMPRESSED when data format conversion is enabled/],
    ['conversion with a 1 MiB buffer', { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, DataFormatConversionConfiguration: parquet() }, 'InvalidArgumentException', /SizeInMBs must be at least 64 when data format conversion/],
    ['conversion to ORC', { DataFormatConversionConfiguration: parquet({ OutputFormatConfiguration: { Serializer: { OrcSerDe: {} } } }) }, 'InvalidArgumentException', /OrcSerDe \(ORC output; hako writes Parquet\) is not supported/],
    ['conversion with both deserializers', { DataFormatConversionConfiguration: parquet({ InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {}, HiveJsonSerDe: {} } } }) }, 'InvalidArgumentException', /exactly one of OpenXJsonSerDe and HiveJsonSerDe/],
    ['Hive timestamp formats', { DataFormatConversionConfiguration: parquet({ InputFormatConfiguration: { Deserializer: { HiveJsonSerDe: { TimestampFormats: ['millis'] } } } }) }, 'InvalidArgumentException', /TimestampFormats is not supported/],
    ['conversion without a schema', { DataFormatConversionConfiguration: { ...parquet(), SchemaConfiguration: undefined } }, 'InvalidArgumentException', /needs SchemaConfiguration/],
    ['a schema without a table', { DataFormatConversionConfiguration: parquet({ SchemaConfiguration: { DatabaseName: 'db', RoleARN: ROLE } }) }, 'ValidationException', /tableName/],
  ];
  for (const [what, config, name, message] of cases) {
    it(`${what}: ${name}`, async () => {
      const error = await refusal(config);
      assert.deepEqual([error.name, error.status], [name, 400], error.message);
      assert.match(error.message, message);
    });
  }
});

describe('DescribeDeliveryStream shows the features', () => {
  it('a Lambda processor with its defaults, dynamic partitioning, Parquet conversion and 128 MiB buffering', async () => {
    await h.firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'everything',
      ExtendedS3DestinationConfiguration: {
        ...BASE,
        Prefix: 'c=!{partitionKeyFromQuery:c}/r=!{partitionKeyFromLambda:r}/',
        ErrorOutputPrefix: ERRORS,
        DynamicPartitioningConfiguration: { Enabled: true },
        ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: parameters({ LambdaArn: FUNCTION_ARN('f') }) }, ...(query('{c:.c}')?.Processors ?? [])] },
        DataFormatConversionConfiguration: parquet(),
      },
    }));
    const d = (await h.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'everything' }))).DeliveryStreamDescription?.Destinations?.[0]?.ExtendedS3DestinationDescription;
    assert.deepEqual(d?.BufferingHints, { SizeInMBs: 128, IntervalInSeconds: 300 });
    assert.deepEqual(d?.ProcessingConfiguration, {
      Enabled: true,
      Processors: [
        { Type: 'Lambda', Parameters: parameters({ LambdaArn: FUNCTION_ARN('f'), NumberOfRetries: '3', RoleArn: ROLE, BufferSizeInMBs: '1', BufferIntervalInSeconds: '60' }) },
        { Type: 'MetadataExtraction', Parameters: parameters({ MetadataExtractionQuery: '{c:.c}', JsonParsingEngine: 'JQ-1.6' }) },
      ],
    });
    assert.deepEqual(d?.DynamicPartitioningConfiguration, { Enabled: true, RetryOptions: { DurationInSeconds: 300 } });
    assert.equal(d?.DataFormatConversionConfiguration?.Enabled, true);
    assert.deepEqual(d?.DataFormatConversionConfiguration?.SchemaConfiguration, { RoleARN: ROLE, DatabaseName: 'db', TableName: 't', VersionId: 'LATEST' });
    assert.deepEqual(d?.DataFormatConversionConfiguration?.InputFormatConfiguration?.Deserializer?.OpenXJsonSerDe, { ConvertDotsInJsonKeysToUnderscores: false, CaseInsensitive: true, ColumnToJsonKeyMappings: {} });
    assert.deepEqual(d?.DataFormatConversionConfiguration?.OutputFormatConfiguration?.Serializer?.ParquetSerDe, { Compression: 'SNAPPY' });
  });

  it('a disabled processing configuration is kept and shown, and processes nothing', async () => {
    await h.firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'disabled', ExtendedS3DestinationConfiguration: { ...BASE, ProcessingConfiguration: { Enabled: false, Processors: [{ Type: 'Lambda', Parameters: parameters({ LambdaArn: FUNCTION_ARN('f') }) }] } } }));
    const d = (await h.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'disabled' }))).DeliveryStreamDescription?.Destinations?.[0]?.ExtendedS3DestinationDescription;
    assert.equal(d?.ProcessingConfiguration?.Enabled, false);
    assert.deepEqual(d?.BufferingHints, { SizeInMBs: 5, IntervalInSeconds: 300 });
  });
});
