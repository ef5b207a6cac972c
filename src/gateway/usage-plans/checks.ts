/**
 * @module gateway/usage-plans/checks — what CreateApiKey and CreateUsagePlan (and their patches) accept, with API
 * Gateway's error type for a bad value (BadRequestException). Pure.
 */
import { badRequest } from '../checks.js';
import type { ThrottleSettings } from '../throttle.js';
import type { ApiStageRecord } from './model.js';
import { MAX_OFFSET, QUOTA_PERIODS, type QuotaPeriod, type QuotaSettings } from './quota.js';

/** AWS's bounds for a key value; hako also keeps to visible ASCII, as the value travels in a header. */
export const MIN_KEY_LENGTH = 20;
export const MAX_KEY_LENGTH = 128;
const KEY_VALUE = /^[\x21-\x7e]+$/;

export function checkKeyValue(value: unknown): string {
  if (typeof value !== 'string') throw badRequest('value must be a string');
  if (value.length < MIN_KEY_LENGTH || value.length > MAX_KEY_LENGTH) throw badRequest(`API Key value should be at least ${MIN_KEY_LENGTH} and at most ${MAX_KEY_LENGTH} characters`);
  if (!KEY_VALUE.test(value)) throw badRequest('API Key value must be visible ASCII characters (no spaces or control characters)');
  return value;
}

/** A throttle from a request: both members are needed, or the bucket would have no size or no refill. */
export function checkThrottle(value: unknown, field: string): ThrottleSettings | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest(`${field} must be an object`);
  const { rateLimit, burstLimit } = value as Record<string, unknown>;
  return completeThrottle({ rateLimit: rateLimit as number, burstLimit: burstLimit as number }, field);
}

/** Checks a throttle whose members may have come from separate patch operations. */
export function completeThrottle(throttle: Partial<ThrottleSettings>, field: string): ThrottleSettings {
  const { rateLimit, burstLimit } = throttle;
  if (typeof rateLimit !== 'number' || !Number.isFinite(rateLimit) || rateLimit < 0) throw badRequest(`${field}.rateLimit is required: requests per second, 0 or more`);
  if (typeof burstLimit !== 'number' || !Number.isInteger(burstLimit) || burstLimit < 0) throw badRequest(`${field}.burstLimit is required: a whole number of requests, 0 or more`);
  return { rateLimit, burstLimit };
}

export function checkQuotaSettings(value: unknown): QuotaSettings | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest('quota must be an object');
  const { limit, offset, period } = value as Record<string, unknown>;
  return completeQuota({ limit: limit as number, offset: (offset ?? 0) as number, period: period as QuotaPeriod });
}

export function completeQuota(quota: Partial<QuotaSettings>): QuotaSettings {
  const { limit, period } = quota;
  const offset = quota.offset ?? 0;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) throw badRequest('quota.limit is required: a whole number of requests, 0 or more');
  if (typeof period !== 'string' || !QUOTA_PERIODS.includes(period)) throw badRequest(`quota.period is required: one of ${QUOTA_PERIODS.join(', ')}`);
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET[period]) {
    throw badRequest(`quota.offset for a ${period} period must be from 0 to ${MAX_OFFSET[period]} (the day the period starts: ${OFFSET_MEANING[period]})`);
  }
  return { limit, offset, period };
}

const OFFSET_MEANING: Readonly<Record<QuotaPeriod, string>> = {
  DAY: 'a day always starts at 00:00 UTC',
  WEEK: '0 Sunday, 1 Monday, … 6 Saturday',
  MONTH: '0 the 1st, 1 the 2nd, … 27 the 28th',
};

const THROTTLE_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY', '*']);

/** An API stage's throttle key: `/<path>/<METHOD>` (METHOD may be `*`), or `*` + `/*` for the whole stage. */
export function checkThrottleKey(key: string): string {
  if (key === '*/*') return key;
  const slash = key.lastIndexOf('/');
  if (!key.startsWith('/') || slash < 1 || !THROTTLE_METHODS.has(key.slice(slash + 1))) {
    throw badRequest(`Invalid throttle key ${key}: use /<resource path>/<HTTP method> (e.g. /pets/GET, /pets/*) or */*`);
  }
  return key;
}

export function checkApiStages(value: unknown): ApiStageRecord[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest('apiStages must be a list');
  return value.map((item: unknown) => {
    if (item === null || typeof item !== 'object') throw badRequest('each of apiStages must be an object');
    const { apiId, stage, throttle } = item as Record<string, unknown>;
    if (typeof apiId !== 'string' || apiId === '' || typeof stage !== 'string' || stage === '') throw badRequest('each of apiStages needs apiId and stage');
    const record: ApiStageRecord = { apiId, stage };
    if (throttle !== undefined && throttle !== null) {
      if (typeof throttle !== 'object' || Array.isArray(throttle)) throw badRequest('apiStages[].throttle must be a map of throttle settings');
      const entries = Object.entries(throttle as Record<string, unknown>).map(([key, settings]) => [checkThrottleKey(key), completeThrottle((settings ?? {}) as Partial<ThrottleSettings>, `throttle ${key}`)] as const);
      if (entries.length > 0) record.throttle = Object.fromEntries(entries);
    }
    return record;
  });
}

/** `apiId:stage`, as patch operations on `/apiStages` name a stage. */
export function parseStageRef(value: string | undefined): { apiId: string; stage: string } {
  const colon = value?.indexOf(':') ?? -1;
  if (value === undefined || colon < 1 || colon === value.length - 1) throw badRequest(`Invalid API stage ${String(value)}: use <apiId>:<stage>`);
  return { apiId: value.slice(0, colon), stage: value.slice(colon + 1) };
}
