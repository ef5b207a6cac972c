/**
 * @module http/iot/registry-payloads — reading the registry's shared JSON members (AttributePayload,
 * boolean and integer body members) the way AWS does, for the thing, thing-type and thing-group routes.
 */
import { AwsError } from '../../core/aws-error.js';

export interface AttributePayload {
  attributes: unknown;
  merge: boolean | undefined;
}

/** `attributePayload` (or `properties.attributePayload`) of a body: `{ attributes, merge }`, or undefined. */
export function attributePayloadOf(body: Readonly<Record<string, unknown>>, member = 'attributePayload'): AttributePayload | undefined {
  const payload = body[member];
  if (payload === undefined || payload === null) return undefined;
  if (typeof payload !== 'object' || Array.isArray(payload)) throw new AwsError('InvalidRequestException', `${member} must be an object`);
  const record = payload as Record<string, unknown>;
  return { attributes: record.attributes ?? undefined, merge: optionalBooleanMember(record, 'merge') };
}

export function optionalBooleanMember(body: Readonly<Record<string, unknown>>, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new AwsError('InvalidRequestException', `${name} must be a boolean`);
  return value;
}

export function optionalIntegerMember(body: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new AwsError('InvalidRequestException', `${name} must be a whole number`);
  return value;
}

export function optionalObjectMember(body: Readonly<Record<string, unknown>>, name: string): Readonly<Record<string, unknown>> {
  const value = body[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new AwsError('InvalidRequestException', `${name} must be an object`);
  return value as Record<string, unknown>;
}
