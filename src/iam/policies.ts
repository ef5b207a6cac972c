/**
 * @module iam/policies — named, versioned IoT policies and their attachments to principals (AWS IoT §5.3).
 *
 * The default version of each policy is kept compiled, and the compiled list for each target (a
 * certificate ARN) is cached, so an authorization check never parses JSON or walks attachments.
 */
import type { Clock } from '../core/clock.js';
import type { ChangeFeed } from '../core/change-feed.js';
import { AwsError } from '../core/aws-error.js';
import { newResourceId } from '../core/ids.js';
import { pageOf, type Page } from '../core/paging.js';
import type { RecordCollection, RecordStore } from '../store/records.js';
import { compilePolicy, parsePolicyDocument, type CompiledPolicy } from './policy/index.js';

export interface PolicyVersion {
  versionId: string;
  document: string;
  createdAt: number;
}

export interface PolicyRecord {
  policyName: string;
  defaultVersionId: string;
  createdAt: number;
  updatedAt: number;
  generationId: string;
  versions: PolicyVersion[];
  /** Version ids are never reused, even after a version is deleted. */
  nextVersionId: number;
}

interface Attachment {
  policyName: string;
  target: string;
  attachedAt: number;
}

export interface PoliciesDeps {
  records: RecordStore;
  clock: Clock;
  changes: ChangeFeed;
  /** Throws the AWS error for a target that cannot hold policies (unknown certificate, malformed ARN). */
  checkTarget: (target: string) => void;
}

const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const MAX_VERSIONS = 5;
const MAX_POLICIES_PER_TARGET = 10;

export class Policies {
  readonly #policies = new Map<string, PolicyRecord>();
  readonly #compiled = new Map<string, CompiledPolicy>();
  readonly #policiesOf = new Map<string, Set<string>>();
  readonly #compiledFor = new Map<string, readonly CompiledPolicy[]>();
  readonly #policyStore: RecordCollection<PolicyRecord>;
  readonly #attachmentStore: RecordCollection<Attachment>;
  readonly #deps: PoliciesDeps;

  constructor(deps: PoliciesDeps) {
    this.#deps = deps;
    this.#policyStore = deps.records.collection('iam.policies');
    this.#attachmentStore = deps.records.collection('iam.policy-attachments');
    // Any identity change may alter a target's list; rebuilding it lazily is cheap.
    deps.changes.onChange(() => this.#compiledFor.clear());
  }

  async start(): Promise<void> {
    for (const record of (await this.#policyStore.loadAll()).values()) {
      this.#policies.set(record.policyName, record);
      this.#compile(record);
    }
    for (const { policyName, target } of (await this.#attachmentStore.loadAll()).values()) this.#attachedSet(target).add(policyName);
  }

  /** The compiled default versions of the policies attached to a target, in name order. */
  policiesFor(target: string): readonly CompiledPolicy[] {
    let list = this.#compiledFor.get(target);
    if (list === undefined) {
      list = [...(this.#policiesOf.get(target) ?? [])].sort().flatMap((name) => this.#compiled.get(name) ?? []);
      this.#compiledFor.set(target, list);
    }
    return list;
  }

  attachedTo(target: string): string[] {
    return [...(this.#policiesOf.get(target) ?? [])].sort();
  }

  async createPolicy(policyName: string, document: unknown): Promise<PolicyRecord> {
    checkName(policyName);
    const text = checkDocument(document);
    if (this.#policies.has(policyName)) throw new AwsError('ResourceAlreadyExistsException', `Policy ${policyName} already exists`);
    const now = this.#deps.clock.now();
    const record: PolicyRecord = { policyName, defaultVersionId: '1', createdAt: now, updatedAt: now, generationId: newResourceId(), versions: [{ versionId: '1', document: text, createdAt: now }], nextVersionId: 2 };
    await this.#save(record);
    return record;
  }

  getPolicy(policyName: string): PolicyRecord {
    const record = this.#policies.get(policyName);
    if (record === undefined) throw new AwsError('ResourceNotFoundException', `Policy ${policyName} does not exist`);
    return record;
  }

  defaultVersion(record: PolicyRecord): PolicyVersion {
    return record.versions.find((v) => v.versionId === record.defaultVersionId) as PolicyVersion;
  }

  listPolicies(options: { marker?: string | undefined; pageSize?: number | undefined; ascendingOrder?: boolean | undefined }): Page<PolicyRecord> {
    const descending = options.ascendingOrder === false;
    const sorted = [...this.#policies.values()].sort((a, b) => (descending ? -1 : 1) * (a.policyName < b.policyName ? -1 : 1));
    return pageOf(sorted, (p) => p.policyName, options.marker, options.pageSize, 250, descending);
  }

  async createPolicyVersion(policyName: string, document: unknown, setAsDefault: boolean): Promise<{ record: PolicyRecord; version: PolicyVersion }> {
    const record = this.getPolicy(policyName);
    const text = checkDocument(document);
    if (record.versions.length >= MAX_VERSIONS) {
      throw new AwsError('VersionsLimitExceededException', `The policy ${policyName} already has the maximum number of versions (${MAX_VERSIONS}); delete one with DeletePolicyVersion`);
    }
    const now = this.#deps.clock.now();
    const version: PolicyVersion = { versionId: String(record.nextVersionId), document: text, createdAt: now };
    const updated: PolicyRecord = {
      ...record,
      versions: [...record.versions, version],
      nextVersionId: record.nextVersionId + 1,
      defaultVersionId: setAsDefault ? version.versionId : record.defaultVersionId,
      updatedAt: now,
      generationId: newResourceId(),
    };
    await this.#save(updated);
    return { record: updated, version };
  }

  getPolicyVersion(policyName: string, versionId: string): PolicyVersion {
    const version = this.getPolicy(policyName).versions.find((v) => v.versionId === versionId);
    if (version === undefined) throw new AwsError('ResourceNotFoundException', `Policy ${policyName} has no version ${versionId}`);
    return version;
  }

  async setDefaultPolicyVersion(policyName: string, versionId: string): Promise<void> {
    const record = this.getPolicy(policyName);
    this.getPolicyVersion(policyName, versionId);
    await this.#save({ ...record, defaultVersionId: versionId, updatedAt: this.#deps.clock.now(), generationId: newResourceId() });
  }

  async deletePolicyVersion(policyName: string, versionId: string): Promise<void> {
    const record = this.getPolicy(policyName);
    this.getPolicyVersion(policyName, versionId);
    if (record.defaultVersionId === versionId) throw new AwsError('DeleteConflictException', 'Cannot delete the default version of a policy; make another version the default first');
    await this.#save({ ...record, versions: record.versions.filter((v) => v.versionId !== versionId), updatedAt: this.#deps.clock.now() });
  }

  async deletePolicy(policyName: string): Promise<void> {
    const record = this.getPolicy(policyName);
    const targets = this.targetsOf(policyName);
    if (targets.length > 0) throw new AwsError('DeleteConflictException', `The policy cannot be deleted as the policy is attached to one or more principals (name=${policyName}): ${targets.join(', ')}`);
    if (record.versions.length > 1) throw new AwsError('DeleteConflictException', `Cannot delete the policy ${policyName} because it has non-default versions; delete them first`);
    await this.#policyStore.delete(policyName);
    this.#policies.delete(policyName);
    this.#compiled.delete(policyName);
    this.#deps.changes.bump('policy');
  }

  async attachPolicy(policyName: string, target: string): Promise<void> {
    this.getPolicy(policyName);
    this.#deps.checkTarget(target);
    const attached = this.#attachedSet(target);
    if (attached.has(policyName)) return;
    if (attached.size >= MAX_POLICIES_PER_TARGET) throw new AwsError('LimitExceededException', `${target} already has the maximum of ${MAX_POLICIES_PER_TARGET} policies attached`);
    await this.#attachmentStore.put(attachmentKey(policyName, target), { policyName, target, attachedAt: this.#deps.clock.now() });
    attached.add(policyName);
    this.#deps.changes.bump('policy-attachment');
  }

  async detachPolicy(policyName: string, target: string): Promise<void> {
    this.getPolicy(policyName);
    const attached = this.#policiesOf.get(target);
    if (attached === undefined || !attached.has(policyName)) return;
    await this.#attachmentStore.delete(attachmentKey(policyName, target));
    attached.delete(policyName);
    this.#deps.changes.bump('policy-attachment');
  }

  /** Detaches every policy from a target (a certificate deleted with forceDelete). */
  async detachAll(target: string): Promise<void> {
    for (const policyName of this.attachedTo(target)) await this.detachPolicy(policyName, target);
  }

  targetsOf(policyName: string): string[] {
    return [...this.#policiesOf].filter(([, names]) => names.has(policyName)).map(([target]) => target).sort();
  }

  async #save(record: PolicyRecord): Promise<void> {
    await this.#policyStore.put(record.policyName, record);
    this.#policies.set(record.policyName, record);
    this.#compile(record);
    this.#deps.changes.bump('policy');
  }

  #compile(record: PolicyRecord): void {
    const parsed = parsePolicyDocument(this.defaultVersion(record).document);
    // Stored documents were validated when written; one that no longer parses (a stricter hako) grants nothing.
    if (parsed.ok) this.#compiled.set(record.policyName, compilePolicy(record.policyName, parsed.document));
    else this.#compiled.delete(record.policyName);
  }

  #attachedSet(target: string): Set<string> {
    let set = this.#policiesOf.get(target);
    if (set === undefined) this.#policiesOf.set(target, (set = new Set()));
    return set;
  }
}

function checkName(policyName: string): void {
  if (!POLICY_NAME.test(policyName)) throw new AwsError('InvalidRequestException', `policyName "${policyName}" must be 1 to 128 characters of [a-zA-Z0-9_+=,.@-]`);
}

function checkDocument(document: unknown): string {
  if (typeof document !== 'string' || document === '') throw new AwsError('InvalidRequestException', 'policyDocument is required');
  const parsed = parsePolicyDocument(document);
  if (!parsed.ok) throw new AwsError('MalformedPolicyException', parsed.message);
  return document;
}

function attachmentKey(policyName: string, target: string): string {
  return `${policyName}\n${target}`;
}
