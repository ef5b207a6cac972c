/**
 * @module streams/hash-keys — the 128-bit hash key space shards divide between them (spec §9): a record's
 * hash key is the MD5 of its partition key read as an unsigned big-endian integer, or the caller's
 * `ExplicitHashKey`; the record goes to the shard whose `HashKeyRange` holds it.
 */
import { createHash } from 'node:crypto';

/** 2^128 − 1, the largest hash key. */
export const MAX_HASH_KEY = (1n << 128n) - 1n;

export interface HashKeyRange {
  /** Inclusive bounds, as the decimal strings Kinesis sends. */
  readonly startingHashKey: string;
  readonly endingHashKey: string;
}

/**
 * Splits 0 … 2^128−1 into `count` contiguous ranges of equal size (the last takes the remainder), as
 * CreateStream does: with 2 shards the split is at 2^127.
 */
export function evenHashKeyRanges(count: number): HashKeyRange[] {
  const size = (MAX_HASH_KEY + 1n) / BigInt(count);
  return Array.from({ length: count }, (_, i) => {
    const start = size * BigInt(i);
    const end = i === count - 1 ? MAX_HASH_KEY : start + size - 1n;
    return { startingHashKey: start.toString(), endingHashKey: end.toString() };
  });
}

/** MD5 of the partition key's UTF-8 bytes as an unsigned 128-bit big-endian integer. */
export function hashKeyOf(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** An `ExplicitHashKey`: decimal digits within the hash space, else undefined. */
export function parseHashKey(text: string): bigint | undefined {
  if (!/^\d{1,39}$/.test(text)) return undefined;
  const value = BigInt(text);
  return value <= MAX_HASH_KEY ? value : undefined;
}

/** The index of the range holding `hashKey`; ranges cover the whole space, so there always is one. */
export function rangeIndexOf(ranges: readonly HashKeyRange[], hashKey: bigint): number {
  // Streams have few shards (≤ 500) and the ranges are sorted; a linear scan over parsed bounds is plenty.
  for (let i = 0; i < ranges.length; i++) {
    if (hashKey <= BigInt((ranges[i] as HashKeyRange).endingHashKey)) return i;
  }
  return ranges.length - 1;
}
