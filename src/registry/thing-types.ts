/**
 * @module registry/thing-types — thing types: created once and immutable, deprecated and undeprecated,
 * deleted only when deprecated for at least five minutes and used by no thing. [DG thing-types.md,
 * delete-thing-types.md; API CreateThingType, DeprecateThingType, DeleteThingType]
 *
 * State lives in memory and is written through to the `registry.thing-types` collection.
 */
import type { Clock } from '../core/clock.js';
import type { ChangeFeed } from '../core/change-feed.js';
import { AwsError } from '../core/aws-error.js';
import { newResourceId } from '../core/ids.js';
import { pageOf, type Page } from '../core/paging.js';
import type { RecordCollection, RecordStore } from '../store/records.js';
import { MAX_SEARCHABLE_ATTRIBUTES, validateAttributeName, validateDescription, validateName } from './validation.js';

export interface ThingType {
  thingTypeName: string;
  thingTypeId: string;
  description: string | undefined;
  searchableAttributes: string[];
  deprecated: boolean;
  deprecatedAt: number | undefined;
  createdAt: number;
}

export interface ThingTypeProperties {
  description?: string | undefined;
  searchableAttributes?: unknown;
}

/** [DG delete-thing-types.md] "Before you can delete a thing type, wait for five minutes after you deprecate it." */
export const DELETE_AFTER_DEPRECATION_MS = 5 * 60_000;

export interface ThingTypesDeps {
  records: RecordStore;
  clock: Clock;
  changes: ChangeFeed;
  /** How many things have this type; a type in use cannot be deleted. */
  thingsOfType: (thingTypeName: string) => number;
}

export class ThingTypes {
  readonly #types = new Map<string, ThingType>();
  readonly #store: RecordCollection<ThingType>;
  readonly #deps: ThingTypesDeps;

  constructor(deps: ThingTypesDeps) {
    this.#deps = deps;
    this.#store = deps.records.collection<ThingType>('registry.thing-types');
  }

  async start(): Promise<void> {
    for (const type of (await this.#store.loadAll()).values()) this.#types.set(type.thingTypeName, { ...type, searchableAttributes: type.searchableAttributes ?? [], deprecated: type.deprecated === true });
  }

  get(thingTypeName: string): ThingType | undefined {
    return this.#types.get(thingTypeName);
  }

  describe(thingTypeName: string): ThingType {
    const type = this.#types.get(thingTypeName);
    if (type === undefined) throw new AwsError('ResourceNotFoundException', `Thing type ${thingTypeName} cannot be found.`);
    return type;
  }

  /** A type a thing may take now: it exists (`ResourceNotFoundException`) and is not deprecated. */
  requireAssignable(thingTypeName: string): ThingType {
    const type = this.describe(thingTypeName);
    if (type.deprecated) throw new AwsError('InvalidRequestException', `Thing type ${thingTypeName} is deprecated; new things cannot be associated with it`);
    return type;
  }

  async create(thingTypeName: string, properties: ThingTypeProperties = {}): Promise<ThingType> {
    validateName('thingTypeName', thingTypeName);
    const description = validateDescription(properties.description);
    const searchableAttributes = validateSearchable(properties.searchableAttributes);
    const existing = this.#types.get(thingTypeName);
    if (existing !== undefined) {
      // Like CreateThing: the same request again answers the existing type; anything else is a conflict.
      if (existing.description === description && existing.searchableAttributes.join('\n') === searchableAttributes.join('\n')) return existing;
      throw new AwsError('ResourceAlreadyExistsException', `Thing type ${thingTypeName} already exists with different properties (thing types are immutable)`);
    }
    const type: ThingType = { thingTypeName, thingTypeId: newResourceId(), description, searchableAttributes, deprecated: false, deprecatedAt: undefined, createdAt: this.#deps.clock.now() };
    await this.#save(type);
    return type;
  }

  list(options: { nextToken?: string | undefined; maxResults?: number | undefined; thingTypeName?: string | undefined }): Page<ThingType> {
    const matching = [...this.#types.values()]
      .filter((t) => options.thingTypeName === undefined || t.thingTypeName === options.thingTypeName)
      .sort((a, b) => (a.thingTypeName < b.thingTypeName ? -1 : 1));
    return pageOf(matching, (t) => t.thingTypeName, options.nextToken, options.maxResults, 250);
  }

  /** Deprecates (keeping the first deprecation date when repeated) or, with `undo`, undeprecates. */
  async deprecate(thingTypeName: string, undo: boolean): Promise<void> {
    const type = this.describe(thingTypeName);
    if (undo ? !type.deprecated : type.deprecated) return;
    await this.#save({ ...type, deprecated: !undo, deprecatedAt: undo ? undefined : this.#deps.clock.now() });
  }

  async delete(thingTypeName: string): Promise<void> {
    const type = this.describe(thingTypeName);
    if (!type.deprecated || type.deprecatedAt === undefined) {
      throw new AwsError('InvalidRequestException', `Thing type ${thingTypeName} must be deprecated (DeprecateThingType) before it can be deleted`);
    }
    const since = this.#deps.clock.now() - type.deprecatedAt;
    if (since < DELETE_AFTER_DEPRECATION_MS) {
      throw new AwsError('InvalidRequestException', `Thing type ${thingTypeName} was deprecated less than 5 minutes ago; it can be deleted in ${Math.ceil((DELETE_AFTER_DEPRECATION_MS - since) / 1000)} s`);
    }
    const users = this.#deps.thingsOfType(thingTypeName);
    if (users > 0) throw new AwsError('InvalidRequestException', `Thing type ${thingTypeName} is still associated with ${users} thing(s); change their type (UpdateThing) first`);
    await this.#store.delete(thingTypeName);
    this.#types.delete(thingTypeName);
    this.#deps.changes.bump('thing-type');
  }

  async #save(type: ThingType): Promise<void> {
    await this.#store.put(type.thingTypeName, type);
    this.#types.set(type.thingTypeName, type);
    this.#deps.changes.bump('thing-type');
  }
}

function validateSearchable(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new AwsError('InvalidRequestException', 'searchableAttributes must be a list of attribute names');
  if (value.length > MAX_SEARCHABLE_ATTRIBUTES) throw new AwsError('InvalidRequestException', `a thing type has at most ${MAX_SEARCHABLE_ATTRIBUTES} searchable attributes (got ${value.length})`);
  return value.map(validateAttributeName);
}
