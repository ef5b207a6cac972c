/**
 * @module gateway/usage-plans/model — API keys and usage plans as hako keeps them, and their shapes on the wire
 * (`@aws-sdk/client-api-gateway`'s `ApiKey`, `UsagePlan` and `UsagePlanKey`: camelCase JSON, dates in epoch
 * seconds). One record per key and one per plan; a plan's record lists its keys.
 */
import type { ThrottleSettings } from '../throttle.js';
import type { QuotaSettings } from './quota.js';

export interface ApiKeyRecord {
  id: string;
  /** The secret callers send in `x-api-key`: never logged, shown only on create or with `includeValue(s)`. */
  value: string;
  name?: string;
  description?: string;
  customerId?: string;
  enabled: boolean;
  tags: Record<string, string>;
  /** Epoch ms. */
  createdMs: number;
  lastUpdatedMs: number;
}

/**
 * A stage a plan covers. `throttle` is keyed as AWS keys a REST method, `/<resource path>/<METHOD>`, which hako
 * reads as the route `METHOD /<path>` (`/pets/GET` ↔ `GET /pets`); `<path>/*` covers every method of a path and
 * `*` + `/*` every route of the stage.
 */
export interface ApiStageRecord {
  apiId: string;
  stage: string;
  throttle?: Record<string, ThrottleSettings>;
}

export interface UsagePlanRecord {
  id: string;
  name: string;
  description?: string;
  apiStages: ApiStageRecord[];
  throttle?: ThrottleSettings;
  quota?: QuotaSettings;
  tags: Record<string, string>;
  /** The plan's API keys (usage plan keys of type API_KEY), in the order they were added. */
  keyIds: string[];
}

/** The only usage plan key type AWS has. */
export const API_KEY_TYPE = 'API_KEY';

const seconds = (ms: number): number => Math.floor(ms / 1000);

export function apiKeyShape(key: ApiKeyRecord, includeValue: boolean): Record<string, unknown> {
  return {
    id: key.id,
    ...(includeValue ? { value: key.value } : {}),
    ...(key.name === undefined ? {} : { name: key.name }),
    ...(key.customerId === undefined ? {} : { customerId: key.customerId }),
    ...(key.description === undefined ? {} : { description: key.description }),
    enabled: key.enabled,
    createdDate: seconds(key.createdMs),
    lastUpdatedDate: seconds(key.lastUpdatedMs),
    ...(Object.keys(key.tags).length === 0 ? {} : { tags: key.tags }),
  };
}

export function usagePlanShape(plan: UsagePlanRecord): Record<string, unknown> {
  return {
    id: plan.id,
    name: plan.name,
    ...(plan.description === undefined ? {} : { description: plan.description }),
    apiStages: plan.apiStages.map((stage) => ({ apiId: stage.apiId, stage: stage.stage, ...(stage.throttle === undefined ? {} : { throttle: stage.throttle }) })),
    ...(plan.throttle === undefined ? {} : { throttle: plan.throttle }),
    ...(plan.quota === undefined ? {} : { quota: plan.quota }),
    ...(Object.keys(plan.tags).length === 0 ? {} : { tags: plan.tags }),
  };
}

/** A usage plan key: AWS shows the key's value here, to whoever may read the plan. */
export function usagePlanKeyShape(key: ApiKeyRecord): Record<string, unknown> {
  return { id: key.id, type: API_KEY_TYPE, value: key.value, ...(key.name === undefined ? {} : { name: key.name }) };
}
