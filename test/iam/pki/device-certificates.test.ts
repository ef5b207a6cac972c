import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, X509Certificate, type webcrypto } from 'node:crypto';
import tls from 'node:tls';
import { certificateFromCsr, createKeysAndCertificate, inspectCertificate, isCertificateError, isIssuedBy } from '../../../src/iam/pki/index.js';
import { x509, subtle } from '../../../src/iam/pki/x509-lib.js';
import { makeCa } from '../../helpers/pki.js';

const ca = await makeCa('device CA');
type KeyAlgorithm = webcrypto.EcKeyGenParams & { hash: string } | webcrypto.RsaHashedKeyGenParams;
const EC: KeyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

async function makeCsr(name: string, algorithm: KeyAlgorithm = EC): Promise<{ pem: string; der: Buffer }> {
  const keys = (await subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name, keys, signingAlgorithm: algorithm });
  return { pem: csr.toString('pem'), der: Buffer.from(csr.rawData) };
}

function csrPem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
}

test('createKeysAndCertificate: PKCS#8 private key, SPKI public key, a client certificate until 2049 from the CA', async () => {
  const before = Date.now();
  const issued = await createKeysAndCertificate(ca.authority, 'CN=AWS IoT Certificate');
  assert.match(issued.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  assert.match(issued.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);
  assert.doesNotThrow(() => tls.createSecureContext({ key: issued.privateKeyPem, cert: issued.certificatePem }));
  const cert = new X509Certificate(issued.certificatePem);
  assert.ok(cert.publicKey.equals(createPublicKey(issued.publicKeyPem)));
  assert.equal(isIssuedBy(cert, ca.certificatePem), true);
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'extendedKeyUsage clientAuth');
  const info = inspectCertificate(issued.certificatePem);
  assert.equal(info.isCA, false);
  assert.deepEqual(info.subject, { CommonName: ['AWS IoT Certificate'] });
  assert.deepEqual(info.notAfter, new Date('2049-12-31T23:59:59Z'));
  assert.ok(info.notBefore.getTime() <= before - 59_000 && info.notBefore.getTime() >= before - 62_000, 'valid from a minute ago');
  const again = inspectCertificate((await createKeysAndCertificate(ca.authority, 'CN=AWS IoT Certificate')).certificatePem);
  assert.notEqual(again.serialNumber, info.serialNumber, 'random serials');
  assert.ok(info.serialNumber.length >= 28 && info.serialNumber.length <= 32, `16-byte serial, got ${info.serialNumber}`);
});

test('certificateFromCsr keeps the CSR\'s subject and key', async () => {
  const csr = await makeCsr('C=DE, O=Acme GmbH, OU=line 1, OU=line 2, CN=csr-thing');
  const pem = await certificateFromCsr(ca.authority, csr.pem);
  const cert = new X509Certificate(pem);
  assert.equal(isIssuedBy(cert, ca.certificatePem), true);
  const parsedCsr = new x509.Pkcs10CertificateRequest(csr.der);
  assert.ok(Buffer.from(parsedCsr.subjectName.toArrayBuffer()).equals(Buffer.from(new x509.X509Certificate(cert.raw).subjectName.toArrayBuffer())), 'subject kept byte for byte');
  assert.deepEqual(inspectCertificate(pem).subject, { Country: ['DE'], Organization: ['Acme GmbH'], OrganizationalUnit: ['line 1', 'line 2'], CommonName: ['csr-thing'] });
  assert.ok(cert.publicKey.equals(createPublicKey({ key: Buffer.from(parsedCsr.publicKey.rawData), format: 'der', type: 'spki' })));
});

test('certificateFromCsr accepts an RSA 2048 CSR and refuses an RSA 1024 one', async () => {
  const rsa = (modulusLength: number): KeyAlgorithm => ({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength });
  const good = await certificateFromCsr(ca.authority, (await makeCsr('CN=rsa', rsa(2048))).pem);
  assert.equal(new X509Certificate(good).publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  await assert.rejects(certificateFromCsr(ca.authority, (await makeCsr('CN=weak', rsa(1024))).pem), (error) => isCertificateError(error, 'PUBLIC_KEY_INVALID') && /at least 2048 bits/.test(error.message));
});

test('certificateFromCsr refuses a CSR whose signature does not verify', async () => {
  const { der } = await makeCsr('CN=honest-thing');
  const resigned = Buffer.from(der);
  resigned[resigned.length - 5] = (resigned[resigned.length - 5] ?? 0) ^ 0xff; // inside the signature value
  const renamed = Buffer.from(der.toString('latin1').replace('honest-thing', 'forged-thing'), 'latin1'); // the subject changed after signing
  for (const tampered of [resigned, renamed]) {
    await assert.rejects(certificateFromCsr(ca.authority, csrPem(tampered)), (error) => {
      assert.ok(isCertificateError(error, 'CSR_SIGNATURE') || isCertificateError(error, 'MALFORMED'), String(error));
      return true;
    });
  }
  await assert.rejects(certificateFromCsr(ca.authority, csrPem(renamed)), (error) => isCertificateError(error, 'CSR_SIGNATURE') && /not signed by the key it contains/.test(error.message));
});

test('certificateFromCsr refuses input that is not one CSR', async () => {
  const { pem } = await makeCsr('CN=x');
  const cases: [string, string][] = [['garbage', 'NOT_PEM'], [ca.certificatePem, 'WRONG_PEM_TYPE'], [pem + pem, 'SEVERAL_BLOCKS'], [csrPem(Buffer.from('nonsense')), 'MALFORMED']];
  for (const [input, reason] of cases) {
    await assert.rejects(certificateFromCsr(ca.authority, input), (error) => isCertificateError(error) && error.reason === reason);
  }
  const legacy = pem.replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST');
  assert.ok(inspectCertificate(await certificateFromCsr(ca.authority, legacy)).certificateId);
});
