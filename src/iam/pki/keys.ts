/**
 * @module iam/pki/keys — key pairs hako generates, public keys it certifies, and private keys it signs with.
 *
 * Generated keys are ECDSA P-256: small, fast to make, accepted by every TLS stack hako's devices use.
 * (AWS's CreateKeysAndCertificate hands out RSA 2048 keys; nothing in the device SDKs depends on that.)
 * Keys to certify may be EC P-256/P-384/P-521 or RSA ≥ 2048 bits, the set AWS accepts in a CSR.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, KeyObject, type webcrypto } from 'node:crypto';
import { promisify } from 'node:util';
import { CertificateError } from './certificate-error.js';
import { subtle } from './x509-lib.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface KeyPairPem {
  /** PKCS#8 (`-----BEGIN PRIVATE KEY-----`). */
  readonly privateKeyPem: string;
  /** SPKI (`-----BEGIN PUBLIC KEY-----`). */
  readonly publicKeyPem: string;
}

/** A public key to put in a certificate: a WebCrypto key, a node KeyObject, or SPKI PEM. */
export type PublicKeyInput = webcrypto.CryptoKey | KeyObject | string;

export async function generateKeyPairPem(): Promise<KeyPairPem> {
  const { privateKey, publicKey } = await generateKeyPairAsync('ec', { namedCurve: 'P-256' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const ACCEPTED_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

/** `input` as a node public KeyObject, after checking it is a key type and size hako will certify. */
export async function toAcceptedPublicKey(input: PublicKeyInput): Promise<KeyObject> {
  let key: KeyObject;
  try {
    if (typeof input === 'string') key = createPublicKey(input);
    else if (input instanceof KeyObject) key = input.type === 'private' ? createPublicKey(input) : input;
    else key = createPublicKey({ key: Buffer.from(await subtle.exportKey('spki', input)), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new CertificateError('PUBLIC_KEY_INVALID', 'the public key could not be read; pass SPKI PEM (-----BEGIN PUBLIC KEY-----), a KeyObject or a CryptoKey', { cause });
  }
  const details = key.asymmetricKeyDetails ?? {};
  const ok = key.asymmetricKeyType === 'ec'
    ? ACCEPTED_CURVES.has(details.namedCurve ?? '')
    : key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048;
  if (!ok) {
    const what = key.asymmetricKeyType === 'ec' ? `EC key on curve ${details.namedCurve}` : `${key.asymmetricKeyType} key${details.modulusLength ? ` of ${details.modulusLength} bits` : ''}`;
    throw new CertificateError('PUBLIC_KEY_INVALID', `a ${what} cannot be certified; use EC P-256, P-384, P-521 or RSA of at least 2048 bits`);
  }
  return key;
}

export interface SigningKey {
  readonly key: webcrypto.CryptoKey;
  /** Passed to `@peculiar/x509` as `signingAlgorithm`. */
  readonly algorithm: { name: string; hash: string };
  /** The matching public key, to compare with the certificate that claims it. */
  readonly publicKey: KeyObject;
}

const EC_HASH: Readonly<Record<string, { curve: string; hash: string }>> = {
  prime256v1: { curve: 'P-256', hash: 'SHA-256' },
  secp384r1: { curve: 'P-384', hash: 'SHA-384' },
  secp521r1: { curve: 'P-521', hash: 'SHA-512' },
};

/**
 * A private key in PEM (PKCS#8, SEC1 or PKCS#1; unencrypted) made ready to sign certificates. Throws a
 * `CertificateError` with reason `KEY_INVALID` for unreadable, encrypted or unsupported keys.
 */
export async function importSigningKey(privateKeyPem: string): Promise<SigningKey> {
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch (cause) {
    const encrypted = /ENCRYPTED/.test(privateKeyPem);
    throw new CertificateError('KEY_INVALID', encrypted ? 'the private key is encrypted; hako needs it unencrypted' : 'not a readable PEM private key', { cause });
  }
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    const ec = EC_HASH[details.namedCurve ?? ''];
    if (ec === undefined) throw new CertificateError('KEY_INVALID', `EC curve ${details.namedCurve} is not supported for signing; use P-256, P-384 or P-521`);
    const cryptoKey = await subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: ec.curve }, false, ['sign']);
    return { key: cryptoKey, algorithm: { name: 'ECDSA', hash: ec.hash }, publicKey: createPublicKey(key) };
  }
  if (key.asymmetricKeyType === 'rsa') {
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const cryptoKey = await subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
    return { key: cryptoKey, algorithm, publicKey: createPublicKey(key) };
  }
  throw new CertificateError('KEY_INVALID', `${key.asymmetricKeyType} keys are not supported for signing; use EC P-256 or RSA`);
}

/** SPKI DER of a public key, for comparing keys and for `@peculiar/x509`. */
export function spkiDer(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}
