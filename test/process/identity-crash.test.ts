/**
 * @module test/process/identity-crash.test — what the identity APIs acknowledged survives `kill -9` of
 * `hako start`: certificates and their statuses, policies and versions, attachments, things, access keys,
 * and the CA the device certificates chain to. The device connects again after the restart.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreatePolicyVersionCommand,
  DescribeCertificateCommand,
  GetPolicyCommand,
  ListAttachedPoliciesCommand,
  ListThingPrincipalsCommand,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { createPolicy, iotClient, provisionDevice, thingPolicy } from '../helpers/aws.js';
import { signedJson } from '../helpers/iot-api.js';
import { startHakoProcess, tempDir, waitForExit } from '../helpers/process-hako.js';
import { RawClient } from '../helpers/raw-client.js';

test('kill -9 right after the identity APIs answered: everything they acknowledged is there after the restart', async (t) => {
  const dataDir = tempDir(t);
  const first = await startHakoProcess(t, dataDir);
  const iot = iotClient({ dataDir, ports: first.ports });
  await createPolicy(iot, 'thing-policy', thingPolicy());
  await iot.send(new CreatePolicyVersionCommand({ policyName: 'thing-policy', policyDocument: thingPolicy(), setAsDefault: true }));
  const device = await provisionDevice(iot, 'crash-pi', 'thing-policy');
  const revoked = await provisionDevice(iot, 'crash-revoked', 'thing-policy');
  await iot.send(new UpdateCertificateCommand({ certificateId: revoked.certificateId, newStatus: 'REVOKED' }));
  const { accessKey } = await signedJson<{ accessKey: { accessKeyId: string; secretAccessKey: string } }>({ dataDir, ports: first.ports }, 'POST', '/hako/access-keys', { userName: 'ops' });
  iot.destroy();
  first.hako.child.kill('SIGKILL'); // the last answer above was the last thing hako did
  assert.equal((await waitForExit(first.hako)).signal, 'SIGKILL');

  const second = await startHakoProcess(t, dataDir);
  const after = iotClient({ dataDir, ports: second.ports });
  t.after(() => after.destroy());
  assert.equal((await after.send(new DescribeCertificateCommand({ certificateId: device.certificateId }))).certificateDescription?.status, 'ACTIVE');
  assert.equal((await after.send(new DescribeCertificateCommand({ certificateId: revoked.certificateId }))).certificateDescription?.status, 'REVOKED');
  assert.equal((await after.send(new GetPolicyCommand({ policyName: 'thing-policy' }))).defaultVersionId, '2');
  assert.deepEqual((await after.send(new ListAttachedPoliciesCommand({ target: device.certificateArn }))).policies?.map((p) => p.policyName), ['thing-policy']);
  assert.deepEqual((await after.send(new ListThingPrincipalsCommand({ thingName: 'crash-pi' }))).principals, [device.certificateArn]);
  const withNewKey = iotClient({ dataDir, ports: second.ports }, accessKey);
  t.after(() => withNewKey.destroy());
  assert.equal((await withNewKey.send(new GetPolicyCommand({ policyName: 'thing-policy' }))).policyName, 'thing-policy');

  // Same CA and server certificate: the device's files from before the crash still work.
  const tls = { ca: device.caPem, cert: device.certificatePem, key: device.privateKeyPem };
  const { client, connack } = await RawClient.connectTls(second.ports.mqtts, tls, { clientId: 'crash-pi' }, 4);
  assert.equal(connack.returnCode, 0);
  await client.disconnect();
});
