/**
 * @module functions/event-sources/batch-plan — when a shard's waiting records become a batch (spec §7.1):
 * once `BatchSize` records wait, once the next record would take the event past the 6 MB synchronous
 * payload limit, or once `MaximumBatchingWindowInSeconds` has passed since the first of them arrived
 * (a window of 0 invokes with whatever is there, as AWS's default does). Pure: the shard worker reads,
 * asks, and then invokes or waits.
 */

export interface BatchLimits {
  batchSize: number;
  windowMs: number;
  /** The payload the event may reach (bytes). */
  maxEventBytes: number;
}

/** What planning needs to know of a waiting record. */
export interface WaitingRecord {
  arrivalMs: number;
  /** Its share of the event's size (`eventBytesOf`). */
  eventBytes: number;
}

export type BatchPlan =
  /** Nothing waits: sleep until the shard gets records. */
  | { kind: 'idle' }
  /** Records wait, but the window is still open: sleep until `untilMs` or more records. */
  | { kind: 'wait'; untilMs: number }
  /** Invoke with the first `count` records. */
  | { kind: 'invoke'; count: number };

/** The event's own bytes around its records (`{"Records":[…]}`, commas). */
const ENVELOPE_BYTES = 64;

export function planBatch(waiting: readonly WaitingRecord[], limits: BatchLimits, nowMs: number): BatchPlan {
  const first = waiting[0];
  if (first === undefined) return { kind: 'idle' };
  const fitting = countFitting(waiting, limits);
  // Full: by count, or because the next record would not fit in the payload.
  if (fitting >= limits.batchSize || fitting < waiting.length) return { kind: 'invoke', count: Math.min(fitting, limits.batchSize) };
  const closesAt = first.arrivalMs + limits.windowMs;
  if (limits.windowMs === 0 || nowMs >= closesAt) return { kind: 'invoke', count: fitting };
  return { kind: 'wait', untilMs: closesAt };
}

/** How many leading records fit in one event; always at least one (a record alone always fits: 1 MiB). */
function countFitting(waiting: readonly WaitingRecord[], limits: BatchLimits): number {
  let bytes = ENVELOPE_BYTES;
  let count = 0;
  for (const record of waiting) {
    if (count >= limits.batchSize) break;
    bytes += record.eventBytes + 1;
    if (count > 0 && bytes > limits.maxEventBytes) break;
    count++;
  }
  return count;
}
