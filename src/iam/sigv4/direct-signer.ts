/**
 * @module iam/sigv4/direct-signer — the claimed signature recomputed with `node:crypto` alone, and the
 * signing key derived once per secret, day, region and service.
 *
 * Verification through `@smithy/signature-v4` (signer.ts) costs ~200 µs a request: a signer object per
 * request, a SHA-256 of the credentials for its key cache, Uint8Array copies and a chain of awaits. That
 * was a sixth of a warm Lambda Invoke (bench/RESULTS.md). This builds the same canonical request — the
 * rules are copied from the signer's behaviour, and test/iam/sigv4/direct-signer.test.ts checks the two
 * agree — in a few string operations. `verify.ts` still asks the smithy signer when this one disagrees
 * with the client, so a corner of canonicalisation missed here costs time, never a valid request.
 */
import { createHash, createHmac } from 'node:crypto';
import { scopeString, type SignatureClaim } from './claim.js';
import type { CanonicalInput } from './signer.js';

const SIGNATURE_PARAM = 'x-amz-signature';
/** Keys per (secret, day, region, service); a day has few, so the cache is simply emptied when full. */
const MAX_SIGNING_KEYS = 256;
const signingKeys = new Map<string, Buffer>();

export function computeSignatureDirect(input: CanonicalInput, claim: SignatureClaim, secretAccessKey: string): string {
  const canonicalRequest = `${input.method}\n${canonicalPath(input.path)}\n${canonicalQuery(input.query)}\n${canonicalHeaderBlock(input.headers)}\n${input.payloadHash}`;
  const scope = scopeString(claim.scope);
  const stringToSign = `AWS4-HMAC-SHA256\n${claim.amzDate}\n${scope}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  return createHmac('sha256', signingKey(secretAccessKey, claim)).update(stringToSign).digest('hex');
}

function signingKey(secret: string, claim: SignatureClaim): Buffer {
  const { date, region, service } = claim.scope;
  const cacheKey = `${date}\0${region}\0${service}\0${secret}`;
  let key = signingKeys.get(cacheKey);
  if (key === undefined) {
    key = createHmac('sha256', `AWS4${secret}`).update(date).digest();
    for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** RFC 3986 escaping as AWS wants it: encodeURIComponent plus `!'()*`. */
function escapeUri(text: string): string {
  const encoded = encodeURIComponent(text);
  return /[!'()*]/.test(encoded) ? encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) : encoded;
}

/** Segments normalised (`.`, `..`, empty ones dropped), then the still-encoded path encoded once more. */
function canonicalPath(path: string): string {
  if (path === '/') return '/';
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(query: CanonicalInput['query']): string {
  const pairs: { key: string; text: string }[] = [];
  for (const key in query) {
    if (key.toLowerCase() === SIGNATURE_PARAM) continue;
    const value = query[key] as string | string[];
    const encodedKey = escapeUri(key);
    const text = typeof value === 'string'
      ? `${encodedKey}=${escapeUri(value)}`
      : value.map((v) => `${encodedKey}=${escapeUri(v)}`).sort().join('&');
    if (text !== '') pairs.push({ key: encodedKey, text });
  }
  if (pairs.length === 0) return '';
  pairs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return pairs.map((pair) => pair.text).join('&');
}

/** `name:value` lines in name order, a blank line, then the signed-header list. */
function canonicalHeaderBlock(headers: CanonicalInput['headers']): string {
  const names = Object.keys(headers).sort();
  let lines = '';
  for (const name of names) lines += `${name}:${canonicalHeaderValue(headers[name] as string)}\n`;
  return `${lines}\n${names.join(';')}`;
}

function canonicalHeaderValue(value: string): string {
  return /[\r\n\t]| {2}|^ | $/.test(value) ? value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '') : value;
}
