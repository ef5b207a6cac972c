/**
 * @module functions/registry — functions and their versions: `$LATEST` (the only mutable one) and the
 * numbered versions `PublishVersion` snapshots from it (spec §5), kept in memory and written through to
 * the record store (collection `functions`, one record per function) before any change is answered.
 *
 * Every change to `$LATEST` gets a new `revisionId`. The pool keys environments by revision, so a code or
 * configuration update sends new invocations to new environments while the ones in flight finish on the
 * old (spec §5, zero-downtime updates).
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../core/aws-error.js';
import type { Clock } from '../core/clock.js';
import type { RecordCollection, RecordStore } from '../store/records.js';
import { aliasFrom, checkAliasName, pickVersion, type Alias, type AliasInput } from './aliases.js';
import type { StoredCode } from './code-store.js';
import type { EventInvokeConfig } from './event-invoke-config.js';
import type { FunctionReference } from './names.js';
import {
  checkFunctionName,
  checkHandler,
  checkMemory,
  checkRole,
  checkRuntime,
  checkTimeout,
  checkVariables,
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_SECONDS,
} from './validation.js';

export const LATEST = '$LATEST';

/** What a version runs with; `$LATEST`'s changes, a published version's never do. */
export interface FunctionVersion {
  version: string;
  runtime: string;
  handler: string;
  role: string;
  description: string;
  memorySize: number;
  timeout: number;
  variables: Record<string, string>;
  code: StoredCode;
  /** Epoch ms. */
  lastModified: number;
  revisionId: string;
}

export interface FunctionRecord {
  name: string;
  latest: FunctionVersion;
  published: FunctionVersion[];
  /** Version numbers are never reused, even after a version is deleted. */
  nextVersion: number;
  createdAt: number;
  aliases: Record<string, Alias>;
  /** By qualifier (`$LATEST`, a version or an alias). */
  eventInvokeConfigs: Record<string, EventInvokeConfig>;
  /** PutFunctionConcurrency; undefined = the function shares the unreserved pool. */
  reservedConcurrency?: number;
}

export interface FunctionSettings {
  runtime?: unknown;
  handler?: unknown;
  role?: unknown;
  description?: unknown;
  memorySize?: unknown;
  timeout?: unknown;
  variables?: unknown;
}

/** A function and the version a request resolved to (through `alias`, when it named one). */
export interface ResolvedFunction {
  record: FunctionRecord;
  version: FunctionVersion;
  alias?: Alias;
}

export const FUNCTION_COLLECTION = 'functions';

export class FunctionRegistry {
  readonly #functions: Map<string, FunctionRecord>;
  readonly #collection: RecordCollection<FunctionRecord>;
  readonly #clock: Clock;

  private constructor(collection: RecordCollection<FunctionRecord>, functions: Map<string, FunctionRecord>, clock: Clock) {
    this.#collection = collection;
    this.#functions = functions;
    this.#clock = clock;
  }

  static async open(records: RecordStore, clock: Clock): Promise<FunctionRegistry> {
    const collection = records.collection<FunctionRecord>(FUNCTION_COLLECTION);
    const loaded = await collection.loadAll();
    // Records written before aliases and event invoke configs existed.
    for (const record of loaded.values()) {
      record.aliases ??= {};
      record.eventInvokeConfigs ??= {};
    }
    return new FunctionRegistry(collection, loaded, clock);
  }

  /** CreateFunction; with `publish`, version 1 is published at once. */
  async create(name: unknown, settings: FunctionSettings, code: StoredCode, publish = false): Promise<ResolvedFunction> {
    const functionName = checkFunctionName(name);
    if (this.#functions.has(functionName)) throw new AwsError('ResourceConflictException', `Function already exist: ${functionName}`);
    const now = this.#clock.now();
    const latest: FunctionVersion = {
      version: LATEST,
      runtime: checkRuntime(settings.runtime),
      handler: checkHandler(settings.handler),
      role: checkRole(settings.role),
      description: optionalDescription(settings.description) ?? '',
      memorySize: settings.memorySize === undefined ? DEFAULT_MEMORY_MB : checkMemory(settings.memorySize),
      timeout: settings.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : checkTimeout(settings.timeout),
      variables: checkVariables(settings.variables),
      code,
      lastModified: now,
      revisionId: randomUUID(),
    };
    const record: FunctionRecord = { name: functionName, latest, published: [], nextVersion: 1, createdAt: now, aliases: {}, eventInvokeConfigs: {} };
    if (publish) record.published.push(snapshot(record));
    await this.#save(record);
    return { record, version: publish ? (record.published[0] as FunctionVersion) : latest };
  }

  get(name: string): FunctionRecord | undefined {
    return this.#functions.get(name);
  }

  /** Concurrency reserved by all functions together. */
  reservedTotal(): number {
    let total = 0;
    for (const record of this.#functions.values()) total += record.reservedConcurrency ?? 0;
    return total;
  }

  list(): FunctionRecord[] {
    return [...this.#functions.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The function and version a reference names (unqualified = `$LATEST`); 404 as Lambda words it. */
  resolve(reference: FunctionReference, arn: (name: string, qualifier?: string) => string): ResolvedFunction {
    const record = this.#functions.get(reference.name);
    const notFound = (): AwsError => new AwsError('ResourceNotFoundException', `Function not found: ${arn(reference.name, reference.qualifier)}`, { fields: { Type: 'User' } });
    if (record === undefined) throw notFound();
    const qualifier = reference.qualifier ?? LATEST;
    const alias = record.aliases[qualifier];
    const versionName = alias === undefined ? qualifier : pickVersion(alias);
    const version = this.#version(record, versionName);
    if (version === undefined) throw notFound();
    return alias === undefined ? { record, version } : { record, version, alias };
  }

  // ── aliases ──────────────────────────────────────────────────────────────────────────────────────

  async createAlias(name: string, aliasName: unknown, input: AliasInput): Promise<{ record: FunctionRecord; alias: Alias }> {
    const record = this.#existing(name);
    const checked = checkAliasName(aliasName);
    if (record.aliases[checked] !== undefined) throw new AwsError('ResourceConflictException', `Alias already exists: ${checked}`, { fields: { Type: 'User' } });
    const alias = aliasFrom(checked, input, (v) => this.#version(record, v) !== undefined);
    const updated = { ...record, aliases: { ...record.aliases, [checked]: alias } };
    await this.#save(updated);
    return { record: updated, alias };
  }

  getAliasesOf(name: string): Readonly<Record<string, Alias>> {
    return this.#existing(name).aliases;
  }

  getAlias(name: string, aliasName: string): { record: FunctionRecord; alias: Alias } {
    const record = this.#existing(name);
    const alias = record.aliases[aliasName];
    if (alias === undefined) throw new AwsError('ResourceNotFoundException', `Alias not found: ${aliasName}`, { fields: { Type: 'User' } });
    return { record, alias };
  }

  async updateAlias(name: string, aliasName: string, input: AliasInput & { revisionId?: string }): Promise<{ record: FunctionRecord; alias: Alias }> {
    const { record, alias: existing } = this.getAlias(name, aliasName);
    if (input.revisionId !== undefined && input.revisionId !== existing.revisionId) {
      throw new AwsError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', { fields: { Type: 'User' } });
    }
    const alias = aliasFrom(aliasName, input, (v) => this.#version(record, v) !== undefined, existing);
    const updated = { ...record, aliases: { ...record.aliases, [aliasName]: alias } };
    await this.#save(updated);
    return { record: updated, alias };
  }

  async deleteAlias(name: string, aliasName: string): Promise<void> {
    const record = this.#existing(name);
    if (record.aliases[aliasName] === undefined) return; // AWS answers 204 for a missing alias too
    const aliases = { ...record.aliases };
    delete aliases[aliasName];
    await this.#save({ ...record, aliases });
  }

  // ── asynchronous invocation settings ───────────────────────────────────────────────────────────

  eventInvokeConfig(name: string, qualifier: string | undefined): EventInvokeConfig | undefined {
    return this.#existing(name).eventInvokeConfigs[qualifier ?? LATEST];
  }

  eventInvokeConfigs(name: string): Array<[qualifier: string, config: EventInvokeConfig]> {
    return Object.entries(this.#existing(name).eventInvokeConfigs);
  }

  /** Put (or, with `config` undefined, Delete) the config of one qualifier; the qualifier must exist. */
  async setEventInvokeConfig(name: string, qualifier: string | undefined, config: EventInvokeConfig | undefined): Promise<void> {
    const record = this.#existing(name);
    const key = qualifier ?? LATEST;
    if (this.#version(record, key) === undefined && record.aliases[key] === undefined) throw new AwsError('ResourceNotFoundException', `Function not found: ${name}:${key}`, { fields: { Type: 'User' } });
    const configs = { ...record.eventInvokeConfigs };
    if (config === undefined) delete configs[key];
    else configs[key] = config;
    await this.#save({ ...record, eventInvokeConfigs: configs });
  }

  // ── concurrency ──────────────────────────────────────────────────────────────────────────────────

  /** PutFunctionConcurrency (a number) or DeleteFunctionConcurrency (undefined). */
  async setReservedConcurrency(name: string, reserved: number | undefined): Promise<FunctionRecord> {
    const record = this.#existing(name);
    const updated: FunctionRecord = { ...record };
    if (reserved === undefined) delete updated.reservedConcurrency;
    else updated.reservedConcurrency = reserved;
    await this.#save(updated);
    return updated;
  }

  #existing(name: string): FunctionRecord {
    const record = this.#functions.get(name);
    if (record === undefined) throw new AwsError('ResourceNotFoundException', `Function not found: ${name}`, { fields: { Type: 'User' } });
    return record;
  }

  #version(record: FunctionRecord, version: string): FunctionVersion | undefined {
    return version === LATEST ? record.latest : record.published.find((v) => v.version === version);
  }

  /** UpdateFunctionCode (on `$LATEST`); `revisionId`, when given, must be the current one. */
  async updateCode(name: string, code: StoredCode, options: { revisionId?: string; publish?: boolean } = {}): Promise<ResolvedFunction> {
    return this.#updateLatest(name, options.revisionId, options.publish ?? false, (latest) => ({ ...latest, code }));
  }

  /** UpdateFunctionConfiguration: only the settings given change. */
  async updateConfiguration(name: string, settings: FunctionSettings, revisionId?: string): Promise<ResolvedFunction> {
    return this.#updateLatest(name, revisionId, false, (latest) => ({
      ...latest,
      ...(settings.runtime === undefined ? {} : { runtime: checkRuntime(settings.runtime) }),
      ...(settings.handler === undefined ? {} : { handler: checkHandler(settings.handler) }),
      ...(settings.role === undefined ? {} : { role: checkRole(settings.role) }),
      ...(settings.description === undefined ? {} : { description: optionalDescription(settings.description) ?? '' }),
      ...(settings.memorySize === undefined ? {} : { memorySize: checkMemory(settings.memorySize) }),
      ...(settings.timeout === undefined ? {} : { timeout: checkTimeout(settings.timeout) }),
      ...(settings.variables === undefined ? {} : { variables: checkVariables(settings.variables) }),
    }));
  }

  /**
   * PublishVersion: `$LATEST` as it is now becomes the next numbered version; when neither code nor
   * configuration changed since the last one, that one is returned instead (spec §5).
   */
  async publish(name: string, options: { revisionId?: string; codeSha256?: string; description?: string } = {}): Promise<ResolvedFunction> {
    const record = this.#functions.get(name);
    if (record === undefined) throw new AwsError('ResourceNotFoundException', `Function not found: ${name}`, { fields: { Type: 'User' } });
    if (options.revisionId !== undefined && options.revisionId !== record.latest.revisionId) {
      throw new AwsError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', { fields: { Type: 'User' } });
    }
    if (options.codeSha256 !== undefined && options.codeSha256 !== record.latest.code.codeSha256) {
      throw new AwsError('PreconditionFailedException', `CodeSHA256 (${options.codeSha256}) is different from current CodeSHA256 in $LATEST (${record.latest.code.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`, { fields: { Type: 'User' } });
    }
    const last = record.published.at(-1);
    if (last !== undefined && sameContent(last, record.latest)) return { record, version: last };
    const updated: FunctionRecord = { ...record, published: [...record.published] };
    const version = snapshot(updated);
    if (options.description !== undefined) version.description = optionalDescription(options.description) ?? '';
    updated.published.push(version);
    await this.#save(updated);
    return { record: updated, version };
  }

  /** DeleteFunction: the whole function, or one published version (never `$LATEST` alone). */
  async delete(reference: FunctionReference, arn: (name: string, qualifier?: string) => string): Promise<void> {
    const { record } = this.resolve(reference, arn);
    if (reference.qualifier === undefined) {
      await this.#collection.delete(record.name);
      this.#functions.delete(record.name);
      return;
    }
    if (reference.qualifier === LATEST) throw new AwsError('InvalidParameterValueException', '$LATEST version cannot be deleted without deleting the function.');
    const referencing = Object.values(record.aliases).filter((a) => a.functionVersion === reference.qualifier || reference.qualifier! in a.additionalVersionWeights).map((a) => a.name);
    if (referencing.length > 0) throw new AwsError('ResourceConflictException', `Unable to delete version because the following aliases reference it: [${referencing.join(', ')}]`, { fields: { Type: 'User' } });
    await this.#save({ ...record, published: record.published.filter((v) => v.version !== reference.qualifier) });
  }

  async #updateLatest(name: string, revisionId: string | undefined, publish: boolean, change: (latest: FunctionVersion) => FunctionVersion): Promise<ResolvedFunction> {
    const record = this.#functions.get(name);
    if (record === undefined) throw new AwsError('ResourceNotFoundException', `Function not found: ${name}`, { fields: { Type: 'User' } });
    if (revisionId !== undefined && revisionId !== record.latest.revisionId) {
      throw new AwsError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', { fields: { Type: 'User' } });
    }
    const latest: FunctionVersion = { ...change(record.latest), lastModified: this.#clock.now(), revisionId: randomUUID() };
    const updated: FunctionRecord = { ...record, latest, published: [...record.published] };
    if (publish) updated.published.push(snapshot(updated));
    await this.#save(updated);
    return { record: updated, version: publish ? (updated.published.at(-1) as FunctionVersion) : latest };
  }

  async #save(record: FunctionRecord): Promise<void> {
    await this.#collection.put(record.name, record);
    this.#functions.set(record.name, record);
  }
}

/** The next numbered version: `$LATEST` as it is now. Advances `nextVersion`. */
function snapshot(record: FunctionRecord): FunctionVersion {
  const version = String(record.nextVersion);
  record.nextVersion += 1;
  return { ...record.latest, version, revisionId: randomUUID() };
}

/** Same code and configuration (what PublishVersion compares). */
function sameContent(a: FunctionVersion, b: FunctionVersion): boolean {
  const content = (v: FunctionVersion): string => JSON.stringify([v.runtime, v.handler, v.role, v.memorySize, v.timeout, v.variables, v.code.codeSha256]);
  return content(a) === content(b);
}

function optionalDescription(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 256) throw new AwsError('InvalidParameterValueException', 'Description must be a string of at most 256 characters');
  return value;
}
