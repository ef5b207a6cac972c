import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { certificateIdOf, inspectCertificate, isCertificateError, isIssuedBy, type CertificateErrorReason } from '../../../src/iam/pki/index.js';
import { splitSubjectAltNames } from '../../../src/iam/pki/inspect.js';
import { makeCa } from '../../helpers/pki.js';

const ca = await makeCa('inspect test CA');
const subject = 'C=US, ST=Washington, L=Seattle, O=Acme, OU=sensors, OU=floor 2, CN=thing-1, serialNumber=SN-42, '
  + 'dnQualifier=q1, title=Dr, SN=Smith, GN=Jo, initials=JS, pseudonym=jojo, generationQualifier=III, 1.2.3.4=custom';
const leaf = await ca.issue(subject);

function derOf(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
}

test('inspectCertificate maps subject attributes to AWS policy-variable names, keeping every OU in order', () => {
  const info = inspectCertificate(leaf.certificatePem);
  assert.deepEqual({ ...info.subject }, {
    Country: ['US'], State: ['Washington'], Locality: ['Seattle'], Organization: ['Acme'],
    OrganizationalUnit: ['sensors', 'floor 2'], CommonName: ['thing-1'], SerialNumber: ['SN-42'],
    DistinguishedNameQualifier: ['q1'], Title: ['Dr'], Surname: ['Smith'], GivenName: ['Jo'], Initials: ['JS'],
    Pseudonym: ['jojo'], GenerationQualifier: ['III'], '1.2.3.4': ['custom'],
  });
  assert.deepEqual({ ...info.issuer }, { CommonName: ['inspect test CA'] });
});

test('inspectCertificate returns values unescaped (commas, plus signs, newlines, UTF-8)', async () => {
  const odd = await ca.issue('CN=a\\, b \\+ c, O=Zürich\\0AAG');
  assert.deepEqual({ ...inspectCertificate(odd.certificatePem).subject }, { CommonName: ['a, b + c'], Organization: ['Zürich\nAG'] });
});

test('inspectCertificate: certificateId is the SHA-256 of the DER, serial, validity and isCA', async () => {
  const notBefore = new Date('2024-03-01T10:00:00Z');
  const notAfter = new Date('2030-03-01T10:00:00Z');
  const dated = await ca.issue('CN=dated', { notBefore, notAfter });
  const der = derOf(dated.certificatePem);
  const info = inspectCertificate(dated.certificatePem);
  assert.equal(info.certificateId, createHash('sha256').update(der).digest('hex'));
  assert.match(info.certificateId, /^[0-9a-f]{64}$/);
  assert.equal(info.certificateId, new X509Certificate(der).fingerprint256.replace(/:/g, '').toLowerCase());
  assert.equal(certificateIdOf(dated.certificatePem), info.certificateId);
  assert.equal(certificateIdOf(new X509Certificate(der)), info.certificateId);
  assert.deepEqual([info.notBefore, info.notAfter], [notBefore, notAfter]);
  assert.equal(info.serialNumber, new X509Certificate(der).serialNumber.toLowerCase());
  assert.match(info.serialNumber, /^[0-9a-f]+$/);
  assert.equal(info.isCA, false);
  assert.equal(inspectCertificate(ca.certificatePem).isCA, true);
  assert.deepEqual(info.subjectAltNames, []);
});

test('inspectCertificate honours a requested serial number', async () => {
  const certificatePem = await ca.authority.issue({ publicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey, subject: 'CN=serial', serialNumber: '0a0b0c' });
  assert.equal(inspectCertificate(certificatePem).serialNumber, '0a0b0c');
});

test('inspectCertificate normalises the PEM: CRLF, indentation and surrounding text are dropped', () => {
  const messy = `Bag Attributes\r\n  friendlyName: x\r\n${leaf.certificatePem.replace(/\n/g, '\r\n  ')}\r\ntrailing words`;
  const info = inspectCertificate(messy);
  assert.equal(info.pem, inspectCertificate(leaf.certificatePem).pem);
  assert.match(info.pem, /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/);
});

test('inspectCertificate refuses input that is not exactly one certificate, saying why', () => {
  const cases: [string, unknown, CertificateErrorReason, RegExp][] = [
    ['empty', '', 'NOT_PEM', /found no PEM block/],
    ['garbage', 'hello world', 'NOT_PEM', /found no PEM block/],
    ['not a string', undefined, 'NOT_PEM', /as a string/],
    ['a private key', leaf.privateKeyPem, 'WRONG_PEM_TYPE', /found a PRIVATE KEY block/],
    ['two certificates', leaf.certificatePem + ca.certificatePem, 'SEVERAL_BLOCKS', /exactly one certificate but found 2/],
    ['unterminated', leaf.certificatePem.slice(0, 200), 'NOT_PEM', /not terminated/],
    ['mismatched labels', leaf.certificatePem.replace('END CERTIFICATE', 'END PUBLIC KEY'), 'NOT_PEM', /closed by/],
    ['bad base64', '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n', 'MALFORMED', /not valid base64/],
    ['not DER', '-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQh\n-----END CERTIFICATE-----\n', 'MALFORMED', /valid X\.509/],
    ['truncated DER', `-----BEGIN CERTIFICATE-----\n${derOf(leaf.certificatePem).subarray(0, 100).toString('base64')}\n-----END CERTIFICATE-----\n`, 'MALFORMED', /valid X\.509/],
  ];
  for (const [name, input, reason, message] of cases) {
    assert.throws(() => inspectCertificate(input as string), (error: unknown) => {
      assert.ok(isCertificateError(error, reason), `${name}: expected ${reason}, got ${String(error)}`);
      assert.match(error.message, message, name);
      return true;
    });
  }
});

test('isIssuedBy checks the issuer name and the signature', async () => {
  const other = await makeCa('inspect test CA'); // same subject, different key
  assert.equal(isIssuedBy(leaf.certificatePem, ca.certificatePem), true);
  assert.equal(isIssuedBy(new X509Certificate(leaf.certificatePem), new X509Certificate(ca.certificatePem)), true);
  assert.equal(isIssuedBy(ca.certificatePem, ca.certificatePem), true, 'a root issues itself');
  assert.equal(isIssuedBy(leaf.certificatePem, other.certificatePem), false);
  assert.equal(isIssuedBy(ca.certificatePem, leaf.certificatePem), false);
});

test('splitSubjectAltNames reads node\'s notation, including JSON-quoted values', () => {
  assert.deepEqual(splitSubjectAltNames(undefined), []);
  assert.deepEqual(
    splitSubjectAltNames('DNS:a.example, DNS:"b\\u002c c", IP Address:0:0:0:0:0:0:0:1, URI:http://x/y, email:q@r'),
    ['DNS:a.example', 'DNS:b, c', 'IP Address:0:0:0:0:0:0:0:1', 'URI:http://x/y', 'email:q@r'],
  );
});
