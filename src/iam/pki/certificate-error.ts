/**
 * @module iam/pki/certificate-error — the error raised for certificates, CSRs, keys and subjects that hako
 * cannot accept.
 *
 * `reason` is a stable, machine-readable tag; the message says what was wrong in words a user can act on.
 * The API layer maps these onto AWS errors (`CertificateValidationException`, `InvalidRequestException`).
 */

export type CertificateErrorReason =
  | 'NOT_PEM' // no PEM block at all, or an unterminated one
  | 'WRONG_PEM_TYPE' // a PEM block of another kind (a key where a certificate belongs, …)
  | 'SEVERAL_BLOCKS' // more than one certificate or CSR where exactly one is expected
  | 'MALFORMED' // a PEM block whose contents do not parse
  | 'CSR_SIGNATURE' // a CSR whose self-signature does not verify
  | 'SUBJECT_INVALID' // a subject string that is not a distinguished name
  | 'PUBLIC_KEY_INVALID' // an unreadable or unacceptable public key
  | 'VALIDITY_INVALID' // notAfter not after notBefore, a bad serial number
  | 'KEY_INVALID'; // an unreadable or unsupported private key

export class CertificateError extends Error {
  readonly reason: CertificateErrorReason;

  constructor(reason: CertificateErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CertificateError';
    this.reason = reason;
  }
}

export function isCertificateError(error: unknown, reason?: CertificateErrorReason): error is CertificateError {
  return error instanceof CertificateError && (reason === undefined || error.reason === reason);
}
