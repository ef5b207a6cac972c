/**
 * @module streams/sequence-numbers — the sequence numbers hako assigns, and their wire format.
 *
 * Inside hako a record's position is a per-shard counter, a safe integer kept in the store. A new record
 * gets `max(previous + 1, arrivalMs × 1000)`: strictly increasing within a shard, and close to the
 * arrival time in microseconds, so
 *   - numbers keep increasing across a restart even when retention has trimmed every stored record
 *     (the counter is re-derived from the stored maximum, and time has moved on since);
 *   - `seq < cutoffMs × 1000` implies the record arrived before the cutoff, which lets retention trim
 *     by primary key;
 *   - counters stay below 2^53 until the year 2255.
 *
 * On the wire (as AWS's, decimal strings of 56 digits): `49` + the counter in 42 digits + the shard's
 * index in 12 digits. Within a shard they compare as strings; the shard suffix makes them unique within
 * a stream and lets GetShardIterator refuse a number from another shard.
 */

const COUNTER_DIGITS = 42;
const SHARD_DIGITS = 12;
const PREFIX = '49';
const PATTERN = new RegExp(`^${PREFIX}(\\d{${COUNTER_DIGITS}})(\\d{${SHARD_DIGITS}})$`);

/** The counter for a record arriving at `arrivalMs` after `previous` in the same shard. */
export function nextCounter(previous: number, arrivalMs: number): number {
  return Math.max(previous + 1, Math.floor(arrivalMs) * 1000);
}

/** The lowest counter a record arriving at or after `ms` can have. */
export function counterFloorAt(ms: number): number {
  return Math.floor(ms) * 1000;
}

export function formatSequenceNumber(counter: number, shardIndex: number): string {
  return `${PREFIX}${String(counter).padStart(COUNTER_DIGITS, '0')}${String(shardIndex).padStart(SHARD_DIGITS, '0')}`;
}

/** A sequence number hako issued, split up; undefined for anything else. */
export function parseSequenceNumber(text: string): { counter: number; shardIndex: number } | undefined {
  const match = PATTERN.exec(text);
  if (match === null) return undefined;
  const counter = Number(match[1]);
  if (!Number.isSafeInteger(counter)) return undefined;
  return { counter, shardIndex: Number(match[2]) };
}

/** `shardId-000000000003` for index 3, and back. */
export function shardIdOf(index: number): string {
  return `shardId-${String(index).padStart(SHARD_DIGITS, '0')}`;
}

export function shardIndexOf(shardId: string): number | undefined {
  const match = /^shardId-(\d{12})$/.exec(shardId);
  return match === null ? undefined : Number(match[1]);
}
