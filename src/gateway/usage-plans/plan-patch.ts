/**
 * @module gateway/usage-plans/plan-patch — UpdateUsagePlan's patch operations applied to a copy of a plan. Pure.
 *
 *   replace /name, /description
 *   replace /throttle/rateLimit, /throttle/burstLimit; remove /throttle
 *   replace /quota/limit, /quota/offset, /quota/period; remove /quota
 *   add, remove /apiStages with value `apiId:stage`
 *   replace /apiStages/<apiId>:<stage>/throttle/<key>/rateLimit (or burstLimit), `/` in the key written `~1`;
 *   remove /apiStages/<apiId>:<stage>/throttle/<key>, or …/throttle for all of the stage's
 *
 * A throttle or quota is checked whole after every operation ran, so one request can set both members of a new one.
 */
import { AwsError } from '../../core/aws-error.js';
import { badRequest } from '../checks.js';
import type { ThrottleSettings } from '../throttle.js';
import { checkThrottleKey, completeQuota, completeThrottle, parseStageRef } from './checks.js';
import type { ApiStageRecord, UsagePlanRecord } from './model.js';
import { numberValue, requiredValue, unescapePointer, unsupportedPatch, type PatchOperation } from './patch.js';
import type { QuotaSettings } from './quota.js';

const SUPPORTED = [
  '/name',
  '/description',
  '/throttle/rateLimit',
  '/throttle/burstLimit',
  '/throttle',
  '/quota/limit',
  '/quota/offset',
  '/quota/period',
  '/quota',
  '/apiStages',
  '/apiStages/{apiId}:{stage}/throttle/{resourcePath}/{httpMethod}/rateLimit|burstLimit',
];

/** A plan being patched: throttle and quota may be half-set until the end. */
interface Draft {
  plan: UsagePlanRecord;
  throttle: Partial<ThrottleSettings> | undefined;
  quota: Partial<QuotaSettings> | undefined;
  stageThrottles: Map<ApiStageRecord, Record<string, Partial<ThrottleSettings>>>;
}

export function applyPlanPatch(original: UsagePlanRecord, operations: readonly PatchOperation[]): UsagePlanRecord {
  const plan = structuredClone(original);
  const draft: Draft = { plan, throttle: plan.throttle, quota: plan.quota, stageThrottles: new Map() };
  for (const operation of operations) applyOne(draft, operation);
  if (draft.throttle === undefined) delete plan.throttle;
  else plan.throttle = completeThrottle(draft.throttle, 'throttle');
  if (draft.quota === undefined) delete plan.quota;
  else plan.quota = completeQuota(draft.quota);
  for (const [apiStage, throttles] of draft.stageThrottles) {
    const entries = Object.entries(throttles).map(([key, settings]) => [key, completeThrottle(settings, `throttle ${key} of ${apiStage.apiId}:${apiStage.stage}`)] as const);
    if (entries.length === 0) delete apiStage.throttle;
    else apiStage.throttle = Object.fromEntries(entries);
  }
  return plan;
}

function applyOne(draft: Draft, operation: PatchOperation): void {
  const { op, path } = operation;
  const { plan } = draft;
  if (path.startsWith('/apiStages/')) return patchStageThrottle(draft, operation);
  if (op === 'replace' && path === '/name') {
    const name = requiredValue(operation);
    if (name === '') throw badRequest('name must not be empty');
    plan.name = name;
  } else if (op === 'replace' && path === '/description') plan.description = requiredValue(operation);
  else if (op === 'replace' && (path === '/throttle/rateLimit' || path === '/throttle/burstLimit')) {
    draft.throttle = { ...draft.throttle, [path.slice('/throttle/'.length)]: numberValue(operation, path.endsWith('burstLimit')) };
  } else if (op === 'remove' && path === '/throttle') draft.throttle = undefined;
  else if (op === 'replace' && (path === '/quota/limit' || path === '/quota/offset')) draft.quota = { ...draft.quota, [path.slice('/quota/'.length)]: numberValue(operation, true) };
  else if (op === 'replace' && path === '/quota/period') draft.quota = { ...draft.quota, period: requiredValue(operation) as QuotaSettings['period'] };
  else if (op === 'remove' && path === '/quota') draft.quota = undefined;
  else if (op === 'add' && path === '/apiStages') plan.apiStages.push(parseStageRef(operation.value));
  else if (op === 'remove' && path === '/apiStages') {
    const { apiId, stage } = parseStageRef(operation.value);
    const index = plan.apiStages.findIndex((s) => s.apiId === apiId && s.stage === stage);
    if (index === -1) throw new AwsError('NotFoundException', `Invalid API stage ${apiId}:${stage}: it is not in usage plan ${plan.id}`);
    plan.apiStages.splice(index, 1);
  } else throw unsupportedPatch(operation, SUPPORTED);
}

/** `/apiStages/<apiId>:<stage>/throttle[/<key>[/rateLimit|/burstLimit]]`. */
function patchStageThrottle(draft: Draft, operation: PatchOperation): void {
  const match = /^\/apiStages\/([^/]+)\/throttle(?:\/(.+?))?(?:\/(rateLimit|burstLimit))?$/.exec(operation.path);
  if (match === null) throw unsupportedPatch(operation, SUPPORTED);
  const [, ref = '', rawKey, member] = match;
  const { apiId, stage } = parseStageRef(ref);
  const apiStage = draft.plan.apiStages.find((s) => s.apiId === apiId && s.stage === stage);
  if (apiStage === undefined) throw new AwsError('NotFoundException', `Invalid API stage ${apiId}:${stage}: it is not in usage plan ${draft.plan.id}`);
  let throttles = draft.stageThrottles.get(apiStage);
  if (throttles === undefined) draft.stageThrottles.set(apiStage, (throttles = { ...apiStage.throttle }));
  const key = rawKey === undefined ? undefined : checkThrottleKey(unescapePointer(rawKey));
  if (operation.op === 'remove' && key === undefined && member === undefined) {
    draft.stageThrottles.set(apiStage, {});
  } else if (operation.op === 'remove' && key !== undefined && member === undefined) {
    if (throttles[key] === undefined) throw new AwsError('NotFoundException', `No throttle ${key} on API stage ${apiId}:${stage}`);
    delete throttles[key];
  } else if (operation.op === 'replace' && key !== undefined && member !== undefined) {
    throttles[key] = { ...throttles[key], [member]: numberValue(operation, member === 'burstLimit') };
  } else throw unsupportedPatch(operation, SUPPORTED);
}
