/**
 * @module iam/pki/inspect — reading a certificate: its AWS certificate id, names, validity, SANs, and whether
 * a given CA issued it. Uses node's built-in `X509Certificate` (OpenSSL), never `@peculiar/x509`.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { CertificateError } from './certificate-error.js';
import { distinguishedNameFrom, type DistinguishedName } from './names.js';
import { singlePemBlock } from './pem.js';

export type { DistinguishedName } from './names.js';

export interface CertificateInfo {
  /** SHA-256 of the DER encoding, 64 lowercase hex digits: AWS's `certificateId`. */
  readonly certificateId: string;
  /** The certificate alone, re-encoded as PEM (64-character lines, trailing newline). */
  readonly pem: string;
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  /** Lowercase hex, as OpenSSL prints it (whole bytes, no sign byte). */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** basicConstraints CA:TRUE. */
  readonly isCA: boolean;
  /** In node's notation: `DNS:host`, `IP Address:127.0.0.1`, `IP Address:0:0:0:0:0:0:0:1`, `email:…`, `URI:…`. */
  readonly subjectAltNames: string[];
}

const CERTIFICATE_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE'];

/** Parses exactly one PEM certificate, or throws a `CertificateError` saying what is wrong with the input. */
export function parseCertificate(pem: string): X509Certificate {
  const der = singlePemBlock(pem, CERTIFICATE_LABELS, 'certificate');
  try {
    return new X509Certificate(der);
  } catch (cause) {
    throw new CertificateError('MALFORMED', 'the PEM block does not hold a valid X.509 certificate', { cause });
  }
}

function toCertificate(cert: string | X509Certificate): X509Certificate {
  return cert instanceof X509Certificate ? cert : parseCertificate(cert);
}

/** AWS's certificate id: SHA-256 of the DER, lowercase hex (equals node's `fingerprint256` without colons). */
export function certificateIdOf(cert: string | X509Certificate): string {
  return createHash('sha256').update(toCertificate(cert).raw).digest('hex');
}

export function inspectCertificate(pem: string | X509Certificate): CertificateInfo {
  const cert = toCertificate(pem);
  const legacy = cert.toLegacyObject();
  return {
    certificateId: createHash('sha256').update(cert.raw).digest('hex'),
    pem: cert.toString(),
    subject: distinguishedNameFrom(legacy.subject as unknown as Record<string, string | string[]>),
    issuer: distinguishedNameFrom(legacy.issuer as unknown as Record<string, string | string[]>),
    serialNumber: cert.serialNumber.toLowerCase(),
    notBefore: opensslDate(cert.validFrom),
    notAfter: opensslDate(cert.validTo),
    isCA: cert.ca,
    subjectAltNames: splitSubjectAltNames(cert.subjectAltName),
  };
}

/**
 * True when `issuer` issued `cert`: the names (and key identifiers) line up, `issuer` may sign certificates
 * (OpenSSL's `X509_check_issued`: keyCertSign when it has a keyUsage) and `cert`'s signature verifies with
 * `issuer`'s public key. Says nothing about validity dates or the rest of a chain.
 */
export function isIssuedBy(cert: string | X509Certificate, issuer: string | X509Certificate): boolean {
  const child = toCertificate(cert);
  const parent = toCertificate(issuer);
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/** `validFrom`/`validTo` ("Dec 31 23:59:59 2049 GMT") as a Date. */
function opensslDate(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new CertificateError('MALFORMED', `the certificate has an unreadable validity date "${text}"`);
  return date;
}

/**
 * Node's `subjectAltName` string split into entries. Node writes `type:value` pairs joined by ", " and puts a
 * value in JSON quotes when it contains a comma, quote or other character that would make this ambiguous.
 */
export function splitSubjectAltNames(text: string | undefined): string[] {
  const names: string[] = [];
  let i = 0;
  while (text !== undefined && i < text.length) {
    const colon = text.indexOf(':', i);
    if (colon === -1) break;
    const type = text.slice(i, colon + 1);
    let value: string;
    let next: number;
    if (text[colon + 1] === '"') {
      let close = colon + 2;
      while (close < text.length && text[close] !== '"') close += text[close] === '\\' ? 2 : 1;
      value = JSON.parse(text.slice(colon + 1, close + 1)) as string;
      next = close + 1;
    } else {
      const comma = text.indexOf(', ', colon);
      next = comma === -1 ? text.length : comma;
      value = text.slice(colon + 1, next);
    }
    names.push(type + value);
    i = next + 2;
  }
  return names;
}
