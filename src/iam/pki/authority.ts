/**
 * @module iam/pki/authority — hako's certificate authority: one root CA that signs hako's TLS server
 * certificate and every device certificate, so a device trusts hako with one file (`ca.pem`).
 *
 * Device certificates follow AWS's: a random 16-byte serial, clientAuth, valid from a minute ago until
 * 2049-12-31T23:59:59Z unless the caller says otherwise.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { systemClock, type Clock } from '../../core/clock.js';
import { CertificateError } from './certificate-error.js';
import { certificateIdOf, parseCertificate } from './inspect.js';
import { generateKeyPairPem, importSigningKey, spkiDer, toAcceptedPublicKey, type PublicKeyInput, type SigningKey } from './keys.js';
import { parseSubject, type SubjectName } from './names.js';
import { AWS_NOT_AFTER, createSelfSigned, signCertificate, type CertificateAndKey } from './sign.js';
import { x509 } from './x509-lib.js';

export interface IssueRequest {
  readonly publicKey: PublicKeyInput;
  /** `CN=my-thing, O=Acme` (certificate order), or the DER of a Name to copy byte for byte (from a CSR). */
  readonly subject: string | Uint8Array;
  /** Default: 2049-12-31T23:59:59Z, as AWS-generated certificates. */
  readonly notAfter?: Date;
  /** Default: one minute ago. */
  readonly notBefore?: Date;
  /** Hex, up to 20 bytes. Default: 16 random bytes. */
  readonly serialNumber?: string;
}

export interface Authority {
  readonly certificatePem: string;
  readonly certificateId: string;
  /** Issues a device (TLS client) certificate and returns it as PEM. */
  issue(request: IssueRequest): Promise<string>;
}

export interface AuthorityOptions {
  readonly clock?: Clock;
}

/** Names every hako server certificate carries, before any configured extra names. */
export const DEFAULT_SERVER_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];
const SERVER_VALIDITY_MS = 825 * 24 * 3600_000; // the longest validity Apple platforms accept for TLS servers
const SKEW_MS = 24 * 3600_000; // CA and server certificates start a day early, for devices whose clocks lag

/** The authority with its signing key: what `loadOrCreateAuthority` needs beyond the public interface. */
export class SigningAuthority implements Authority {
  readonly certificatePem: string;
  readonly certificateId: string;
  readonly #name: SubjectName;
  readonly #signer: SigningKey;
  readonly #clock: Clock;

  constructor(certificatePem: string, certificateId: string, name: SubjectName, signer: SigningKey, clock: Clock) {
    this.certificatePem = certificatePem;
    this.certificateId = certificateId;
    this.#name = name;
    this.#signer = signer;
    this.#clock = clock;
  }

  async issue(request: IssueRequest): Promise<string> {
    const publicKey = await toAcceptedPublicKey(request.publicKey);
    const subject = parseSubject(request.subject);
    return signCertificate({
      profile: 'client',
      subject,
      publicKey,
      ...this.#issuer(),
      notBefore: request.notBefore ?? new Date(this.#clock.now() - 60_000),
      notAfter: request.notAfter ?? AWS_NOT_AFTER,
      serialNumber: request.serialNumber,
    });
  }

  /** A new key pair and TLS server certificate for `localhost`, `127.0.0.1`, `::1` and `extraNames`. */
  async issueServerCertificate(extraNames: readonly string[]): Promise<CertificateAndKey> {
    const names = serverNamesFor(extraNames);
    const { privateKeyPem } = await generateKeyPairPem();
    const own = await importSigningKey(privateKeyPem);
    const now = this.#clock.now();
    const certificatePem = await signCertificate({
      profile: 'server',
      subject: parseSubject(`O=hako, CN=${names[3] ?? names[0]}`), // names are validated: nothing to escape
      publicKey: own.publicKey,
      ...this.#issuer(),
      notBefore: new Date(now - SKEW_MS),
      notAfter: new Date(now + SERVER_VALIDITY_MS),
      serverNames: names,
    });
    return { certificatePem, privateKeyPem };
  }

  #issuer(): { issuer: SubjectName; issuerPublicKey: SigningKey['publicKey']; signer: SigningKey } {
    return { issuer: this.#name, issuerPublicKey: this.#signer.publicKey, signer: this.#signer };
  }
}

/** `localhost`, `127.0.0.1`, `::1` plus `extraNames`, without duplicates (DNS names compared case-insensitively). */
export function serverNamesFor(extraNames: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const name of [...DEFAULT_SERVER_NAMES, ...extraNames]) {
    if (!isIP(name) && !/^(\*\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(name)) {
      throw new CertificateError('SUBJECT_INVALID', `server name "${name}" is neither a DNS name nor an IP address`);
    }
    const key = isIP(name) ? name : name.toLowerCase();
    if (!seen.has(key)) seen.set(key, name);
  }
  return [...seen.values()];
}

/**
 * An authority from a CA certificate and its private key (PEM). Throws a `CertificateError` when the
 * certificate is unreadable or not a CA (`MALFORMED`), or the key is unreadable or not the certificate's
 * (`KEY_INVALID`).
 */
export async function createAuthority(certificatePem: string, privateKeyPem: string, options: AuthorityOptions = {}): Promise<SigningAuthority> {
  const cert = parseCertificate(certificatePem);
  if (!cert.ca) throw new CertificateError('MALFORMED', 'the certificate is not a CA certificate (basicConstraints CA:TRUE is missing)');
  const signer = await importSigningKey(privateKeyPem);
  if (!spkiDer(signer.publicKey).equals(spkiDer(cert.publicKey))) {
    throw new CertificateError('KEY_INVALID', 'the private key does not belong to the CA certificate');
  }
  const name = new x509.X509Certificate(cert.raw).subjectName;
  return new SigningAuthority(cert.toString(), certificateIdOf(cert), name, signer, options.clock ?? systemClock);
}

/**
 * A new root CA: ECDSA P-256, SHA-256, CA:TRUE (critical), keyCertSign + cRLSign, valid until
 * 2049-12-31T23:59:59Z. The subject carries a random OU so that two hako installations' CAs never share a
 * name (AWS allows only a few registered CAs with the same subject, and trust stores look CAs up by name).
 */
export async function createRootCa(options: AuthorityOptions = {}): Promise<CertificateAndKey> {
  const now = (options.clock ?? systemClock).now();
  return createSelfSigned({
    profile: 'ca',
    subject: `O=hako, OU=hako-${randomBytes(4).toString('hex')}, CN=hako root CA`,
    notBefore: new Date(now - SKEW_MS),
    notAfter: AWS_NOT_AFTER,
  });
}
