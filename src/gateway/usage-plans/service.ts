/**
 * @module gateway/usage-plans/service — API keys, usage plans and their usage composed: the registries, the usage
 * ledger, the gate the HTTP API handler calls, and the operations that touch more than one of them (deleting a key
 * takes it out of its plans and drops its counts; GetUsage reads plans, keys and counts).
 */
import { AwsError } from '../../core/aws-error.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { pageOf } from '../../core/paging.js';
import type { RecordStore } from '../../store/records.js';
import { badRequest, requiredString } from '../checks.js';
import type { ApiKeyGate } from '../handler.js';
import { ApiKeys } from './api-keys.js';
import { UsagePlanGate } from './gate.js';
import { API_KEY_TYPE, type ApiKeyRecord } from './model.js';
import { UsagePlans, type StageLookup } from './plans.js';
import { formatDay } from './quota.js';
import { UsageLedger } from './usage-ledger.js';
import { dailyUsage, readUsageRange } from './usage-report.js';

/** How often changed usage counts are written; a crash loses at most this much counting. */
export const DEFAULT_USAGE_FLUSH_MS = 5_000;

export interface UsagePlansOptions {
  records: RecordStore;
  clock: Clock;
  logger: Logger;
  /** Whether an HTTP API stage exists, for CreateUsagePlan's and UpdateUsagePlan's apiStages. */
  stageLookup: StageLookup;
  flushIntervalMs?: number;
}

export interface UsageQuery {
  startDate: string | undefined;
  endDate: string | undefined;
  keyId: string | undefined;
  position: string | undefined;
  limit: number;
  maxLimit: number;
}

export class UsagePlanService {
  readonly apiKeys: ApiKeys;
  readonly plans: UsagePlans;
  readonly ledger: UsageLedger;
  readonly #gate: UsagePlanGate;

  private constructor(apiKeys: ApiKeys, plans: UsagePlans, ledger: UsageLedger) {
    this.apiKeys = apiKeys;
    this.plans = plans;
    this.ledger = ledger;
    this.#gate = new UsagePlanGate(apiKeys, plans, ledger.counts);
  }

  static async start(options: UsagePlansOptions): Promise<UsagePlanService> {
    const apiKeys = await ApiKeys.open(options.records, options.clock);
    const plans = await UsagePlans.open(options.records, options.stageLookup);
    const ledger = await UsageLedger.open({ records: options.records, clock: options.clock, logger: options.logger, flushIntervalMs: options.flushIntervalMs ?? DEFAULT_USAGE_FLUSH_MS });
    return new UsagePlanService(apiKeys, plans, ledger);
  }

  /** For `startGateway({ apiKeys })`. */
  get gate(): ApiKeyGate {
    return this.#gate.check;
  }

  /** DeleteApiKey: the key leaves every plan, and its counts and buckets go. */
  async deleteApiKey(id: string): Promise<void> {
    this.apiKeys.get(id);
    const planIds = await this.plans.forgetKey(id);
    for (const planId of planIds) this.#gate.forget(`${planId}/${id}/`);
    this.ledger.counts.forget((_planId, keyId) => keyId === id);
    await this.apiKeys.delete(id);
  }

  async deleteUsagePlan(id: string): Promise<void> {
    await this.plans.delete(id);
    this.#gate.forget(`${id}/`);
    this.ledger.counts.forget((planId) => planId === id);
  }

  /** CreateUsagePlanKey. */
  async addUsagePlanKey(planId: string, input: Readonly<Record<string, unknown>>): Promise<ApiKeyRecord> {
    const keyId = requiredString(input.keyId, 'keyId');
    const keyType = requiredString(input.keyType, 'keyType');
    if (keyType !== API_KEY_TYPE) throw badRequest(`Invalid keyType ${keyType}: the only type is ${API_KEY_TYPE}`);
    this.plans.get(planId);
    const key = this.apiKeys.get(keyId);
    await this.plans.addKey(planId, key);
    return key;
  }

  /** GetUsagePlanKey. */
  usagePlanKey(planId: string, keyId: string): ApiKeyRecord {
    return this.apiKeys.get(this.plans.keyOf(planId, keyId));
  }

  /** GetUsagePlanKeys, `nameQuery` matching the start of a key's name. */
  usagePlanKeys(planId: string, nameQuery: string | undefined, position: string | undefined, limit: number, maxLimit: number): { items: ApiKeyRecord[]; position: string | undefined } {
    const keys = this.plans
      .get(planId)
      .keyIds.map((keyId) => this.apiKeys.get(keyId))
      .filter((key) => nameQuery === undefined || (key.name ?? '').startsWith(nameQuery))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const page = pageOf(keys, (key) => key.id, position, limit, maxLimit);
    return { items: page.items, position: page.nextToken };
  }

  /** DeleteUsagePlanKey: the key's counts in the plan stay, so leaving and rejoining does not reset a quota. */
  async removeUsagePlanKey(planId: string, keyId: string): Promise<void> {
    await this.plans.removeKey(planId, keyId);
    this.#gate.forget(`${planId}/${keyId}/`);
  }

  /** GetUsage: the plan's keys (or `keyId`) by day; written as AWS's `Usage` with `values` by key id. */
  usage(planId: string, query: UsageQuery): Record<string, unknown> {
    const plan = this.plans.get(planId);
    const range = readUsageRange(query.startDate, query.endDate);
    if (query.keyId !== undefined && this.apiKeys.find(query.keyId) === undefined) throw new AwsError('NotFoundException', 'Invalid API Key identifier specified');
    const keyIds = query.keyId === undefined ? [...plan.keyIds].sort() : [query.keyId];
    const page = pageOf(keyIds, (keyId) => keyId, query.position, query.limit, query.maxLimit);
    const values = Object.fromEntries(page.items.map((keyId) => [keyId, dailyUsage(plan, keyId, range, this.ledger.counts)]));
    return { usagePlanId: plan.id, startDate: formatDay(range.firstDay), endDate: formatDay(range.lastDay), values, ...(page.nextToken === undefined ? {} : { position: page.nextToken }) };
  }

  /** Writes the last counts. */
  stop(): Promise<void> {
    return this.ledger.stop();
  }
}
