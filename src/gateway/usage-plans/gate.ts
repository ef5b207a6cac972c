/**
 * @module gateway/usage-plans/gate — the API key gate (spec §8.7) for routes with `apiKeyRequired`, as named steps:
 *
 *   1. the `x-api-key` value names an existing, enabled key, which a usage plan grants this API and stage
 *      (else 403 Forbidden);
 *   2. the plan's throttle for that key: a token bucket per key and plan, or, where the plan's entry for this stage
 *      has a throttle for the route (`/path/METHOD`, `/path/*`, `*` + `/*`), a bucket per key and that entry
 *      (else 429 with the seconds until a token is back);
 *   3. the plan's quota for that key in the current period (else 429 with the seconds until the period ends);
 *      the request is counted.
 */
import type { ApiKeyGate, ApiKeyVerdict } from '../handler.js';
import { Throttles, type ThrottleSettings } from '../throttle.js';
import type { ApiKeys } from './api-keys.js';
import type { ApiStageRecord } from './model.js';
import type { Grant, UsagePlans } from './plans.js';
import { checkQuota, dayNumber, quotaPeriodOf } from './quota.js';
import type { UsageCounts } from './usage-counts.js';

const FORBIDDEN: ApiKeyVerdict = { ok: false, kind: 'forbidden' };

export class UsagePlanGate {
  readonly #keys: ApiKeys;
  readonly #plans: UsagePlans;
  readonly #counts: UsageCounts;
  readonly #throttles = new Throttles();

  constructor(keys: ApiKeys, plans: UsagePlans, counts: UsageCounts) {
    this.#keys = keys;
    this.#plans = plans;
    this.#counts = counts;
  }

  /** The `ApiKeyGate` the handler calls. */
  readonly check: ApiKeyGate = (apiId, stage, apiKey, nowMs, routeKey) => {
    const key = apiKey === undefined ? undefined : this.#keys.byValue(apiKey);
    if (key === undefined || !key.enabled) return FORBIDDEN;
    const grant = this.#plans.grantOf(key.id, apiId, stage);
    if (grant === undefined) return FORBIDDEN;
    const throttled = this.#throttle(grant, key.id, routeKey, nowMs);
    if (throttled !== undefined) return throttled;
    return this.#count(grant, key.id, nowMs);
  };

  /** Drops the token buckets of a plan (`planId/`) or of one key in it (`planId/keyId/`). */
  forget(prefix: string): void {
    this.#throttles.forget(prefix);
  }

  #throttle(grant: Grant, keyId: string, routeKey: string | undefined, nowMs: number): ApiKeyVerdict | undefined {
    const own = stageThrottleFor(grant.apiStage, routeKey);
    const settings: ThrottleSettings | undefined = own?.settings ?? grant.plan.throttle;
    if (settings === undefined) return undefined;
    const bucket = own === undefined ? `${grant.plan.id}/${keyId}/` : `${grant.plan.id}/${keyId}/${grant.apiStage.apiId}/${grant.apiStage.stage}/${own.key}`;
    const taken = this.#throttles.take(bucket, settings, nowMs);
    return taken.ok ? undefined : { ok: false, kind: 'throttled', retryAfterSeconds: taken.retryAfterSeconds };
  }

  #count(grant: Grant, keyId: string, nowMs: number): ApiKeyVerdict {
    const { plan } = grant;
    const today = dayNumber(nowMs);
    if (plan.quota !== undefined) {
      const span = quotaPeriodOf(today, plan.quota.period, plan.quota.offset);
      const verdict = checkQuota(this.#counts.sum(plan.id, keyId, span.firstDay, today + 1), plan.quota, nowMs);
      if (!verdict.ok) return { ok: false, kind: 'quotaExceeded', retryAfterSeconds: verdict.retryAfterSeconds };
    }
    this.#counts.add(plan.id, keyId, today);
    return { ok: true, apiKeyId: keyId };
  }
}

/**
 * The stage entry's throttle for a route `METHOD /path`: `/path/METHOD`, then `/path/*`, then `*` + `/*` (the
 * stage's other routes, `$default` among them, only by `*` + `/*`).
 */
export function stageThrottleFor(apiStage: ApiStageRecord, routeKey: string | undefined): { key: string; settings: ThrottleSettings } | undefined {
  const throttles = apiStage.throttle;
  if (throttles === undefined) return undefined;
  const space = routeKey?.indexOf(' ') ?? -1;
  const candidates = routeKey === undefined || space === -1 ? [] : [`${routeKey.slice(space + 1)}/${routeKey.slice(0, space)}`, `${routeKey.slice(space + 1)}/*`];
  for (const key of [...candidates, '*/*']) {
    const settings = throttles[key];
    if (settings !== undefined) return { key, settings };
  }
  return undefined;
}
