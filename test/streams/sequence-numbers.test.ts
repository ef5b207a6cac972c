/** @module test/streams/sequence-numbers.test — the sequence number format and the counter it carries. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counterFloorAt, formatSequenceNumber, nextCounter, parseSequenceNumber, shardIdOf, shardIndexOf } from '../../src/streams/sequence-numbers.js';

describe('sequence numbers', () => {
  it('are 56 decimal digits that round-trip to the counter and the shard', () => {
    const text = formatSequenceNumber(1_700_000_000_000_123, 7);
    assert.match(text, /^49\d{54}$/);
    assert.deepEqual(parseSequenceNumber(text), { counter: 1_700_000_000_000_123, shardIndex: 7 });
  });

  it('compare as strings the way their counters compare, within a shard', () => {
    const counters = [0, 1, 9, 10, 999_999, 1_000_000, 1_700_000_000_000_000, Number.MAX_SAFE_INTEGER];
    const texts = counters.map((c) => formatSequenceNumber(c, 3));
    assert.deepEqual([...texts].sort(), texts);
  });

  it('refuse what hako did not issue', () => {
    for (const bad of ['', '12345', `48${'0'.repeat(54)}`, `49${'9'.repeat(54)}`, `49${'0'.repeat(53)}x`]) assert.equal(parseSequenceNumber(bad), undefined, bad);
  });

  it('counters strictly increase, and follow the clock in microseconds', () => {
    assert.equal(nextCounter(0, 1_000), 1_000_000);
    assert.equal(nextCounter(1_000_000, 1_000), 1_000_001, 'same millisecond: one more');
    assert.equal(nextCounter(5_000_000, 1_000), 5_000_001, 'a clock that went back does not go back');
    assert.equal(counterFloorAt(1_000.7), 1_000_000);
  });

  it('shard ids are shardId- and 12 digits', () => {
    assert.equal(shardIdOf(3), 'shardId-000000000003');
    assert.equal(shardIndexOf('shardId-000000000003'), 3);
    assert.equal(shardIndexOf('shardId-3'), undefined);
  });
});
