/**
 * @module iam/sigv4/verify — verifies an AWS Signature Version 4 on an incoming request.
 *
 * Steps, in order: find the signature (Authorization header or presigned query) → parse and check its
 * shape → check the time window → look up the secret → resolve the payload hash → recompute the
 * signature over exactly the signed headers (directly, and with `@smithy/signature-v4` when that one
 * disagrees: see direct-signer.ts) → compare in constant time.
 * Any region and service in the credential scope are accepted and returned; callers decide.
 */
import { timingSafeEqual } from 'node:crypto';
import { parseAuthorizationHeader } from './authorization-header.js';
import type { ClaimResult, SignatureClaim } from './claim.js';
import {
  invalidRequest,
  invalidSignature,
  missingToken,
  unrecognizedClient,
  type VerificationFailure,
} from './errors.js';
import { headerValue, pickSignedHeaders, type HeaderMap } from './headers.js';
import { resolvePayloadHash } from './payload.js';
import { isPresigned, parsePresignedQuery } from './presigned-query.js';
import { parseRawQuery, withoutKey, type QueryMap } from './query.js';
import { computeSignatureDirect } from './direct-signer.js';
import { computeSignature } from './signer.js';
import { DEFAULT_MAX_SKEW_MS, checkSigningTime } from './time-window.js';

export interface SignedRequest {
  readonly method: string;
  /** Raw, still percent-encoded, without the query. */
  readonly path: string;
  /** Everything after `?`, raw; `''` when there is none. */
  readonly rawQuery: string;
  /** Lower-case names, as node gives them. */
  readonly headers: HeaderMap;
  readonly body: Buffer | undefined;
}

/** The secret for an access key id; `undefined` for an unknown or revoked key. */
export type SecretLookup = (accessKeyId: string) => string | undefined;

export type Verification =
  | { readonly ok: true; readonly accessKeyId: string; readonly region: string; readonly service: string }
  | VerificationFailure;

export interface VerifyOptions {
  /** How far the request date may be from `now`, either way. Default 5 minutes, as AWS. */
  readonly maxSkewMs?: number;
}

const TOKEN_PARAM = 'X-Amz-Security-Token';

function findClaim(request: SignedRequest, query: QueryMap): ClaimResult {
  const authorization = headerValue(request.headers, 'authorization');
  const presigned = isPresigned(query);
  if (authorization && presigned) {
    return invalidRequest(
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header ' +
        'should be specified.',
    );
  }
  if (authorization) return parseAuthorizationHeader(authorization, request.headers);
  if (presigned) return parsePresignedQuery(query);
  return missingToken();
}

/**
 * The queries to try. `iotdevicegateway` clients (aws-iot-device-sdk v1, aws-crt, Amplify) append
 * `X-Amz-Security-Token` to a presigned URL after signing it, so it is left out first; a client that
 * signed it in is accepted too.
 */
function candidateQueries(claim: SignatureClaim, query: QueryMap): QueryMap[] {
  if (claim.form === 'query' && claim.scope.service === 'iotdevicegateway' && query[TOKEN_PARAM] !== undefined) {
    return [withoutKey(query, TOKEN_PARAM), query];
  }
  return [query];
}

function signaturesMatch(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function verifySigV4(
  request: SignedRequest,
  lookupSecret: SecretLookup,
  now: Date,
  options: VerifyOptions = {},
): Promise<Verification> {
  const query = parseRawQuery(request.rawQuery);
  const found = findClaim(request, query);
  if (!found.ok) return found;
  const { claim } = found;

  const late = checkSigningTime(claim, now, options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS);
  if (late) return late;
  const secret = lookupSecret(claim.accessKeyId);
  if (secret === undefined) return unrecognizedClient();
  const payload = resolvePayloadHash(claim, request.headers, query, request.body);
  if (!payload.ok) return payload;

  const headers = pickSignedHeaders(request.headers, claim.signedHeaders);
  for (const candidate of candidateQueries(claim, query)) {
    const input = { method: request.method, path: request.path, query: candidate, headers, payloadHash: payload.hash };
    const matches = signaturesMatch(computeSignatureDirect(input, claim, secret), claim.signature) || signaturesMatch(await computeSignature(input, claim, secret), claim.signature);
    if (matches) {
      return { ok: true, accessKeyId: claim.accessKeyId, region: claim.scope.region, service: claim.scope.service };
    }
  }
  return invalidSignature();
}
