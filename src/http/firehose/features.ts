/**
 * @module http/firehose/features — the optional structures of ExtendedS3DestinationConfiguration read
 * into hako's settings (`streams/delivery/features.ts`) and described back: ProcessingConfiguration,
 * DynamicPartitioningConfiguration and DataFormatConversionConfiguration. Enum and range checks of the API
 * model answer ValidationException; what hako does not have (other processor types, ORC, Hive timestamp
 * formats) is refused by name with InvalidArgumentException. How the features combine is checked by the
 * delivery layer (`checkFeatures`).
 */
import type { DynamicPartitioningSettings, FormatConversionSettings, ParquetCompression, ProcessingSettings, ProcessorSettings } from '../../streams/delivery/features.js';
import { firehoseConstraint, firehoseError } from '../../streams/delivery/errors.js';
import { boundedInteger, optionalStruct, optionalText, requiredText, type Body } from './params.js';

const PROCESSOR_TYPES = ['RecordDeAggregation', 'Decompression', 'CloudWatchLogProcessing', 'Lambda', 'MetadataExtraction', 'AppendDelimiterToRecord'];
const PARAMETER_NAMES = ['LambdaArn', 'NumberOfRetries', 'MetadataExtractionQuery', 'JsonParsingEngine', 'RoleArn', 'BufferSizeInMBs', 'BufferIntervalInSeconds', 'SubRecordType', 'Delimiter', 'CompressionFormat', 'DataMessageExtraction'];
const PARAMETERS_OF: Readonly<Record<string, readonly string[]>> = {
  Lambda: ['LambdaArn', 'NumberOfRetries', 'RoleArn', 'BufferSizeInMBs', 'BufferIntervalInSeconds'],
  MetadataExtraction: ['MetadataExtractionQuery', 'JsonParsingEngine'],
  AppendDelimiterToRecord: [],
};
const PARQUET_COMPRESSIONS = ['UNCOMPRESSED', 'GZIP', 'SNAPPY'];
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;
/** hako's ceiling: Firehose's API reference names none, and each retry holds the stream's deliveries. */
const MAX_RETRIES = 300;

const invalid = (message: string): Error => firehoseError('InvalidArgumentException', message);
const notYet = (what: string): Error => invalid(`${what} is not supported by hako yet.`);

function optionalBoolean(body: Body, name: string, field: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw firehoseConstraint(field, value, 'Member must be a boolean');
  return value;
}

function list(body: Body, name: string, field: string): Body[] {
  const value = body[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null)) throw firehoseConstraint(field, value, 'Member must be a list of structures');
  return value as Body[];
}

export interface Features {
  processing?: ProcessingSettings;
  dynamicPartitioning?: DynamicPartitioningSettings;
  formatConversion?: FormatConversionSettings;
}

export function featuresOf(extended: Body, field: string): Features {
  const out: Features = {};
  const processing = optionalStruct(extended, 'ProcessingConfiguration');
  if (processing !== undefined) out.processing = processingOf(processing, `${field}.processingConfiguration`);
  const partitioning = optionalStruct(extended, 'DynamicPartitioningConfiguration');
  if (partitioning !== undefined) {
    const retry = optionalStruct(partitioning, 'RetryOptions') ?? {};
    out.dynamicPartitioning = {
      enabled: optionalBoolean(partitioning, 'Enabled', `${field}.dynamicPartitioningConfiguration.enabled`) === true,
      retryDurationInSeconds: boundedInteger(retry, 'DurationInSeconds', 0, 7200, 300, `${field}.dynamicPartitioningConfiguration.retryOptions.durationInSeconds`),
    };
  }
  const conversion = optionalStruct(extended, 'DataFormatConversionConfiguration');
  // Enabled defaults to true here (API reference); a disabled configuration converts nothing and is not kept.
  if (conversion !== undefined && optionalBoolean(conversion, 'Enabled', `${field}.dataFormatConversionConfiguration.enabled`) !== false) {
    out.formatConversion = conversionOf(conversion, `${field}.dataFormatConversionConfiguration`);
  }
  return out;
}

function processingOf(body: Body, field: string): ProcessingSettings {
  // Enabled left out means disabled for processing (unlike format conversion).
  const enabled = optionalBoolean(body, 'Enabled', `${field}.enabled`) === true;
  return { enabled, processors: list(body, 'Processors', `${field}.processors`).map((processor, i) => processorOf(processor, `${field}.processors.${i + 1}.member`)) };
}

function processorOf(body: Body, field: string): ProcessorSettings {
  const type = requiredText(body, 'Type', `${field}.type`);
  if (!PROCESSOR_TYPES.includes(type)) throw firehoseConstraint(`${field}.type`, type, `Member must satisfy enum value set: [${PROCESSOR_TYPES.join(', ')}]`);
  const allowed = PARAMETERS_OF[type];
  if (allowed === undefined) throw notYet(`The ${type} processor`);
  const parameters = new Map<string, string>();
  list(body, 'Parameters', `${field}.parameters`).forEach((parameter, i) => {
    const at = `${field}.parameters.${i + 1}.member`;
    const name = requiredText(parameter, 'ParameterName', `${at}.parameterName`);
    if (!PARAMETER_NAMES.includes(name)) throw firehoseConstraint(`${at}.parameterName`, name, `Member must satisfy enum value set: [${PARAMETER_NAMES.join(', ')}]`);
    const value = requiredText(parameter, 'ParameterValue', `${at}.parameterValue`);
    if (value.length < 1 || value.length > 5120) throw firehoseConstraint(`${at}.parameterValue`, value, 'Member must have length between 1 and 5120');
    if (!allowed.includes(name)) throw invalid(`The parameter ${name} is not valid for a ${type} processor${allowed.length === 0 ? ' (it takes none)' : ` (it takes ${allowed.join(', ')})`}.`);
    if (parameters.has(name)) throw invalid(`The parameter ${name} is given twice for a ${type} processor.`);
    parameters.set(name, value);
  });
  if (type === 'AppendDelimiterToRecord') return { type };
  if (type === 'MetadataExtraction') {
    const query = parameters.get('MetadataExtractionQuery');
    if (query === undefined) throw invalid('The MetadataExtraction processor needs a MetadataExtractionQuery parameter.');
    const engine = parameters.get('JsonParsingEngine') ?? 'JQ-1.6';
    if (engine !== 'JQ-1.6') throw invalid(`JsonParsingEngine ${engine} is not supported: use JQ-1.6.`);
    return { type, query, jsonParsingEngine: engine };
  }
  const lambdaArn = parameters.get('LambdaArn');
  if (lambdaArn === undefined) throw invalid('The Lambda processor needs a LambdaArn parameter.');
  if (!LAMBDA_ARN.test(lambdaArn)) throw invalid(`LambdaArn ${lambdaArn} is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]).`);
  const retries = parameters.get('NumberOfRetries') ?? '3';
  if (!/^\d{1,9}$/.test(retries) || Number(retries) > MAX_RETRIES) throw invalid(`NumberOfRetries must be a whole number from 0 to ${MAX_RETRIES}; got ${retries}.`);
  const size = parameters.get('BufferSizeInMBs') ?? '1';
  if (!/^\d+(\.\d+)?$/.test(size) || Number(size) < 0.2 || Number(size) > 3) throw invalid(`BufferSizeInMBs of the Lambda processor must be between 0.2 and 3; got ${size}.`);
  const interval = parameters.get('BufferIntervalInSeconds') ?? '60';
  if (!/^\d{1,3}$/.test(interval) || Number(interval) > 900) throw invalid(`BufferIntervalInSeconds of the Lambda processor must be between 0 and 900; got ${interval}.`);
  return { type: 'Lambda', lambdaArn, numberOfRetries: Number(retries), bufferSizeInMBs: Number(size), bufferIntervalInSeconds: Number(interval), roleArn: parameters.get('RoleArn') };
}

function conversionOf(body: Body, field: string): FormatConversionSettings {
  const schema = optionalStruct(body, 'SchemaConfiguration');
  const input = optionalStruct(optionalStruct(body, 'InputFormatConfiguration') ?? {}, 'Deserializer');
  const output = optionalStruct(optionalStruct(body, 'OutputFormatConfiguration') ?? {}, 'Serializer');
  if (schema === undefined || input === undefined || output === undefined) throw invalid('DataFormatConversionConfiguration needs SchemaConfiguration, InputFormatConfiguration.Deserializer and OutputFormatConfiguration.Serializer when enabled.');
  const openX = optionalStruct(input, 'OpenXJsonSerDe');
  const hive = optionalStruct(input, 'HiveJsonSerDe');
  if ((openX === undefined) === (hive === undefined)) throw invalid('The Deserializer must be exactly one of OpenXJsonSerDe and HiveJsonSerDe.');
  const formats = hive?.TimestampFormats;
  if (Array.isArray(formats) && formats.length > 0) throw notYet('HiveJsonSerDe TimestampFormats');
  const parquet = optionalStruct(output, 'ParquetSerDe');
  if (optionalStruct(output, 'OrcSerDe') !== undefined) throw notYet('OrcSerDe (ORC output; hako writes Parquet)');
  if (parquet === undefined) throw invalid('The Serializer must be ParquetSerDe.');
  const compression = optionalText(parquet, 'Compression', `${field}.outputFormatConfiguration.serializer.parquetSerDe.compression`) ?? 'SNAPPY';
  if (!PARQUET_COMPRESSIONS.includes(compression)) throw firehoseConstraint(`${field}.outputFormatConfiguration.serializer.parquetSerDe.compression`, compression, `Member must satisfy enum value set: [${PARQUET_COMPRESSIONS.join(', ')}]`);
  const { Compression: _compression, ...parquetOptions } = parquet;
  const at = `${field}.schemaConfiguration`;
  const mappings = optionalStruct(openX ?? {}, 'ColumnToJsonKeyMappings') ?? {};
  if (Object.values(mappings).some((value) => typeof value !== 'string')) throw firehoseConstraint(`${field}.inputFormatConfiguration.deserializer.openXJsonSerDe.columnToJsonKeyMappings`, mappings, 'Member must map names to strings');
  return {
    enabled: true,
    deserializer:
      openX === undefined
        ? { kind: 'HiveJsonSerDe' }
        : {
            kind: 'OpenXJsonSerDe',
            caseInsensitive: optionalBoolean(openX, 'CaseInsensitive', `${field}.openXJsonSerDe.caseInsensitive`) ?? true,
            convertDotsInJsonKeysToUnderscores: optionalBoolean(openX, 'ConvertDotsInJsonKeysToUnderscores', `${field}.openXJsonSerDe.convertDotsInJsonKeysToUnderscores`) ?? false,
            columnToJsonKeyMappings: mappings as Record<string, string>,
          },
    compression: compression as ParquetCompression,
    parquetOptions,
    schema: {
      databaseName: nonEmpty(schema, 'DatabaseName', `${at}.databaseName`),
      tableName: nonEmpty(schema, 'TableName', `${at}.tableName`),
      roleArn: optionalText(schema, 'RoleARN', `${at}.roleARN`),
      region: optionalText(schema, 'Region', `${at}.region`),
      catalogId: optionalText(schema, 'CatalogId', `${at}.catalogId`),
      versionId: optionalText(schema, 'VersionId', `${at}.versionId`),
    },
  };
}

function nonEmpty(body: Body, name: string, field: string): string {
  const value = requiredText(body, name, field);
  if (value === '') throw firehoseConstraint(field, value, 'Member must have length greater than or equal to 1');
  return value;
}

const parameter = (ParameterName: string, ParameterValue: string): Record<string, string> => ({ ParameterName, ParameterValue });

/** The three structures as DescribeDeliveryStream shows them (Lambda processors with their defaults). */
export function describeFeatures(features: Features, roleArn: string): Record<string, unknown> {
  const { processing, dynamicPartitioning, formatConversion } = features;
  const out: Record<string, unknown> = {};
  if (processing !== undefined) {
    out.ProcessingConfiguration = {
      Enabled: processing.enabled,
      Processors: processing.processors.map((p) => {
        if (p.type === 'AppendDelimiterToRecord') return { Type: p.type, Parameters: [] };
        if (p.type === 'MetadataExtraction') return { Type: p.type, Parameters: [parameter('MetadataExtractionQuery', p.query), parameter('JsonParsingEngine', p.jsonParsingEngine)] };
        return {
          Type: p.type,
          Parameters: [parameter('LambdaArn', p.lambdaArn), parameter('NumberOfRetries', String(p.numberOfRetries)), parameter('RoleArn', p.roleArn ?? roleArn), parameter('BufferSizeInMBs', String(p.bufferSizeInMBs)), parameter('BufferIntervalInSeconds', String(p.bufferIntervalInSeconds))],
        };
      }),
    };
  }
  if (dynamicPartitioning !== undefined) out.DynamicPartitioningConfiguration = { Enabled: dynamicPartitioning.enabled, RetryOptions: { DurationInSeconds: dynamicPartitioning.retryDurationInSeconds } };
  if (formatConversion !== undefined) {
    const { deserializer, schema } = formatConversion;
    out.DataFormatConversionConfiguration = {
      Enabled: formatConversion.enabled,
      SchemaConfiguration: { RoleARN: schema.roleArn ?? roleArn, DatabaseName: schema.databaseName, TableName: schema.tableName, ...(schema.region === undefined ? {} : { Region: schema.region }), ...(schema.catalogId === undefined ? {} : { CatalogId: schema.catalogId }), VersionId: schema.versionId ?? 'LATEST' },
      InputFormatConfiguration: {
        Deserializer:
          deserializer.kind === 'HiveJsonSerDe'
            ? { HiveJsonSerDe: {} }
            : { OpenXJsonSerDe: { ConvertDotsInJsonKeysToUnderscores: deserializer.convertDotsInJsonKeysToUnderscores, CaseInsensitive: deserializer.caseInsensitive, ColumnToJsonKeyMappings: deserializer.columnToJsonKeyMappings } },
      },
      OutputFormatConfiguration: { Serializer: { ParquetSerDe: { ...formatConversion.parquetOptions, Compression: formatConversion.compression } } },
    };
  }
  return out;
}
