import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createAuthority, createRootCa, inspectCertificate, isIssuedBy } from '../../../src/iam/pki/index.js';
import { expiredValidity, futureValidity, issueExpired, issueFrom, makeCa, makeSelfSigned, makeVerificationCertificate } from '../../helpers/pki.js';

const ca = await makeCa('helper CA');
const other = await makeCa('CN=other CA, O=Elsewhere');

test('makeCa makes an independent self-signed CA whose leaves it alone issued', async () => {
  const info = inspectCertificate(ca.certificatePem);
  assert.equal(info.isCA, true);
  assert.deepEqual(info.subject, { CommonName: ['helper CA'] });
  assert.equal(ca.certificateId, info.certificateId);
  assert.equal(isIssuedBy(ca.certificatePem, ca.certificatePem), true);
  assert.deepEqual(inspectCertificate(other.certificatePem).subject, { CommonName: ['other CA'], Organization: ['Elsewhere'] });
  const leaf = await ca.issue('CN=leaf');
  assert.equal(isIssuedBy(leaf.certificatePem, ca.certificatePem), true);
  assert.equal(isIssuedBy(leaf.certificatePem, other.certificatePem), false);
  assert.equal(new X509Certificate(leaf.certificatePem).checkPrivateKey(createPrivateKey(leaf.privateKeyPem)), true);
});

test('issueExpired gives a leaf whose validity ended in the past, from a test CA or from hako\'s authority', async () => {
  const root = await createRootCa();
  const hako = await createAuthority(root.certificatePem, root.privateKeyPem);
  for (const issuer of [ca, hako]) {
    const expired = await issueExpired(issuer, 'CN=old');
    const info = inspectCertificate(expired.certificatePem);
    assert.ok(info.notAfter.getTime() < Date.now() && info.notBefore < info.notAfter);
    assert.equal(isIssuedBy(expired.certificatePem, issuer.certificatePem), true);
  }
  const window = expiredValidity(Date.parse('2030-01-10T00:00:00Z'));
  assert.deepEqual(window, { notBefore: new Date('2030-01-08T00:00:00Z'), notAfter: new Date('2030-01-09T00:00:00Z') });
  const notYet = inspectCertificate((await issueFrom(ca, 'CN=later', futureValidity())).certificatePem);
  assert.ok(notYet.notBefore.getTime() > Date.now());
});

test('makeSelfSigned gives a non-CA certificate signed with its own key and issued by no CA', async () => {
  const self = await makeSelfSigned('CN=lonely, O=Nobody');
  const info = inspectCertificate(self.certificatePem);
  assert.equal(info.isCA, false);
  assert.deepEqual(info.subject, info.issuer);
  const cert = new X509Certificate(self.certificatePem);
  assert.equal(cert.verify(cert.publicKey), true, 'signed with its own key');
  assert.equal(isIssuedBy(cert, cert), false, 'but it may not sign certificates (keyUsage lacks keyCertSign)');
  assert.equal(isIssuedBy(self.certificatePem, ca.certificatePem), false);
});

test('makeVerificationCertificate: subject CN is the registration code, signed by the CA', async () => {
  const code = 'a'.repeat(64);
  const verification = await makeVerificationCertificate(ca, code);
  assert.deepEqual(inspectCertificate(verification.certificatePem).subject, { CommonName: [code] });
  assert.equal(isIssuedBy(verification.certificatePem, ca.certificatePem), true);
  assert.equal(isIssuedBy((await makeVerificationCertificate(other, code)).certificatePem, ca.certificatePem), false);
});
