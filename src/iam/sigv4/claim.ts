/**
 * @module iam/sigv4/claim — what a request claims about its own signature, whichever form it came in.
 *
 * `authorization-header.ts` and `presigned-query.ts` pull the raw strings out of the request;
 * `completeClaim` checks what both forms share: the credential scope, the signed-header list (which must
 * name `host`) and the scope date against the request date.
 */
import { formatAmzDate } from './amz-date.js';
import { incompleteSignature, invalidSignature, type VerificationFailure } from './errors.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';

export interface CredentialScope {
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

export interface SignatureClaim {
  readonly form: 'header' | 'query';
  readonly accessKeyId: string;
  readonly scope: CredentialScope;
  /** Lower-case header names, in the order the client listed them. */
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** The request time, ISO-8601 basic, as it goes into the string to sign. */
  readonly amzDate: string;
  readonly signingDate: Date;
  /** Presigned URLs only: `X-Amz-Expires`, when given. */
  readonly expiresSeconds: number | undefined;
}

export type ClaimResult = { readonly ok: true; readonly claim: SignatureClaim } | VerificationFailure;

/** The strings a request carries, before any of them is checked. */
export interface RawClaim {
  readonly form: 'header' | 'query';
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
  readonly signingDate: Date;
  readonly expiresSeconds: number | undefined;
}

/** `AKID/20150830/us-east-1/iot/aws4_request` → its five parts. */
function parseCredential(credential: string): { accessKeyId: string; scope: CredentialScope } | VerificationFailure {
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !date || !region || !service || !terminator) {
    return incompleteSignature(
      'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, ' +
        `got '${credential}'`,
    );
  }
  if (terminator !== TERMINATOR) {
    return incompleteSignature(
      `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'.`,
    );
  }
  return { accessKeyId, scope: { date, region, service } };
}

export function scopeString(scope: CredentialScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/${TERMINATOR}`;
}

export function completeClaim(raw: RawClaim): ClaimResult {
  const credential = parseCredential(raw.credential);
  if ('ok' in credential) return credential;
  const signedHeaders = raw.signedHeaders.split(';').map((name) => name.trim().toLowerCase());
  if (!signedHeaders.includes('host') && !signedHeaders.includes(':authority')) {
    return incompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const amzDate = formatAmzDate(raw.signingDate);
  const requestDay = amzDate.slice(0, 8);
  if (credential.scope.date !== requestDay) {
    return invalidSignature(
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
        `'${credential.scope.date}' != '${requestDay}', from '${amzDate}'.`,
    );
  }
  const claim: SignatureClaim = {
    form: raw.form,
    accessKeyId: credential.accessKeyId,
    scope: credential.scope,
    signedHeaders,
    signature: raw.signature,
    amzDate,
    signingDate: raw.signingDate,
    expiresSeconds: raw.expiresSeconds,
  };
  return { ok: true, claim };
}
