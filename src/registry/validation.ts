/**
 * @module registry/validation — the registry's naming and attribute rules (AWS IoT API reference:
 * Thing/ThingType/ThingGroup names, AttributePayload), shared by things, thing types and thing groups.
 *
 * Every refusal is an `InvalidRequestException`, as AWS answers a request that breaks a pattern or a limit.
 */
import { AwsError } from '../core/aws-error.js';

/** Things, thing types and thing groups share one name pattern. [API CreateThing, CreateThingType, CreateThingGroup] */
const NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
/** [API AttributePayload] attribute name: 1–128 of these. */
const ATTRIBUTE_NAME = /^[a-zA-Z0-9_.,@/:#-]{1,128}$/;
/** [API AttributePayload] attribute value: 0–800 of these. */
const ATTRIBUTE_VALUE = /^[a-zA-Z0-9_.,@/:#=[\]-]{0,800}$/;

/** [DG19 registry limits] A thing has ≤ 3 attributes without a thing type, ≤ 50 with one. */
export const MAX_THING_ATTRIBUTES_UNTYPED = 3;
export const MAX_THING_ATTRIBUTES_TYPED = 50;
/** [DG thing-groups.md] ≤ 50 attributes per thing group. */
export const MAX_GROUP_ATTRIBUTES = 50;
/** [API ThingTypeProperties] ≤ 3 searchable attributes. */
export const MAX_SEARCHABLE_ATTRIBUTES = 3;
/** [API ThingTypeProperties, ThingGroupProperties] descriptions: ≤ 2028 characters. */
const MAX_DESCRIPTION = 2028;

export type Attributes = Record<string, string>;

export function validateName(kind: 'thingName' | 'thingTypeName' | 'thingGroupName', name: string): string {
  if (!NAME.test(name)) throw new AwsError('InvalidRequestException', `${kind} "${name}" must be 1 to 128 characters of [a-zA-Z0-9:_-]`);
  return name;
}

export function validateDescription(description: unknown): string | undefined {
  if (description === undefined || description === null) return undefined;
  if (typeof description !== 'string' || description.length > MAX_DESCRIPTION) throw new AwsError('InvalidRequestException', `a description must be a string of at most ${MAX_DESCRIPTION} characters`);
  return description;
}

/** Checks an `attributes` map as sent (names, values, types) and returns it typed. */
export function validateAttributes(attributes: unknown): Attributes {
  if (attributes === undefined || attributes === null) return {};
  if (typeof attributes !== 'object' || Array.isArray(attributes)) throw new AwsError('InvalidRequestException', 'attributes must be a map of strings');
  for (const [name, value] of Object.entries(attributes)) {
    validateAttributeName(name);
    if (typeof value !== 'string' || !ATTRIBUTE_VALUE.test(value)) {
      throw new AwsError('InvalidRequestException', `attribute "${name}": a value must be at most 800 characters of [a-zA-Z0-9_.,@/:#=[]-]`);
    }
  }
  return { ...(attributes as Attributes) };
}

export function validateAttributeName(name: unknown): string {
  if (typeof name !== 'string' || !ATTRIBUTE_NAME.test(name)) throw new AwsError('InvalidRequestException', `attribute name "${String(name)}" must be 1 to 128 characters of [a-zA-Z0-9_.,@/:#-]`);
  return name;
}

export function checkAttributeCount(attributes: Attributes, max: number, what: string): void {
  const count = Object.keys(attributes).length;
  if (count > max) throw new AwsError('InvalidRequestException', `${what} can have at most ${max} attributes (got ${count})`);
}

/** The attribute limit of a thing: 3 without a thing type, 50 with one. */
export function maxThingAttributes(thingTypeName: string | undefined): number {
  return thingTypeName === undefined ? MAX_THING_ATTRIBUTES_UNTYPED : MAX_THING_ATTRIBUTES_TYPED;
}

/**
 * Applies an update's attributes: with `merge` they are merged into `current`, otherwise they replace it;
 * either way an empty value removes the attribute. [API AttributePayload]
 */
export function applyAttributes(current: Attributes, update: Attributes, merge: boolean): Attributes {
  const next: Attributes = merge ? { ...current } : {};
  for (const [name, value] of Object.entries(update)) {
    if (value === '') delete next[name];
    else next[name] = value;
  }
  return next;
}

export function sameAttributes(a: Attributes, b: Attributes): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

export function checkExpectedVersion(expected: number | undefined, actual: number, what: string): void {
  if (expected !== undefined && expected !== actual) {
    throw new AwsError('VersionConflictException', `The expected version ${expected} does not match the ${what}'s version ${actual}`);
  }
}

/** The name in an ARN of this installation's `<resource>/<name>` form, given the ARN of an empty name. */
export function nameFromArn(arn: string, prefix: string, kind: string): string {
  if (!arn.startsWith(prefix) || arn.length === prefix.length) throw new AwsError('InvalidRequestException', `${arn} is not a ${kind} ARN of this account`);
  return arn.slice(prefix.length);
}
