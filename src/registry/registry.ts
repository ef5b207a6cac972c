/**
 * @module registry/registry — the AWS IoT registry: things and their principals, composed with thing types
 * (`thing-types.ts`) and static thing groups (`thing-groups.ts`); the rules they share are in `validation.ts`.
 *
 * Policy variables such as `${iot:Connection.Thing.ThingName}` resolve only when the connecting
 * certificate is attached to the thing named by the client id, so the authorizer asks this registry.
 * Everything is in memory and written through to the record store; every change bumps the `ChangeFeed`.
 */
import type { Clock } from '../core/clock.js';
import type { ChangeFeed } from '../core/change-feed.js';
import { AwsError } from '../core/aws-error.js';
import { newResourceId } from '../core/ids.js';
import type { RecordCollection, RecordStore } from '../store/records.js';
import { pageOf, type Page } from '../core/paging.js';
import { ThingTypes } from './thing-types.js';
import { ThingGroups } from './thing-groups.js';
import { applyAttributes, checkAttributeCount, checkExpectedVersion, maxThingAttributes, nameFromArn, sameAttributes, validateAttributes, validateName, type Attributes } from './validation.js';

export interface Thing {
  thingName: string;
  thingId: string;
  thingTypeName: string | undefined;
  attributes: Attributes;
  version: number;
  createdAt: number;
}

interface Attachment {
  thingName: string;
  principal: string;
  attachedAt: number;
}

export interface RegistryDeps {
  records: RecordStore;
  clock: Clock;
  changes: ChangeFeed;
  thingArn: (thingName: string) => string;
  /** Default: the thing ARN's account and region with resource `thingtype/`. */
  thingTypeArn?: (thingTypeName: string) => string;
  /** Default: the thing ARN's account and region with resource `thinggroup/`. */
  thingGroupArn?: (thingGroupName: string) => string;
}

export interface ThingUpdate {
  thingTypeName?: string | undefined;
  removeThingType?: boolean | undefined;
  attributes?: unknown;
  merge?: boolean | undefined;
  expectedVersion?: number | undefined;
}

export class Registry {
  readonly #things = new Map<string, Thing>();
  readonly #principalsOf = new Map<string, Set<string>>();
  readonly #thingsOf = new Map<string, Set<string>>();
  readonly #thingStore: RecordCollection<Thing>;
  readonly #attachmentStore: RecordCollection<Attachment>;
  readonly #deps: RegistryDeps;
  readonly types: ThingTypes;
  readonly groups: ThingGroups;
  readonly thingTypeArn: (thingTypeName: string) => string;
  readonly thingGroupArn: (thingGroupName: string) => string;

  constructor(deps: RegistryDeps) {
    this.#deps = deps;
    this.#thingStore = deps.records.collection<Thing>('registry.things');
    this.#attachmentStore = deps.records.collection<Attachment>('registry.thing-principals');
    this.types = new ThingTypes({ ...deps, thingsOfType: (name) => [...this.#things.values()].filter((t) => t.thingTypeName === name).length });
    this.groups = new ThingGroups(deps);
    this.thingTypeArn = deps.thingTypeArn ?? siblingArn(deps.thingArn, 'thingtype');
    this.thingGroupArn = deps.thingGroupArn ?? siblingArn(deps.thingArn, 'thinggroup');
  }

  async start(): Promise<void> {
    await this.types.start();
    await this.groups.start();
    for (const thing of (await this.#thingStore.loadAll()).values()) this.#things.set(thing.thingName, thing);
    for (const { thingName, principal } of (await this.#attachmentStore.loadAll()).values()) this.#link(thingName, principal);
  }

  thing(thingName: string): Thing | undefined {
    return this.#things.get(thingName);
  }

  thingArn(thingName: string): string {
    return this.#deps.thingArn(thingName);
  }

  isAttached(thingName: string, principal: string): boolean {
    return this.#principalsOf.get(thingName)?.has(principal) === true;
  }

  /** The thing named by a name or by an ARN of this installation; one of the two is required. */
  thingNameOf(thingName: string | undefined, thingArn: string | undefined): string {
    if (thingName !== undefined && thingName !== '') return thingName;
    if (thingArn !== undefined && thingArn !== '') return nameFromArn(thingArn, this.thingArn(''), 'thing');
    throw new AwsError('InvalidRequestException', 'thingName or thingArn is required');
  }

  thingGroupNameOf(thingGroupName: string | undefined, thingGroupArn: string | undefined): string {
    if (thingGroupName !== undefined && thingGroupName !== '') return thingGroupName;
    if (thingGroupArn !== undefined && thingGroupArn !== '') return nameFromArn(thingGroupArn, this.thingGroupArn(''), 'thing group');
    throw new AwsError('InvalidRequestException', 'thingGroupName or thingGroupArn is required');
  }

  /** [API CreateThing] A thing type must exist (`ResourceNotFoundException`) and not be deprecated. */
  async createThing(thingName: string, options: { thingTypeName?: string | undefined; attributes?: unknown } = {}): Promise<Thing> {
    validateName('thingName', thingName);
    const attributes = validateAttributes(options.attributes);
    checkAttributeCount(attributes, maxThingAttributes(options.thingTypeName), options.thingTypeName === undefined ? 'a thing without a thing type' : 'a thing');
    const existing = this.#things.get(thingName);
    if (existing !== undefined) {
      // AWS answers a repeated CreateThing with the same settings with the existing thing.
      if (existing.thingTypeName === options.thingTypeName && sameAttributes(existing.attributes, attributes)) return existing;
      throw new AwsError('ResourceAlreadyExistsException', `Thing ${thingName} already exists in account with different attributes`);
    }
    if (options.thingTypeName !== undefined) this.types.requireAssignable(options.thingTypeName);
    const thing: Thing = { thingName, thingId: newResourceId(), thingTypeName: options.thingTypeName, attributes, version: 1, createdAt: this.#deps.clock.now() };
    await this.#thingStore.put(thingName, thing);
    this.#things.set(thingName, thing);
    this.#deps.changes.bump('thing');
    return thing;
  }

  describeThing(thingName: string): Thing {
    const thing = this.#things.get(thingName);
    if (thing === undefined) throw new AwsError('ResourceNotFoundException', `Thing ${thingName} cannot be found.`);
    return thing;
  }

  /**
   * [API UpdateThing] Sets or removes the thing type and replaces or merges the attributes (an empty value
   * removes one); the result must keep the attribute limit of its type. Every update adds 1 to the version.
   */
  async updateThing(thingName: string, update: ThingUpdate): Promise<Thing> {
    const thing = this.describeThing(thingName);
    checkExpectedVersion(update.expectedVersion, thing.version, 'thing');
    if (update.removeThingType === true && update.thingTypeName !== undefined) throw new AwsError('InvalidRequestException', 'thingTypeName and removeThingType cannot both be given');
    let thingTypeName = thing.thingTypeName;
    if (update.removeThingType === true) thingTypeName = undefined;
    else if (update.thingTypeName !== undefined && update.thingTypeName !== thing.thingTypeName) thingTypeName = this.types.requireAssignable(update.thingTypeName).thingTypeName;
    const attributes = update.attributes === undefined ? thing.attributes : applyAttributes(thing.attributes, validateAttributes(update.attributes), update.merge === true);
    checkAttributeCount(attributes, maxThingAttributes(thingTypeName), thingTypeName === undefined ? 'a thing without a thing type' : 'a thing');
    const updated: Thing = { ...thing, thingTypeName, attributes, version: thing.version + 1 };
    await this.#thingStore.put(thingName, updated);
    this.#things.set(thingName, updated);
    this.#deps.changes.bump('thing');
    return updated;
  }

  async deleteThing(thingName: string, expectedVersion?: number): Promise<void> {
    const thing = this.#things.get(thingName);
    if (thing === undefined) return; // AWS: deleting a thing that does not exist succeeds
    checkExpectedVersion(expectedVersion, thing.version, 'thing');
    const principals = this.#principalsOf.get(thingName);
    if (principals !== undefined && principals.size > 0) {
      throw new AwsError('InvalidRequestException', `Cannot delete thing ${thingName}: detach its ${principals.size} principal(s) first (DetachThingPrincipal)`);
    }
    await this.groups.forgetThing(thingName);
    await this.#thingStore.delete(thingName);
    this.#things.delete(thingName);
    this.#deps.changes.bump('thing');
  }

  async addThingToGroup(thingGroupName: string, thingName: string): Promise<void> {
    this.describeThing(thingName);
    await this.groups.addThing(thingGroupName, thingName);
  }

  async removeThingFromGroup(thingGroupName: string, thingName: string): Promise<void> {
    this.describeThing(thingName);
    this.groups.describe(thingGroupName);
    await this.groups.removeThing(thingGroupName, thingName);
  }

  groupsOfThing(thingName: string): string[] {
    this.describeThing(thingName);
    return this.groups.groupsOf(thingName);
  }

  listThings(options: { nextToken?: string | undefined; maxResults?: number | undefined; attributeName?: string | undefined; attributeValue?: string | undefined; thingTypeName?: string | undefined }): Page<Thing> {
    const { attributeName, attributeValue, thingTypeName } = options;
    const matching = [...this.#things.values()]
      .filter((t) => thingTypeName === undefined || t.thingTypeName === thingTypeName)
      .filter((t) => attributeName === undefined || (attributeName in t.attributes && (attributeValue === undefined || t.attributes[attributeName] === attributeValue)))
      .sort((a, b) => (a.thingName < b.thingName ? -1 : 1));
    return pageOf(matching, (t) => t.thingName, options.nextToken, options.maxResults, 250);
  }

  async attachPrincipal(thingName: string, principal: string): Promise<void> {
    this.describeThing(thingName);
    if (this.isAttached(thingName, principal)) return;
    await this.#attachmentStore.put(attachmentKey(thingName, principal), { thingName, principal, attachedAt: this.#deps.clock.now() });
    this.#link(thingName, principal);
    this.#deps.changes.bump('thing-principal');
  }

  async detachPrincipal(thingName: string, principal: string): Promise<void> {
    this.describeThing(thingName);
    if (!this.isAttached(thingName, principal)) return;
    await this.#attachmentStore.delete(attachmentKey(thingName, principal));
    this.#principalsOf.get(thingName)?.delete(principal);
    this.#thingsOf.get(principal)?.delete(thingName);
    this.#deps.changes.bump('thing-principal');
  }

  principalsOf(thingName: string): string[] {
    this.describeThing(thingName);
    return [...(this.#principalsOf.get(thingName) ?? [])].sort();
  }

  thingsOf(principal: string): string[] {
    return [...(this.#thingsOf.get(principal) ?? [])].sort();
  }

  #link(thingName: string, principal: string): void {
    let principals = this.#principalsOf.get(thingName);
    if (principals === undefined) this.#principalsOf.set(thingName, (principals = new Set()));
    principals.add(principal);
    let things = this.#thingsOf.get(principal);
    if (things === undefined) this.#thingsOf.set(principal, (things = new Set()));
    things.add(thingName);
  }
}

function attachmentKey(thingName: string, principal: string): string {
  return `${thingName}\n${principal}`;
}

/** `arn:…:thing/` → `arn:…:<resource>/<name>`, for installations that configure only the thing ARN. */
function siblingArn(thingArn: (thingName: string) => string, resource: string): (name: string) => string {
  const prefix = thingArn('').replace(/thing\/$/, `${resource}/`);
  return (name) => `${prefix}${name}`;
}
