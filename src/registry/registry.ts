/**
 * @module registry/registry — things and their principals (AWS IoT registry), the part identity needs.
 *
 * Policy variables such as `${iot:Connection.Thing.ThingName}` resolve only when the connecting
 * certificate is attached to the thing named by the client id, so the authorizer asks this registry.
 * Thing types, groups and search arrive with the registry issue; the state here is already durable.
 */
import type { Clock } from '../core/clock.js';
import type { ChangeFeed } from '../core/change-feed.js';
import { AwsError } from '../core/aws-error.js';
import { newResourceId } from '../core/ids.js';
import type { RecordCollection, RecordStore } from '../store/records.js';
import { pageOf, type Page } from '../core/paging.js';

export interface Thing {
  thingName: string;
  thingId: string;
  thingTypeName: string | undefined;
  attributes: Record<string, string>;
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
}

const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
const MAX_ATTRIBUTES = 50;

export class Registry {
  readonly #things = new Map<string, Thing>();
  readonly #principalsOf = new Map<string, Set<string>>();
  readonly #thingsOf = new Map<string, Set<string>>();
  readonly #thingStore: RecordCollection<Thing>;
  readonly #attachmentStore: RecordCollection<Attachment>;
  readonly #deps: RegistryDeps;

  constructor(deps: RegistryDeps) {
    this.#deps = deps;
    this.#thingStore = deps.records.collection<Thing>('registry.things');
    this.#attachmentStore = deps.records.collection<Attachment>('registry.thing-principals');
  }

  async start(): Promise<void> {
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

  async createThing(thingName: string, options: { thingTypeName?: string | undefined; attributes?: Record<string, string> | undefined } = {}): Promise<Thing> {
    if (!THING_NAME.test(thingName)) throw new AwsError('InvalidRequestException', `thingName "${thingName}" must be 1 to 128 characters of [a-zA-Z0-9:_-]`);
    const attributes = validateAttributes(options.attributes ?? {});
    const existing = this.#things.get(thingName);
    if (existing !== undefined) {
      // AWS answers a repeated CreateThing with the same settings with the existing thing.
      if (existing.thingTypeName === options.thingTypeName && sameAttributes(existing.attributes, attributes)) return existing;
      throw new AwsError('ResourceAlreadyExistsException', `Thing ${thingName} already exists in account with different attributes`);
    }
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

  async deleteThing(thingName: string, expectedVersion?: number): Promise<void> {
    const thing = this.#things.get(thingName);
    if (thing === undefined) return; // AWS: deleting a thing that does not exist succeeds
    if (expectedVersion !== undefined && expectedVersion !== thing.version) {
      throw new AwsError('VersionConflictException', `The expected version ${expectedVersion} does not match the thing's version ${thing.version}`);
    }
    const principals = this.#principalsOf.get(thingName);
    if (principals !== undefined && principals.size > 0) {
      throw new AwsError('InvalidRequestException', `Cannot delete thing ${thingName}: detach its ${principals.size} principal(s) first (DetachThingPrincipal)`);
    }
    await this.#thingStore.delete(thingName);
    this.#things.delete(thingName);
    this.#deps.changes.bump('thing');
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

function validateAttributes(attributes: Record<string, unknown>): Record<string, string> {
  const entries = Object.entries(attributes);
  if (entries.length > MAX_ATTRIBUTES) throw new AwsError('InvalidRequestException', `a thing has at most ${MAX_ATTRIBUTES} attributes`);
  for (const [name, value] of entries) {
    if (!/^[a-zA-Z0-9_.,@/:#=\[\]-]{1,128}$/.test(name)) throw new AwsError('InvalidRequestException', `attribute name "${name}" is not valid`);
    if (typeof value !== 'string' || value.length > 800) throw new AwsError('InvalidRequestException', `attribute "${name}" must be a string of at most 800 characters`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function sameAttributes(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
