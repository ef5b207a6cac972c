/**
 * @module http/firehose/params — reading Firehose request fields with Firehose's errors: text, bounded
 * integers, nested structures, and record blobs decoded straight into one buffer (the hot path of
 * PutRecordBatch: no per-record Buffer, one copy from base64 to the chunk the store keeps).
 */
import { firehoseConstraint, firehoseError } from '../../streams/delivery/errors.js';

export type Body = Readonly<Record<string, unknown>>;

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

export function optionalText(body: Body, name: string, field = lowerFirst(name)): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw firehoseConstraint(field, value, 'Member must be a string');
  return value;
}

export function requiredText(body: Body, name: string, field = lowerFirst(name)): string {
  const value = optionalText(body, name, field);
  if (value === undefined) throw firehoseConstraint(field, null, 'Member must not be null');
  return value;
}

export function optionalStruct(body: Body, name: string): Body | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw firehoseConstraint(lowerFirst(name), value, 'Member must be a structure');
  return value as Body;
}

/** A whole number in [min, max], or `fallback` when absent. */
export function boundedInteger(body: Body, name: string, min: number, max: number, fallback: number, field = lowerFirst(name)): number {
  const value = body[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw firehoseConstraint(field, value, 'Member must be a whole number');
  if (value < min) throw firehoseConstraint(field, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw firehoseConstraint(field, value, `Member must have value less than or equal to ${max}`);
  return value;
}

/** Bytes a base64 string decodes to (it has been checked to be base64). */
function decodedLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

/** The `Data` strings of `Record` structures, checked; `prefix(i)` names the field in errors. */
export function recordData(records: readonly unknown[], field: (i: number) => string): string[] {
  return records.map((record, i) => {
    const data = typeof record === 'object' && record !== null ? (record as Body).Data : undefined;
    if (typeof data !== 'string') throw firehoseConstraint(field(i), null, 'Member must not be null');
    // Other bad base64 is caught by `decodeInto`: Node skips characters outside the alphabet, so such a
    // string decodes to fewer bytes than its length promises (cheaper than a regular expression per record).
    if (data.length % 4 !== 0) throw firehoseError('InvalidArgumentException', `${field(i)} is not valid base64.`);
    return data;
  });
}

/** Each record's decoded length, for the limits checked before anything is decoded. */
export function decodedLengths(data: readonly string[]): number[] {
  return data.map(decodedLength);
}

/** Decodes every record into one buffer, back to back, in order. */
export function decodeInto(data: readonly string[], lengths: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(lengths.reduce((sum, length) => sum + length, 0));
  let offset = 0;
  data.forEach((text, i) => {
    const written = out.write(text, offset, 'base64');
    if (written !== lengths[i]) throw firehoseError('InvalidArgumentException', `Record ${i + 1} is not valid base64.`);
    offset += written;
  });
  return out;
}
