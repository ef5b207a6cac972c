/**
 * @module test/helpers/pki — certificates for identity tests: independent CAs, self-signed and expired
 * leaves, AWS verification certificates. Each CA is a real `Authority`, so a test can issue from hako's own
 * CA and from a stranger's the same way.
 */
import { createAuthority, createKeysAndCertificate, type Authority, type CertificateAndKey } from '../../src/iam/pki/index.js';
import { createSelfSigned } from '../../src/iam/pki/sign.js';

export interface Validity {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

export interface TestCa {
  readonly certificatePem: string;
  /** PKCS#8 PEM of the CA's key. */
  readonly privateKeyPem: string;
  readonly certificateId: string;
  /** The CA as hako's `Authority`, for code under test that takes one. */
  readonly authority: Authority;
  /** A new key pair and a client certificate for it, signed by this CA. */
  issue(subject: string, validity?: Validity): Promise<CertificateAndKey>;
}

/** An independent root CA with subject `CN=<name>` (or `name` itself when it already contains `=`). */
export async function makeCa(name: string, validity: Validity = {}): Promise<TestCa> {
  const subject = name.includes('=') ? name : `CN=${name}`;
  const root = await createSelfSigned({ profile: 'ca', subject, ...validity });
  const authority = await createAuthority(root.certificatePem, root.privateKeyPem);
  return {
    ...root,
    certificateId: authority.certificateId,
    authority,
    issue: (leafSubject, leafValidity = {}) => issueFrom(authority, leafSubject, leafValidity),
  };
}

/** A new key pair and a client certificate from any CA: a `TestCa` or an `Authority` (such as hako's own). */
export async function issueFrom(ca: TestCa | Authority, subject: string, validity: Validity = {}): Promise<CertificateAndKey> {
  const { certificatePem, privateKeyPem } = await createKeysAndCertificate(authorityOf(ca), subject, validity);
  return { certificatePem, privateKeyPem };
}

/** A validity window that ended a day ago (it began two days ago). */
export function expiredValidity(now = Date.now()): Required<Validity> {
  return { notBefore: new Date(now - 2 * 86_400_000), notAfter: new Date(now - 86_400_000) };
}

/** A validity window that starts tomorrow. */
export function futureValidity(now = Date.now()): Required<Validity> {
  return { notBefore: new Date(now + 86_400_000), notAfter: new Date(now + 2 * 86_400_000) };
}

/** A client certificate from `ca` that has already expired. */
export function issueExpired(ca: TestCa | Authority, subject: string): Promise<CertificateAndKey> {
  return issueFrom(ca, subject, expiredValidity());
}

/** A self-signed client (non-CA) certificate, as used with RegisterCertificateWithoutCA. */
export function makeSelfSigned(subject: string, validity: Validity = {}): Promise<CertificateAndKey> {
  return createSelfSigned({ profile: 'client', subject, ...validity });
}

/** AWS's proof of CA ownership: a certificate whose subject CN is the registration code, signed by the CA. */
export function makeVerificationCertificate(ca: TestCa | Authority, registrationCode: string): Promise<CertificateAndKey> {
  return issueFrom(ca, `CN=${registrationCode.replace(/[,+"\\<>;=#]/g, '\\$&')}`);
}

function authorityOf(ca: TestCa | Authority): Authority {
  return 'authority' in ca ? ca.authority : ca;
}
