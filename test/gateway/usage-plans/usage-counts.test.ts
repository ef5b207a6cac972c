/**
 * @module test/gateway/usage-plans/usage-counts.test — the in-memory usage counts: adding and summing by day,
 * what changed since the last flush, forgetting pairs, pruning old days, loading what was stored.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDay } from '../../../src/gateway/usage-plans/quota.js';
import { UsageCounts } from '../../../src/gateway/usage-plans/usage-counts.js';

const day = (date: string): number => parseDay(date) ?? assert.fail(date);

test('UsageCounts: add counts per plan, key and day; sum covers [first, end); on reads one day', () => {
  const counts = new UsageCounts();
  for (const date of ['2024-03-09', '2024-03-10', '2024-03-10', '2024-03-11']) counts.add('p1', 'k1', day(date));
  counts.add('p1', 'k2', day('2024-03-10'));
  counts.add('p2', 'k1', day('2024-03-10'));
  const cases: [string, string, string, string, number][] = [
    ['p1', 'k1', '2024-03-09', '2024-03-12', 4],
    ['p1', 'k1', '2024-03-10', '2024-03-11', 2],
    ['p1', 'k1', '2024-03-10', '2024-03-10', 0],
    ['p1', 'k2', '2024-03-01', '2024-04-01', 1],
    ['p2', 'k1', '2024-03-01', '2024-04-01', 1],
    ['p2', 'k9', '2024-03-01', '2024-04-01', 0],
  ];
  for (const [plan, key, first, end, expected] of cases) assert.equal(counts.sum(plan, key, day(first), day(end)), expected, `${plan}/${key} ${first}..${end}`);
  assert.equal(counts.on('p1', 'k1', day('2024-03-10')), 2);
});

test('UsageCounts: takeChanges answers each changed pair once, with its days; forget and prune are changes too', () => {
  const counts = new UsageCounts();
  counts.load('p1', 'k1', { '2024-01-01': 5, '2024-03-10': 1, 'not a day': 3, '2024-03-11': -1 });
  assert.deepEqual(counts.takeChanges(), [], 'loading is not a change');
  assert.equal(counts.on('p1', 'k1', day('2024-01-01')), 5);
  assert.equal(counts.sum('p1', 'k1', day('2024-03-11'), day('2024-03-12')), 0, 'a negative count is not loaded');
  counts.add('p1', 'k1', day('2024-03-10'));
  counts.add('p1', 'k2', day('2024-03-10'));
  assert.deepEqual(counts.takeChanges(), [
    { usagePlanId: 'p1', keyId: 'k1', days: { '2024-01-01': 5, '2024-03-10': 2 } },
    { usagePlanId: 'p1', keyId: 'k2', days: { '2024-03-10': 1 } },
  ]);
  assert.deepEqual(counts.takeChanges(), [], 'nothing changed since');
  counts.prune(day('2024-02-01'));
  assert.deepEqual(counts.takeChanges(), [{ usagePlanId: 'p1', keyId: 'k1', days: { '2024-03-10': 2 } }], 'only the pair that lost days');
  counts.forget((_plan, key) => key === 'k2');
  const forgotten = counts.takeChanges();
  assert.deepEqual(forgotten, [{ usagePlanId: 'p1', keyId: 'k2', days: undefined }], 'a forgotten pair is to be deleted');
  counts.markChanged(forgotten);
  assert.deepEqual(counts.takeChanges(), forgotten, 'a failed write is taken again');
});
