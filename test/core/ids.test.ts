/**
 * @module test/core/ids.test — ids minted from the random pool: the length and alphabet asked for, and no repeats
 * across many refills of the pool (a refill that reused bytes would repeat ids).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomText } from '../../src/core/ids.js';

test('randomText: hex and base64 of the asked number of bytes', () => {
  const cases: Array<[number, 'hex' | 'base64', RegExp]> = [
    [12, 'hex', /^[0-9a-f]{24}$/],
    [8, 'hex', /^[0-9a-f]{16}$/],
    [11, 'base64', /^[A-Za-z0-9+/]{15}=$/],
    [1, 'hex', /^[0-9a-f]{2}$/],
  ];
  for (const [bytes, encoding, shape] of cases) assert.match(randomText(bytes, encoding), shape, `${bytes} bytes, ${encoding}`);
});

test('randomText: 20,000 ids across dozens of pool refills, none repeated; odd sizes that straddle a refill stay whole', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 20_000; i++) seen.add(randomText(i % 2 === 0 ? 11 : 13, 'hex'));
  assert.equal(seen.size, 20_000);
  for (const id of seen) assert.ok(id.length === 22 || id.length === 26, id);
});
