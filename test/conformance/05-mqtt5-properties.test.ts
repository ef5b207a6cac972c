/**
 * @module test/conformance/05-mqtt5-properties — spec area 5: MQTT 5 properties end to end over TCP.
 *
 * Forwarded PUBLISH properties (user properties, payload format, content type, request/response), message
 * expiry, topic aliases both ways, Receive Maximum both ways, Maximum Packet Size both ways, subscription
 * identifier rules and Request Problem Information. One hako serves the file, with a small Receive Maximum,
 * Topic Alias Maximum and Maximum Packet Size so the limits are cheap to reach.
 */
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import mqttPacket from 'mqtt-packet';
import type { IConnectPacket, IDisconnectPacket, IPubackPacket, IPublishPacket, QoS } from 'mqtt-packet';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { nextPacketId, RawClient, type ProtocolVersion } from '../helpers/raw-client.js';

const RECEIVE_MAXIMUM = 3;
const TOPIC_ALIAS_MAXIMUM = 4;
const MAX_PACKET_SIZE = 4096;

let hako: TestHako;

before(async () => {
  hako = await startTestHako({ mqtt: { receiveMaximum: RECEIVE_MAXIMUM, topicAliasMaximum: TOPIC_ALIAS_MAXIMUM, maxPacketSize: MAX_PACKET_SIZE } });
});

after(() => hako.close());

// ── helpers ───────────────────────────────────────────────────────────────────────────────────────

let unique = 0;
const topicFor = (name: string): string => `t05/${++unique}/${name}`;

const connect = (t: TestContext, name: string, fields: Partial<IConnectPacket> = {}, version: ProtocolVersion = 5): Promise<RawClient> =>
  RawClient.connectForTest(t, hako.ports.mqtt, `${name}-${++unique}`, version, fields);

function publishPacket(topic: string, payload: string | Buffer, qos: QoS, properties?: IPublishPacket['properties']): IPublishPacket {
  return { cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain: false, dup: false, ...(qos > 0 ? { messageId: nextPacketId() } : {}), ...(properties ? { properties } : {}) };
}

/** Awaits the server's DISCONNECT and the close of the connection; returns the reason code. */
async function disconnectedWith(client: RawClient): Promise<number | undefined> {
  const disconnect = (await client.next('disconnect')) as IDisconnectPacket;
  await client.closed;
  return disconnect.reasonCode;
}

const plain = <T extends object>(value: T | undefined): T | undefined => (value === undefined ? undefined : { ...value });

// ── forwarded properties ──────────────────────────────────────────────────────────────────────────

test('user properties are forwarded unaltered and in order [MQTT-3.3.2-17] [MQTT-3.3.2-18]', async (t) => {
  const topic = topicFor('user-props');
  const sub = await connect(t, 'sub');
  await sub.subscribe(topic);
  const pub = await connect(t, 'pub');
  const userProperties = { zeta: '1', alpha: ['2', '3'], 'mid key': 'ünïcode', empty: '' };
  assert.equal((await pub.publishQos1(topic, 'u', { userProperties })).reasonCode ?? 0, 0);
  const delivered = await sub.receive();
  assert.deepEqual(Object.entries({ ...delivered.properties?.userProperties }), Object.entries(userProperties));
});

test('payload format indicator and content type are forwarded unaltered [MQTT-3.3.2-4] [MQTT-3.3.2-20]', async (t) => {
  const topic = topicFor('format');
  const sub = await connect(t, 'sub');
  await sub.subscribe(topic);
  const pub = await connect(t, 'pub');
  const cases: Array<IPublishPacket['properties']> = [
    { payloadFormatIndicator: true, contentType: 'application/json; charset=utf-8' },
    { payloadFormatIndicator: false, contentType: 'application/octet-stream' },
    {},
  ];
  for (const properties of cases) {
    await pub.publishQos1(topic, '{"ok":true}', properties);
    const delivered = await sub.receive();
    assert.equal(delivered.properties?.payloadFormatIndicator, properties?.payloadFormatIndicator);
    assert.equal(delivered.properties?.contentType, properties?.contentType);
  }
});

for (const qos of [1, 2] as const) {
  test(`invalid UTF-8 with payload format indicator 1 → ${qos === 1 ? 'PUBACK' : 'PUBREC'} 0x99 and not forwarded (§3.3.2.3.2)`, async (t) => {
    const topic = topicFor('bad-utf8');
    const sub = await connect(t, 'sub');
    await sub.subscribe([{ topic, qos: 2 }]);
    const pub = await connect(t, 'pub');
    const packet = publishPacket(topic, Buffer.from([0x61, 0xff, 0xfe]), qos, { payloadFormatIndicator: true });
    pub.send(packet);
    const ack = (await pub.next(qos === 1 ? 'puback' : 'pubrec')) as IPubackPacket;
    assert.equal(ack.messageId, packet.messageId);
    assert.equal(ack.reasonCode, 0x99);
    await sub.assertNothingMore();
    // The connection stays usable.
    assert.equal((await pub.publishQos1(topic, 'valid ✓', { payloadFormatIndicator: true })).reasonCode ?? 0, 0);
    assert.equal((await sub.receive()).payload.toString(), 'valid ✓');
  });
}

test('invalid UTF-8 with payload format indicator 1 at QoS 0 → DISCONNECT 0x99 (§3.3.2.3.2)', async (t) => {
  const topic = topicFor('bad-utf8-q0');
  const sub = await connect(t, 'sub');
  await sub.subscribe(topic);
  const pub = await connect(t, 'pub');
  pub.send(publishPacket(topic, Buffer.from([0xc3, 0x28]), 0, { payloadFormatIndicator: true }));
  assert.equal(await disconnectedWith(pub), 0x99);
  await sub.assertNothingMore();
});

for (const requestProblemInformation of [false, true]) {
  test(`Request Problem Information ${requestProblemInformation ? 1 : 0}: a refused PUBACK ${requestProblemInformation ? 'has' : 'has no'} reason string [MQTT-3.1.2-29]`, async (t) => {
    const pub = await connect(t, 'pub', { properties: { requestProblemInformation } });
    const packet = publishPacket(topicFor('rpi'), Buffer.from([0xff]), 1, { payloadFormatIndicator: true });
    pub.send(packet);
    const puback = (await pub.next('puback')) as IPubackPacket;
    assert.equal(puback.reasonCode, 0x99);
    if (requestProblemInformation) assert.equal(typeof puback.properties?.reasonString, 'string');
    else {
      assert.equal(puback.properties?.reasonString, undefined);
      assert.equal(puback.properties?.userProperties, undefined);
    }
  });
}

test('response topic and correlation data are forwarded unaltered: a request/response round trip [MQTT-3.3.2-15] [MQTT-3.3.2-16]', async (t) => {
  const requestTopic = topicFor('req');
  const responseTopic = topicFor('resp');
  const responder = await connect(t, 'responder');
  await responder.subscribe(requestTopic);
  const requester = await connect(t, 'requester');
  await requester.subscribe(responseTopic);
  const correlationData = Buffer.from([0x00, 0x01, 0xfe, 0xff]);
  await requester.publishQos1(requestTopic, 'ping?', { responseTopic, correlationData });
  const request = await responder.receive();
  assert.equal(request.properties?.responseTopic, responseTopic);
  assert.deepEqual(request.properties?.correlationData, correlationData);
  await responder.publishQos1(request.properties?.responseTopic ?? 'missing', 'pong!', { correlationData: request.properties?.correlationData as Buffer });
  const response = await requester.receive();
  assert.equal(response.topic, responseTopic);
  assert.equal(response.payload.toString(), 'pong!');
  assert.deepEqual(response.properties?.correlationData, correlationData);
});

test('a retained message keeps its properties when delivered on subscribe [MQTT-3.3.2-17]', async (t) => {
  const topic = topicFor('retained-props');
  t.after(async () => {
    const { client } = await RawClient.connect(hako.ports.mqtt, { clientId: `cleaner-${++unique}` }, 5);
    await client.publishQos1(topic, '', undefined, true);
    await client.disconnect();
  });
  const pub = await connect(t, 'pub');
  await pub.publishQos1(topic, 'r', { contentType: 'text/plain', userProperties: { k: 'v' } }, true);
  const sub = await connect(t, 'sub');
  await sub.subscribe(topic);
  const delivered = await sub.receive();
  assert.equal(delivered.retain, true);
  assert.equal(delivered.properties?.contentType, 'text/plain');
  assert.deepEqual(plain(delivered.properties?.userProperties), { k: 'v' });
});

// ── message expiry ────────────────────────────────────────────────────────────────────────────────

test('message expiry: a live subscriber gets the remaining interval [MQTT-3.3.2-6]; no interval sent → none forwarded', async (t) => {
  const topic = topicFor('expiry-live');
  const sub = await connect(t, 'sub');
  await sub.subscribe(topic);
  const pub = await connect(t, 'pub');
  await pub.publishQos1(topic, 'e', { messageExpiryInterval: 60 });
  const withExpiry = await sub.receive();
  const remaining = withExpiry.properties?.messageExpiryInterval;
  assert.ok(remaining !== undefined && remaining <= 60 && remaining >= 58, `remaining ${remaining}`);
  await pub.publishQos1(topic, 'forever');
  assert.equal((await sub.receive()).properties?.messageExpiryInterval, undefined);
});

test('message expiry: a queued message that expired is not delivered to a reconnecting persistent subscriber; the rest arrive with less time left [MQTT-3.3.2-5] [MQTT-3.3.2-6]', async (t) => {
  const topic = topicFor('expiry-queued');
  const clientId = `persistent-${++unique}`;
  const persistent = { clientId, clean: false, properties: { sessionExpiryInterval: 300 } };
  const first = await connect(t, 'sub', persistent);
  await first.subscribe(topic);
  await first.disconnect();
  const pub = await connect(t, 'pub');
  await pub.publishQos1(topic, 'short', { messageExpiryInterval: 1 });
  await pub.publishQos1(topic, 'long', { messageExpiryInterval: 60 });
  await pub.publishQos1(topic, 'none');
  // Waiting for time to pass is the point of this test: the 1 s message must expire while queued.
  await sleep(1500);
  const { client: again, connack } = await RawClient.connect(hako.ports.mqtt, persistent, 5);
  t.after(() => again.destroy());
  assert.equal(connack.sessionPresent, true);
  const long = await again.receive();
  assert.equal(long.payload.toString(), 'long');
  const remaining = long.properties?.messageExpiryInterval;
  assert.ok(remaining !== undefined && remaining < 60 && remaining >= 55, `remaining ${remaining}`);
  const none = await again.receive();
  assert.equal(none.payload.toString(), 'none');
  assert.equal(none.properties?.messageExpiryInterval, undefined);
  await again.assertNothingMore();
  // End the session so it does not outlive the test.
  await again.disconnect({ sessionExpiryInterval: 0 });
});

test('message expiry: an expired retained message is not sent to new subscribers [MQTT-3.3.2-5]', async (t) => {
  const topic = topicFor('expiry-retained');
  const pub = await connect(t, 'pub');
  await pub.publishQos1(topic, 'stale', { messageExpiryInterval: 1 }, true);
  const early = await connect(t, 'early');
  await early.subscribe(topic);
  assert.equal((await early.receive()).payload.toString(), 'stale');
  await sleep(1500);
  const late = await connect(t, 'late');
  await late.subscribe(topic);
  await late.assertNothingMore();
});

// ── topic aliases, client → server ────────────────────────────────────────────────────────────────

test('CONNACK advertises the configured Topic Alias Maximum, Receive Maximum and Maximum Packet Size', async (t) => {
  const { client, connack } = await RawClient.connect(hako.ports.mqtt, { clientId: `connack-${++unique}` }, 5);
  t.after(() => client.destroy());
  assert.equal(connack.properties?.topicAliasMaximum, TOPIC_ALIAS_MAXIMUM);
  assert.equal(connack.properties?.receiveMaximum, RECEIVE_MAXIMUM);
  assert.equal(connack.properties?.maximumPacketSize, MAX_PACKET_SIZE);
});

test('inbound topic alias: set with a topic, then used with an empty topic, then remapped [MQTT-3.3.2-12]', async (t) => {
  const [a, b] = [topicFor('alias-a'), topicFor('alias-b')];
  const sub = await connect(t, 'sub');
  await sub.subscribe([{ topic: a, qos: 1 }, { topic: b, qos: 1 }]);
  const pub = await connect(t, 'pub');
  const steps: Array<[topic: string, alias: number, expected: string]> = [
    [a, 1, a],
    ['', 1, a],
    [b, TOPIC_ALIAS_MAXIMUM, b],
    ['', TOPIC_ALIAS_MAXIMUM, b],
    [b, 1, b],
    ['', 1, b],
  ];
  for (const [topic, alias, expected] of steps) {
    assert.equal((await pub.publishQos1(topic, `${topic}|${alias}`, { topicAlias: alias })).reasonCode ?? 0, 0);
    const delivered = await sub.receive();
    assert.equal(delivered.topic, expected, `alias ${alias} with topic '${topic}'`);
    assert.equal(delivered.payload.toString(), `${topic}|${alias}`);
  }
});

const badAliases: Array<{ name: string; packet: (topic: string) => IPublishPacket; code: number; id: string }> = [
  { name: 'alias 0', packet: (topic) => publishPacket(topic, 'x', 0, { topicAlias: 0 }), code: 0x94, id: '[MQTT-3.3.2-8]' },
  { name: `alias above the Topic Alias Maximum (${TOPIC_ALIAS_MAXIMUM + 1})`, packet: (topic) => publishPacket(topic, 'x', 1, { topicAlias: TOPIC_ALIAS_MAXIMUM + 1 }), code: 0x94, id: '[MQTT-3.3.2-9]' },
  { name: 'an unknown alias with an empty topic', packet: () => publishPacket('', 'x', 1, { topicAlias: 2 }), code: 0x82, id: '(§3.3.2.3.4)' },
  { name: 'an empty topic without an alias', packet: () => publishPacket('', 'x', 1), code: 0x82, id: '(§3.3.2.1)' },
];
for (const { name, packet, code, id } of badAliases) {
  test(`inbound topic alias: ${name} → DISCONNECT 0x${code.toString(16)} ${id}`, async (t) => {
    const topic = topicFor('bad-alias');
    const sub = await connect(t, 'sub');
    await sub.subscribe(topic);
    const pub = await connect(t, 'pub');
    pub.send(packet(topic));
    assert.equal(await disconnectedWith(pub), code);
    await sub.assertNothingMore();
  });
}

test('inbound topic aliases do not carry over to a new connection, even with a resumed session [MQTT-3.3.2-7]', async (t) => {
  const topic = topicFor('alias-reconnect');
  const sub = await connect(t, 'sub');
  await sub.subscribe(topic);
  const persistent = { clientId: `alias-${++unique}`, clean: false, properties: { sessionExpiryInterval: 60 } };
  const first = await connect(t, 'first', persistent);
  await first.publishQos1(topic, 'set', { topicAlias: 1 });
  assert.equal((await sub.receive()).topic, topic);
  await first.disconnect();
  const second = await connect(t, 'second', persistent);
  second.send(publishPacket('', 'use', 1, { topicAlias: 1 }));
  assert.equal(await disconnectedWith(second), 0x82);
  await sub.assertNothingMore();
  const cleanup = await connect(t, 'cleanup', { ...persistent, clean: true, properties: {} });
  await cleanup.disconnect();
});

// ── topic aliases, server → client ────────────────────────────────────────────────────────────────

/** Resolves what a client would see, applying the aliases the server sets; checks every alias is in range. */
function aliasResolver(max: number): (p: IPublishPacket) => string {
  const aliases = new Map<number, string>();
  return (p) => {
    const alias = p.properties?.topicAlias;
    if (alias === undefined) {
      assert.notEqual(p.topic, '', 'an empty topic needs an alias');
      return p.topic;
    }
    assert.ok(alias >= 1 && alias <= max, `alias ${alias} outside 1..${max} [MQTT-3.1.2-26]`);
    if (p.topic !== '') aliases.set(alias, p.topic);
    const topic = aliases.get(alias);
    assert.ok(topic !== undefined, `alias ${alias} used before it was set`);
    return topic;
  };
}

test('outbound topic alias: with Topic Alias Maximum 1 the client gets topic + alias first, then empty topic + alias [MQTT-3.1.2-26]', async (t) => {
  const root = topicFor('out-alias');
  const sub = await connect(t, 'sub', { properties: { topicAliasMaximum: 1 } });
  await sub.subscribe(`${root}/+`);
  const pub = await connect(t, 'pub');
  const sequence = [`${root}/x`, `${root}/x`, `${root}/y`, `${root}/x`, `${root}/x`];
  for (const topic of sequence) await pub.publishQos1(topic, topic);
  const received = [];
  for (let i = 0; i < sequence.length; i++) received.push(await sub.receive());
  const [first, second] = received;
  assert.equal(first?.topic, `${root}/x`);
  assert.equal(first?.properties?.topicAlias, 1);
  assert.equal(second?.topic, '');
  assert.equal(second?.properties?.topicAlias, 1);
  const resolve = aliasResolver(1);
  assert.deepEqual(received.map(resolve), sequence);
  assert.deepEqual(received.map((p) => p.payload.toString()), sequence);
});

for (const topicAliasMaximum of [0, undefined]) {
  test(`outbound topic alias: a client with Topic Alias Maximum ${topicAliasMaximum ?? 'absent'} never gets an alias [MQTT-3.1.2-27]`, async (t) => {
    const topic = topicFor('no-alias');
    const sub = await connect(t, 'sub', topicAliasMaximum === undefined ? {} : { properties: { topicAliasMaximum } });
    await sub.subscribe(topic);
    const pub = await connect(t, 'pub');
    for (let i = 0; i < 3; i++) {
      await pub.publishQos1(topic, String(i));
      const delivered = await sub.receive();
      assert.equal(delivered.topic, topic);
      assert.equal(delivered.properties?.topicAlias, undefined);
    }
  });
}

// ── Receive Maximum ───────────────────────────────────────────────────────────────────────────────

test(`inbound Receive Maximum: more than ${RECEIVE_MAXIMUM} unacknowledged QoS 2 publishes → DISCONNECT 0x93 [MQTT-3.3.4-7]`, async (t) => {
  const topic = topicFor('recv-max');
  const pub = await connect(t, 'pub');
  const packets = Array.from({ length: RECEIVE_MAXIMUM }, (_, i) => publishPacket(topic, String(i), 2));
  for (const packet of packets) {
    pub.send(packet);
    assert.equal((await pub.next('pubrec')).messageId, packet.messageId);
  }
  // A resend of one still awaiting PUBREL is not a new publish.
  pub.send({ ...(packets[0] as IPublishPacket), dup: true });
  assert.equal((await pub.next('pubrec')).messageId, packets[0]?.messageId);
  pub.send(publishPacket(topic, 'one too many', 2));
  assert.equal(await disconnectedWith(pub), 0x93);
});

test('inbound Receive Maximum: a PUBREL frees a slot for the next QoS 2 publish [MQTT-3.3.4-7]', async (t) => {
  const topic = topicFor('recv-max-free');
  const sub = await connect(t, 'sub');
  await sub.subscribe(topic);
  const pub = await connect(t, 'pub');
  const ids: number[] = [];
  for (let i = 0; i < RECEIVE_MAXIMUM; i++) {
    const packet = publishPacket(topic, String(i), 2);
    pub.send(packet);
    ids.push((await pub.next('pubrec')).messageId as number);
  }
  pub.send({ cmd: 'pubrel', messageId: ids[0] });
  assert.equal((await pub.next('pubcomp')).messageId, ids[0]);
  const next = publishPacket(topic, 'fits', 2);
  pub.send(next);
  assert.equal((await pub.next('pubrec')).messageId, next.messageId);
  await pub.assertNothingMore('disconnect');
  const payloads = [];
  for (let i = 0; i <= RECEIVE_MAXIMUM; i++) payloads.push((await sub.receive()).payload.toString());
  assert.deepEqual(payloads, ['0', '1', '2', 'fits']);
});

test('outbound flow control: a client with Receive Maximum 2 has at most 2 unacknowledged QoS 1 publishes [MQTT-3.3.4-9] [MQTT-3.3.4-10]', async (t) => {
  const topic = topicFor('send-window');
  const sub = await connect(t, 'sub', { properties: { receiveMaximum: 2 } });
  await sub.subscribe(topic);
  const pub = await connect(t, 'pub');
  for (let i = 0; i < 4; i++) await pub.publishQos1(topic, String(i));
  const inflight = (await sub.collect('publish', 2)) as IPublishPacket[];
  assert.deepEqual(inflight.map((p) => p.payload.toString()), ['0', '1']);
  // PINGRESP is not held back by the full window, and no third PUBLISH came before it.
  await sub.assertNothingMore();
  sub.send({ cmd: 'puback', messageId: inflight[0]?.messageId });
  const third = (await sub.next('publish')) as IPublishPacket;
  assert.equal(third.payload.toString(), '2');
  await sub.assertNothingMore();
  sub.send({ cmd: 'puback', messageId: inflight[1]?.messageId });
  sub.send({ cmd: 'puback', messageId: third.messageId });
  assert.equal((await sub.receive()).payload.toString(), '3');
  await sub.assertNothingMore();
});

// ── Maximum Packet Size ───────────────────────────────────────────────────────────────────────────

const oversize = (topic: string): Buffer =>
  mqttPacket.generate(publishPacket(topic, Buffer.alloc(MAX_PACKET_SIZE + 100, 0x61), 1), { protocolVersion: 5 });

const inboundTooLarge: Array<{ name: string; bytes: (topic: string) => Buffer }> = [
  { name: 'sent in one write', bytes: oversize },
  { name: 'of which only the fixed header and the start arrived', bytes: (topic) => oversize(topic).subarray(0, 64) },
];
for (const { name, bytes } of inboundTooLarge) {
  test(`inbound Maximum Packet Size: a packet larger than ${MAX_PACKET_SIZE} bytes, ${name} → DISCONNECT 0x95 [MQTT-3.2.2-15]`, async (t) => {
    const topic = topicFor('too-large-in');
    const sub = await connect(t, 'sub');
    await sub.subscribe(topic);
    const pub = await connect(t, 'pub');
    pub.sendBytes(bytes(topic));
    assert.equal(await disconnectedWith(pub), 0x95);
    await sub.assertNothingMore();
  });
}

test('inbound Maximum Packet Size: a packet just within the limit is accepted', async (t) => {
  const topic = topicFor('fits-in');
  const sub = await connect(t, 'sub');
  await sub.subscribe(topic);
  const pub = await connect(t, 'pub');
  const overhead = mqttPacket.generate(publishPacket(topic, '', 1), { protocolVersion: 5 }).length;
  await pub.publishQos1(topic, Buffer.alloc(MAX_PACKET_SIZE - overhead, 0x62));
  assert.equal((await sub.receive()).payload.length, MAX_PACKET_SIZE - overhead);
});

test('outbound Maximum Packet Size: a message larger than the client accepts is not sent to it, others still get it, and it does not block the window [MQTT-3.1.2-24] [MQTT-3.1.2-25]', async (t) => {
  const topic = topicFor('too-large-out');
  const small = await connect(t, 'small', { properties: { maximumPacketSize: 256, receiveMaximum: 1 } });
  await small.subscribe(topic);
  const big = await connect(t, 'big');
  await big.subscribe(topic);
  const pub = await connect(t, 'pub');
  await pub.publishQos1(topic, Buffer.alloc(400, 0x63));
  assert.equal((await big.receive()).payload.length, 400);
  await small.assertNothingMore();
  await pub.publishQos1(topic, 'small enough');
  const delivered = (await small.next('publish')) as IPublishPacket;
  assert.equal(delivered.payload.toString(), 'small enough');
  assert.ok(delivered.length !== undefined && delivered.length <= 256);
});

// ── subscription identifiers ──────────────────────────────────────────────────────────────────────

test('SUBSCRIBE with subscription identifier 0 → DISCONNECT 0x82, no SUBACK (§3.8.2.1.2)', async (t) => {
  const client = await connect(t, 'subid0');
  client.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: topicFor('subid0'), qos: 0 }], properties: { subscriptionIdentifier: 0 } });
  assert.equal(await disconnectedWith(client), 0x82);
  assert.equal(client.received.filter((p) => p.cmd === 'suback').length, 0);
});

for (const qos of [0, 1] as const) {
  test(`a client PUBLISH (QoS ${qos}) carrying a subscription identifier → DISCONNECT 0x82, not forwarded [MQTT-3.3.4-6]`, async (t) => {
    const topic = topicFor('pub-subid');
    const sub = await connect(t, 'sub');
    await sub.subscribe(topic);
    const pub = await connect(t, 'pub');
    pub.send(publishPacket(topic, 'x', qos, { subscriptionIdentifier: 7 }));
    assert.equal(await disconnectedWith(pub), 0x82);
    await sub.assertNothingMore();
  });
}
