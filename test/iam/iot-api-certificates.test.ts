/**
 * @module test/iam/iot-api-certificates.test — the AWS IoT certificate operations through the real
 * `@aws-sdk/client-iot`: creating, registering, describing, listing, updating and deleting device and CA
 * certificates, with the exceptions AWS answers.
 */
import assert from 'node:assert/strict';
import { X509Certificate, createPublicKey } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import tls from 'node:tls';
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateCertificateFromCsrCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DeleteCACertificateCommand,
  DeleteCertificateCommand,
  DescribeCACertificateCommand,
  DescribeCertificateCommand,
  DetachThingPrincipalCommand,
  GetRegistrationCodeCommand,
  ListAttachedPoliciesCommand,
  ListCACertificatesCommand,
  ListCertificatesByCACommand,
  ListCertificatesCommand,
  ListTargetsForPolicyCommand,
  RegisterCACertificateCommand,
  RegisterCertificateCommand,
  RegisterCertificateWithoutCACommand,
  UpdateCACertificateCommand,
  UpdateCertificateCommand,
  type CertificateStatus,
  type IoTClient,
} from '@aws-sdk/client-iot';
import type { TestHako } from '../helpers/hako.js';
import { createPolicy, thingPolicy, hakoWithIotForFile } from '../helpers/aws.js';
import { makeCa, makeSelfSigned, makeVerificationCertificate, type TestCa } from '../helpers/pki.js';
import { fingerprintId, makeCsr, rejectsWithAws, subjectDerOf } from '../helpers/iot-api.js';

const ACCOUNT_ARN = 'arn:aws:iot:us-east-1:000000000000';
const certArn = (id: string): string => `${ACCOUNT_ARN}:cert/${id}`;

let hako: TestHako;
let iot: IoTClient;
let hakoCaId: string;
hakoWithIotForFile(async (started) => {
  ({ hako, iot } = started);
  hakoCaId = fingerprintId(hako.identity.tls.caPem);
  await createPolicy(iot, 'cert-test-policy', thingPolicy());
});

const describe = async (certificateId: string) => (await iot.send(new DescribeCertificateCommand({ certificateId }))).certificateDescription ?? assert.fail('no certificateDescription');
const statusOf = async (certificateId: string) => (await describe(certificateId)).status;

/** Registers `ca` with hako through the AWS flow: registration code → verification certificate → RegisterCACertificate. */
async function registerCa(ca: TestCa, options: { setAsActive?: boolean; allowAutoRegistration?: boolean } = {}): Promise<string> {
  const { registrationCode } = await iot.send(new GetRegistrationCodeCommand({}));
  const verification = await makeVerificationCertificate(ca, registrationCode ?? '');
  const registered = await iot.send(new RegisterCACertificateCommand({ caCertificate: ca.certificatePem, verificationCertificate: verification.certificatePem, setAsActive: options.setAsActive ?? true, allowAutoRegistration: options.allowAutoRegistration }));
  assert.equal(registered.certificateId, ca.certificateId);
  return registered.certificateId ?? '';
}

test('CreateKeysAndCertificate: the id is the SHA-256 of the DER, the ARN is AWS\'s, and the key pair works with node tls', async () => {
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  const pem = created.certificatePem ?? assert.fail('no certificatePem');
  const id = fingerprintId(pem);
  assert.equal(created.certificateId, id);
  assert.equal(created.certificateArn, certArn(id));
  const certificate = new X509Certificate(pem);
  assert.ok(certificate.verify(new X509Certificate(hako.identity.tls.caPem).publicKey), 'issued by hako\'s CA');
  assert.deepEqual(createPublicKey(created.keyPair?.PublicKey ?? '').export({ type: 'spki', format: 'der' }), certificate.publicKey.export({ type: 'spki', format: 'der' }));
  assert.equal(new Date(certificate.validTo).toISOString(), '2049-12-31T23:59:59.000Z', 'AWS-generated certificates expire 2049-12-31T23:59:59Z');

  // A real mutual-TLS handshake: the server requires a client certificate from hako's CA.
  const server = tls.createServer({ key: hako.identity.tls.privateKeyPem, cert: hako.identity.tls.certificatePem, ca: hako.identity.tls.caPem, requestCert: true, rejectUnauthorized: true });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'secureConnection') as Promise<[tls.TLSSocket]>;
  const client = tls.connect({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', ca: hako.identity.tls.caPem, cert: pem, key: created.keyPair?.PrivateKey, servername: 'localhost' });
  await once(client, 'secureConnect');
  const [socket] = await accepted;
  assert.equal(socket.authorized, true, String(socket.authorizationError));
  assert.equal(socket.getPeerCertificate().fingerprint256.replaceAll(':', '').toLowerCase(), id);
  client.destroy();
  socket.destroy();
  await new Promise((resolve) => server.close(resolve));

  const described = await describe(id);
  assert.equal(described.status, 'ACTIVE');
  assert.equal(described.caCertificateId, hakoCaId);
  assert.equal(described.certificatePem, pem);
  const inactive = await iot.send(new CreateKeysAndCertificateCommand({}));
  assert.equal(await statusOf(inactive.certificateId ?? ''), 'INACTIVE', 'without setAsActive a new certificate is INACTIVE');
});

test('CreateCertificateFromCsr keeps the subject and the key of the request; a garbage CSR is a CertificateValidationException', async () => {
  const csr = await makeCsr('CN=csr-device, O=Acme Corp, C=DE');
  const created = await iot.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: csr.pem, setAsActive: true }));
  const pem = created.certificatePem ?? assert.fail('no certificatePem');
  assert.equal(created.certificateId, fingerprintId(pem));
  assert.equal(created.certificateArn, certArn(fingerprintId(pem)));
  assert.deepEqual(subjectDerOf(pem), csr.subjectDer, 'subject kept byte for byte');
  const certificate = new X509Certificate(pem);
  assert.match(certificate.subject, /CN=csr-device/);
  assert.match(certificate.subject, /O=Acme Corp/);
  assert.deepEqual(certificate.publicKey.export({ type: 'spki', format: 'der' }), csr.publicKeyDer);
  const described = await describe(created.certificateId ?? '');
  assert.equal(described.status, 'ACTIVE');
  assert.equal(described.caCertificateId, hakoCaId);

  await rejectsWithAws(iot.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: 'this is not a CSR' })), 'CertificateValidationException');
  const other = await makeCsr('CN=tampered');
  const lines = other.pem.trim().split('\n');
  const body = lines.slice(1, -1).join('');
  const tampered = `${lines[0]}\n${body.slice(0, 100)}${body[100] === 'A' ? 'B' : 'A'}${body.slice(101)}\n${lines.at(-1)}\n`;
  await rejectsWithAws(iot.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: tampered })), 'CertificateValidationException');
});

test('RegisterCACertificate needs a verification certificate whose CN is the registration code, signed by the CA', async () => {
  const first = await iot.send(new GetRegistrationCodeCommand({}));
  const second = await iot.send(new GetRegistrationCodeCommand({}));
  assert.match(first.registrationCode ?? '', /^[0-9a-f]{64}$/);
  assert.equal(second.registrationCode, first.registrationCode, 'the registration code is stable');
  const code = first.registrationCode ?? '';

  const ca = await makeCa('Registration CA');
  const wrongCode = await makeVerificationCertificate(ca, 'f'.repeat(64));
  await rejectsWithAws(iot.send(new RegisterCACertificateCommand({ caCertificate: ca.certificatePem, verificationCertificate: wrongCode.certificatePem })), 'RegistrationCodeValidationException');
  const byAnotherCa = await makeVerificationCertificate(await makeCa('Impostor CA'), code);
  await rejectsWithAws(iot.send(new RegisterCACertificateCommand({ caCertificate: ca.certificatePem, verificationCertificate: byAnotherCa.certificatePem })), 'CertificateValidationException');
  const leaf = await makeSelfSigned('CN=not-a-ca');
  const leafVerification = await makeVerificationCertificate(ca, code);
  await rejectsWithAws(iot.send(new RegisterCACertificateCommand({ caCertificate: leaf.certificatePem, verificationCertificate: leafVerification.certificatePem })), 'CertificateValidationException', { message: /CA/ });
  await rejectsWithAws(iot.send(new RegisterCACertificateCommand({ caCertificate: 'garbage', verificationCertificate: leafVerification.certificatePem })), 'CertificateValidationException');

  const registered = await iot.send(new RegisterCACertificateCommand({ caCertificate: ca.certificatePem, verificationCertificate: leafVerification.certificatePem, allowAutoRegistration: true }));
  assert.equal(registered.certificateId, ca.certificateId);
  assert.equal(registered.certificateArn, `${ACCOUNT_ARN}:cacert/${ca.certificateId}`);
  const described = (await iot.send(new DescribeCACertificateCommand({ certificateId: ca.certificateId }))).certificateDescription;
  assert.equal(described?.status, 'INACTIVE', 'without setAsActive a CA is registered INACTIVE');
  assert.equal(described?.autoRegistrationStatus, 'ENABLE');
  await rejectsWithAws(iot.send(new RegisterCACertificateCommand({ caCertificate: ca.certificatePem, verificationCertificate: leafVerification.certificatePem })), 'ResourceAlreadyExistsException');
});

test('RegisterCertificate: a certificate signed by a registered CA, with and without caCertificatePem; any other CA is refused', async () => {
  const ca = await makeCa('Fleet CA');
  const caId = await registerCa(ca);
  const [plain, withCa, asActive] = await Promise.all([ca.issue('CN=fleet-plain'), ca.issue('CN=fleet-with-ca'), ca.issue('CN=fleet-active')]);

  const a = await iot.send(new RegisterCertificateCommand({ certificatePem: plain.certificatePem }));
  assert.equal(a.certificateId, fingerprintId(plain.certificatePem));
  assert.equal(a.certificateArn, certArn(a.certificateId ?? ''));
  assert.equal(await statusOf(a.certificateId ?? ''), 'INACTIVE');
  assert.equal((await describe(a.certificateId ?? '')).caCertificateId, caId);
  const b = await iot.send(new RegisterCertificateCommand({ certificatePem: withCa.certificatePem, caCertificatePem: ca.certificatePem, status: 'ACTIVE' }));
  assert.equal(await statusOf(b.certificateId ?? ''), 'ACTIVE');
  assert.equal((await describe(b.certificateId ?? '')).caCertificateId, caId);
  const c = await iot.send(new RegisterCertificateCommand({ certificatePem: asActive.certificatePem, setAsActive: true }));
  assert.equal(await statusOf(c.certificateId ?? ''), 'ACTIVE');
  await rejectsWithAws(iot.send(new RegisterCertificateCommand({ certificatePem: plain.certificatePem })), 'ResourceAlreadyExistsException');

  const stranger = await makeCa('Stranger CA');
  const strangerLeaf = await stranger.issue('CN=stranger-leaf');
  await rejectsWithAws(iot.send(new RegisterCertificateCommand({ certificatePem: strangerLeaf.certificatePem })), 'CertificateValidationException');
  await rejectsWithAws(iot.send(new RegisterCertificateCommand({ certificatePem: strangerLeaf.certificatePem, caCertificatePem: stranger.certificatePem })), 'CertificateValidationException');
  // Named CA registered, but it did not sign this certificate.
  await rejectsWithAws(iot.send(new RegisterCertificateCommand({ certificatePem: strangerLeaf.certificatePem, caCertificatePem: ca.certificatePem })), 'CertificateValidationException');
  await rejectsWithAws(iot.send(new RegisterCertificateCommand({ certificatePem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' })), 'CertificateValidationException');
  await rejectsWithAws(describe(fingerprintId(strangerLeaf.certificatePem)), 'ResourceNotFoundException');
});

test('RegisterCertificateWithoutCA registers a certificate whatever issued it, with no caCertificateId', async () => {
  const selfSigned = await makeSelfSigned('CN=no-ca-device');
  const registered = await iot.send(new RegisterCertificateWithoutCACommand({ certificatePem: selfSigned.certificatePem, status: 'ACTIVE' }));
  assert.equal(registered.certificateId, fingerprintId(selfSigned.certificatePem));
  assert.equal(registered.certificateArn, certArn(registered.certificateId ?? ''));
  const described = await describe(registered.certificateId ?? '');
  assert.equal(described.status, 'ACTIVE');
  assert.equal(described.caCertificateId, undefined);
  const fromStranger = await (await makeCa('Another stranger')).issue('CN=from-stranger');
  const second = await iot.send(new RegisterCertificateWithoutCACommand({ certificatePem: fromStranger.certificatePem }));
  assert.equal(await statusOf(second.certificateId ?? ''), 'INACTIVE');
  await rejectsWithAws(iot.send(new RegisterCertificateWithoutCACommand({ certificatePem: selfSigned.certificatePem })), 'ResourceAlreadyExistsException');
  await rejectsWithAws(iot.send(new RegisterCertificateWithoutCACommand({ certificatePem: selfSigned.certificatePem, status: 'SOMETHING' as CertificateStatus })), 'InvalidRequestException');
});

test('DescribeCertificate fills every field of the SDK model; an update bumps customerVersion and lastModifiedDate', async () => {
  const before = Date.now();
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  const id = created.certificateId ?? '';
  const d = await describe(id);
  const x509 = new X509Certificate(created.certificatePem ?? '');
  assert.equal(d.certificateArn, certArn(id));
  assert.equal(d.certificateId, id);
  assert.equal(d.caCertificateId, hakoCaId);
  assert.equal(d.status, 'ACTIVE');
  assert.equal(d.certificatePem, created.certificatePem);
  assert.equal(d.ownedBy, '000000000000');
  assert.equal(d.certificateMode, 'DEFAULT');
  assert.equal(d.customerVersion, 1);
  assert.match(d.generationId ?? '', /\S/);
  assert.ok(d.creationDate instanceof Date && d.lastModifiedDate instanceof Date);
  assert.ok(d.creationDate.getTime() >= before - 1000 && d.creationDate.getTime() <= Date.now() + 1000, `creationDate ${d.creationDate.toISOString()} is now`);
  assert.ok(d.validity?.notBefore instanceof Date && d.validity.notAfter instanceof Date);
  assert.equal(d.validity.notBefore.getTime(), new Date(x509.validFrom).getTime());
  assert.equal(d.validity.notAfter.getTime(), new Date(x509.validTo).getTime());

  await iot.send(new UpdateCertificateCommand({ certificateId: id, newStatus: 'INACTIVE' }));
  const updated = await describe(id);
  assert.equal(updated.status, 'INACTIVE');
  assert.equal(updated.customerVersion, 2);
  assert.notEqual(updated.generationId, d.generationId);
  assert.ok((updated.lastModifiedDate?.getTime() ?? 0) >= d.lastModifiedDate.getTime());
  assert.equal(updated.creationDate?.getTime(), d.creationDate.getTime());
  // An "0x"-prefixed or upper-case id names the same certificate (pattern (0x)?[a-fA-F0-9]+).
  assert.equal((await describe(`0x${id.toUpperCase()}`)).certificateId, id);
  await rejectsWithAws(describe('0'.repeat(64)), 'ResourceNotFoundException');
  await rejectsWithAws(describe('not-an-id'), 'InvalidRequestException');
});

/** Every page of a listing, following nextMarker; asserts each page respects pageSize. */
async function listAll(list: (marker: string | undefined) => Promise<{ certificates?: Array<{ certificateId?: string; creationDate?: Date }>; nextMarker?: string }>, pageSize: number) {
  const all: Array<{ certificateId?: string; creationDate?: Date }> = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await list(marker);
    assert.ok((page.certificates ?? []).length <= pageSize, 'a page holds at most pageSize certificates');
    all.push(...(page.certificates ?? []));
    marker = page.nextMarker;
    assert.ok(++pages < 100, 'the listing ends');
  } while (marker !== undefined);
  return { all, pages };
}

test('ListCertificates pages with pageSize and marker: nothing twice, nothing missing, newest first unless ascendingOrder', async () => {
  for (let i = 0; i < 7; i++) await iot.send(new CreateKeysAndCertificateCommand({}));
  const everything = (await iot.send(new ListCertificatesCommand({ pageSize: 250 }))).certificates ?? [];
  assert.ok(everything.length >= 7);
  const { all, pages } = await listAll((marker) => iot.send(new ListCertificatesCommand({ pageSize: 3, marker })), 3);
  assert.equal(pages, Math.ceil(everything.length / 3));
  const ids = all.map((c) => c.certificateId);
  assert.equal(new Set(ids).size, ids.length, 'no certificate twice');
  assert.deepEqual(ids, everything.map((c) => c.certificateId), 'the pages, joined, are the whole list');
  const times = all.map((c) => c.creationDate?.getTime() ?? NaN);
  assert.ok(times.every((t, i) => i === 0 || t <= (times[i - 1] as number)), 'newest first');
  const summary = everything[0];
  assert.equal(summary?.certificateArn, certArn(summary?.certificateId ?? ''));
  assert.equal(summary?.status, (await describe(summary?.certificateId ?? '')).status);

  const ascending = await listAll((marker) => iot.send(new ListCertificatesCommand({ pageSize: 4, marker, ascendingOrder: true })), 4);
  assert.deepEqual(ascending.all.map((c) => c.certificateId), [...ids].reverse(), 'ascendingOrder lists oldest first');

  // A marker stays valid when certificates are added between pages.
  const first = await iot.send(new ListCertificatesCommand({ pageSize: 2 }));
  await iot.send(new CreateKeysAndCertificateCommand({}));
  const next = await iot.send(new ListCertificatesCommand({ pageSize: 2, marker: first.nextMarker }));
  assert.deepEqual(next.certificates?.map((c) => c.certificateId), ids.slice(2, 4));
  await rejectsWithAws(iot.send(new ListCertificatesCommand({ pageSize: 0 })), 'InvalidRequestException');
});

test('ListCertificatesByCA lists only the certificates that CA signed, in pages', async () => {
  const ca = await makeCa('Listing CA');
  const caId = await registerCa(ca);
  const registered: string[] = [];
  for (let i = 0; i < 5; i++) {
    const leaf = await ca.issue(`CN=listed-${i}`);
    registered.push((await iot.send(new RegisterCertificateCommand({ certificatePem: leaf.certificatePem }))).certificateId ?? '');
  }
  const { all } = await listAll((marker) => iot.send(new ListCertificatesByCACommand({ caCertificateId: caId, pageSize: 2, marker })), 2);
  assert.deepEqual(all.map((c) => c.certificateId).sort(), [...registered].sort());
  const ascending = await listAll((marker) => iot.send(new ListCertificatesByCACommand({ caCertificateId: caId, pageSize: 2, marker, ascendingOrder: true })), 2);
  assert.deepEqual(ascending.all.map((c) => c.certificateId), all.map((c) => c.certificateId).reverse());
  const byHako = (await iot.send(new ListCertificatesByCACommand({ caCertificateId: hakoCaId, pageSize: 250 }))).certificates ?? [];
  assert.ok(byHako.length > 0 && byHako.every((c) => !registered.includes(c.certificateId ?? '')));
  await rejectsWithAws(iot.send(new ListCertificatesByCACommand({ caCertificateId: 'a'.repeat(64) })), 'ResourceNotFoundException');
});

test('UpdateCertificate moves between ACTIVE, INACTIVE and REVOKED; REVOKED is final; other statuses are refused', async () => {
  const id = (await iot.send(new CreateKeysAndCertificateCommand({}))).certificateId ?? '';
  for (const status of ['ACTIVE', 'INACTIVE', 'ACTIVE', 'REVOKED'] as const) {
    await iot.send(new UpdateCertificateCommand({ certificateId: id, newStatus: status }));
    assert.equal(await statusOf(id), status);
  }
  await rejectsWithAws(iot.send(new UpdateCertificateCommand({ certificateId: id, newStatus: 'ACTIVE' })), 'CertificateStateException');
  await rejectsWithAws(iot.send(new UpdateCertificateCommand({ certificateId: id, newStatus: 'INACTIVE' })), 'CertificateStateException');
  assert.equal(await statusOf(id), 'REVOKED');
  const other = (await iot.send(new CreateKeysAndCertificateCommand({}))).certificateId ?? '';
  for (const status of ['BOGUS', 'PENDING_TRANSFER', 'REGISTER_INACTIVE']) {
    await rejectsWithAws(iot.send(new UpdateCertificateCommand({ certificateId: other, newStatus: status as CertificateStatus })), 'InvalidRequestException');
  }
  assert.equal(await statusOf(other), 'INACTIVE');
  await rejectsWithAws(iot.send(new UpdateCertificateCommand({ certificateId: 'b'.repeat(64), newStatus: 'ACTIVE' })), 'ResourceNotFoundException');
});

test('DeleteCertificate: not while ACTIVE, not while a thing or (without forceDelete) a policy is attached; forceDelete detaches policies', async () => {
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  const id = created.certificateId ?? '';
  const arn = created.certificateArn ?? '';
  await rejectsWithAws(iot.send(new DeleteCertificateCommand({ certificateId: id })), 'CertificateStateException');
  await iot.send(new UpdateCertificateCommand({ certificateId: id, newStatus: 'INACTIVE' }));
  await iot.send(new CreateThingCommand({ thingName: 'delete-me-thing' }));
  await iot.send(new AttachThingPrincipalCommand({ thingName: 'delete-me-thing', principal: arn }));
  await iot.send(new AttachPolicyCommand({ policyName: 'cert-test-policy', target: arn }));
  await rejectsWithAws(iot.send(new DeleteCertificateCommand({ certificateId: id })), 'DeleteConflictException');
  await rejectsWithAws(iot.send(new DeleteCertificateCommand({ certificateId: id, forceDelete: true })), 'DeleteConflictException', { message: /thing/i });
  await iot.send(new DetachThingPrincipalCommand({ thingName: 'delete-me-thing', principal: arn }));
  await rejectsWithAws(iot.send(new DeleteCertificateCommand({ certificateId: id })), 'DeleteConflictException', { message: /polic/i });
  assert.equal(await statusOf(id), 'INACTIVE', 'a refused delete leaves the certificate');

  await iot.send(new DeleteCertificateCommand({ certificateId: id, forceDelete: true }));
  await rejectsWithAws(describe(id), 'ResourceNotFoundException');
  const targets = await iot.send(new ListTargetsForPolicyCommand({ policyName: 'cert-test-policy' }));
  assert.ok(!(targets.targets ?? []).includes(arn), 'forceDelete detached the policy');
  assert.deepEqual((await iot.send(new ListAttachedPoliciesCommand({ target: arn }))).policies, []);
  const listed = (await iot.send(new ListCertificatesCommand({ pageSize: 250 }))).certificates ?? [];
  assert.ok(!listed.some((c) => c.certificateId === id));
  await rejectsWithAws(iot.send(new DeleteCertificateCommand({ certificateId: id })), 'ResourceNotFoundException');

  const plain = (await iot.send(new CreateKeysAndCertificateCommand({}))).certificateId ?? '';
  await iot.send(new DeleteCertificateCommand({ certificateId: plain }));
  await rejectsWithAws(describe(plain), 'ResourceNotFoundException');
});

test('CA certificates: DescribeCACertificate, ListCACertificates, UpdateCACertificate, DeleteCACertificate', async () => {
  const ca = await makeCa('Lifecycle CA');
  const caId = await registerCa(ca, { setAsActive: true });
  const describeCa = async () => (await iot.send(new DescribeCACertificateCommand({ certificateId: caId }))).certificateDescription ?? assert.fail('no description');
  const d = await describeCa();
  const x509 = new X509Certificate(ca.certificatePem);
  assert.equal(d.certificateArn, `${ACCOUNT_ARN}:cacert/${caId}`);
  assert.equal(d.certificateId, caId);
  assert.equal(d.status, 'ACTIVE');
  assert.equal(d.certificatePem?.trim(), ca.certificatePem.trim());
  assert.equal(d.ownedBy, '000000000000');
  assert.equal(d.autoRegistrationStatus, 'DISABLE');
  assert.equal(d.certificateMode, 'DEFAULT');
  assert.equal(d.customerVersion, 1);
  assert.ok(d.creationDate instanceof Date && d.lastModifiedDate instanceof Date);
  assert.equal(d.validity?.notAfter?.getTime(), new Date(x509.validTo).getTime());

  const { all } = await listAll(async (marker) => (await iot.send(new ListCACertificatesCommand({ pageSize: 1, marker }))), 1);
  const listed = all.map((c) => c.certificateId);
  assert.ok(listed.includes(caId) && listed.includes(hakoCaId), 'hako\'s own CA and the registered one are listed');
  assert.equal(new Set(listed).size, listed.length);

  await iot.send(new UpdateCACertificateCommand({ certificateId: caId, newAutoRegistrationStatus: 'ENABLE' }));
  assert.equal((await describeCa()).autoRegistrationStatus, 'ENABLE');
  assert.equal((await describeCa()).status, 'ACTIVE', 'an update without newStatus keeps the status');
  await rejectsWithAws(iot.send(new UpdateCACertificateCommand({ certificateId: caId, newStatus: 'REVOKED' as 'INACTIVE' })), 'InvalidRequestException');
  await rejectsWithAws(iot.send(new DeleteCACertificateCommand({ certificateId: caId })), 'CertificateStateException');
  await iot.send(new UpdateCACertificateCommand({ certificateId: caId, newStatus: 'INACTIVE' }));
  const inactive = await describeCa();
  assert.equal(inactive.status, 'INACTIVE');
  assert.equal(inactive.customerVersion, 3);
  await iot.send(new DeleteCACertificateCommand({ certificateId: caId }));
  await rejectsWithAws(describeCa(), 'ResourceNotFoundException');
  const after = (await iot.send(new ListCACertificatesCommand({}))).certificates ?? [];
  assert.ok(!after.some((c) => c.certificateId === caId));
  await rejectsWithAws(iot.send(new DeleteCACertificateCommand({ certificateId: caId })), 'ResourceNotFoundException');
});
