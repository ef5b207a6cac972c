/**
 * @module test/iam/jitr.test — just-in-time registration (AWS IoT §5.2): a device certificate from a CA
 * registered with auto-registration is registered on its first connection as PENDING_ACTIVATION, that
 * connection is refused, `$aws/events/certificates/registered/<caCertificateId>` announces it (again on
 * each attempt while pending), and once activated with a policy attached the device connects.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  AttachPolicyCommand,
  DescribeCertificateCommand,
  GetRegistrationCodeCommand,
  RegisterCACertificateCommand,
  UpdateCACertificateCommand,
  UpdateCertificateCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import type { IPublishPacket } from 'mqtt-packet';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { captureLog, type CapturedLog } from '../helpers/log-capture.js';
import { createPolicy, iotClient } from '../helpers/aws.js';
import { makeCa, makeVerificationCertificate, type TestCa } from '../helpers/pki.js';
import { RawClient } from '../helpers/raw-client.js';
import { certificateIdOf } from '../../src/iam/pki/index.js';

let hako: TestHako;
let log: CapturedLog;
let iot: IoTClient;
let fleetCa: TestCa;
let caId: string;

before(async () => {
  log = captureLog();
  hako = await startTestHako({}, undefined, log.logger);
  iot = iotClient(hako);
  await createPolicy(iot, 'any-client', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] }));
  fleetCa = await makeCa('Fleet JITR CA');
  const { registrationCode } = await iot.send(new GetRegistrationCodeCommand({}));
  const verification = await makeVerificationCertificate(fleetCa, registrationCode as string);
  caId = (await iot.send(new RegisterCACertificateCommand({ caCertificate: fleetCa.certificatePem, verificationCertificate: verification.certificatePem, setAsActive: true, allowAutoRegistration: true }))).certificateId as string;
});

after(async () => {
  iot.destroy();
  await hako.close();
});

test('first connection: registered as PENDING_ACTIVATION, refused, announced; activated, it connects', async (t) => {
  const watcher = await RawClient.connectForTest(t, hako.ports.mqtt, 'jitr-watcher');
  assert.deepEqual(await watcher.subscribe(`$aws/events/certificates/registered/${caId}`), [1]);
  const device = await fleetCa.issue('CN=jitr-device-1');
  const certificateId = certificateIdOf(device.certificatePem);
  const tls = { ca: hako.identity.tls.caPem, cert: device.certificatePem, key: device.privateKeyPem };

  const first = await RawClient.openTls(hako.ports.mqtts, tls, 4);
  await first.closed;
  const event = (await watcher.receive()) as IPublishPacket;
  assert.equal(event.topic, `$aws/events/certificates/registered/${caId}`);
  const body = JSON.parse(event.payload.toString()) as Record<string, unknown>;
  assert.deepEqual({ ...body, timestamp: 0, certificateRegistrationTimestamp: 0 }, {
    certificateId, caCertificateId: caId, timestamp: 0, certificateStatus: 'PENDING_ACTIVATION', awsAccountId: '000000000000', certificateRegistrationTimestamp: 0,
  });
  assert.equal(typeof body.timestamp, 'number');
  const described = await iot.send(new DescribeCertificateCommand({ certificateId }));
  assert.equal(described.certificateDescription?.status, 'PENDING_ACTIVATION');
  assert.equal(described.certificateDescription?.caCertificateId, caId);
  await log.waitFor(new RegExp(`certificate ${certificateId} .*was registered just now as PENDING_ACTIVATION because CA ${caId} allows auto-registration`));

  // Still pending: refused again, and announced again.
  const second = await RawClient.openTls(hako.ports.mqtts, tls, 4);
  await second.closed;
  assert.equal(JSON.parse(((await watcher.receive()) as IPublishPacket).payload.toString()).certificateId, certificateId);
  await log.waitFor(new RegExp(`certificate ${certificateId} is PENDING_ACTIVATION`));

  await iot.send(new UpdateCertificateCommand({ certificateId, newStatus: 'ACTIVE' }));
  await iot.send(new AttachPolicyCommand({ policyName: 'any-client', target: described.certificateDescription?.certificateArn }));
  const { client, connack } = await RawClient.connectTls(hako.ports.mqtts, tls, { clientId: 'jitr-device-1' }, 4);
  assert.equal(connack.returnCode, 0);
  await client.disconnect();
});

test('with auto-registration off, an unregistered certificate from the CA is refused and not registered', async () => {
  await iot.send(new UpdateCACertificateCommand({ certificateId: caId, newAutoRegistrationStatus: 'DISABLE' }));
  try {
    const device = await fleetCa.issue('CN=jitr-device-2');
    const refused = await RawClient.openTls(hako.ports.mqtts, { ca: hako.identity.tls.caPem, cert: device.certificatePem, key: device.privateKeyPem }, 4);
    await refused.closed;
    const certificateId = certificateIdOf(device.certificatePem);
    await log.waitFor(new RegExp(`certificate ${certificateId} .*is signed by registered CA ${caId} but is not registered itself`));
    await assert.rejects(iot.send(new DescribeCertificateCommand({ certificateId })), { name: 'ResourceNotFoundException' });
  } finally {
    await iot.send(new UpdateCACertificateCommand({ certificateId: caId, newAutoRegistrationStatus: 'ENABLE' }));
  }
});
