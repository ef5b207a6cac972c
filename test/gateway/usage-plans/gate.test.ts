/**
 * @module test/gateway/usage-plans/gate.test — the API key gate over in-memory registries: who is refused, the
 * plan's throttle against a stage's own, and quotas counted across period boundaries (a WEEK from Monday, a MONTH
 * from the 15th) with the period's end as Retry-After.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiKeyVerdict } from '../../../src/gateway/handler.js';
import { ApiKeys } from '../../../src/gateway/usage-plans/api-keys.js';
import { UsagePlanGate } from '../../../src/gateway/usage-plans/gate.js';
import { UsagePlans } from '../../../src/gateway/usage-plans/plans.js';
import { UsageCounts } from '../../../src/gateway/usage-plans/usage-counts.js';
import type { Clock } from '../../../src/core/clock.js';
import { MemoryRecordStore } from '../../../src/store/records.js';

const VALUE = 'a-valid-key-value-0001';
const clock: Clock = { now: () => 0, monotonic: () => 0 };

/** A gate with one enabled key in one plan over `a1:$default` (and `a1:beta` in no plan). */
async function gateWith(plan: Record<string, unknown>): Promise<{ check: UsagePlanGate['check']; keys: ApiKeys; keyId: string }> {
  const records = new MemoryRecordStore();
  const keys = await ApiKeys.open(records, clock);
  const plans = await UsagePlans.open(records, () => 'ok');
  const key = await keys.create({ value: VALUE, enabled: true });
  const created = await plans.create({ name: 'plan', apiStages: [{ apiId: 'a1', stage: '$default' }], ...plan });
  await plans.addKey(created.id, key);
  return { check: new UsagePlanGate(keys, plans, new UsageCounts()).check, keys, keyId: key.id };
}

test('gate: no key, an unknown key, a disabled key, a stage of no plan are forbidden; a good key passes with its id', async () => {
  const { check, keys, keyId } = await gateWith({});
  const forbidden: ApiKeyVerdict = { ok: false, kind: 'forbidden' };
  assert.deepEqual(check('a1', '$default', undefined, 0), forbidden);
  assert.deepEqual(check('a1', '$default', 'an-unknown-key-value-01', 0), forbidden);
  assert.deepEqual(check('a1', 'beta', VALUE, 0), forbidden);
  assert.deepEqual(check('a2', '$default', VALUE, 0), forbidden);
  assert.deepEqual(check('a1', '$default', VALUE, 0), { ok: true, apiKeyId: keyId });
  await keys.update(keyId, [{ op: 'replace', path: '/enabled', value: 'false' }]);
  assert.deepEqual(check('a1', '$default', VALUE, 0), forbidden);
});

test('gate: the plan\'s burst, then throttled until a token is back; a stage\'s throttle for the route wins over the plan\'s', async () => {
  const { check } = await gateWith({ throttle: { rateLimit: 0.5, burstLimit: 2 }, apiStages: [{ apiId: 'a1', stage: '$default', throttle: { '/roomy/GET': { rateLimit: 100, burstLimit: 5 } } }] });
  const steps: [number, string, ApiKeyVerdict['ok'], number | undefined][] = [
    // ms,  route,       passes, retryAfterSeconds
    [0, 'GET /tight', true, undefined],
    [0, 'GET /tight', true, undefined],
    [0, 'GET /tight', false, 2],
    [0, 'GET /roomy', true, undefined],
    [1000, 'GET /tight', false, 1],
    [2000, 'GET /tight', true, undefined],
    [2000, 'GET /tight', false, 2],
  ];
  for (const [ms, route, passes, retryAfter] of steps) {
    const verdict = check('a1', '$default', VALUE, ms, route);
    assert.equal(verdict.ok, passes, `${route} at ${ms} ms`);
    if (!verdict.ok) assert.deepEqual(verdict, { ok: false, kind: 'throttled', retryAfterSeconds: retryAfter });
  }
  for (let i = 0; i < 4; i++) assert.equal(check('a1', '$default', VALUE, 2000, 'GET /roomy').ok, true, 'the stage throttle has its own bucket');
});

test('gate: quotas count per period and reset at its start (WEEK from Monday, MONTH from the 15th, DAY); refused requests do not count', async () => {
  const cases: [Record<string, unknown>, [string, boolean, number?][]][] = [
    [
      { limit: 2, period: 'WEEK', offset: 1 },
      [
        ['2024-03-04T00:00:00Z', true], // Monday: a week starts
        ['2024-03-09T10:00:00Z', true],
        ['2024-03-10T23:59:59Z', false, 1], // Sunday, the last second of the week
        ['2024-03-11T00:00:00Z', true], // Monday again
      ],
    ],
    [
      { limit: 1, period: 'MONTH', offset: 14 },
      [
        ['2024-02-20T00:00:00Z', true],
        ['2024-03-14T00:00:00Z', false, 86_400],
        ['2024-03-15T00:00:00Z', true],
        ['2024-04-14T12:00:00Z', false, 43_200],
      ],
    ],
    [
      { limit: 1, period: 'DAY' },
      [
        ['2024-03-10T08:00:00Z', true],
        ['2024-03-10T18:00:00Z', false, 6 * 3600],
        ['2024-03-10T20:00:00Z', false, 4 * 3600],
        ['2024-03-11T00:00:00Z', true],
      ],
    ],
  ];
  for (const [quota, steps] of cases) {
    const { check } = await gateWith({ quota });
    for (const [iso, passes, retryAfter] of steps) {
      const verdict = check('a1', '$default', VALUE, Date.parse(iso), 'GET /x');
      if (passes) assert.equal(verdict.ok, true, `${JSON.stringify(quota)} at ${iso}`);
      else assert.deepEqual(verdict, { ok: false, kind: 'quotaExceeded', retryAfterSeconds: retryAfter }, `${JSON.stringify(quota)} at ${iso}`);
    }
  }
});
