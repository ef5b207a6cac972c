/**
 * @module test/shadow/tls.test — a device with a hako-issued certificate and a thing policy limited to
 * `$aws/things/${iot:Connection.Thing.ThingName}/shadow/*` uses its own shadow over MQTT/TLS, and cannot
 * touch another thing's shadow.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { IoTClient } from '@aws-sdk/client-iot';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { createPolicy, iotClient, provisionDevice } from '../helpers/aws.js';
import { RawClient } from '../helpers/raw-client.js';
import { expectResponse, request, shadowPolicy, shadowTopics, subscribeResponses } from './helpers.js';

let hako: TestHako;
let iot: IoTClient;
before(async () => {
  hako = await startTestHako();
  iot = iotClient(hako);
  await createPolicy(iot, 'shadow-policy', shadowPolicy);
});
after(async () => {
  iot.destroy();
  await hako.close();
});

test('a device over TLS updates and reads its own shadow; another thing\'s shadow is refused', async (t) => {
  const device = await provisionDevice(iot, 'thermo-1', 'shadow-policy');
  const { client, connack } = await RawClient.connectTls(hako.ports.mqtts, { ca: device.caPem, cert: device.certificatePem, key: device.privateKeyPem }, { clientId: 'thermo-1' }, 4);
  t.after(() => client.destroy());
  assert.equal(connack.returnCode, 0);
  const topics = shadowTopics('thermo-1');
  await subscribeResponses(client, topics);
  await request(client, topics.update, { state: { reported: { temp: 19.5 } }, clientToken: 'tls-1' });
  const accepted = await expectResponse(client, topics.updateAccepted);
  assert.deepEqual([accepted.state, accepted.version, accepted.clientToken], [{ reported: { temp: 19.5 } }, 1, 'tls-1']);
  await expectResponse(client, topics.updateDocuments);
  await request(client, topics.get, { clientToken: 'tls-2' });
  assert.deepEqual((await expectResponse(client, topics.getAccepted)).state, { reported: { temp: 19.5 } });
  // Another thing's shadow: SUBACK 0x80 (3.1.1).
  assert.deepEqual(await client.subscribe(shadowTopics('thermo-2').updateAccepted), [0x80]);
});
