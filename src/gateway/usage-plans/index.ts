/**
 * @module gateway/usage-plans — API keys and usage plans (throttle and quota per key) for HTTP API routes with
 * `apiKeyRequired`, managed as API Gateway v1 manages them. AWS offers keys on REST APIs only; hako lets HTTP API
 * routes ask for them. Pure cores: `quota` (periods), `usage-counts`, `checks`, `patch`, `plan-patch`.
 */
export { UsagePlanService, DEFAULT_USAGE_FLUSH_MS } from './service.js';
export type { UsagePlansOptions, UsageQuery } from './service.js';
export type { StageLookup } from './plans.js';
export { apiKeyShape, usagePlanShape, usagePlanKeyShape } from './model.js';
export type { ApiKeyRecord, ApiStageRecord, UsagePlanRecord } from './model.js';
export { readPatchOperations } from './patch.js';
export { checkQuota, dayNumber, formatDay, parseDay, quotaPeriodOf } from './quota.js';
export type { QuotaPeriod, QuotaSettings, PeriodSpan } from './quota.js';
