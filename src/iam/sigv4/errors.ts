/**
 * @module iam/sigv4/errors — the AWS-shaped failures that SigV4 verification answers with.
 *
 * `code` is what goes into `x-amzn-ErrorType` and the body's `__type`; SDK clients turn it into the
 * error's `name`, so codes and messages are spelled the way AWS spells them.
 */

/** Every code `verifySigV4` can answer with (all are also `AwsErrorType`s in `core/aws-error`). */
export type SigV4ErrorCode =
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'UnrecognizedClientException'
  | 'InvalidSignatureException'
  | 'InvalidRequestException';

export interface VerificationFailure {
  readonly ok: false;
  readonly status: 403 | 400;
  readonly code: SigV4ErrorCode;
  readonly message: string;
}

export const MISSING_TOKEN_MESSAGE = 'Missing Authentication Token';
export const UNRECOGNIZED_CLIENT_MESSAGE = 'The security token included in the request is invalid.';
export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function fail(status: 403 | 400, code: SigV4ErrorCode, message: string): VerificationFailure {
  return { ok: false, status, code, message };
}

/** Neither an `Authorization` header nor presigned query parameters. */
export function missingToken(): VerificationFailure {
  return fail(403, 'MissingAuthenticationTokenException', MISSING_TOKEN_MESSAGE);
}

/** The signature is there but a piece of it is missing or malformed. */
export function incompleteSignature(message: string): VerificationFailure {
  return fail(403, 'IncompleteSignatureException', message);
}

/** The access key id is unknown or revoked. */
export function unrecognizedClient(): VerificationFailure {
  return fail(403, 'UnrecognizedClientException', UNRECOGNIZED_CLIENT_MESSAGE);
}

/** The signature does not match, or is outside its validity window (`message` says which). */
export function invalidSignature(message: string = SIGNATURE_MISMATCH_MESSAGE): VerificationFailure {
  return fail(403, 'InvalidSignatureException', message);
}

/** The request is malformed in a way that no signature could fix (both auth forms, bad expiry...). */
export function invalidRequest(message: string): VerificationFailure {
  return fail(400, 'InvalidRequestException', message);
}
