/**
 * @module functions/event-sources/batch-outcome — what happens to a batch after its function ran (spec
 * §7.2), as a pure step the shard worker applies:
 *
 * - Success: checkpoint after its last record.
 * - Partial failure (`ReportBatchItemFailures`): checkpoint before the lowest failed record and retry
 *   from there; the retry counts as an attempt.
 * - Function error: with `BisectBatchOnFunctionError` a batch of two or more records is split in halves,
 *   first half first; "splitting a batch does not count towards the retry limit", so each half keeps the
 *   retries its parent had. A batch that cannot be split is retried until `MaximumRetryAttempts` (-1:
 *   forever), then given up with condition `RetryAttemptsExhausted`.
 * - Before each invocation, records older than `MaximumRecordAgeInSeconds` are given up
 *   (`RecordAgeExceeded`); a shard's records arrive in order, so they are always a prefix of the batch.
 *
 * A batch's records always follow the checkpoint without a gap, and batches queued after a split follow
 * one another, so the checkpoint only ever moves forward over records that succeeded or were given up.
 */

export interface Batch<R> {
  readonly records: readonly R[];
  /** Retries of these records so far (what `MaximumRetryAttempts` limits). */
  readonly retries: number;
  /** Invocations that included these records, splits and retries alike (`approximateInvokeCount`). */
  readonly invocations: number;
}

export type InvocationOutcome =
  | { readonly kind: 'success' }
  /** `batchItemFailures` named records; `failedIndex` is the lowest of them in the batch. */
  | { readonly kind: 'partial'; readonly failedIndex: number }
  /** A function error, or a batch response that was malformed (the whole batch failed). */
  | { readonly kind: 'failed' };

export interface RetryPolicy {
  /** -1: until the records expire. */
  readonly maximumRetryAttempts: number;
  readonly bisectOnFunctionError: boolean;
}

export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface Discard<R> {
  readonly records: readonly R[];
  readonly condition: DiscardCondition;
  readonly invocations: number;
}

export interface OutcomeStep<R> {
  /** Move the checkpoint to just after this record (the last one done with, for good). */
  readonly checkpointAfter: R | undefined;
  /** Records given up: to the on-failure destination, before the checkpoint moves past them. */
  readonly discard: Discard<R> | undefined;
  /** Batches to run next, in order, before anything else is read. */
  readonly next: readonly Batch<R>[];
  /** The first of `next` retries records that just failed: wait before running it. */
  readonly backOff: boolean;
}

export function afterInvocation<R>(batch: Batch<R>, outcome: InvocationOutcome, policy: RetryPolicy): OutcomeStep<R> {
  const invocations = batch.invocations + 1;
  const { records } = batch;
  if (outcome.kind === 'success') return { checkpointAfter: records.at(-1), discard: undefined, next: [], backOff: false };
  if (outcome.kind === 'partial') {
    const succeeded = records.slice(0, outcome.failedIndex);
    // The batch is split at the reported record; what follows it is retried, bisect or not (spec §7.2).
    return retryOrDiscard({ records: records.slice(outcome.failedIndex), retries: batch.retries, invocations }, policy, succeeded.at(-1));
  }
  if (policy.bisectOnFunctionError && records.length > 1) {
    const middle = Math.ceil(records.length / 2);
    const half = (part: readonly R[]): Batch<R> => ({ records: part, retries: batch.retries, invocations });
    return { checkpointAfter: undefined, discard: undefined, next: [half(records.slice(0, middle)), half(records.slice(middle))], backOff: false };
  }
  return retryOrDiscard({ ...batch, invocations }, policy, undefined);
}

function retryOrDiscard<R>(failing: Batch<R>, policy: RetryPolicy, checkpointAfter: R | undefined): OutcomeStep<R> {
  if (policy.maximumRetryAttempts !== -1 && failing.retries >= policy.maximumRetryAttempts) {
    return { checkpointAfter: failing.records.at(-1) ?? checkpointAfter, discard: { records: failing.records, condition: 'RetryAttemptsExhausted', invocations: failing.invocations }, next: [], backOff: false };
  }
  return { checkpointAfter, discard: undefined, next: [{ ...failing, retries: failing.retries + 1 }], backOff: true };
}

/** How many leading records are older than the maximum age (-1: none ever are). */
export function expiredCount<R extends { readonly arrivalMs: number }>(records: readonly R[], nowMs: number, maximumRecordAgeSeconds: number): number {
  if (maximumRecordAgeSeconds === -1) return 0;
  const oldest = nowMs - maximumRecordAgeSeconds * 1000;
  let count = 0;
  while (count < records.length && (records[count] as R).arrivalMs < oldest) count++;
  return count;
}
