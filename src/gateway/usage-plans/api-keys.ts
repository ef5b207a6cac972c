/**
 * @module gateway/usage-plans/api-keys — API keys as `@aws-sdk/client-api-gateway` manages them (CreateApiKey,
 * GetApiKey(s), UpdateApiKey, DeleteApiKey), one record each in the record store and served from memory, with an
 * index by value for the gate. Values are secrets: no message or log line here carries one.
 */
import { randomInt } from 'node:crypto';
import { AwsError } from '../../core/aws-error.js';
import type { Clock } from '../../core/clock.js';
import { pageOf, type Page } from '../../core/paging.js';
import type { RecordCollection, RecordStore } from '../../store/records.js';
import { badRequest, checkTags, optionalBoolean, optionalString } from '../checks.js';
import { checkKeyValue } from './checks.js';
import type { ApiKeyRecord } from './model.js';
import { newId, setOptional } from './new-id.js';
import { booleanValue, requiredValue, unsupportedPatch, type PatchOperation } from './patch.js';

export const API_KEY_COLLECTION = 'gateway.api-keys';
const VALUE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** The length of the values AWS generates. */
export const GENERATED_KEY_LENGTH = 40;
const PATCHABLE = ['/enabled', '/name', '/description', '/customerId'] as const;

type Input = Readonly<Record<string, unknown>>;

export interface ApiKeyQuery {
  /** Keys whose name starts with this. */
  nameQuery?: string;
  customerId?: string;
}

export class ApiKeys {
  readonly #keys = new Map<string, ApiKeyRecord>();
  /** value → id, for the gate. */
  readonly #byValue = new Map<string, string>();
  readonly #store: RecordCollection<ApiKeyRecord>;
  readonly #clock: Clock;

  private constructor(store: RecordCollection<ApiKeyRecord>, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  static async open(records: RecordStore, clock: Clock): Promise<ApiKeys> {
    const store = records.collection<ApiKeyRecord>(API_KEY_COLLECTION);
    const keys = new ApiKeys(store, clock);
    for (const key of (await store.loadAll()).values()) keys.#remember(key);
    return keys;
  }

  async create(input: Input): Promise<ApiKeyRecord> {
    if (Array.isArray(input.stageKeys) && input.stageKeys.length > 0) throw badRequest('stageKeys are the deprecated way to grant a key access: add the key to a usage plan that covers the stage (CreateUsagePlanKey)');
    const value = input.value === undefined || input.value === null ? this.#newValue() : checkKeyValue(input.value);
    if (this.#byValue.has(value)) throw new AwsError('ConflictException', 'An API key with this value already exists');
    const now = this.#clock.now();
    const key: ApiKeyRecord = {
      id: newId(10, (id) => this.#keys.has(id)),
      value,
      // AWS's default: a key made through the API is disabled until enabled (CreateApiKey `enabled` defaults to false).
      enabled: optionalBoolean(input.enabled, 'enabled') ?? false,
      tags: checkTags(input.tags) ?? {},
      createdMs: now,
      lastUpdatedMs: now,
    };
    setOptional(key, 'name', optionalString(input.name, 'name'));
    setOptional(key, 'description', optionalString(input.description, 'description'));
    setOptional(key, 'customerId', optionalString(input.customerId, 'customerId'));
    await this.#save(key);
    return key;
  }

  find(id: string): ApiKeyRecord | undefined {
    return this.#keys.get(id);
  }

  get(id: string): ApiKeyRecord {
    const key = this.#keys.get(id);
    if (key === undefined) throw new AwsError('NotFoundException', 'Invalid API Key identifier specified');
    return key;
  }

  /** The key with this value, for the gate; undefined for an unknown one. */
  byValue(value: string): ApiKeyRecord | undefined {
    const id = this.#byValue.get(value);
    return id === undefined ? undefined : this.#keys.get(id);
  }

  list(query: ApiKeyQuery, position: string | undefined, limit: number, maxLimit: number): Page<ApiKeyRecord> {
    const matching = [...this.#keys.values()]
      .filter((key) => query.nameQuery === undefined || (key.name ?? '').startsWith(query.nameQuery))
      .filter((key) => query.customerId === undefined || key.customerId === query.customerId)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    return pageOf(matching, (key) => key.id, position, limit, maxLimit);
  }

  async update(id: string, operations: readonly PatchOperation[]): Promise<ApiKeyRecord> {
    const key = structuredClone(this.get(id));
    for (const operation of operations) {
      if (operation.op !== 'replace') throw unsupportedPatch(operation, PATCHABLE);
      switch (operation.path) {
        case '/enabled':
          key.enabled = booleanValue(operation);
          break;
        case '/name':
        case '/description':
        case '/customerId':
          key[operation.path.slice(1) as 'name' | 'description' | 'customerId'] = requiredValue(operation);
          break;
        default:
          throw unsupportedPatch(operation, PATCHABLE);
      }
    }
    key.lastUpdatedMs = this.#clock.now();
    await this.#save(key);
    return key;
  }

  async delete(id: string): Promise<void> {
    const key = this.get(id);
    this.#keys.delete(id);
    this.#byValue.delete(key.value);
    await this.#store.delete(id);
  }

  async #save(key: ApiKeyRecord): Promise<void> {
    await this.#store.put(key.id, key);
    this.#remember(key);
  }

  #remember(key: ApiKeyRecord): void {
    this.#keys.set(key.id, key);
    this.#byValue.set(key.value, key.id);
  }

  #newValue(): string {
    for (;;) {
      let value = '';
      for (let i = 0; i < GENERATED_KEY_LENGTH; i++) value += VALUE_ALPHABET[randomInt(VALUE_ALPHABET.length)];
      if (!this.#byValue.has(value)) return value;
    }
  }
}
