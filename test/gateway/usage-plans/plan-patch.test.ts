/**
 * @module test/gateway/usage-plans/plan-patch.test — UpdateUsagePlan's patch operations on a plan, and which
 * stage throttle a route gets: tables, no hako.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stageThrottleFor } from '../../../src/gateway/usage-plans/gate.js';
import type { UsagePlanRecord } from '../../../src/gateway/usage-plans/model.js';
import { applyPlanPatch } from '../../../src/gateway/usage-plans/plan-patch.js';
import type { PatchOperation } from '../../../src/gateway/usage-plans/patch.js';

const PLAN: UsagePlanRecord = {
  id: 'p1',
  name: 'basic',
  apiStages: [{ apiId: 'a1', stage: '$default' }, { apiId: 'a1', stage: 'beta', throttle: { '/pets/GET': { rateLimit: 1, burstLimit: 2 } } }],
  throttle: { rateLimit: 10, burstLimit: 20 },
  tags: {},
  keyIds: ['k1'],
};

test('applyPlanPatch: each supported operation changes what it names and nothing else', () => {
  const cases: [string, PatchOperation[], Partial<UsagePlanRecord>][] = [
    ['name and description', [{ op: 'replace', path: '/name', value: 'gold' }, { op: 'replace', path: '/description', value: 'more' }], { name: 'gold', description: 'more' }],
    ['one throttle member', [{ op: 'replace', path: '/throttle/rateLimit', value: '2.5' }], { throttle: { rateLimit: 2.5, burstLimit: 20 } }],
    ['no throttle', [{ op: 'remove', path: '/throttle' }], { throttle: undefined }],
    ['a new quota, member by member', [{ op: 'replace', path: '/quota/limit', value: '100' }, { op: 'replace', path: '/quota/period', value: 'WEEK' }, { op: 'replace', path: '/quota/offset', value: '1' }], { quota: { limit: 100, offset: 1, period: 'WEEK' } }],
    ['a new quota without offset', [{ op: 'replace', path: '/quota/limit', value: '5' }, { op: 'replace', path: '/quota/period', value: 'DAY' }], { quota: { limit: 5, offset: 0, period: 'DAY' } }],
    ['add a stage', [{ op: 'add', path: '/apiStages', value: 'a2:prod' }], { apiStages: [...PLAN.apiStages, { apiId: 'a2', stage: 'prod' }] }],
    ['remove a stage', [{ op: 'remove', path: '/apiStages', value: 'a1:$default' }], { apiStages: [PLAN.apiStages[1] as UsagePlanRecord['apiStages'][number]] }],
    [
      'a stage throttle, both members, key escaped',
      [{ op: 'replace', path: '/apiStages/a1:$default/throttle/~1pets~1{id}/GET/rateLimit', value: '3' }, { op: 'replace', path: '/apiStages/a1:$default/throttle/~1pets~1{id}/GET/burstLimit', value: '4' }],
      { apiStages: [{ apiId: 'a1', stage: '$default', throttle: { '/pets/{id}/GET': { rateLimit: 3, burstLimit: 4 } } }, PLAN.apiStages[1] as UsagePlanRecord['apiStages'][number]] },
    ],
    ['one member of an existing stage throttle', [{ op: 'replace', path: '/apiStages/a1:beta/throttle/~1pets/GET/burstLimit', value: '9' }], { apiStages: [PLAN.apiStages[0] as UsagePlanRecord['apiStages'][number], { apiId: 'a1', stage: 'beta', throttle: { '/pets/GET': { rateLimit: 1, burstLimit: 9 } } }] }],
    ['remove a stage throttle', [{ op: 'remove', path: '/apiStages/a1:beta/throttle/~1pets/GET' }], { apiStages: [PLAN.apiStages[0] as UsagePlanRecord['apiStages'][number], { apiId: 'a1', stage: 'beta' }] }],
    ['remove all of a stage\'s throttles', [{ op: 'remove', path: '/apiStages/a1:beta/throttle' }], { apiStages: [PLAN.apiStages[0] as UsagePlanRecord['apiStages'][number], { apiId: 'a1', stage: 'beta' }] }],
  ];
  for (const [name, operations, changes] of cases) {
    const expected: UsagePlanRecord = { ...structuredClone(PLAN), ...structuredClone(changes) };
    for (const key of Object.keys(expected) as (keyof UsagePlanRecord)[]) if (expected[key] === undefined) delete expected[key];
    assert.deepEqual(applyPlanPatch(PLAN, operations), expected, name);
  }
  assert.deepEqual(PLAN.throttle, { rateLimit: 10, burstLimit: 20 }, 'the original is not changed');
});

test('applyPlanPatch: what it refuses, with BadRequestException or NotFoundException naming the problem', () => {
  const cases: [PatchOperation[], string, RegExp][] = [
    [[{ op: 'replace', path: '/id', value: 'x' }], 'BadRequestException', /Invalid patch path '\/id' specified for op 'replace'/],
    [[{ op: 'add', path: '/name', value: 'x' }], 'BadRequestException', /Invalid patch path/],
    [[{ op: 'replace', path: '/name', value: '' }], 'BadRequestException', /name must not be empty/],
    [[{ op: 'replace', path: '/throttle/burstLimit', value: '1.5' }], 'BadRequestException', /use a whole number/],
    [[{ op: 'remove', path: '/throttle' }, { op: 'replace', path: '/throttle/rateLimit', value: '1' }], 'BadRequestException', /throttle.burstLimit is required/],
    [[{ op: 'replace', path: '/quota/limit', value: '5' }], 'BadRequestException', /quota.period is required/],
    [[{ op: 'replace', path: '/quota/limit', value: '5' }, { op: 'replace', path: '/quota/period', value: 'DAY' }, { op: 'replace', path: '/quota/offset', value: '1' }], 'BadRequestException', /offset for a DAY period must be from 0 to 0/],
    [[{ op: 'replace', path: '/quota/limit', value: '5' }, { op: 'replace', path: '/quota/period', value: 'YEAR' }], 'BadRequestException', /quota.period is required: one of DAY, WEEK, MONTH/],
    [[{ op: 'add', path: '/apiStages', value: 'nocolon' }], 'BadRequestException', /use <apiId>:<stage>/],
    [[{ op: 'remove', path: '/apiStages', value: 'a9:x' }], 'NotFoundException', /not in usage plan p1/],
    [[{ op: 'replace', path: '/apiStages/a9:x/throttle/~1a/GET/rateLimit', value: '1' }], 'NotFoundException', /not in usage plan p1/],
    [[{ op: 'replace', path: '/apiStages/a1:beta/throttle/pets/GET/rateLimit', value: '1' }], 'BadRequestException', /Invalid throttle key pets\/GET/],
    [[{ op: 'replace', path: '/apiStages/a1:beta/throttle/~1cats/GET/rateLimit', value: '1' }], 'BadRequestException', /burstLimit is required/],
    [[{ op: 'remove', path: '/apiStages/a1:beta/throttle/~1cats/GET' }], 'NotFoundException', /No throttle \/cats\/GET/],
  ];
  for (const [operations, type, message] of cases) {
    assert.throws(() => applyPlanPatch(PLAN, operations), (error: Error) => error.name === type && message.test(error.message), JSON.stringify(operations));
  }
});

test('stageThrottleFor: a route gets /path/METHOD, else /path/*, else */*; $default only */*', () => {
  const stage = { apiId: 'a', stage: 's', throttle: { '/pets/GET': { rateLimit: 1, burstLimit: 1 }, '/pets/*': { rateLimit: 2, burstLimit: 2 }, '*/*': { rateLimit: 3, burstLimit: 3 } } };
  const cases: [string | undefined, string | undefined][] = [
    ['GET /pets', '/pets/GET'],
    ['POST /pets', '/pets/*'],
    ['GET /cats', '*/*'],
    ['$default', '*/*'],
    [undefined, '*/*'],
  ];
  for (const [routeKey, key] of cases) assert.equal(stageThrottleFor(stage, routeKey)?.key, key, String(routeKey));
  assert.equal(stageThrottleFor({ apiId: 'a', stage: 's', throttle: { '/pets/GET': { rateLimit: 1, burstLimit: 1 } } }, 'GET /cats'), undefined);
  assert.equal(stageThrottleFor({ apiId: 'a', stage: 's' }, 'GET /pets'), undefined);
});
