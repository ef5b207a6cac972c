/**
 * @module functions/event-sources/mapping — an event source mapping as hako stores it, and the
 * `EventSourceMappingConfiguration` the Lambda API answers with (spec §7.1, §7.2).
 *
 * A stored mapping is `Enabled` or `Disabled`. The API's transitional states (`Creating`, `Enabling`,
 * `Disabling`, `Updating`, `Deleting`) appear, as on AWS, only in the answer to the call that started
 * the transition: hako's transitions are complete by the time the next call can look.
 */

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

export type MappingState = 'Creating' | 'Enabling' | 'Enabled' | 'Disabling' | 'Disabled' | 'Updating' | 'Deleting';

/** What Create and Update set (Update only some of it). */
export interface MappingSettings {
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  /** Always 1: hako runs one batch per shard at a time. */
  parallelizationFactor: number;
  /** -1: until the records expire. */
  maximumRetryAttempts: number;
  /** -1: no limit. */
  maximumRecordAgeSeconds: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  /** A hako function or stream ARN. */
  onFailure: string | undefined;
}

export interface StoredMapping {
  uuid: string;
  eventSourceArn: string;
  functionName: string;
  /** As the mapping named it: a version, an alias, `$LATEST`, or none. */
  qualifier: string | undefined;
  startingPosition: StartingPosition;
  /** Epoch seconds, for AT_TIMESTAMP. */
  startingPositionTimestamp: number | undefined;
  settings: MappingSettings;
  enabled: boolean;
  stateTransitionReason: string;
  lastProcessingResult: string;
  /** Epoch ms. */
  lastModified: number;
  createdAt: number;
}

export const USER_ACTION = 'User action';
export const NO_RECORDS_PROCESSED = 'No records processed';

export const DEFAULT_SETTINGS: Readonly<MappingSettings> = {
  batchSize: 100,
  maximumBatchingWindowSeconds: 0,
  parallelizationFactor: 1,
  maximumRetryAttempts: -1,
  maximumRecordAgeSeconds: -1,
  bisectBatchOnFunctionError: false,
  reportBatchItemFailures: false,
  onFailure: undefined,
};

export interface MappingArns {
  function(name: string, qualifier?: string): string;
  mapping(uuid: string): string;
}

export function stateOf(mapping: StoredMapping): MappingState {
  return mapping.enabled ? 'Enabled' : 'Disabled';
}

/** The API's `EventSourceMappingConfiguration`; `state` overrides the stored one for transitional answers. */
export function mappingConfiguration(mapping: StoredMapping, arns: MappingArns, state: MappingState = stateOf(mapping)): Record<string, unknown> {
  const { settings } = mapping;
  return {
    UUID: mapping.uuid,
    StartingPosition: mapping.startingPosition,
    ...(mapping.startingPositionTimestamp === undefined ? {} : { StartingPositionTimestamp: mapping.startingPositionTimestamp }),
    BatchSize: settings.batchSize,
    MaximumBatchingWindowInSeconds: settings.maximumBatchingWindowSeconds,
    ParallelizationFactor: settings.parallelizationFactor,
    EventSourceArn: mapping.eventSourceArn,
    FunctionArn: arns.function(mapping.functionName, mapping.qualifier),
    LastModified: mapping.lastModified / 1000,
    LastProcessingResult: mapping.lastProcessingResult,
    State: state,
    StateTransitionReason: mapping.stateTransitionReason,
    DestinationConfig: { OnFailure: settings.onFailure === undefined ? {} : { Destination: settings.onFailure } },
    MaximumRecordAgeInSeconds: settings.maximumRecordAgeSeconds,
    BisectBatchOnFunctionError: settings.bisectBatchOnFunctionError,
    MaximumRetryAttempts: settings.maximumRetryAttempts,
    TumblingWindowInSeconds: 0,
    FunctionResponseTypes: settings.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
    EventSourceMappingArn: arns.mapping(mapping.uuid),
  };
}
