/**
 * @module core/paging — AWS-style pagination over sorted in-memory lists.
 *
 * The token is the key of the last item returned (base64url, so it is opaque and URL-safe); the next page
 * starts after it, which stays correct when items are added or removed between calls.
 */
import { AwsError } from './aws-error.js';

export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

/** `sorted` is in key order, or in reverse key order when `descending`; the token is resolved the same way. */
export function pageOf<T>(sorted: readonly T[], keyOf: (item: T) => string, token: string | undefined, size: number | undefined, maxSize: number, descending = false): Page<T> {
  const limit = size ?? maxSize;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxSize) throw new AwsError('InvalidRequestException', `page size must be from 1 to ${maxSize}`);
  let start = 0;
  if (token !== undefined && token !== '') {
    const after = Buffer.from(token, 'base64url').toString('utf8');
    start = sorted.findIndex((item) => (descending ? keyOf(item) < after : keyOf(item) > after));
    if (start === -1) start = sorted.length;
  }
  const items = sorted.slice(start, start + limit);
  const last = items.at(-1);
  const more = start + limit < sorted.length && last !== undefined;
  return { items, nextToken: more ? Buffer.from(keyOf(last as T), 'utf8').toString('base64url') : undefined };
}
