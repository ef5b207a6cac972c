/**
 * @module iam/pki/sign — building and signing certificates for the three profiles hako issues: a root CA,
 * a TLS server (hako itself) and a TLS client (devices). The only file that creates certificates.
 */
import { isIP } from 'node:net';
import { randomBytes, type KeyObject } from 'node:crypto';
import { CertificateError } from './certificate-error.js';
import { generateKeyPairPem, importSigningKey, spkiDer, type SigningKey } from './keys.js';
import { parseSubject, type SubjectName } from './names.js';
import { x509 } from './x509-lib.js';

export type CertificateProfile = 'ca' | 'server' | 'client';

/** When AWS-generated certificates expire; hako's CA and device certificates use it too. */
export const AWS_NOT_AFTER = new Date('2049-12-31T23:59:59Z');

export interface SignRequest {
  readonly profile: CertificateProfile;
  readonly subject: SubjectName;
  readonly publicKey: KeyObject;
  readonly issuer: SubjectName;
  readonly issuerPublicKey: KeyObject;
  readonly signer: SigningKey;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Hex; random 16 bytes when absent. */
  readonly serialNumber?: string | undefined;
  /** Server profile: DNS names and IP addresses for subjectAltName. */
  readonly serverNames?: readonly string[];
}

const { KeyUsageFlags: Usage } = x509;

type Extension = InstanceType<typeof x509.Extension>;

async function extensionsFor(request: SignRequest): Promise<Extension[]> {
  const spki = spkiDer(request.publicKey);
  const identifiers: Extension[] = [await x509.SubjectKeyIdentifierExtension.create(spki)];
  if (request.profile === 'ca') {
    return [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(Usage.keyCertSign | Usage.cRLSign, true), ...identifiers];
  }
  identifiers.push(await x509.AuthorityKeyIdentifierExtension.create(spkiDer(request.issuerPublicKey)));
  const usage = request.publicKey.asymmetricKeyType === 'rsa' ? Usage.digitalSignature | Usage.keyEncipherment : Usage.digitalSignature;
  const leaf = [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(usage, true)];
  if (request.profile === 'client') return [...leaf, new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]), ...identifiers];
  const names = (request.serverNames ?? []).map((name) => ({ type: isIP(name) ? ('ip' as const) : ('dns' as const), value: name }));
  return [...leaf, new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]), new x509.SubjectAlternativeNameExtension(names), ...identifiers];
}

/** Signs a certificate and returns it as PEM. */
export async function signCertificate(request: SignRequest): Promise<string> {
  const { notBefore, notAfter, serialNumber } = request;
  if (!(notBefore instanceof Date) || !(notAfter instanceof Date) || Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) {
    throw new CertificateError('VALIDITY_INVALID', 'notBefore and notAfter must be valid Dates');
  }
  if (notAfter.getTime() <= notBefore.getTime()) {
    throw new CertificateError('VALIDITY_INVALID', `notAfter (${notAfter.toISOString()}) must be later than notBefore (${notBefore.toISOString()})`);
  }
  if (serialNumber !== undefined && !/^[0-9a-fA-F]{1,40}$/.test(serialNumber)) {
    throw new CertificateError('VALIDITY_INVALID', `serial number "${serialNumber}" must be 1 to 40 hex digits`);
  }
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber ?? randomSerial(),
    subject: request.subject,
    issuer: request.issuer,
    notBefore,
    notAfter,
    publicKey: spkiDer(request.publicKey),
    signingKey: request.signer.key,
    signingAlgorithm: request.signer.algorithm,
    extensions: await extensionsFor(request),
  });
  return certificate.toString('pem') + '\n';
}

function randomSerial(): string {
  return randomBytes(16).toString('hex'); // AWS's are 16 bytes too; a leading 0x00 is added when the top bit is set
}

export interface CertificateAndKey {
  readonly certificatePem: string;
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
}

export interface SelfSignedOptions {
  readonly subject: string;
  readonly profile: CertificateProfile;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** Server profile: DNS names and IP addresses for subjectAltName. */
  readonly serverNames?: readonly string[];
}

/** A new key pair and a certificate for it signed by itself: a root CA, or (for tests) a self-signed leaf. */
export async function createSelfSigned(options: SelfSignedOptions): Promise<CertificateAndKey> {
  const { privateKeyPem } = await generateKeyPairPem();
  const signer = await importSigningKey(privateKeyPem);
  const name = parseSubject(options.subject);
  const certificatePem = await signCertificate({
    profile: options.profile,
    subject: name,
    issuer: name,
    publicKey: signer.publicKey,
    issuerPublicKey: signer.publicKey,
    signer,
    notBefore: options.notBefore ?? new Date(Date.now() - 60_000),
    notAfter: options.notAfter ?? AWS_NOT_AFTER,
    ...(options.serverNames === undefined ? {} : { serverNames: options.serverNames }),
  });
  return { certificatePem, privateKeyPem };
}
