/**
 * @module test/conformance/06-limits — spec area 6: the broker's limits, at AWS IoT Core's default values
 * (specs/aws-iot-core.md §2.7): topic bytes and levels, payload size, subscriptions per client, denied
 * filters and the publish rate, and that one client breaking the rules does not disturb the others.
 *
 * One hako serves the file: default limits, plus a denied filter and a small publish rate (hako's default
 * is unlimited) so the rate limit is cheap to reach. No test publishes more than the rate from one
 * connection except the rate test itself.
 */
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import mqttPacket from 'mqtt-packet';
import type { IConnectPacket, IDisconnectPacket, IPubackPacket, IPublishPacket, QoS } from 'mqtt-packet';
import { defaultMqttSettings } from '../../src/core/config.js';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { nextPacketId, RawClient, type ProtocolVersion } from '../helpers/raw-client.js';

const MAX_PUBLISH_RATE = 10;
const ARN = 'arn:aws:iot:us-east-1:000000000000';
/** Anonymous clients may do anything but subscribe to these filters: the policy resources, literally. */
const DENIED = [`${ARN}:topicfilter/deny/*`, `${ARN}:topicfilter/forbidden/exact`];
const anonymousPolicy = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:*', Resource: '*' },
    { Sid: 'NoDeny', Effect: 'Deny', Action: 'iot:Subscribe', Resource: DENIED },
  ],
};
/** AWS IoT Core's values (§2.7), which are hako's defaults. */
const AWS = { topicBytes: 256, topicLevels: 8, payloadBytes: 128 * 1024, subscriptions: 50 };

let hako: TestHako;

before(async () => {
  hako = await startTestHako({ mqtt: { maxPublishRate: MAX_PUBLISH_RATE }, iam: { anonymousPolicy } });
});

after(() => hako.close());

// ── helpers ───────────────────────────────────────────────────────────────────────────────────────

let unique = 0;
const rootFor = (name: string): string => `t06/${++unique}/${name}`;

const connect = (t: TestContext, name: string, version: ProtocolVersion = 5, fields: Partial<IConnectPacket> = {}): Promise<RawClient> =>
  RawClient.connectForTest(t, hako.ports.mqtt, `${name}-${++unique}`, version, fields);

/** A subscriber to everything published from now on (Retain Handling 2: no stored messages). */
async function watchAll(t: TestContext): Promise<RawClient> {
  const watcher = await connect(t, 'watcher');
  assert.deepEqual(await watcher.subscribe([{ topic: '#', qos: 1, rh: 2 }]), [1]);
  return watcher;
}

function publishPacket(topic: string, payload: string | Buffer, qos: QoS): IPublishPacket {
  return { cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: false, dup: false, ...(qos > 0 ? { messageId: nextPacketId() } : {}) };
}

/** Awaits the close; a v5 client must have been told why with a DISCONNECT carrying an error code. */
async function assertClosed(client: RawClient, v5Codes?: number[]): Promise<void> {
  if (client.protocolVersion === 5) {
    const disconnect = (await client.next('disconnect')) as IDisconnectPacket;
    assert.ok((disconnect.reasonCode ?? 0) >= 0x80, `DISCONNECT reason 0x${disconnect.reasonCode?.toString(16)}`);
    if (v5Codes) assert.ok(v5Codes.includes(disconnect.reasonCode ?? 0), `DISCONNECT reason 0x${disconnect.reasonCode?.toString(16)}, expected one of ${v5Codes.map((c) => `0x${c.toString(16)}`).join(', ')}`);
  }
  await client.closed;
}

/** A topic of exactly `bytes` UTF-8 bytes, below `root`. */
const topicOfBytes = (root: string, bytes: number, fill = 'x'): string => `${root}/${fill.repeat(Math.ceil((bytes - root.length - 1) / Buffer.byteLength(fill)))}`;
const levels = (root: string, count: number): string => [root, ...Array.from({ length: count - root.split('/').length }, (_, i) => `l${i}`)].join('/');

test('hako\'s default limits are AWS IoT Core\'s (§2.7)', () => {
  assert.equal(defaultMqttSettings.maxTopicLength, AWS.topicBytes);
  assert.equal(defaultMqttSettings.maxTopicLevels, AWS.topicLevels);
  assert.equal(defaultMqttSettings.maxPayloadSize, AWS.payloadBytes);
  assert.equal(defaultMqttSettings.maxSubscriptionsPerClient, AWS.subscriptions);
});

// ── topic names ───────────────────────────────────────────────────────────────────────────────────

const topicCases: Array<{ name: string; topic: (root: string) => string; ok: boolean }> = [
  { name: `exactly ${AWS.topicBytes} bytes`, topic: (root) => topicOfBytes(root, AWS.topicBytes), ok: true },
  { name: `${AWS.topicBytes + 1} bytes`, topic: (root) => topicOfBytes(root, AWS.topicBytes + 1), ok: false },
  { name: `under ${AWS.topicBytes} characters but over ${AWS.topicBytes} UTF-8 bytes`, topic: (root) => topicOfBytes(root, AWS.topicBytes + 1, 'é'), ok: false },
  { name: `${AWS.topicLevels} levels`, topic: (root) => levels(root, AWS.topicLevels), ok: true },
  { name: `${AWS.topicLevels + 1} levels`, topic: (root) => levels(root, AWS.topicLevels + 1), ok: false },
  { name: `${AWS.topicLevels + 1} levels with empty ones`, topic: (root) => `${root}${'/'.repeat(AWS.topicLevels + 1 - root.split('/').length)}`, ok: false },
];

for (const { name, topic: makeTopic, ok } of topicCases) {
  test(`v5 QoS 1 PUBLISH to a topic of ${name} → ${ok ? 'PUBACK 0x00, delivered' : 'PUBACK 0x90, not delivered, connection kept'}`, async (t) => {
    const topic = makeTopic(rootFor('name'));
    if (name.includes('bytes')) assert.equal(Buffer.byteLength(topic) > AWS.topicBytes, !ok, `test topic is ${Buffer.byteLength(topic)} bytes`);
    const watcher = await watchAll(t);
    const pub = await connect(t, 'pub');
    const puback = await pub.publishQos1(topic, 'limit');
    assert.equal(puback.reasonCode ?? 0, ok ? 0 : 0x90);
    if (ok) assert.equal((await watcher.receive()).topic, topic);
    await watcher.assertNothingMore();
    await pub.assertNothingMore('disconnect');
  });
}

for (const [version, qos] of [[4, 1], [4, 0], [5, 0]] as const) {
  test(`a topic over ${AWS.topicBytes} bytes from a ${version === 5 ? 'v5' : '3.1.1'} client at QoS ${qos} closes the connection (no ack can refuse it)`, async (t) => {
    const watcher = await watchAll(t);
    const pub = await connect(t, 'pub', version);
    pub.send(publishPacket(topicOfBytes(rootFor('long'), AWS.topicBytes + 1), 'x', qos));
    await assertClosed(pub, [0x90]);
    assert.equal(pub.received.filter((p) => p.cmd === 'puback').length, 0);
    await watcher.assertNothingMore();
  });
}

const wildcardPublishes: Array<[ProtocolVersion, QoS, string]> = [
  [4, 0, 'a/+'],
  [4, 1, 'a/#'],
  [5, 0, '+/b'],
  [5, 1, 'a/#'],
  [5, 2, 'a/b+'],
];
for (const [version, qos, suffix] of wildcardPublishes) {
  test(`a ${version === 5 ? 'v5' : '3.1.1'} QoS ${qos} PUBLISH with a wildcard in its topic ('…/${suffix}') closes the connection [MQTT-3.3.2-2]`, async (t) => {
    const watcher = await watchAll(t);
    const pub = await connect(t, 'pub', version);
    pub.send(publishPacket(`${rootFor('wild')}/${suffix}`, 'x', qos));
    await assertClosed(pub, [0x81, 0x82, 0x90]);
    assert.deepEqual(pub.received.filter((p) => p.cmd === 'puback' || p.cmd === 'pubrec'), []);
    await watcher.assertNothingMore();
  });
}

// ── topic filters ─────────────────────────────────────────────────────────────────────────────────

const filterCases: Array<{ name: string; filter: (root: string) => string; ok: boolean }> = [
  { name: `${AWS.topicLevels} levels`, filter: (root) => `${levels(root, AWS.topicLevels - 1)}/#`, ok: true },
  { name: `${AWS.topicLevels + 1} levels`, filter: (root) => `${levels(root, AWS.topicLevels)}/+`, ok: false },
  { name: `${AWS.topicLevels} levels after a $share/<name>/ prefix (the prefix does not count)`, filter: (root) => `$share/grp/${levels(root, AWS.topicLevels)}`, ok: true },
  { name: `${AWS.topicLevels + 1} levels after a $share/<name>/ prefix`, filter: (root) => `$share/grp/${levels(root, AWS.topicLevels + 1)}`, ok: false },
  { name: `exactly ${AWS.topicBytes} bytes`, filter: (root) => topicOfBytes(root, AWS.topicBytes), ok: true },
  { name: `${AWS.topicBytes + 1} bytes`, filter: (root) => topicOfBytes(root, AWS.topicBytes + 1), ok: false },
];
for (const { name, filter: makeFilter, ok } of filterCases) {
  test(`SUBSCRIBE to a filter of ${name} → ${ok ? 'granted' : 'SUBACK 0x8F (3.1.1: 0x80)'}`, async (t) => {
    for (const version of [5, 4] as const) {
      const filter = makeFilter(rootFor('filter'));
      const sub = await connect(t, 'sub', version);
      const granted = await sub.subscribe([{ topic: filter, qos: 1 }, { topic: rootFor('fine'), qos: 0 }]);
      assert.deepEqual(granted, [ok ? 1 : version === 5 ? 0x8f : 0x80, 0], `MQTT ${version}: ${filter}`);
      await sub.assertNothingMore('disconnect');
    }
  });
}

// ── payload size ──────────────────────────────────────────────────────────────────────────────────

test(`a payload of exactly ${AWS.payloadBytes} bytes is accepted and delivered`, async (t) => {
  const topic = rootFor('payload-ok');
  const sub = await connect(t, 'sub');
  await sub.subscribe(topic);
  const pub = await connect(t, 'pub');
  assert.equal((await pub.publishQos1(topic, Buffer.alloc(AWS.payloadBytes, 0x70))).reasonCode ?? 0, 0);
  assert.equal((await sub.receive()).payload.length, AWS.payloadBytes);
});

for (const [version, qos] of [[5, 1], [5, 0], [4, 1]] as const) {
  test(`a payload over ${AWS.payloadBytes} bytes from a ${version === 5 ? 'v5' : '3.1.1'} client at QoS ${qos} closes the connection (v5: DISCONNECT 0x95)`, async (t) => {
    const topic = rootFor('payload-big');
    const sub = await connect(t, 'sub');
    await sub.subscribe(topic);
    const pub = await connect(t, 'pub', version);
    pub.send(publishPacket(topic, Buffer.alloc(AWS.payloadBytes + 1, 0x71), qos));
    await assertClosed(pub, [0x95]);
    assert.equal(pub.received.filter((p) => p.cmd === 'puback').length, 0);
    await sub.assertNothingMore();
  });
}

// ── subscriptions per client, denied filters ──────────────────────────────────────────────────────

for (const version of [5, 4] as const) {
  test(`subscription ${AWS.subscriptions + 1} of a client → SUBACK ${version === 5 ? '0x97' : '0x80'}; replacing one at the limit is fine; an UNSUBSCRIBE frees a slot`, async (t) => {
    const root = rootFor('quota');
    const sub = await connect(t, 'sub', version);
    const filters = Array.from({ length: AWS.subscriptions }, (_, i) => `${root}/${i}`);
    assert.deepEqual(await sub.subscribe(filters.map((topic) => ({ topic, qos: 1 as QoS }))), filters.map(() => 1));
    const refused = version === 5 ? 0x97 : 0x80;
    assert.deepEqual(await sub.subscribe([{ topic: `${root}/extra`, qos: 1 }, { topic: `${root}/0`, qos: 0 }]), [refused, 0]);
    const pub = await connect(t, 'pub');
    await pub.publishQos1(`${root}/extra`, 'not subscribed');
    await sub.assertNothingMore();
    sub.send({ cmd: 'unsubscribe', messageId: nextPacketId(), unsubscriptions: [`${root}/1`] });
    await sub.next('unsuback');
    assert.deepEqual(await sub.subscribe([{ topic: `${root}/extra`, qos: 1 }]), [1]);
    await pub.publishQos1(`${root}/extra`, 'now subscribed');
    assert.equal((await sub.receive()).payload.toString(), 'now subscribed');
  });
}

const deniedCases: Array<[filter: string, denied: boolean]> = [
  ['deny/x', true],
  ['deny/+/y', true],
  ['deny/#', true],
  ['forbidden/exact', true],
  ['forbidden/other', false],
  ['denial/x', false],
];
for (const [filter, denied] of deniedCases) {
  test(`a policy denying iot:Subscribe on ${DENIED.join(', ')}: SUBSCRIBE to '${filter}' is ${denied ? 'refused with 0x87 (v5) / 0x80 (3.1.1)' : 'granted'}`, async (t) => {
    for (const version of [5, 4] as const) {
      const sub = await connect(t, 'sub', version);
      const refusal = version === 5 ? 0x87 : 0x80;
      assert.deepEqual(await sub.subscribe([{ topic: filter, qos: 1 }, { topic: rootFor('allowed'), qos: 1 }]), [denied ? refusal : 1, 1], `MQTT ${version}`);
      await sub.assertNothingMore('disconnect');
    }
    if (denied && !filter.includes('+') && !filter.includes('#')) {
      const sub = await connect(t, 'sub');
      await sub.subscribe([{ topic: filter, qos: 1 }]);
      const pub = await connect(t, 'pub');
      await pub.publishQos1(filter, 'x');
      await sub.assertNothingMore();
    }
  });
}

test('mqtt.subscribeDeniedReasonCode 0x80: v5 clients get 0x80 for a denied filter instead of 0x87 (the Paho suite expects 0x80)', async (t) => {
  const paho = await startTestHako({ mqtt: { subscribeDeniedReasonCode: 0x80 }, iam: { anonymousPolicy } });
  t.after(() => paho.close());
  const sub = await RawClient.connectForTest(t, paho.ports.mqtt, 'paho-like', 5);
  assert.deepEqual(await sub.subscribe([{ topic: 'forbidden/exact', qos: 1 }, { topic: 'allowed/x', qos: 1 }]), [0x80, 1]);
});

// ── publish rate ──────────────────────────────────────────────────────────────────────────────────

test(`publishes beyond maxPublishRate (${MAX_PUBLISH_RATE}/s) are refused with v5 PUBACK 0x97 and not delivered; the connection stays`, async (t) => {
  const topic = rootFor('rate');
  const sub = await connect(t, 'sub');
  await sub.subscribe(topic);
  const pub = await connect(t, 'pub');
  const burst = Array.from({ length: MAX_PUBLISH_RATE + 3 }, (_, i) => publishPacket(topic, String(i), 1));
  // All in one write, so they land well within one second.
  pub.sendBytes(Buffer.concat(burst.map((p) => mqttPacket.generate(p, { protocolVersion: 5 }))));
  const pubacks = (await pub.collect('puback', burst.length)) as IPubackPacket[];
  assert.deepEqual(pubacks.map((p) => p.messageId), burst.map((p) => p.messageId));
  assert.deepEqual(
    pubacks.map((p) => p.reasonCode ?? 0),
    burst.map((_, i) => (i < MAX_PUBLISH_RATE ? 0 : 0x97)),
  );
  const delivered = [];
  for (let i = 0; i < MAX_PUBLISH_RATE; i++) delivered.push((await sub.receive()).payload.toString());
  assert.deepEqual(delivered, burst.slice(0, MAX_PUBLISH_RATE).map((p) => p.payload.toString()));
  await sub.assertNothingMore();
  await pub.assertNothingMore('disconnect');
});

test('the publish rate is counted per connection: another client still publishes', async (t) => {
  const topic = rootFor('rate-other');
  const sub = await connect(t, 'sub');
  await sub.subscribe(topic);
  const busy = await connect(t, 'busy');
  const burst = Array.from({ length: MAX_PUBLISH_RATE + 1 }, (_, i) => publishPacket(topic, `busy${i}`, 1));
  busy.sendBytes(Buffer.concat(burst.map((p) => mqttPacket.generate(p, { protocolVersion: 5 }))));
  assert.equal(((await busy.collect('puback', burst.length)).at(-1) as IPubackPacket).reasonCode, 0x97);
  const calm = await connect(t, 'calm');
  assert.equal((await calm.publishQos1(topic, 'calm')).reasonCode ?? 0, 0);
  const payloads = [];
  for (let i = 0; i <= MAX_PUBLISH_RATE; i++) payloads.push((await sub.receive()).payload.toString());
  assert.deepEqual(payloads.sort(), [...burst.slice(0, MAX_PUBLISH_RATE).map((p) => p.payload.toString()), 'calm'].sort());
});

// ── isolation ─────────────────────────────────────────────────────────────────────────────────────

const violations: Array<{ name: string; version: ProtocolVersion; act: (client: RawClient, topic: string) => void }> = [
  { name: 'a wildcard in a PUBLISH topic', version: 5, act: (c, topic) => c.send(publishPacket(`${topic}/#`, 'x', 1)) },
  { name: 'an oversized payload', version: 4, act: (c, topic) => c.send(publishPacket(topic, Buffer.alloc(AWS.payloadBytes + 1), 0)) },
  { name: 'topic alias 0', version: 5, act: (c, topic) => c.send({ ...publishPacket(topic, 'x', 0), properties: { topicAlias: 0 } }) },
  { name: 'a second CONNECT', version: 5, act: (c) => c.send({ cmd: 'connect', clientId: 'again', protocolVersion: 5, protocolId: 'MQTT', clean: true, keepalive: 0 }) },
  { name: 'a PUBREL with reserved flags 0000', version: 4, act: (c) => c.sendBytes(Buffer.from([0x60, 0x02, 0x00, 0x01])) },
  { name: 'a packet type only servers send (CONNACK)', version: 4, act: (c) => c.sendBytes(Buffer.from([0x20, 0x02, 0x00, 0x00])) },
  { name: 'a truncated remaining length', version: 5, act: (c) => c.sendBytes(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])) },
];
for (const { name, version, act } of violations) {
  test(`one client closed for ${name} does not affect another connected client`, async (t) => {
    const topic = rootFor('isolation');
    const observer = await connect(t, 'observer');
    await observer.subscribe([{ topic, qos: 1 }]);
    const broken = await connect(t, 'broken', version);
    await broken.subscribe([{ topic, qos: 0 }]);
    act(broken, topic);
    await assertClosed(broken);
    const healthy = await connect(t, 'healthy');
    assert.equal((await healthy.publishQos1(topic, 'still here')).reasonCode ?? 0, 0);
    const delivered = await observer.receive();
    assert.equal(delivered.payload.toString(), 'still here');
    await observer.assertNothingMore();
    assert.equal(broken.received.filter((p) => p.cmd === 'publish').length, 0);
  });
}
