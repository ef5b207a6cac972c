/**
 * @module functions/event-sources/parameters — the request fields of Create/UpdateEventSourceMapping
 * for a Kinesis source, checked against the API model's ranges (spec §7.2) with AWS's wording, and what
 * hako does not do refused in plain words rather than ignored:
 *
 * - `ParallelizationFactor` above 1 (hako runs one batch per shard at a time, which keeps shard order),
 * - `TumblingWindowInSeconds` above 0 and `FilterCriteria` with filters (not implemented),
 * - on-failure destinations that are not a hako function or stream (hako has no SQS, SNS or S3), and
 *   `OnSuccess` (AWS supports none for stream sources either).
 *
 * Whether the function, stream and destination exist is checked by the service, which knows them.
 */
import { AwsError } from '../../core/aws-error.js';
import { DEFAULT_SETTINGS, type MappingSettings, type StartingPosition } from './mapping.js';

type Body = Readonly<Record<string, unknown>>;

export interface CreateRequest {
  functionName: string;
  eventSourceArn: string;
  startingPosition: StartingPosition;
  startingPositionTimestamp: number | undefined;
  enabled: boolean;
  settings: MappingSettings;
}

export interface UpdateRequest {
  functionName: string | undefined;
  enabled: boolean | undefined;
  settings: MappingSettings;
}

const STARTING_POSITIONS: readonly StartingPosition[] = ['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'];
const LAMBDA_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9_-]+(:[a-zA-Z0-9$_-]+)?$/;
const KINESIS_STREAM_ARN = /^arn:aws[a-zA-Z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[a-zA-Z0-9_.-]{1,128}$/;

export function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterValueException', message, { fields: { Type: 'User' } });
}

function constraint(field: string, value: unknown, rule: string): AwsError {
  const shown = value === undefined || value === null ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return invalid(`1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${rule}`);
}

export function createRequestOf(body: Body): CreateRequest {
  const functionName = requiredString(body, 'FunctionName', 'functionName');
  const eventSourceArn = requiredString(body, 'EventSourceArn', 'eventSourceArn');
  checkEventSourceKind(eventSourceArn);
  const position = body.StartingPosition;
  if (position === undefined || position === null) throw invalid('StartingPosition is required for a Kinesis event source: TRIM_HORIZON, LATEST or AT_TIMESTAMP');
  if (typeof position !== 'string' || !(STARTING_POSITIONS as readonly string[]).includes(position)) {
    throw constraint('startingPosition', position, `Member must satisfy enum value set: [${STARTING_POSITIONS.join(', ')}]`);
  }
  const timestamp = body.StartingPositionTimestamp;
  if (position === 'AT_TIMESTAMP' && typeof timestamp !== 'number') throw invalid('StartingPositionTimestamp must be given when StartingPosition is AT_TIMESTAMP');
  if (position !== 'AT_TIMESTAMP' && timestamp !== undefined && timestamp !== null) throw invalid('StartingPositionTimestamp may only be given when StartingPosition is AT_TIMESTAMP');
  return {
    functionName,
    eventSourceArn,
    startingPosition: position as StartingPosition,
    startingPositionTimestamp: typeof timestamp === 'number' ? timestamp : undefined,
    enabled: optionalBoolean(body, 'Enabled', 'enabled') ?? true,
    settings: settingsOf(body, DEFAULT_SETTINGS),
  };
}

export function updateRequestOf(body: Body, current: MappingSettings): UpdateRequest {
  const functionName = body.FunctionName;
  if (functionName !== undefined && functionName !== null && (typeof functionName !== 'string' || functionName === '')) throw constraint('functionName', functionName, 'Member must have length greater than or equal to 1');
  return { functionName: typeof functionName === 'string' ? functionName : undefined, enabled: optionalBoolean(body, 'Enabled', 'enabled'), settings: settingsOf(body, current) };
}

/** Fields Create and Update share; absent ones keep `base`'s values. */
function settingsOf(body: Body, base: Readonly<MappingSettings>): MappingSettings {
  refuseUnsupported(body);
  const parallelizationFactor = integerIn(body, 'ParallelizationFactor', 'parallelizationFactor', 1, 10) ?? base.parallelizationFactor;
  if (parallelizationFactor !== 1) throw invalid(`ParallelizationFactor ${parallelizationFactor} is not supported: hako processes one batch per shard at a time, so ParallelizationFactor must be 1`);
  const maximumRecordAgeSeconds = integerIn(body, 'MaximumRecordAgeInSeconds', 'maximumRecordAgeInSeconds', -1, 604_800) ?? base.maximumRecordAgeSeconds;
  if (maximumRecordAgeSeconds !== -1 && maximumRecordAgeSeconds < 60) throw invalid(`MaximumRecordAgeInSeconds must be -1 (no limit) or between 60 and 604800, got ${maximumRecordAgeSeconds}`);
  const responseTypes = body.FunctionResponseTypes;
  let reportBatchItemFailures = base.reportBatchItemFailures;
  if (responseTypes !== undefined && responseTypes !== null) {
    if (!Array.isArray(responseTypes) || responseTypes.some((type) => type !== 'ReportBatchItemFailures')) {
      throw constraint('functionResponseTypes', responseTypes, 'Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]');
    }
    reportBatchItemFailures = responseTypes.length > 0;
  }
  return {
    batchSize: integerIn(body, 'BatchSize', 'batchSize', 1, 10_000) ?? base.batchSize,
    maximumBatchingWindowSeconds: integerIn(body, 'MaximumBatchingWindowInSeconds', 'maximumBatchingWindowInSeconds', 0, 300) ?? base.maximumBatchingWindowSeconds,
    parallelizationFactor,
    maximumRetryAttempts: integerIn(body, 'MaximumRetryAttempts', 'maximumRetryAttempts', -1, 10_000) ?? base.maximumRetryAttempts,
    maximumRecordAgeSeconds,
    bisectBatchOnFunctionError: optionalBoolean(body, 'BisectBatchOnFunctionError', 'bisectBatchOnFunctionError') ?? base.bisectBatchOnFunctionError,
    reportBatchItemFailures,
    onFailure: onFailureOf(body, base.onFailure),
  };
}

function refuseUnsupported(body: Body): void {
  const window = integerIn(body, 'TumblingWindowInSeconds', 'tumblingWindowInSeconds', 0, 900);
  if (window !== undefined && window > 0) throw invalid('TumblingWindowInSeconds is not supported by hako yet: leave it out (or 0)');
  const filters = (body.FilterCriteria as { Filters?: unknown } | undefined | null)?.Filters;
  if (Array.isArray(filters) && filters.length > 0) throw invalid('FilterCriteria is not supported by hako yet: every record is sent to the function');
}

/** `DestinationConfig.OnFailure.Destination`: absent keeps the current one, empty removes it. */
function onFailureOf(body: Body, current: string | undefined): string | undefined {
  const config = body.DestinationConfig as { OnSuccess?: { Destination?: unknown } | null; OnFailure?: { Destination?: unknown } | null } | undefined | null;
  if (config === undefined || config === null) return current;
  const onSuccess = config.OnSuccess?.Destination;
  if (onSuccess !== undefined && onSuccess !== null && onSuccess !== '') throw invalid('Unsupported DestinationConfig parameter for given event source mapping type: stream sources take an OnFailure destination only');
  if (config.OnFailure === undefined || config.OnFailure === null) return current;
  const destination = config.OnFailure.Destination;
  if (destination === undefined || destination === null || destination === '') return undefined;
  if (typeof destination !== 'string') throw constraint('destinationConfig.onFailure.destination', destination, 'Member must be a string');
  destinationKindOf(destination);
  return destination;
}

export type DestinationKind = 'function' | 'stream';

/** What an on-failure destination ARN names; refused unless it is a kind hako has. */
export function destinationKindOf(arn: string): DestinationKind {
  if (LAMBDA_ARN.test(arn)) return 'function';
  if (KINESIS_STREAM_ARN.test(arn)) return 'stream';
  const service = /^arn:aws[a-zA-Z-]*:([a-z0-9-]+):/.exec(arn)?.[1];
  const kind = service === 'sqs' ? 'an SQS queue' : service === 'sns' ? 'an SNS topic' : service === 's3' ? 'an S3 bucket' : 'not a destination hako knows';
  throw invalid(`The OnFailure destination ${arn} is ${kind}: hako has no SQS, SNS or S3, so it delivers on-failure records to a hako function (arn:aws:lambda:<region>:<account>:function:<name>) or a hako Kinesis stream (arn:aws:kinesis:<region>:<account>:stream/<name>)`);
}

/** hako's event sources are its Kinesis streams; other sources are refused with what to use instead. */
function checkEventSourceKind(arn: string): void {
  if (KINESIS_STREAM_ARN.test(arn)) return;
  const service = /^arn:aws[a-zA-Z-]*:([a-z0-9-]+):/.exec(arn)?.[1];
  if (service === undefined) throw constraint('eventSourceArn', arn, 'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)');
  throw invalid(`Event source ${arn} is not supported: hako's event source mappings read hako's Kinesis streams (arn:aws:kinesis:<region>:<account>:stream/<name>); SQS, DynamoDB, Kafka, MQ and DocumentDB sources and stream consumers are not available`);
}

function requiredString(body: Body, name: string, field: string): string {
  const value = body[name];
  if (value === undefined || value === null) throw constraint(field, value, 'Member must not be null');
  if (typeof value !== 'string' || value === '') throw constraint(field, value, 'Member must have length greater than or equal to 1');
  return value;
}

function optionalBoolean(body: Body, name: string, field: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw constraint(field, value, 'Member must be a boolean');
  return value;
}

function integerIn(body: Body, name: string, field: string, min: number, max: number): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw constraint(field, value, 'Member must be a whole number');
  if (value < min) throw constraint(field, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraint(field, value, `Member must have value less than or equal to ${max}`);
  return value;
}
