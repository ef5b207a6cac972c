/**
 * @module functions/event-sources/backoff — how long a shard waits before trying a batch again. A shard
 * is blocked while it waits (its order must hold), so the waits stay short and capped:
 *
 * - after a function error, 200 ms doubling to 5 s (AWS retries stream batches within seconds; the
 *   records wait until `MaximumRetryAttempts` or `MaximumRecordAgeInSeconds` ends it);
 * - when the function could not be called (throttled, or missing), 100 ms doubling to 2 s: these are not
 *   attempts (spec §7.2), and the shard should resume soon after concurrency frees up or the function is
 *   back.
 */

const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 5000;
const UNAVAILABLE_BASE_MS = 100;
const UNAVAILABLE_MAX_MS = 2000;

/** Before retry number `retry` (1 = the first retry). */
export function retryDelayMs(retry: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, retry - 1), RETRY_MAX_MS);
}

/** After the `times`-th consecutive time the function could not be called. */
export function unavailableDelayMs(times: number): number {
  return Math.min(UNAVAILABLE_BASE_MS * 2 ** Math.max(0, times - 1), UNAVAILABLE_MAX_MS);
}
