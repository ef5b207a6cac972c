/**
 * @module registry/thing-groups — static thing groups: a hierarchy (depth ≤ 7, ≤ 100 direct children),
 * versioned properties (description, ≤ 50 attributes) and thing membership (a thing in ≤ 10 groups, at most
 * one per hierarchy). [DG thing-groups.md; API CreateThingGroup, UpdateThingGroup, AddThingToThingGroup]
 *
 * Groups and memberships live in memory and are written through to `registry.thing-groups` and
 * `registry.thing-group-members`. Names only: ARNs are the caller's business.
 */
import type { Clock } from '../core/clock.js';
import type { ChangeFeed } from '../core/change-feed.js';
import { AwsError } from '../core/aws-error.js';
import { newResourceId } from '../core/ids.js';
import { pageOf, type Page } from '../core/paging.js';
import type { RecordCollection, RecordStore } from '../store/records.js';
import { applyAttributes, checkAttributeCount, checkExpectedVersion, MAX_GROUP_ATTRIBUTES, sameAttributes, validateAttributes, validateDescription, validateName, type Attributes } from './validation.js';

export interface ThingGroup {
  thingGroupName: string;
  thingGroupId: string;
  parentGroupName: string | undefined;
  description: string | undefined;
  attributes: Attributes;
  version: number;
  createdAt: number;
}

export interface ThingGroupProperties {
  description?: unknown;
  attributes?: unknown;
  /** Only on update: merge the attributes into the stored ones instead of replacing them. */
  merge?: boolean | undefined;
}

interface Membership {
  thingGroupName: string;
  thingName: string;
  addedAt: number;
}

export const MAX_GROUP_DEPTH = 7;
export const MAX_CHILD_GROUPS = 100;
export const MAX_GROUPS_PER_THING = 10;

export class ThingGroups {
  readonly #groups = new Map<string, ThingGroup>();
  readonly #children = new Map<string, Set<string>>();
  readonly #thingsIn = new Map<string, Set<string>>();
  readonly #groupsOf = new Map<string, Set<string>>();
  readonly #groupStore: RecordCollection<ThingGroup>;
  readonly #memberStore: RecordCollection<Membership>;
  readonly #clock: Clock;
  readonly #changes: ChangeFeed;

  constructor(deps: { records: RecordStore; clock: Clock; changes: ChangeFeed }) {
    this.#clock = deps.clock;
    this.#changes = deps.changes;
    this.#groupStore = deps.records.collection<ThingGroup>('registry.thing-groups');
    this.#memberStore = deps.records.collection<Membership>('registry.thing-group-members');
  }

  async start(): Promise<void> {
    for (const group of (await this.#groupStore.loadAll()).values()) this.#index(group);
    for (const { thingGroupName, thingName } of (await this.#memberStore.loadAll()).values()) {
      link(this.#thingsIn, thingGroupName, thingName);
      link(this.#groupsOf, thingName, thingGroupName);
    }
  }

  describe(thingGroupName: string): ThingGroup {
    const group = this.#groups.get(thingGroupName);
    if (group === undefined) throw new AwsError('ResourceNotFoundException', `Thing group ${thingGroupName} cannot be found.`);
    return group;
  }

  /** The ancestors of a group, root first, ending with its parent. */
  ancestorsOf(thingGroupName: string): string[] {
    const chain: string[] = [];
    for (let parent = this.describe(thingGroupName).parentGroupName; parent !== undefined; parent = this.#groups.get(parent)?.parentGroupName) chain.unshift(parent);
    return chain;
  }

  async create(thingGroupName: string, parentGroupName: string | undefined, properties: ThingGroupProperties = {}): Promise<ThingGroup> {
    validateName('thingGroupName', thingGroupName);
    const description = validateDescription(properties.description);
    const attributes = applyAttributes({}, validateAttributes(properties.attributes), true);
    checkAttributeCount(attributes, MAX_GROUP_ATTRIBUTES, 'a thing group');
    const existing = this.#groups.get(thingGroupName);
    if (existing !== undefined) {
      if (existing.parentGroupName === parentGroupName && existing.description === description && sameAttributes(existing.attributes, attributes)) return existing;
      throw new AwsError('ResourceAlreadyExistsException', `Thing group ${thingGroupName} already exists with different properties`);
    }
    if (parentGroupName !== undefined) {
      this.describe(parentGroupName);
      // [DG thing-groups.md] the root is at depth 1; the new group sits one below its parent.
      if (this.ancestorsOf(parentGroupName).length + 2 > MAX_GROUP_DEPTH) throw new AwsError('InvalidRequestException', `Thing group ${thingGroupName} would exceed the maximum hierarchy depth of ${MAX_GROUP_DEPTH}`);
      const siblings = this.#children.get(parentGroupName)?.size ?? 0;
      if (siblings >= MAX_CHILD_GROUPS) throw new AwsError('InvalidRequestException', `Thing group ${parentGroupName} already has the maximum of ${MAX_CHILD_GROUPS} child groups`);
    }
    const group: ThingGroup = { thingGroupName, thingGroupId: newResourceId(), parentGroupName, description, attributes, version: 1, createdAt: this.#clock.now() };
    await this.#save(group);
    return group;
  }

  /** Replaces the description when given; replaces or (with `merge`) merges the attributes. Version +1. */
  async update(thingGroupName: string, properties: ThingGroupProperties, expectedVersion: number | undefined): Promise<ThingGroup> {
    const group = this.describe(thingGroupName);
    checkExpectedVersion(expectedVersion, group.version, 'thing group');
    const description = properties.description === undefined ? group.description : validateDescription(properties.description);
    const attributes = properties.attributes === undefined ? group.attributes : applyAttributes(group.attributes, validateAttributes(properties.attributes), properties.merge === true);
    checkAttributeCount(attributes, MAX_GROUP_ATTRIBUTES, 'a thing group');
    const updated = { ...group, description, attributes, version: group.version + 1 };
    await this.#save(updated);
    return updated;
  }

  /** Deleting a missing group succeeds; a group with child groups is refused; its memberships go with it. */
  async delete(thingGroupName: string, expectedVersion: number | undefined): Promise<void> {
    const group = this.#groups.get(thingGroupName);
    if (group === undefined) return;
    checkExpectedVersion(expectedVersion, group.version, 'thing group');
    const children = this.#children.get(thingGroupName)?.size ?? 0;
    if (children > 0) throw new AwsError('InvalidRequestException', `Thing group ${thingGroupName} has ${children} child group(s); delete them first`);
    for (const thingName of [...(this.#thingsIn.get(thingGroupName) ?? [])]) await this.removeThing(thingGroupName, thingName);
    await this.#groupStore.delete(thingGroupName);
    this.#groups.delete(thingGroupName);
    if (group.parentGroupName !== undefined) this.#children.get(group.parentGroupName)?.delete(thingGroupName);
    this.#children.delete(thingGroupName);
    this.#changes.bump('thing-group');
  }

  /** Groups in name order: the children of `parentGroup` (all descendants if `recursive`), or every group (roots only if `recursive` is false). */
  list(options: { parentGroup?: string | undefined; recursive?: boolean | undefined; namePrefixFilter?: string | undefined; nextToken?: string | undefined; maxResults?: number | undefined }): Page<string> {
    let names: string[];
    if (options.parentGroup !== undefined) {
      this.describe(options.parentGroup);
      names = options.recursive === true ? this.#descendantsOf(options.parentGroup) : [...(this.#children.get(options.parentGroup) ?? [])];
    } else {
      names = [...this.#groups.values()].filter((g) => options.recursive !== false || g.parentGroupName === undefined).map((g) => g.thingGroupName);
    }
    const prefix = options.namePrefixFilter ?? '';
    return pageOf(names.filter((n) => n.startsWith(prefix)).sort(), (n) => n, options.nextToken, options.maxResults, 250);
  }

  async addThing(thingGroupName: string, thingName: string): Promise<void> {
    this.describe(thingGroupName);
    const current = this.#groupsOf.get(thingName) ?? new Set<string>();
    if (current.has(thingGroupName)) return;
    if (current.size >= MAX_GROUPS_PER_THING) throw new AwsError('InvalidRequestException', `Thing ${thingName} is already in the maximum of ${MAX_GROUPS_PER_THING} thing groups`);
    // [DG thing-groups.md] "you can't add a thing to more than one group in the same hierarchy".
    const root = this.#rootOf(thingGroupName);
    const clash = [...current].find((other) => this.#rootOf(other) === root);
    if (clash !== undefined) throw new AwsError('InvalidRequestException', `Thing ${thingName} is already in thing group ${clash} of the same hierarchy (root ${root})`);
    await this.#memberStore.put(memberKey(thingGroupName, thingName), { thingGroupName, thingName, addedAt: this.#clock.now() });
    link(this.#thingsIn, thingGroupName, thingName);
    link(this.#groupsOf, thingName, thingGroupName);
    this.#changes.bump('thing-group-membership');
  }

  async removeThing(thingGroupName: string, thingName: string): Promise<void> {
    if (this.#thingsIn.get(thingGroupName)?.has(thingName) !== true) return;
    await this.#memberStore.delete(memberKey(thingGroupName, thingName));
    this.#thingsIn.get(thingGroupName)?.delete(thingName);
    this.#groupsOf.get(thingName)?.delete(thingGroupName);
    this.#changes.bump('thing-group-membership');
  }

  /** When a thing is deleted it leaves every group. */
  async forgetThing(thingName: string): Promise<void> {
    for (const group of [...(this.#groupsOf.get(thingName) ?? [])]) await this.removeThing(group, thingName);
    this.#groupsOf.delete(thingName);
  }

  /** Things in a group (and, if `recursive`, in its descendants), sorted, each once. */
  thingsIn(thingGroupName: string, recursive: boolean): string[] {
    this.describe(thingGroupName);
    const groups = recursive ? [thingGroupName, ...this.#descendantsOf(thingGroupName)] : [thingGroupName];
    return [...new Set(groups.flatMap((g) => [...(this.#thingsIn.get(g) ?? [])]))].sort();
  }

  groupsOf(thingName: string): string[] {
    return [...(this.#groupsOf.get(thingName) ?? [])].sort();
  }

  #descendantsOf(thingGroupName: string): string[] {
    const found: string[] = [];
    const queue = [thingGroupName];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const children = [...(this.#children.get(next) ?? [])];
      found.push(...children);
      queue.push(...children);
    }
    return found;
  }

  #rootOf(thingGroupName: string): string {
    return this.ancestorsOf(thingGroupName)[0] ?? thingGroupName;
  }

  #index(group: ThingGroup): void {
    this.#groups.set(group.thingGroupName, group);
    if (group.parentGroupName !== undefined) link(this.#children, group.parentGroupName, group.thingGroupName);
  }

  async #save(group: ThingGroup): Promise<void> {
    await this.#groupStore.put(group.thingGroupName, group);
    this.#index(group);
    this.#changes.bump('thing-group');
  }
}

function link(index: Map<string, Set<string>>, key: string, value: string): void {
  let values = index.get(key);
  if (values === undefined) index.set(key, (values = new Set()));
  values.add(value);
}

function memberKey(thingGroupName: string, thingName: string): string {
  return `${thingGroupName}\n${thingName}`;
}
