/**
 * @module functions/event-sources/failure-record — what the on-failure destination gets when a mapping
 * gives up records (spec §7.2): a description of the batch, not its records. The shape follows AWS's
 * Kinesis on-failure record: `requestContext`, `responseContext` (of the last invocation, when there was
 * one), `version`, `timestamp` and `KinesisBatchInfo`.
 */
import type { DiscardCondition } from './batch-outcome.js';
import type { SourceRecord } from './stream-source.js';

/** The last invocation of the given-up records, as the invoker answered it. */
export interface LastInvocation {
  requestId: string;
  executedVersion: string;
  functionError: string | undefined;
}

export interface FailureRecordInput {
  records: readonly SourceRecord[];
  condition: DiscardCondition;
  invocations: number;
  lastInvocation: LastInvocation | undefined;
  functionArn: string;
  shardId: string;
  streamArn: string;
  nowMs: number;
  /** For records given up before they were ever invoked (their age). */
  newRequestId: () => string;
}

export interface KinesisFailureRecord {
  requestContext: { requestId: string; functionArn: string; condition: DiscardCondition; approximateInvokeCount: number };
  responseContext?: { statusCode: number; executedVersion: string; functionError?: string };
  version: '1.0';
  timestamp: string;
  KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export function failureRecord(input: FailureRecordInput): KinesisFailureRecord {
  const first = input.records[0];
  const last = input.records.at(-1);
  if (first === undefined || last === undefined) throw new Error('a failure record needs at least one record');
  const invocation = input.lastInvocation;
  return {
    requestContext: {
      requestId: invocation?.requestId ?? input.newRequestId(),
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.invocations,
    },
    ...(invocation === undefined
      ? {}
      : { responseContext: { statusCode: 200, executedVersion: invocation.executedVersion, ...(invocation.functionError === undefined ? {} : { functionError: 'Unhandled' }) } }),
    version: '1.0',
    timestamp: new Date(input.nowMs).toISOString(),
    KinesisBatchInfo: {
      shardId: input.shardId,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: new Date(first.arrivalMs).toISOString(),
      approximateArrivalOfLastRecord: new Date(last.arrivalMs).toISOString(),
      batchSize: input.records.length,
      streamArn: input.streamArn,
    },
  };
}
