/**
 * @module iam/sigv4/signer — recomputes a claimed signature with `@smithy/signature-v4`, the signer every
 * AWS SDK v3 client uses, so canonicalisation (path double-encoding with `uriEscapePath`, query sorting
 * and escaping, header trimming, key derivation) is the clients' own code, not a copy of it.
 *
 * The public entry points cannot verify every client: `sign(request)` always adds and signs `x-amz-date`
 * and drops a `Date` header, and `presign` always adds `X-Amz-Expires`. So this subclass feeds the library's canonical-request and string-to-sign steps with exactly
 * the headers the client listed in SignedHeaders (`getCanonicalHeaders` with them as `signableHeaders`,
 * which also admits names the signer would never sign by itself, such as `user-agent`), then signs the
 * string with the public string signer under the claimed scope.
 */
import { Hash } from '@smithy/hash-node';
import { ALGORITHM_IDENTIFIER, SignatureV4, getCanonicalHeaders } from '@smithy/signature-v4';
import { scopeString, type SignatureClaim } from './claim.js';
import type { QueryMap } from './query.js';

type SmithyRequest = Parameters<SignatureV4['presign']>[0];

/** SHA-256 for `@smithy/signature-v4`. */
export const Sha256 = Hash.bind(null, 'sha256');

export interface CanonicalInput {
  readonly method: string;
  /** Raw, still percent-encoded, without the query. */
  readonly path: string;
  readonly query: QueryMap;
  /** Only the signed headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly payloadHash: string;
}

class ClaimSigner extends SignatureV4 {
  async signClaim(input: CanonicalInput, claim: SignatureClaim): Promise<string> {
    const request: SmithyRequest = {
      method: input.method,
      protocol: 'https:',
      hostname: input.headers['host'] ?? '',
      path: input.path,
      query: input.query,
      headers: { ...input.headers },
    };
    const canonicalHeaders = getCanonicalHeaders(request, undefined, new Set(Object.keys(input.headers)));
    const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, input.payloadHash);
    const scope = scopeString(claim.scope);
    const stringToSign = await this.createStringToSign(claim.amzDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
    return this.sign(stringToSign, {
      signingDate: claim.signingDate,
      signingRegion: claim.scope.region,
      signingService: claim.scope.service,
    });
  }
}

/** The signature the client should have sent, were its secret `secretAccessKey`. */
export function computeSignature(
  input: CanonicalInput,
  claim: SignatureClaim,
  secretAccessKey: string,
): Promise<string> {
  const signer = new ClaimSigner({
    service: claim.scope.service,
    region: claim.scope.region,
    credentials: { accessKeyId: claim.accessKeyId, secretAccessKey },
    sha256: Sha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
  return signer.signClaim(input, claim);
}
