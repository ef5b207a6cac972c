/**
 * @module http/kinesis/params — reading Kinesis request fields, with Kinesis's errors (all 400): the
 * stream a request names (StreamName or StreamARN), bounded integers, blobs, timestamps, page tokens.
 */
import type { Streams } from '../../streams/index.js';
import { constraintError, kinesisError } from '../../streams/errors.js';
import { checkStreamName } from '../../streams/registry.js';

export type Body = Readonly<Record<string, unknown>>;

export function optionalText(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw kinesisError('ValidationException', `${name} must be a string`);
  return value;
}

export function requiredText(body: Body, name: string): string {
  const value = optionalText(body, name);
  if (value === undefined) throw constraintError(lowerFirst(name), null, 'Member must not be null');
  return value;
}

/** The stream a request names: StreamName or StreamARN (AWS accepts either; both must then agree). */
export function streamOf(body: Body, streams: Streams): string {
  const name = optionalText(body, 'StreamName');
  const arn = optionalText(body, 'StreamARN');
  if (arn !== undefined) {
    const fromArn = streams.nameOfArn(arn);
    if (name !== undefined && name !== fromArn) throw kinesisError('InvalidArgumentException', `StreamARN ${arn} and StreamName ${name} name different streams.`);
    return fromArn;
  }
  if (name === undefined) throw kinesisError('InvalidArgumentException', 'Either StreamName or StreamARN should be provided.');
  checkStreamName(name);
  return name;
}

/** A whole number in [min, max], or `fallback` when absent. */
export function boundedInteger(body: Body, name: string, min: number, max: number, fallback: number): number;
export function boundedInteger(body: Body, name: string, min: number, max: number): number | undefined;
export function boundedInteger(body: Body, name: string, min: number, max: number, fallback?: number): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw constraintError(lowerFirst(name), value, 'Member must be a whole number');
  if (value < min) throw constraintError(lowerFirst(name), value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraintError(lowerFirst(name), value, `Member must have value less than or equal to ${max}`);
  return value;
}

/** A blob: base64 in AWS JSON. */
export function blob(value: unknown, field: string): Buffer {
  if (typeof value !== 'string') throw constraintError(field, value ?? null, 'Member must not be null');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1) throw kinesisError('InvalidArgumentException', `${field} is not valid base64`);
  return Buffer.from(value, 'base64');
}

/** A timestamp: epoch seconds (what the SDK sends) or an ISO 8601 string; epoch milliseconds out. */
export function optionalTimestampMs(body: Body, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw kinesisError('InvalidArgumentException', `${name} must be a timestamp`);
  return Math.round(ms);
}

/** AWS JSON timestamps: epoch seconds, fractional. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** Page tokens: opaque to clients, base64url JSON to hako. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeToken<T>(token: string, check: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!check(value)) throw kinesisError('InvalidArgumentException', `Invalid NextToken: ${token}`);
  return value;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
