/**
 * @module functions/event-sources/batch-response — reads a function's partial batch response
 * (`FunctionResponseTypes: ["ReportBatchItemFailures"]`, spec §7.2):
 * `{"batchItemFailures": [{"itemIdentifier": "<sequence number>"}]}`.
 *
 * A null or empty response, a response without the key, and a null or empty list all mean complete
 * success. An entry without a string `itemIdentifier`, an empty one, or one naming no record of the
 * batch makes the whole batch fail, as on AWS.
 */
import type { InvocationOutcome } from './batch-outcome.js';

export function readBatchResponse(payload: string, sequenceNumbers: readonly string[]): InvocationOutcome {
  let response: unknown;
  try {
    response = JSON.parse(payload);
  } catch {
    return { kind: 'failed' };
  }
  if (response === null || typeof response !== 'object' || Array.isArray(response)) return { kind: 'success' };
  const failures = (response as Record<string, unknown>).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failed' };
  let lowest = Number.POSITIVE_INFINITY;
  for (const failure of failures as unknown[]) {
    const identifier = failure !== null && typeof failure === 'object' ? (failure as Record<string, unknown>).itemIdentifier : undefined;
    if (typeof identifier !== 'string' || identifier === '') return { kind: 'failed' };
    const index = sequenceNumbers.indexOf(identifier);
    if (index === -1) return { kind: 'failed' };
    lowest = Math.min(lowest, index);
  }
  return lowest === Number.POSITIVE_INFINITY ? { kind: 'success' } : { kind: 'partial', failedIndex: lowest };
}
