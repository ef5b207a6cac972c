/**
 * @module iam/sigv4/authorization-header — the `Authorization: AWS4-HMAC-SHA256 Credential=…,
 * SignedHeaders=…, Signature=…` form, dated by `X-Amz-Date` (or, failing that, `Date`).
 *
 * Problems are reported the way AWS reports them: every missing piece in one message, followed by
 * `Authorization=<the header as sent>`.
 */
import { badDateMessage, parseAmzDate, parseHttpDate } from './amz-date.js';
import { ALGORITHM, completeClaim, type ClaimResult } from './claim.js';
import { incompleteSignature } from './errors.js';
import { headerValue, type HeaderMap } from './headers.js';

/** Splits `Credential=a, SignedHeaders=b, Signature=c` into fields; a token without `=` is an error. */
function parseFields(rest: string, authorization: string): Map<string, string> | string {
  const fields = new Map<string, string>();
  for (const token of rest.split(/[\s,]+/)) {
    if (token === '') continue;
    const eq = token.indexOf('=');
    if (eq < 0) {
      return `'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`;
    }
    fields.set(token.slice(0, eq), token.slice(eq + 1));
  }
  return fields;
}

export function parseAuthorizationHeader(authorization: string, headers: HeaderMap): ClaimResult {
  const space = authorization.search(/\s/);
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (algorithm.startsWith('AWS4-') && algorithm !== ALGORITHM) {
    return incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'.`);
  }
  let fields = new Map<string, string>(); // another scheme (Bearer, Basic…) has none of the fields
  if (algorithm === ALGORITHM) {
    const parsed = parseFields(authorization.slice(algorithm.length), authorization);
    if (typeof parsed === 'string') return incompleteSignature(parsed);
    fields = parsed;
  }
  const credential = fields.get('Credential');
  const signature = fields.get('Signature');
  const signedHeaders = fields.get('SignedHeaders');
  const amzDate = headerValue(headers, 'x-amz-date');
  const dateText = amzDate ?? headerValue(headers, 'date');

  const missing: string[] = [];
  if (!credential) missing.push("Authorization header requires 'Credential' parameter.");
  if (!signature) missing.push("Authorization header requires 'Signature' parameter.");
  if (!signedHeaders) missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (!dateText) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (!credential || !signature || !signedHeaders || !dateText) {
    return incompleteSignature(`${missing.join(' ')} Authorization=${authorization}`);
  }
  const signingDate = amzDate !== undefined ? parseAmzDate(amzDate) : parseHttpDate(dateText);
  if (signingDate === undefined) return incompleteSignature(badDateMessage(dateText));
  const raw = { form: 'header', credential, signedHeaders, signature, signingDate, expiresSeconds: undefined } as const;
  return completeClaim(raw);
}
