/** @module test/streams/hash-keys.test — the 128-bit hash key space: even ranges, MD5 routing, explicit keys. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { evenHashKeyRanges, hashKeyOf, MAX_HASH_KEY, parseHashKey, rangeIndexOf } from '../../src/streams/hash-keys.js';

describe('evenHashKeyRanges', () => {
  for (const count of [1, 2, 3, 7, 500]) {
    it(`${count} shard(s): contiguous, equal but for the last, covering 0 … 2^128−1`, () => {
      const ranges = evenHashKeyRanges(count);
      assert.equal(ranges.length, count);
      assert.equal(ranges[0]?.startingHashKey, '0');
      assert.equal(ranges.at(-1)?.endingHashKey, MAX_HASH_KEY.toString());
      const size = (MAX_HASH_KEY + 1n) / BigInt(count);
      ranges.forEach((range, i) => {
        if (i > 0) assert.equal(BigInt(range.startingHashKey), BigInt(ranges[i - 1]?.endingHashKey ?? -2) + 1n);
        if (i < count - 1) assert.equal(BigInt(range.endingHashKey) - BigInt(range.startingHashKey) + 1n, size);
      });
    });
  }
  it('2 shards split at 2^127, as AWS does', () => {
    assert.deepEqual(evenHashKeyRanges(2).map((r) => r.startingHashKey), ['0', (1n << 127n).toString()]);
  });
});

describe('hashKeyOf', () => {
  it('is the MD5 of the UTF-8 key, read big-endian and unsigned', () => {
    assert.equal(hashKeyOf(''), 0xd41d8cd98f00b204e9800998ecf8427en);
    assert.equal(hashKeyOf('a'), 0x0cc175b9c0f1b6a831c399e269772661n);
    assert.equal(hashKeyOf('ü'), BigInt(`0x${createHash('md5').update(Buffer.from([0xc3, 0xbc])).digest('hex')}`), 'UTF-8 bytes, not UTF-16 or Latin-1');
    assert.ok(hashKeyOf('f') > 1n << 127n, 'a hash with its top bit set stays positive');
  });
});

describe('rangeIndexOf and parseHashKey', () => {
  const ranges = evenHashKeyRanges(4);
  it('finds the range holding a key, at both edges of each range', () => {
    ranges.forEach((range, i) => {
      assert.equal(rangeIndexOf(ranges, BigInt(range.startingHashKey)), i);
      assert.equal(rangeIndexOf(ranges, BigInt(range.endingHashKey)), i);
    });
  });
  it('accepts decimal keys within the space only', () => {
    assert.equal(parseHashKey('0'), 0n);
    assert.equal(parseHashKey(MAX_HASH_KEY.toString()), MAX_HASH_KEY);
    for (const bad of [(MAX_HASH_KEY + 1n).toString(), '-1', '1e5', ' 1', '', '0x10']) assert.equal(parseHashKey(bad), undefined, bad);
  });
});
