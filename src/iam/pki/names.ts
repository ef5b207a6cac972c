/**
 * @module iam/pki/names — distinguished names: reading them under AWS's attribute names and parsing the
 * subject strings callers pass when asking for a certificate.
 *
 * AWS exposes subject and issuer attributes as policy variables (`${iot:Certificate.Subject.CommonName}`)
 * and JITP template parameters, so hako keys a parsed name by those names. Attributes AWS has no name for
 * keep OpenSSL's short name, or the dotted OID when OpenSSL has none, so nothing is lost.
 */
import { CertificateError } from './certificate-error.js';
import { parseSubjectString } from './subject-string.js';
import { x509 } from './x509-lib.js';

/** Attribute name → every value, in the order they appear in the certificate. */
export type DistinguishedName = Readonly<Record<string, readonly string[]>>;

/** OpenSSL short name or OID → AWS policy-variable attribute name. */
const AWS_NAMES: Readonly<Record<string, string>> = {
  CN: 'CommonName', '2.5.4.3': 'CommonName',
  C: 'Country', '2.5.4.6': 'Country',
  O: 'Organization', '2.5.4.10': 'Organization',
  OU: 'OrganizationalUnit', '2.5.4.11': 'OrganizationalUnit',
  ST: 'State', '2.5.4.8': 'State',
  L: 'Locality', '2.5.4.7': 'Locality',
  serialNumber: 'SerialNumber', '2.5.4.5': 'SerialNumber',
  dnQualifier: 'DistinguishedNameQualifier', '2.5.4.46': 'DistinguishedNameQualifier',
  title: 'Title', '2.5.4.12': 'Title',
  SN: 'Surname', '2.5.4.4': 'Surname',
  GN: 'GivenName', '2.5.4.42': 'GivenName',
  initials: 'Initials', '2.5.4.43': 'Initials',
  pseudonym: 'Pseudonym', '2.5.4.65': 'Pseudonym',
  generationQualifier: 'GenerationQualifier', '2.5.4.44': 'GenerationQualifier',
};

/** The AWS attribute name for an OpenSSL short name or OID (unknown names come back unchanged). */
export function awsAttributeName(opensslName: string): string {
  return AWS_NAMES[opensslName] ?? opensslName;
}

/**
 * A name from node's `X509Certificate#toLegacyObject()` (`{ CN: 'a', OU: ['x', 'y'] }`, values already
 * unescaped UTF-8) keyed by AWS attribute names.
 */
export function distinguishedNameFrom(legacy: Readonly<Record<string, string | readonly string[]>> | undefined): DistinguishedName {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(legacy ?? {})) {
    const key = awsAttributeName(name);
    (result[key] ??= []).push(...(typeof value === 'string' ? [value] : value));
  }
  return result;
}

export type SubjectName = InstanceType<typeof x509.Name>;

/**
 * A subject for a new certificate: a string in certificate order (`CN=my-thing, O=Acme, OU=a, OU=b`, see
 * `subject-string.ts`), or the DER of an X.501 Name taken from elsewhere (a CSR), kept byte for byte.
 */
export function parseSubject(subject: string | Uint8Array): SubjectName {
  if (subject instanceof Uint8Array) {
    try {
      return new x509.Name(subject);
    } catch (cause) {
      throw new CertificateError('SUBJECT_INVALID', 'the subject is not a DER-encoded distinguished name', { cause });
    }
  }
  if (typeof subject !== 'string') throw new CertificateError('SUBJECT_INVALID', 'the subject must be a string like "CN=my-thing"');
  return new x509.Name(parseSubjectString(subject));
}
