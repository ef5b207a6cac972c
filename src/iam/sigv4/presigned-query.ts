/**
 * @module iam/sigv4/presigned-query — the query-string form: `X-Amz-Algorithm`, `X-Amz-Credential`,
 * `X-Amz-Date`, `X-Amz-SignedHeaders`, `X-Amz-Signature`, optionally `X-Amz-Expires`.
 *
 * `aws-iot-device-sdk` v1 sends no `X-Amz-Expires` (its URLs live within the clock-skew window) and
 * appends `X-Amz-Security-Token` after signing; `verify.ts` deals with the token.
 */
import { badDateMessage, parseAmzDate } from './amz-date.js';
import { ALGORITHM, completeClaim, type ClaimResult } from './claim.js';
import { incompleteSignature, invalidRequest } from './errors.js';
import { singleValue, type QueryMap } from './query.js';

/** SigV4 never allows a presigned URL to live longer than a week. */
export const MAX_EXPIRES_SECONDS = 604_800;

const MARKERS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-SignedHeaders', 'X-Amz-Signature'] as const;
const REQUIRED = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
] as const;

/** Whether the query carries (some of) a presigned signature. */
export function isPresigned(query: QueryMap): boolean {
  return MARKERS.some((key) => query[key] !== undefined);
}

function parseExpires(value: string | string[] | undefined): number | undefined | 'invalid' {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,7}$/.test(value)) return 'invalid';
  const seconds = Number(value);
  return seconds <= MAX_EXPIRES_SECONDS ? seconds : 'invalid';
}

export function parsePresignedQuery(query: QueryMap): ClaimResult {
  const missing = REQUIRED.filter((key) => !singleValue(query, key));
  if (missing.length > 0) {
    const each = missing.map((key) => `AWS query-string parameters must include '${key}' exactly once.`);
    return incompleteSignature(`${each.join(' ')} Re-examine the query-string parameters.`);
  }
  const value = (key: (typeof REQUIRED)[number]) => singleValue(query, key) ?? '';
  if (value('X-Amz-Algorithm') !== ALGORITHM) {
    return incompleteSignature(`Unsupported AWS 'algorithm': '${value('X-Amz-Algorithm')}'.`);
  }
  const signingDate = parseAmzDate(value('X-Amz-Date'));
  if (signingDate === undefined) return incompleteSignature(badDateMessage(value('X-Amz-Date')));
  const expiresSeconds = parseExpires(query['X-Amz-Expires']);
  if (expiresSeconds === 'invalid') {
    return invalidRequest(
      `X-Amz-Expires must be a whole number of seconds from 0 to ${MAX_EXPIRES_SECONDS} (one week).`,
    );
  }
  return completeClaim({
    form: 'query',
    credential: value('X-Amz-Credential'),
    signedHeaders: value('X-Amz-SignedHeaders'),
    signature: value('X-Amz-Signature'),
    signingDate,
    expiresSeconds,
  });
}
