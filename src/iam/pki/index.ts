/**
 * @module iam/pki — hako's certificate authority and the X.509 helpers the rest of IAM uses: inspecting
 * certificates (AWS certificate ids, subject/issuer attributes), checking who issued them, and issuing
 * device and server certificates from the data directory's root CA.
 */
export { CertificateError, isCertificateError, type CertificateErrorReason } from './certificate-error.js';
export { certificateIdOf, inspectCertificate, isIssuedBy, parseCertificate, type CertificateInfo } from './inspect.js';
export { awsAttributeName, type DistinguishedName } from './names.js';
export {
  createAuthority,
  createRootCa,
  DEFAULT_SERVER_NAMES,
  type Authority,
  type AuthorityOptions,
  type IssueRequest,
  type SigningAuthority,
} from './authority.js';
export { loadOrCreateAuthority, type AuthorityFilesOptions, type LoadedAuthority } from './authority-files.js';
export { certificateFromCsr, createKeysAndCertificate, type KeysAndCertificate, type Validity } from './device-certificates.js';
export { generateKeyPairPem, type KeyPairPem, type PublicKeyInput } from './keys.js';
export { AWS_NOT_AFTER, type CertificateAndKey } from './sign.js';
