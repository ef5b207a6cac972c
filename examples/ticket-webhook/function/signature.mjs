/**
 * The webhook's signature check: `X-Hub-Signature-256: sha256=<hex>`, an HMAC-SHA256 of the raw request body
 * keyed with the secret both sides share (GitHub's scheme; most issue trackers offer the same).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/** True when `header` is the HMAC of exactly these bytes under `secret`. */
export function verifySignature(body, header, secret) {
  const hex = HEADER.exec(header ?? '')?.[1];
  // Missing, repeated (joined with commas) or malformed: nothing to compare.
  if (hex === undefined) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  // Constant time, so response timing does not leak how many leading bytes of a guess were right.
  // Both are 32 bytes: the pattern fixed the length of the given one.
  return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}
