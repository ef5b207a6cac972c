/**
 * @module iam/pki/device-certificates — the two ways AWS hands a device a certificate from its own CA:
 * CreateKeysAndCertificate (the service makes the key pair) and CreateCertificateFromCsr (the device keeps
 * its key and sends a PKCS#10 request, whose subject AWS keeps).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Authority } from './authority.js';
import { CertificateError } from './certificate-error.js';
import { generateKeyPairPem } from './keys.js';
import { singlePemBlock } from './pem.js';
import { x509 } from './x509-lib.js';

export interface KeysAndCertificate {
  readonly certificatePem: string;
  /** SPKI (`-----BEGIN PUBLIC KEY-----`). */
  readonly publicKeyPem: string;
  /** PKCS#8 (`-----BEGIN PRIVATE KEY-----`), usable as node's `tls` `key`. */
  readonly privateKeyPem: string;
}

export interface Validity {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/**
 * A new ECDSA P-256 key pair and a certificate for it from `authority`. AWS generates RSA 2048 keys here;
 * P-256 is as widely supported by TLS clients and much faster to generate.
 */
export async function createKeysAndCertificate(authority: Authority, subject: string, validity: Validity = {}): Promise<KeysAndCertificate> {
  const keys = await generateKeyPairPem();
  const certificatePem = await authority.issue({ publicKey: keys.publicKeyPem, subject, ...validity });
  return { certificatePem, ...keys };
}

const CSR_LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'];

/**
 * A certificate from `authority` for the key in a PKCS#10 CSR, with the CSR's subject kept byte for byte.
 * Throws a `CertificateError` when the CSR is not one PEM CSR (`NOT_PEM`, `WRONG_PEM_TYPE`,
 * `SEVERAL_BLOCKS`, `MALFORMED`), its signature does not verify (`CSR_SIGNATURE`) or its key is
 * unacceptable (`PUBLIC_KEY_INVALID`). CSR extensions (requested SANs and the like) are ignored.
 */
export async function certificateFromCsr(authority: Authority, csrPem: string): Promise<string> {
  const der = singlePemBlock(csrPem, CSR_LABELS, 'certificate signing request');
  let csr: InstanceType<typeof x509.Pkcs10CertificateRequest>;
  try {
    csr = new x509.Pkcs10CertificateRequest(der);
  } catch (cause) {
    throw new CertificateError('MALFORMED', 'the PEM block does not hold a valid PKCS#10 certificate signing request', { cause });
  }
  const verified = await csr.verify().catch(() => false);
  if (!verified) {
    throw new CertificateError('CSR_SIGNATURE', 'the certificate signing request is not signed by the key it contains (was it altered after signing?)');
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new CertificateError('PUBLIC_KEY_INVALID', 'the public key in the certificate signing request could not be read', { cause });
  }
  return authority.issue({ publicKey, subject: new Uint8Array(csr.subjectName.toArrayBuffer()) });
}
