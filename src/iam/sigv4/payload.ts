/**
 * @module iam/sigv4/payload — the payload hash that goes into the canonical request.
 *
 * The signer uses the declared `x-amz-content-sha256` when the client signed that header (or, presigned,
 * put `X-Amz-Content-Sha256` in the query), otherwise SHA-256 of the body. A declared hex digest is
 * checked against the body: SDK v3 clients always send and sign one, so without this check the body
 * could be swapped under a valid signature. `UNSIGNED-PAYLOAD` leaves the body unauthenticated, by the
 * client's choice; streaming (`STREAMING-…`) payloads are not supported.
 */
import { createHash } from 'node:crypto';
import type { SignatureClaim } from './claim.js';
import { invalidRequest, invalidSignature, type VerificationFailure } from './errors.js';
import { headerValue, type HeaderMap } from './headers.js';
import { singleValue, type QueryMap } from './query.js';

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const HEADER = 'x-amz-content-sha256';

export type PayloadHash = { readonly ok: true; readonly hash: string } | VerificationFailure;

function declaredHash(claim: SignatureClaim, headers: HeaderMap, query: QueryMap): string | undefined {
  if (claim.form === 'query') {
    const fromQuery = singleValue(query, 'X-Amz-Content-Sha256') ?? singleValue(query, HEADER);
    if (fromQuery !== undefined) return fromQuery;
  }
  return claim.signedHeaders.includes(HEADER) ? headerValue(headers, HEADER) : undefined;
}

export function resolvePayloadHash(
  claim: SignatureClaim,
  headers: HeaderMap,
  query: QueryMap,
  body: Buffer | undefined,
): PayloadHash {
  const actual = createHash('sha256').update(body ?? Buffer.alloc(0)).digest('hex');
  const declared = declaredHash(claim, headers, query);
  if (declared === undefined) return { ok: true, hash: actual };
  if (declared === UNSIGNED_PAYLOAD) return { ok: true, hash: declared };
  if (!/^[0-9a-fA-F]{64}$/.test(declared)) {
    return invalidRequest(
      `x-amz-content-sha256 must be a SHA-256 hex digest or ${UNSIGNED_PAYLOAD}, not '${declared}'.`,
    );
  }
  return declared.toLowerCase() === actual ? { ok: true, hash: declared } : invalidSignature();
}
