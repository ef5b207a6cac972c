/** @module test/core/seq-search.test — the first item at or above a seq, in items sorted by seq. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstAtOrAbove } from '../../src/core/seq-search.js';

describe('firstAtOrAbove', () => {
  const items = [2, 4, 4, 7, 10].map((seq) => ({ seq }));
  const cases: [string, readonly { seq: number }[], number, number][] = [
    ['nothing to search', [], 5, 0],
    ['below every seq', items, 1, 0],
    ['equal to the first', items, 2, 0],
    ['between two seqs', items, 3, 1],
    ['equal to a repeated seq: its first', items, 4, 1],
    ['equal to the last', items, 10, 4],
    ['above every seq', items, 11, 5],
  ];
  for (const [what, list, seq, expected] of cases) it(what, () => assert.equal(firstAtOrAbove(list, seq), expected));
});
