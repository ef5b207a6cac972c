/**
 * @module test/iam/session-restore.test — a persistent session restored after a restart is held to its
 * last principal's policies before its client is back: messages queued for it while it is offline are
 * checked with iot:Receive like live deliveries.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { UpdateCertificateCommand } from '@aws-sdk/client-iot';
import { startTestHako } from '../helpers/hako.js';
import { createPolicy, iotClient, provisionDevice } from '../helpers/aws.js';
import { RawClient } from '../helpers/raw-client.js';

const ARN = 'arn:aws:iot:us-east-1:000000000000';

test('after a restart, an offline persistent session gets only what its certificate\'s policy lets it receive', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hako-session-restore-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await startTestHako({}, dataDir);
  const iot = iotClient(first);
  await createPolicy(iot, 'reader', JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}` },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/\${iot:Connection.Thing.ThingName}/#` },
      { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/\${iot:Connection.Thing.ThingName}/public/*` },
    ],
  }));
  const device = await provisionDevice(iot, 'restore-pi', 'reader');
  const revoked = await provisionDevice(iot, 'restore-revoked', 'reader');
  iot.destroy();
  const tls = (d: typeof device) => ({ ca: d.caPem, cert: d.certificatePem, key: d.privateKeyPem });
  for (const d of [device, revoked]) {
    const { client } = await RawClient.connectTls(first.ports.mqtts, tls(d), { clientId: d.thingName, clean: false }, 4);
    assert.deepEqual(await client.subscribe([{ topic: `${d.thingName}/#`, qos: 1 }]), [1]);
    await client.disconnect();
  }
  await first.stop();

  const second = await startTestHako({}, dataDir);
  t.after(() => second.close());
  const after = iotClient(second);
  t.after(() => after.destroy());
  // Revoked while the sessions sleep: that session may receive nothing any more.
  await after.send(new UpdateCertificateCommand({ certificateId: revoked.certificateId, newStatus: 'INACTIVE' }));
  const publisher = await RawClient.connectForTest(t, second.ports.mqtt, 'restore-publisher');
  for (const d of [device, revoked]) {
    for (const topic of [`${d.thingName}/secret/1`, `${d.thingName}/public/1`, `${d.thingName}/secret/2`]) await publisher.publishQos1(topic, topic);
  }
  await after.send(new UpdateCertificateCommand({ certificateId: revoked.certificateId, newStatus: 'ACTIVE' }));

  for (const [d, expected] of [[device, ['restore-pi/public/1']], [revoked, []]] as const) {
    const { client, connack } = await RawClient.connectTls(second.ports.mqtts, tls(d), { clientId: d.thingName, clean: false }, 4);
    t.after(() => client.destroy());
    assert.deepEqual([connack.returnCode, connack.sessionPresent], [0, true]);
    const topics: string[] = [];
    for (let i = 0; i < expected.length; i++) topics.push((await client.receive()).topic);
    assert.deepEqual(topics, expected, `${d.thingName} gets only what its policy allowed while it was away`);
    await client.assertNothingMore();
  }
});
