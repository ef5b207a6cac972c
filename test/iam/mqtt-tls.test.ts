/**
 * @module test/iam/mqtt-tls.test — the mqtts listener (AWS IoT's 8883): which client certificates may open
 * an MQTT connection, and the log line that says why one may not.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import tls from 'node:tls';
import { RegisterCertificateCommand, RegisterCertificateWithoutCACommand, UpdateCACertificateCommand, UpdateCertificateCommand, CreateKeysAndCertificateCommand, type IoTClient } from '@aws-sdk/client-iot';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { captureLog, type CapturedLog } from '../helpers/log-capture.js';
import { createPolicy, iotClient, provisionDevice, thingPolicy, type Device } from '../helpers/aws.js';
import { RawClient } from '../helpers/raw-client.js';
import { issueExpired, makeCa, makeSelfSigned } from '../helpers/pki.js';
import { loadOrCreateAuthority } from '../../src/iam/pki/index.js';

let hako: TestHako;
let log: CapturedLog;
let iot: IoTClient;
let caPem: string;

before(async () => {
  log = captureLog();
  hako = await startTestHako({}, undefined, log.logger);
  iot = iotClient(hako);
  await createPolicy(iot, 'thing-policy', thingPolicy());
  caPem = hako.identity.tls.caPem;
});

after(async () => {
  iot.destroy();
  await hako.close();
});

const tlsOptions = (device: { certificatePem: string; privateKeyPem: string }): tls.ConnectionOptions => ({ ca: caPem, cert: device.certificatePem, key: device.privateKeyPem });

/** Opens TLS with these options and sends CONNECT: the server must close without a single byte of MQTT. */
async function expectRefused(options: tls.ConnectionOptions, reason: RegExp): Promise<void> {
  const before = log.matching(/refused MQTT\/TLS client/).length;
  let client: RawClient | undefined;
  try {
    client = await RawClient.openTls(hako.ports.mqtts, options, 5);
  } catch {
    // TLS 1.2 clients may see the refusal as a handshake error; what matters is what the server said.
  }
  if (client !== undefined) {
    client.send({ cmd: 'connect', protocolVersion: 5, protocolId: 'MQTT', clean: true, keepalive: 0, clientId: 'refused' });
    await client.closed;
    assert.deepEqual(client.received, [], 'no CONNACK for a refused certificate');
  }
  const line = await log.waitFor(reason);
  assert.match(line.msg, /^refused MQTT\/TLS client: /);
  assert.equal(log.matching(/refused MQTT\/TLS client/).length, before + 1, 'the refusal is logged once');
}

test('an ACTIVE hako-issued certificate attached to its thing connects over TLS 1.2 and TLS 1.3', async () => {
  const device = await provisionDevice(iot, 'tls-ok', 'thing-policy');
  for (const maxVersion of ['TLSv1.2', 'TLSv1.3'] as const) {
    const { client, connack } = await RawClient.connectTls(hako.ports.mqtts, { ...tlsOptions(device), maxVersion }, { clientId: 'tls-ok' });
    assert.equal(connack.reasonCode, 0, maxVersion);
    assert.equal((client.socket as tls.TLSSocket).getProtocol(), maxVersion);
    await client.disconnect();
  }
});

test('an INACTIVE certificate is refused, and the log says so', async () => {
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: false }));
  await expectRefused({ ca: caPem, cert: created.certificatePem, key: created.keyPair?.PrivateKey }, new RegExp(`certificate ${created.certificateId} is INACTIVE`));
});

test('a REVOKED certificate is refused', async () => {
  const device = await provisionDevice(iot, 'tls-revoked', 'thing-policy');
  await iot.send(new UpdateCertificateCommand({ certificateId: device.certificateId, newStatus: 'REVOKED' }));
  await expectRefused(tlsOptions(device), new RegExp(`certificate ${device.certificateId} is REVOKED`));
});

test('an expired certificate from hako\'s own CA, registered and ACTIVE, is refused as expired', async () => {
  const { ca } = await loadOrCreateAuthority(hako.dataDir, { serverNames: [] });
  const expired = await issueExpired(ca, 'CN=tls-expired');
  const registered = await iot.send(new RegisterCertificateCommand({ certificatePem: expired.certificatePem, caCertificatePem: caPem, setAsActive: true }));
  await expectRefused({ ca: caPem, cert: expired.certificatePem, key: expired.privateKeyPem }, new RegExp(`certificate ${registered.certificateId} expired at `));
});

test('a self-signed certificate that is not registered is refused; registered without a CA it connects', async () => {
  const selfSigned = await makeSelfSigned('CN=tls-self-signed');
  await expectRefused({ ca: caPem, cert: selfSigned.certificatePem, key: selfSigned.privateKeyPem }, /self-signed certificate [0-9a-f]{64} \(CN=tls-self-signed\) is not registered/);
  await iot.send(new RegisterCertificateWithoutCACommand({ certificatePem: selfSigned.certificatePem, status: 'ACTIVE' }));
  // Registered but without a policy: TLS lets it in, and CONNECT is where the policy says no.
  const { connack, client } = await RawClient.connectTls(hako.ports.mqtts, { ca: caPem, cert: selfSigned.certificatePem, key: selfSigned.privateKeyPem }, { clientId: 'tls-self-signed' });
  assert.equal(connack.reasonCode, 0x87);
  await client.closed;
  await log.waitFor(/denied iot:Connect on arn:aws:iot:us-east-1:000000000000:client\/tls-self-signed: no policy statement allows/);
});

test('a certificate from a CA that is not registered is refused, naming the issuer', async () => {
  const stranger = await makeCa('Stranger CA');
  const leaf = await stranger.issue('CN=tls-stranger');
  await expectRefused({ ca: caPem, cert: leaf.certificatePem, key: leaf.privateKeyPem }, /is issued by "CN=Stranger CA", which is not a registered CA/);
});

test('a client without a certificate is refused', async () => {
  await expectRefused({ ca: caPem }, /no client certificate was presented/);
});

test('TLS 1.1 is refused during the handshake', async () => {
  const device = await provisionDevice(iot, 'tls-old', 'thing-policy');
  // Node's own client also refuses old TLS by default; SECLEVEL=0 makes it offer TLS 1.1 so the server decides.
  const options = { ...tlsOptions(device), minVersion: 'TLSv1' as const, maxVersion: 'TLSv1.1' as const, ciphers: 'DEFAULT@SECLEVEL=0' };
  await assert.rejects(RawClient.openTls(hako.ports.mqtts, options), /protocol|version|alert/i);
  await log.waitFor(/refused MQTT\/TLS client: TLS handshake failed: .*(unsupported protocol|version)/i);
});

test('deactivating or revoking a certificate closes its live connections before the API answers (v5: DISCONNECT 0x87)', async () => {
  for (const newStatus of ['INACTIVE', 'REVOKED'] as const) {
    const device: Device = await provisionDevice(iot, `tls-live-${newStatus.toLowerCase()}`, 'thing-policy');
    const { client } = await RawClient.connectTls(hako.ports.mqtts, tlsOptions(device), { clientId: device.thingName });
    const connections = hako.broker.connectionCount;
    await iot.send(new UpdateCertificateCommand({ certificateId: device.certificateId, newStatus }));
    assert.equal(hako.broker.connectionCount, connections - 1, 'closed by the time UpdateCertificate returned');
    const disconnect = await client.next('disconnect');
    assert.equal((disconnect as { reasonCode?: number }).reasonCode, 0x87);
    await client.closed;
    await log.waitFor(new RegExp(`closed 1 connection\\(s\\): certificate ${device.certificateId} is now ${newStatus}`));
  }
});

test('deactivating a registered CA closes the connections of certificates it issued, and refuses them afterwards', async () => {
  const { RegisterCACertificateCommand, GetRegistrationCodeCommand } = await import('@aws-sdk/client-iot');
  const ownCa = await makeCa('Fleet CA');
  const { registrationCode } = await iot.send(new GetRegistrationCodeCommand({}));
  const { makeVerificationCertificate } = await import('../helpers/pki.js');
  const verification = await makeVerificationCertificate(ownCa, registrationCode as string);
  const { certificateId: caId } = await iot.send(new RegisterCACertificateCommand({ caCertificate: ownCa.certificatePem, verificationCertificate: verification.certificatePem, setAsActive: true }));
  const leaf = await ownCa.issue('CN=fleet-1');
  const registered = await iot.send(new RegisterCertificateCommand({ certificatePem: leaf.certificatePem, setAsActive: true }));
  const { AttachPolicyCommand, CreateThingCommand, AttachThingPrincipalCommand } = await import('@aws-sdk/client-iot');
  await iot.send(new CreateThingCommand({ thingName: 'fleet-1' }));
  await iot.send(new AttachThingPrincipalCommand({ thingName: 'fleet-1', principal: registered.certificateArn }));
  await iot.send(new AttachPolicyCommand({ policyName: 'thing-policy', target: registered.certificateArn }));
  const options = { ca: caPem, cert: leaf.certificatePem, key: leaf.privateKeyPem };
  const { client, connack } = await RawClient.connectTls(hako.ports.mqtts, options, { clientId: 'fleet-1' });
  assert.equal(connack.reasonCode, 0);
  await iot.send(new UpdateCACertificateCommand({ certificateId: caId, newStatus: 'INACTIVE' }));
  await client.closed;
  await expectRefused(options, new RegExp(`was issued by CA ${caId}, which is INACTIVE`));
});
