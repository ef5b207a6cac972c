/**
 * @module bench/load/pump — decides when publishers write. Saturating mode refills the windows as
 * acknowledgements and deliveries come back; fixed-rate mode sends what a timer says is due.
 */
import type { Publisher } from './publisher.js';

/** Most PUBLISH packets per write. */
export const MAX_BATCH = 128;

/**
 * Saturating mode writes once a quarter of the binding window is free (capped at half a batch): fewer,
 * larger writes keep the generator's syscall cost well below the broker's.
 */
export function minBatchFor(qos: number, window: number, endToEndWindow: number): number {
  const limit = qos > 0 ? window : endToEndWindow || MAX_BATCH;
  return Math.max(1, Math.min(MAX_BATCH / 2, Math.floor(limit / 4)));
}

/** Saturating mode: every publisher sends what its windows allow; returns true if a batch was capped. */
export function pumpSaturating(publishers: readonly Publisher[]): boolean {
  const now = performance.now();
  let capped = false;
  for (const publisher of publishers) {
    const n = publisher.ready();
    if (n > 0) publisher.send(n, now);
    if (n === MAX_BATCH) capped = true;
  }
  return capped;
}

/**
 * Fixed-rate mode, called every millisecond: each publisher catches up to its share of `rate` since
 * `startedAt`, in one write, as far as its windows allow.
 */
export function pumpPaced(publishers: readonly Publisher[], rate: number, startedAt: number): void {
  const now = performance.now();
  const duePerPublisher = Math.floor(((now - startedAt) / 1000) * (rate / publishers.length));
  for (const publisher of publishers) {
    const n = Math.min(duePerPublisher - publisher.sent, publisher.room());
    if (n > 0) publisher.send(n, now);
  }
}
