/**
 * @module gateway/usage-plans/plans — usage plans and their keys as `@aws-sdk/client-api-gateway` manages them
 * (Create/Get/Update/DeleteUsagePlan, GetUsagePlans with `keyId`, Create/Get/DeleteUsagePlanKey, GetUsagePlanKeys),
 * one record per plan in the record store, served from memory with an index the gate reads: (key, API, stage) →
 * the one plan that grants it. AWS's rule keeps that index a function: a key may not be in two plans that cover
 * the same stage (ConflictException).
 */
import { AwsError } from '../../core/aws-error.js';
import { pageOf, type Page } from '../../core/paging.js';
import type { RecordCollection, RecordStore } from '../../store/records.js';
import { badRequest, checkTags, optionalString, requiredString } from '../checks.js';
import { newId, setOptional } from './new-id.js';
import { checkApiStages, checkQuotaSettings, checkThrottle } from './checks.js';
import type { ApiKeyRecord, ApiStageRecord, UsagePlanRecord } from './model.js';
import { applyPlanPatch } from './plan-patch.js';
import type { PatchOperation } from './patch.js';

export const USAGE_PLAN_COLLECTION = 'gateway.usage-plans';

/** Whether an HTTP API and its stage exist, for checking a plan's apiStages. */
export type StageLookup = (apiId: string, stage: string) => 'ok' | 'noApi' | 'noStage';

type Input = Readonly<Record<string, unknown>>;

/** What grants a key access to one API stage. */
export interface Grant {
  plan: UsagePlanRecord;
  apiStage: ApiStageRecord;
}

const grantKey = (keyId: string, apiId: string, stage: string): string => `${keyId}\n${apiId}\n${stage}`;

export class UsagePlans {
  readonly #plans = new Map<string, UsagePlanRecord>();
  readonly #store: RecordCollection<UsagePlanRecord>;
  readonly #stageLookup: StageLookup;
  #grants = new Map<string, Grant>();

  private constructor(store: RecordCollection<UsagePlanRecord>, stageLookup: StageLookup) {
    this.#store = store;
    this.#stageLookup = stageLookup;
  }

  static async open(records: RecordStore, stageLookup: StageLookup): Promise<UsagePlans> {
    const store = records.collection<UsagePlanRecord>(USAGE_PLAN_COLLECTION);
    const plans = new UsagePlans(store, stageLookup);
    for (const plan of (await store.loadAll()).values()) plans.#plans.set(plan.id, plan);
    plans.#index();
    return plans;
  }

  /** The plan (and its stage entry) through which `keyId` may call `apiId`'s `stage`. */
  grantOf(keyId: string, apiId: string, stage: string): Grant | undefined {
    return this.#grants.get(grantKey(keyId, apiId, stage));
  }

  async create(input: Input): Promise<UsagePlanRecord> {
    const plan: UsagePlanRecord = {
      id: newId(6, (id) => this.#plans.has(id)),
      name: requiredString(input.name, 'name'),
      apiStages: checkApiStages(input.apiStages),
      tags: checkTags(input.tags) ?? {},
      keyIds: [],
    };
    setOptional(plan, 'description', optionalString(input.description, 'description'));
    setOptional(plan, 'throttle', checkThrottle(input.throttle, 'throttle'));
    setOptional(plan, 'quota', checkQuotaSettings(input.quota));
    this.#checkStages(plan, plan.apiStages);
    await this.#save(plan);
    return plan;
  }

  get(id: string): UsagePlanRecord {
    const plan = this.#plans.get(id);
    if (plan === undefined) throw new AwsError('NotFoundException', `Invalid Usage Plan ID specified: ${id}`);
    return plan;
  }

  /** With `keyId`, only the plans that key is in. */
  list(keyId: string | undefined, position: string | undefined, limit: number, maxLimit: number): Page<UsagePlanRecord> {
    const plans = [...this.#plans.values()].filter((plan) => keyId === undefined || plan.keyIds.includes(keyId)).sort((a, b) => (a.id < b.id ? -1 : 1));
    return pageOf(plans, (plan) => plan.id, position, limit, maxLimit);
  }

  async update(id: string, operations: readonly PatchOperation[]): Promise<UsagePlanRecord> {
    const before = this.get(id);
    const plan = applyPlanPatch(before, operations);
    const added = plan.apiStages.filter((stage) => !before.apiStages.some((old) => old.apiId === stage.apiId && old.stage === stage.stage));
    this.#checkStages(plan, added);
    await this.#save(plan);
    return plan;
  }

  /** AWS keeps a plan that still covers stages from being deleted: they are removed first. */
  async delete(id: string): Promise<UsagePlanRecord> {
    const plan = this.get(id);
    if (plan.apiStages.length > 0) throw badRequest(`Usage plan ${id} still has API stages (${plan.apiStages.map((s) => `${s.apiId}:${s.stage}`).join(', ')}): remove them first (UpdateUsagePlan remove /apiStages)`);
    this.#plans.delete(id);
    this.#index();
    await this.#store.delete(id);
    return plan;
  }

  // ── Usage plan keys ─────────────────────────────────────────────────────────────────────────────────

  async addKey(id: string, key: ApiKeyRecord): Promise<void> {
    const plan = structuredClone(this.get(id));
    if (plan.keyIds.includes(key.id)) throw new AwsError('ConflictException', `API Key ${key.id} is already in usage plan ${id}`);
    plan.keyIds.push(key.id);
    this.#checkConflicts(plan);
    await this.#save(plan);
  }

  /** The key's id if it is in the plan. */
  keyOf(id: string, keyId: string): string {
    if (!this.get(id).keyIds.includes(keyId)) throw new AwsError('NotFoundException', `Invalid Usage Plan Key: API Key ${keyId} is not in usage plan ${id}`);
    return keyId;
  }

  async removeKey(id: string, keyId: string): Promise<void> {
    this.keyOf(id, keyId);
    const plan = structuredClone(this.get(id));
    plan.keyIds = plan.keyIds.filter((other) => other !== keyId);
    await this.#save(plan);
  }

  /** Takes a deleted key out of every plan; answers the plans it was in. */
  async forgetKey(keyId: string): Promise<string[]> {
    const holders = [...this.#plans.values()].filter((plan) => plan.keyIds.includes(keyId));
    for (const holder of holders) await this.removeKey(holder.id, keyId);
    return holders.map((plan) => plan.id);
  }

  // ── Internals ───────────────────────────────────────────────────────────────────────────────────────

  /** `stages` (new to `plan`) must exist, appear once in the plan, and not give a key of the plan a second plan there. */
  #checkStages(plan: UsagePlanRecord, stages: readonly ApiStageRecord[]): void {
    for (const { apiId, stage } of stages) {
      const found = this.#stageLookup(apiId, stage);
      if (found === 'noApi') throw new AwsError('NotFoundException', `Invalid API identifier specified ${apiId}`);
      if (found === 'noStage') throw new AwsError('NotFoundException', `Invalid stage identifier specified ${apiId}:${stage}`);
      if (plan.apiStages.filter((other) => other.apiId === apiId && other.stage === stage).length > 1) throw new AwsError('ConflictException', `API stage ${apiId}:${stage} is already in usage plan ${plan.id}`);
    }
    this.#checkConflicts(plan);
  }

  /** AWS's rule: no key in two plans covering one stage. `plan` is the changed plan, not yet saved. */
  #checkConflicts(plan: UsagePlanRecord): void {
    for (const other of this.#plans.values()) {
      if (other.id === plan.id) continue;
      const sharedKey = plan.keyIds.find((keyId) => other.keyIds.includes(keyId));
      if (sharedKey === undefined) continue;
      const shared = plan.apiStages.find((stage) => other.apiStages.some((o) => o.apiId === stage.apiId && o.stage === stage.stage));
      if (shared === undefined) continue;
      throw new AwsError('ConflictException', `Usage Plan ${plan.id} cannot be changed so: API Key ${sharedKey} cannot reference multiple Usage Plans with the same API Stage ${shared.apiId}:${shared.stage} (it is in usage plan ${other.id})`);
    }
  }

  async #save(plan: UsagePlanRecord): Promise<void> {
    await this.#store.put(plan.id, plan);
    this.#plans.set(plan.id, plan);
    this.#index();
  }

  /** Rebuilt whole on every change: plans change seldom, requests read the index all the time. */
  #index(): void {
    const grants = new Map<string, Grant>();
    for (const plan of this.#plans.values()) {
      for (const apiStage of plan.apiStages) for (const keyId of plan.keyIds) grants.set(grantKey(keyId, apiStage.apiId, apiStage.stage), { plan, apiStage });
    }
    this.#grants = grants;
  }
}
