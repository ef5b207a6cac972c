import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { createAuthority, createRootCa, inspectCertificate, isCertificateError, isIssuedBy, type CertificateErrorReason } from '../../../src/iam/pki/index.js';
import { serverNamesFor } from '../../../src/iam/pki/authority.js';
import { importSigningKey } from '../../../src/iam/pki/keys.js';
import { parseSubject } from '../../../src/iam/pki/names.js';
import { signCertificate } from '../../../src/iam/pki/sign.js';
import { subtle } from '../../../src/iam/pki/x509-lib.js';
import { makeCa, makeSelfSigned } from '../../helpers/pki.js';

const root = await createRootCa();
const authority = await createAuthority(root.certificatePem, root.privateKeyPem);
const ecKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

test('createRootCa: ECDSA P-256 CA, CA:TRUE critical, keyCertSign + cRLSign, valid until 2049, unique name', async () => {
  const cert = new X509Certificate(root.certificatePem);
  assert.equal(cert.ca, true);
  assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  const info = inspectCertificate(cert);
  assert.deepEqual(info.subject['CommonName'], ['hako root CA']);
  assert.deepEqual(info.subject['Organization'], ['hako']);
  assert.deepEqual(info.notAfter, new Date('2049-12-31T23:59:59Z'));
  assert.equal(isIssuedBy(cert, cert), true);
  const text = cert.toLegacyObject() as unknown as Record<string, unknown>;
  assert.equal(text['ca'], true);
  assert.notDeepEqual(inspectCertificate((await createRootCa()).certificatePem).subject, info.subject, 'a random OU keeps two installations apart');
  assert.equal(authority.certificateId, info.certificateId);
  assert.equal(authority.certificatePem, info.pem);
});

test('issue accepts SPKI PEM, KeyObjects (public or private) and CryptoKeys', async () => {
  const web = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify']);
  for (const publicKey of [ecKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(), ecKeys.publicKey, ecKeys.privateKey, web.publicKey]) {
    const pem = await authority.issue({ publicKey, subject: 'CN=k' });
    assert.equal(isIssuedBy(pem, authority.certificatePem), true);
  }
});

test('issue refuses bad subjects, validity, serial numbers and keys with a CertificateError', async () => {
  const cases: [string, Parameters<typeof authority.issue>[0], CertificateErrorReason][] = [
    ['subject without attributes', { publicKey: ecKeys.publicKey, subject: 'just words' }, 'SUBJECT_INVALID'],
    ['unknown attribute', { publicKey: ecKeys.publicKey, subject: 'FOO=bar' }, 'SUBJECT_INVALID'],
    ['notAfter before notBefore', { publicKey: ecKeys.publicKey, subject: 'CN=x', notBefore: new Date('2030-01-01'), notAfter: new Date('2029-01-01') }, 'VALIDITY_INVALID'],
    ['invalid date', { publicKey: ecKeys.publicKey, subject: 'CN=x', notAfter: new Date('nope') }, 'VALIDITY_INVALID'],
    ['non-hex serial', { publicKey: ecKeys.publicKey, subject: 'CN=x', serialNumber: 'xyz' }, 'VALIDITY_INVALID'],
    ['RSA 1024', { publicKey: generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey, subject: 'CN=x' }, 'PUBLIC_KEY_INVALID'],
    ['Ed25519', { publicKey: generateKeyPairSync('ed25519').publicKey, subject: 'CN=x' }, 'PUBLIC_KEY_INVALID'],
    ['unreadable key', { publicKey: 'not a key', subject: 'CN=x' }, 'PUBLIC_KEY_INVALID'],
  ];
  for (const [name, request, reason] of cases) {
    await assert.rejects(authority.issue(request), (error) => {
      assert.ok(isCertificateError(error, reason), `${name}: expected ${reason}, got ${String(error)}`);
      return true;
    });
  }
});

test('issue takes subject strings with OpenSSL and AWS attribute names, in certificate order', async () => {
  const pem = await authority.issue({ publicKey: ecKeys.publicKey, subject: 'Country=NL, O=Acme, OrganizationalUnit=x, CN=thing, emailAddress=a@b.example' });
  assert.deepEqual(Object.keys(inspectCertificate(pem).subject), ['Country', 'Organization', 'OrganizationalUnit', 'CommonName', 'emailAddress']);
  assert.equal(new X509Certificate(pem).subject, 'C=NL\nO=Acme\nOU=x\nCN=thing\nemailAddress=a@b.example');
});

test('createAuthority refuses a certificate that is not a CA and a key that is not the CA\'s', async () => {
  const leaf = await makeSelfSigned('CN=not a CA');
  await assert.rejects(createAuthority(leaf.certificatePem, leaf.privateKeyPem), (error) => isCertificateError(error, 'MALFORMED') && /not a CA/.test(error.message));
  const other = await makeCa('other');
  await assert.rejects(createAuthority(root.certificatePem, other.privateKeyPem), (error) => isCertificateError(error, 'KEY_INVALID'));
  const encrypted = ecKeys.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString();
  await assert.rejects(createAuthority(root.certificatePem, encrypted), (error) => isCertificateError(error, 'KEY_INVALID') && /encrypted/.test(error.message));
});

test('a user-supplied RSA CA (SEC1/PKCS#1 key files too) can act as the authority', async () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signer = await importSigningKey(rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const name = parseSubject('O=Own, CN=Own RSA root');
  const caPem = await signCertificate({ profile: 'ca', subject: name, issuer: name, publicKey: signer.publicKey, issuerPublicKey: signer.publicKey, signer, notBefore: new Date(Date.now() - 1000), notAfter: new Date('2040-01-01') });
  const own = await createAuthority(caPem, rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const device = await own.issue({ publicKey: ecKeys.publicKey, subject: 'CN=rsa-signed' });
  assert.equal(isIssuedBy(device, caPem), true);
  assert.equal(new X509Certificate(device).toLegacyObject().issuer.CN, 'Own RSA root');
  const sec1 = ecKeys.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  assert.match(sec1, /BEGIN EC PRIVATE KEY/);
  assert.equal((await importSigningKey(sec1)).algorithm.hash, 'SHA-256');
});

test('serverNamesFor puts localhost, 127.0.0.1 and ::1 first and drops duplicates', () => {
  assert.deepEqual(serverNamesFor([]), ['localhost', '127.0.0.1', '::1']);
  assert.deepEqual(serverNamesFor(['LOCALHOST', 'iot.example', '10.0.0.1', 'iot.example', '*.hako.lan']), ['localhost', '127.0.0.1', '::1', 'iot.example', '10.0.0.1', '*.hako.lan']);
  assert.throws(() => serverNamesFor(['bad name']), (error) => isCertificateError(error, 'SUBJECT_INVALID'));
});
