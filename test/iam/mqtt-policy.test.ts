/**
 * @module test/iam/mqtt-policy.test — IoT policies govern what a certificate's connection may do:
 * iot:Connect, iot:Publish, iot:RetainPublish, iot:Subscribe and iot:Receive, with MQTT 5 reason codes,
 * AWS's 3.1.1 behaviour, one log line per denial naming the statement, and changes taking effect live.
 */
import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import type tls from 'node:tls';
import { AttachPolicyCommand, CreatePolicyVersionCommand, DetachPolicyCommand, type IoTClient } from '@aws-sdk/client-iot';
import type { IPubackPacket, IPublishPacket } from 'mqtt-packet';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { captureLog, type CapturedLog } from '../helpers/log-capture.js';
import { createPolicy, iotClient, provisionDevice, thingPolicy, type Device } from '../helpers/aws.js';
import { nextPacketId, RawClient, type ProtocolVersion } from '../helpers/raw-client.js';

const ARN = 'arn:aws:iot:us-east-1:000000000000';
let hako: TestHako;
let log: CapturedLog;
let iot: IoTClient;

before(async () => {
  log = captureLog();
  hako = await startTestHako({}, undefined, log.logger);
  iot = iotClient(hako);
  await createPolicy(iot, 'thing-policy', thingPolicy());
});

after(async () => {
  iot.destroy();
  await hako.close();
});

const tlsOf = (device: Device): tls.ConnectionOptions => ({ ca: device.caPem, cert: device.certificatePem, key: device.privateKeyPem });

async function connectDevice(t: TestContext, device: Device, version: ProtocolVersion = 5, clientId = device.thingName): Promise<RawClient> {
  const { client, connack } = await RawClient.connectTls(hako.ports.mqtts, tlsOf(device), { clientId }, version);
  assert.equal(version === 5 ? connack.reasonCode : connack.returnCode, 0, `CONNACK for ${clientId}`);
  t.after(() => client.destroy());
  return client;
}

function publish(client: RawClient, topic: string, payload: string, qos: 0 | 1 = 1, retain = false): number {
  const messageId = nextPacketId();
  client.send({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain, dup: false, messageId });
  return messageId;
}

let devices = 0;
const newDevice = (policy = 'thing-policy'): Promise<Device> => provisionDevice(iot, `sensor-${++devices}`, policy);

test('a thing policy: the device publishes, subscribes and receives on its own topics (v5 and 3.1.1)', async (t) => {
  const device = await newDevice();
  for (const version of [5, 4] as const) {
    const client = await connectDevice(t, device, version);
    assert.deepEqual(await client.subscribe(`${device.thingName}/commands`), [1]);
    publish(client, `${device.thingName}/commands`, `hello v${version}`);
    assert.equal((await client.next('puback') as IPubackPacket).reasonCode ?? 0, 0);
    const received = await client.receive();
    assert.equal(received.payload.toString(), `hello v${version}`);
    await client.disconnect();
  }
});

test('another thing\'s topics: v5 SUBACK 0x87 and PUBACK 0x87 (connection stays); 3.1.1 SUBACK 0x80, and a PUBLISH closes the connection', async (t) => {
  const device = await newDevice();
  const v5 = await connectDevice(t, device, 5);
  assert.deepEqual(await v5.subscribe([{ topic: 'sensor-other/commands', qos: 1 }, { topic: `${device.thingName}/ok`, qos: 1 }]), [0x87, 1]);
  const id = publish(v5, 'sensor-other/commands', 'x');
  const puback = (await v5.next('puback')) as IPubackPacket;
  assert.deepEqual([puback.messageId, puback.reasonCode], [id, 0x87]);
  await v5.assertNothingMore('disconnect');
  await v5.disconnect();

  const v4 = await connectDevice(t, device, 4);
  assert.deepEqual(await v4.subscribe([{ topic: 'sensor-other/commands', qos: 1 }]), [0x80]);
  publish(v4, 'sensor-other/commands', 'x');
  await v4.closed;
  assert.equal(v4.received.filter((p) => p.cmd === 'puback').length, 0, 'no PUBACK for a refused 3.1.1 publish');
  const line = await log.waitFor(new RegExp(`denied iot:Publish on ${ARN}:topic/sensor-other/commands: no policy statement allows`));
  assert.equal(line.clientId, device.thingName);
  assert.equal(line.principal, device.certificateArn);
  assert.equal(line.action, 'iot:Publish');
});

test('iot:Connect: a client id other than the attached thing\'s name is refused (v5 CONNACK 0x87, 3.1.1 return code 5)', async () => {
  const device = await newDevice();
  const v5 = await RawClient.connectTls(hako.ports.mqtts, tlsOf(device), { clientId: 'someone-else' }, 5);
  assert.equal(v5.connack.reasonCode, 0x87);
  const v4 = await RawClient.connectTls(hako.ports.mqtts, tlsOf(device), { clientId: 'someone-else' }, 4);
  assert.equal(v4.connack.returnCode, 5);
  await Promise.all([v5.client.closed, v4.client.closed]);
  await log.waitFor(new RegExp(`denied iot:Connect on ${ARN}:client/someone-else`));
});

test('AWS SDK usernames (?SDK=JavaScript&Version=…) are accepted and ignored', async (t) => {
  const device = await newDevice();
  const { client, connack } = await RawClient.connectTls(hako.ports.mqtts, tlsOf(device), { clientId: device.thingName, username: '?SDK=JavaScript&Version=2.2.16' }, 4);
  t.after(() => client.destroy());
  assert.equal(connack.returnCode, 0);
});

test('iot:RetainPublish is needed for a retained publish, and a will must be publishable', async (t) => {
  await createPolicy(iot, 'no-retain', JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['iot:Connect'], Resource: '*' },
      { Effect: 'Allow', Action: ['iot:Publish', 'iot:Subscribe', 'iot:Receive'], Resource: [`${ARN}:topic/open/*`, `${ARN}:topicfilter/open/*`] },
    ],
  }));
  const device = await newDevice('no-retain');
  const client = await connectDevice(t, device, 5);
  publish(client, 'open/plain', 'x');
  assert.equal(((await client.next('puback')) as IPubackPacket).reasonCode ?? 0, 0);
  publish(client, 'open/kept', 'x', 1, true);
  assert.equal(((await client.next('puback')) as IPubackPacket).reasonCode, 0x87);
  await log.waitFor(new RegExp(`denied iot:RetainPublish on ${ARN}:topic/open/kept`));
  const withWill = await RawClient.connectTls(hako.ports.mqtts, tlsOf(device), { clientId: 'will-elsewhere', will: { topic: 'closed/will', payload: Buffer.from('bye'), qos: 0, retain: false } }, 5);
  assert.equal(withWill.connack.reasonCode, 0x87);
});

test('iot:Receive is checked per delivery: a subscription to a broad filter only gets the topics the policy lets it receive', async (t) => {
  await createPolicy(iot, 'feed-reader', JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: '*' },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/feed/#` },
      { Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}:topic/feed/public/*` },
    ],
  }));
  const device = await newDevice('feed-reader');
  const reader = await connectDevice(t, device, 5);
  assert.deepEqual(await reader.subscribe('feed/#'), [1]);
  const publisher = await RawClient.connectForTest(t, hako.ports.mqtt, 'feed-publisher'); // anonymous on loopback: unrestricted
  for (const topic of ['feed/secret/1', 'feed/public/1', 'feed/secret/2', 'feed/public/2']) await publisher.publishQos1(topic, topic);
  assert.deepEqual([(await reader.receive()).topic, (await reader.receive()).topic], ['feed/public/1', 'feed/public/2']);
  await reader.assertNothingMore();
  const denials = log.matching(new RegExp(`denied iot:Receive on ${ARN}:topic/feed/secret/`));
  assert.equal(denials.length, 2, 'each denied topic logged once');
});

test('policy changes reach live connections: detaching the policy denies the next publish, a new default version changes what is allowed', async (t) => {
  await createPolicy(iot, 'changing', thingPolicy());
  const device = await newDevice('changing');
  const client = await connectDevice(t, device, 5);
  const topic = `${device.thingName}/state`;
  assert.deepEqual(await client.subscribe(topic), [1]);
  publish(client, topic, 'allowed');
  assert.equal(((await client.next('puback')) as IPubackPacket).reasonCode ?? 0, 0);
  assert.equal((await client.receive()).payload.toString(), 'allowed');

  const denyState = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      ...JSON.parse(thingPolicy()).Statement,
      { Sid: 'NoState', Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}:topic/\${iot:Connection.Thing.ThingName}/state` },
    ],
  });
  await iot.send(new CreatePolicyVersionCommand({ policyName: 'changing', policyDocument: denyState, setAsDefault: true }));
  publish(client, topic, 'explicitly denied');
  assert.equal(((await client.next('puback')) as IPubackPacket).reasonCode, 0x87);
  const line = await log.waitFor(new RegExp(`denied iot:Publish on ${ARN}:topic/${device.thingName}/state: denied by policy "changing" statement 4 \\(Sid "NoState"\\)`));
  assert.equal(line.policy, 'changing');

  await iot.send(new DetachPolicyCommand({ policyName: 'changing', target: device.certificateArn }));
  publish(client, `${device.thingName}/other`, 'no policy at all');
  assert.equal(((await client.next('puback')) as IPubackPacket).reasonCode, 0x87);
  await iot.send(new AttachPolicyCommand({ policyName: 'thing-policy', target: device.certificateArn }));
  publish(client, topic, 'allowed again');
  assert.equal(((await client.next('puback')) as IPubackPacket).reasonCode ?? 0, 0);
  const again = (await client.receive()) as IPublishPacket;
  assert.equal(again.payload.toString(), 'allowed again');
});

test('denials are counted on /metrics by action', async () => {
  const response = await fetch(`http://127.0.0.1:${hako.ports.http}/metrics`);
  const metrics = new Map((await response.text()).trim().split('\n').map((line) => line.split(' ') as [string, string]));
  for (const name of ['connect', 'publish', 'retain_publish', 'subscribe', 'receive']) {
    assert.ok(Number(metrics.get(`hako_iam_denied_${name}_total`)) >= 1, `hako_iam_denied_${name}_total counts this file's denials`);
  }
});
