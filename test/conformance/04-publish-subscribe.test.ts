/**
 * @module test/conformance/04-publish-subscribe — spec area 4: publish and subscribe end to end over TCP.
 *
 * QoS 0/1/2 flows, QoS downgrade, cross-version delivery, topic wildcards, overlapping subscriptions,
 * subscription replacement, UNSUBSCRIBE, the v5 subscription options (No Local, Retain As Published,
 * Retain Handling), retained messages and shared subscriptions. One hako (default settings) serves the
 * whole file; every test uses its own client ids and topics and cleans up the retained messages it sets.
 */
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { IConnectPacket, IDisconnectPacket, IPublishPacket, ISubscription, IUnsubackPacket, QoS } from 'mqtt-packet';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { nextPacketId, RawClient, type ProtocolVersion } from '../helpers/raw-client.js';

let hako: TestHako;

before(async () => {
  hako = await startTestHako();
});

after(() => hako.close());

// ── helpers ───────────────────────────────────────────────────────────────────────────────────────

let unique = 0;
/** A topic no other test uses. */
const topicFor = (name: string): string => `t04/${++unique}/${name}`;

const connect = (t: TestContext, name: string, version: ProtocolVersion = 5, fields: Partial<IConnectPacket> = {}): Promise<RawClient> =>
  RawClient.connectForTest(t, hako.ports.mqtt, `${name}-${++unique}`, version, fields);

/** SUBSCRIBE; a bare filter is subscribed at QoS 2 in this file. Returns the SUBACK's codes. */
const subscribe = (client: RawClient, subscriptions: ISubscription[] | string, properties?: { subscriptionIdentifier?: number }): Promise<number[]> =>
  client.subscribe(subscriptions, { qos: 2, ...(properties ? { properties } : {}) });

interface PublishOptions {
  qos?: QoS;
  retain?: boolean;
  properties?: IPublishPacket['properties'];
}

/** Publishes and waits for the flow to finish: PUBACK, or PUBREC → PUBREL → PUBCOMP, or a ping round trip for QoS 0. */
async function publish(client: RawClient, topic: string, payload: string | Buffer, { qos = 0, retain = false, properties }: PublishOptions = {}): Promise<void> {
  const messageId = qos > 0 ? nextPacketId() : undefined;
  client.send({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain, dup: false, ...(messageId ? { messageId } : {}), ...(properties ? { properties } : {}) });
  if (qos === 0) return client.sync();
  if (qos === 1) {
    const puback = await client.next('puback');
    assert.equal(puback.messageId, messageId);
    return;
  }
  const pubrec = await client.next('pubrec');
  assert.equal(pubrec.messageId, messageId);
  client.send({ cmd: 'pubrel', messageId });
  assert.equal((await client.next('pubcomp')).messageId, messageId);
}

/** Clears a retained message when the test ends, so later wildcard subscribers do not see it. */
function clearRetainedAfter(t: TestContext, topic: string): void {
  t.after(async () => {
    const { client } = await RawClient.connect(hako.ports.mqtt, { clientId: `cleaner-${++unique}` }, 5);
    await publish(client, topic, '', { qos: 1, retain: true });
    await client.disconnect();
  });
}

const text = (p: IPublishPacket): string => p.payload.toString();

// ── QoS flows ─────────────────────────────────────────────────────────────────────────────────────

for (const version of [4, 5] as const) {
  for (const qos of [0, 1, 2] as const) {
    test(`QoS ${qos} publish from a v${version} client completes its flow and reaches a QoS 2 subscriber at QoS ${qos} [MQTT-3.3.4-1] (§4.3.${qos + 1})`, async (t) => {
      const topic = topicFor('flow');
      const sub = await connect(t, 'sub', version);
      assert.deepEqual(await subscribe(sub, topic), [2]);
      const pub = await connect(t, 'pub', version);
      await publish(pub, topic, `q${qos}`, { qos });
      const delivered = await sub.receive();
      assert.equal(delivered.topic, topic);
      assert.equal(text(delivered), `q${qos}`);
      assert.equal(delivered.qos, qos);
      assert.equal(delivered.retain, false);
      if (qos > 0) assert.ok(delivered.messageId !== undefined && delivered.messageId > 0);
      await sub.assertNothingMore();
    });
  }
}

test('a QoS 2 PUBLISH resent with the same packet id before PUBREL is acknowledged again but routed once [MQTT-4.3.3-10]', async (t) => {
  const topic = topicFor('qos2-dup');
  const sub = await connect(t, 'sub');
  await subscribe(sub, topic);
  const pub = await connect(t, 'pub');
  const publishPacket = { cmd: 'publish', topic, payload: Buffer.from('once'), qos: 2, retain: false, dup: false, messageId: 42 } as const;
  pub.send(publishPacket);
  assert.equal((await pub.next('pubrec')).messageId, 42);
  pub.send({ ...publishPacket, dup: true });
  assert.equal((await pub.next('pubrec')).messageId, 42);
  pub.send({ cmd: 'pubrel', messageId: 42 });
  assert.equal((await pub.next('pubcomp')).messageId, 42);
  assert.equal(text(await sub.receive()), 'once');
  await sub.assertNothingMore();
  // After PUBCOMP the packet id is free: the same id now starts a new message.
  pub.send({ ...publishPacket, payload: Buffer.from('again') });
  assert.equal((await pub.next('pubrec')).messageId, 42);
  pub.send({ cmd: 'pubrel', messageId: 42 });
  await pub.next('pubcomp');
  assert.equal(text(await sub.receive()), 'again');
});

test('delivery QoS is the minimum of the publish QoS and the subscription QoS [MQTT-3.8.4-6]', async (t) => {
  const topic = topicFor('min-qos');
  const subscribers = new Map<QoS, RawClient>();
  for (const subQos of [0, 1, 2] as const) {
    const sub = await connect(t, `sub-q${subQos}`);
    assert.deepEqual(await subscribe(sub, [{ topic, qos: subQos }]), [subQos]);
    subscribers.set(subQos, sub);
  }
  const pub = await connect(t, 'pub');
  for (const pubQos of [0, 1, 2] as const) {
    await publish(pub, topic, `p${pubQos}`, { qos: pubQos });
    for (const [subQos, sub] of subscribers) {
      const delivered = await sub.receive();
      assert.equal(text(delivered), `p${pubQos}`);
      assert.equal(delivered.qos, Math.min(pubQos, subQos), `publish QoS ${pubQos} on a QoS ${subQos} subscription`);
    }
  }
  for (const sub of subscribers.values()) await sub.assertNothingMore();
});

// ── cross-version delivery ────────────────────────────────────────────────────────────────────────

const versionPairs: Array<[ProtocolVersion, ProtocolVersion]> = [[4, 5], [5, 4], [3, 5], [5, 3], [4, 4], [5, 5]];
for (const [from, to] of versionPairs) {
  test(`a message from an MQTT ${from === 3 ? '3.1' : from === 4 ? '3.1.1' : '5'} publisher reaches an MQTT ${to === 3 ? '3.1' : to === 4 ? '3.1.1' : '5'} subscriber`, async (t) => {
    const topic = topicFor('xver');
    const sub = await connect(t, 'sub', to);
    await subscribe(sub, [{ topic, qos: 1 }]);
    const pub = await connect(t, 'pub', from);
    const properties = from === 5 ? { userProperties: { origin: 'v5' }, contentType: 'text/plain' } : undefined;
    await publish(pub, topic, 'cross', { qos: 1, ...(properties ? { properties } : {}) });
    const delivered = await sub.receive();
    assert.equal(delivered.topic, topic);
    assert.equal(text(delivered), 'cross');
    assert.equal(delivered.qos, 1);
    if (to === 5 && from === 5) assert.deepEqual({ ...delivered.properties?.userProperties }, { origin: 'v5' });
    if (to !== 5) assert.equal(delivered.properties, undefined);
  });
}

// ── topic wildcards ───────────────────────────────────────────────────────────────────────────────

/** `root` is replaced by the test's own topic root so that cases do not see each other's messages. */
const wildcardCases: Array<{ filter: string; topic: string; matches: boolean; id?: string }> = [
  { filter: 'root/+', topic: 'root/a', matches: true, id: '[MQTT-4.7.1-3]' },
  { filter: 'root/+', topic: 'root/a/b', matches: false },
  { filter: 'root/+', topic: 'root', matches: false },
  { filter: 'root/+/c', topic: 'root//c', matches: true },
  { filter: 'root/+/+', topic: 'root/a/b', matches: true },
  { filter: 'root/#', topic: 'root/a/b/c', matches: true, id: '[MQTT-4.7.1-2]' },
  { filter: 'root/#', topic: 'root', matches: true, id: '(§4.7.1.2)' },
  { filter: 'root/#', topic: 'root/', matches: true },
  { filter: 'root/a/#', topic: 'root/b', matches: false },
  { filter: 'root/a', topic: 'root/A', matches: false, id: '[MQTT-4.7.3-4]' },
  { filter: '#', topic: 'root/any/depth', matches: true },
  { filter: '+/+/+', topic: 'root/a/b', matches: true },
  { filter: '#', topic: '$root/x', matches: false, id: '[MQTT-4.7.2-1]' },
  { filter: '+/x', topic: '$root/x', matches: false, id: '[MQTT-4.7.2-1]' },
  { filter: '+/#', topic: '$root/x', matches: false, id: '[MQTT-4.7.2-1]' },
  { filter: '$root/#', topic: '$root/x', matches: true },
  { filter: '$root/+', topic: '$root/x', matches: true },
];

for (const { filter, topic, matches, id } of wildcardCases) {
  test(`filter '${filter}' ${matches ? 'matches' : 'does not match'} topic '${topic}'${id ? ` ${id}` : ''}`, async (t) => {
    const root = `w${++unique}`;
    const realFilter = filter.replace('root', root);
    const realTopic = topic.replace('root', root);
    const sub = await connect(t, 'sub');
    // Retain Handling 2: stored messages of other tests must not count as matches here.
    assert.deepEqual(await subscribe(sub, [{ topic: realFilter, qos: 0, rh: 2 }]), [0]);
    const pub = await connect(t, 'pub');
    await publish(pub, realTopic, 'w');
    if (matches) assert.equal((await sub.receive()).topic, realTopic);
    await sub.assertNothingMore();
  });
}

// ── overlapping subscriptions ─────────────────────────────────────────────────────────────────────

test('overlapping subscriptions: one copy at the highest QoS carrying every Subscription Identifier [MQTT-3.3.4-2] [MQTT-3.3.4-3] [MQTT-3.3.4-4]', async (t) => {
  const root = topicFor('overlap');
  const sub = await connect(t, 'sub');
  assert.deepEqual(await subscribe(sub, [{ topic: `${root}/+`, qos: 0 }], { subscriptionIdentifier: 11 }), [0]);
  assert.deepEqual(await subscribe(sub, [{ topic: `${root}/#`, qos: 2 }], { subscriptionIdentifier: 22 }), [2]);
  assert.deepEqual(await subscribe(sub, [{ topic: `${root}/a`, qos: 1 }]), [1]);
  const pub = await connect(t, 'pub');
  await publish(pub, `${root}/a`, 'o', { qos: 2 });
  const delivered = await sub.receive();
  assert.equal(delivered.qos, 2);
  const ids = delivered.properties?.subscriptionIdentifier;
  assert.deepEqual((Array.isArray(ids) ? ids : [ids]).sort((a, b) => (a ?? 0) - (b ?? 0)), [11, 22]);
  await sub.assertNothingMore();
});

test('overlapping subscriptions of a 3.1.1 client: one copy at the highest QoS [MQTT-3.3.4-2]', async (t) => {
  const root = topicFor('overlap3');
  const sub = await connect(t, 'sub', 4);
  assert.deepEqual(await subscribe(sub, [{ topic: `${root}/+`, qos: 1 }, { topic: `${root}/#`, qos: 0 }]), [1, 0]);
  const pub = await connect(t, 'pub', 4);
  await publish(pub, `${root}/a`, 'o', { qos: 2 });
  assert.equal((await sub.receive()).qos, 1);
  await sub.assertNothingMore();
});

test('a SUBSCRIBE to an existing filter replaces its options, and messages are not duplicated [MQTT-3.8.4-3]', async (t) => {
  const topic = topicFor('replace');
  const sub = await connect(t, 'sub');
  assert.deepEqual(await subscribe(sub, [{ topic, qos: 0 }], { subscriptionIdentifier: 1 }), [0]);
  assert.deepEqual(await subscribe(sub, [{ topic, qos: 2 }], { subscriptionIdentifier: 2 }), [2]);
  const pub = await connect(t, 'pub');
  await publish(pub, topic, 'r', { qos: 2 });
  const delivered = await sub.receive();
  assert.equal(delivered.qos, 2);
  assert.deepEqual([delivered.properties?.subscriptionIdentifier].flat(), [2]);
  await sub.assertNothingMore();
});

test('a replacing SUBSCRIBE with Retain Handling 0 re-sends the retained message [MQTT-3.8.4-3]', async (t) => {
  const topic = topicFor('replace-retained');
  clearRetainedAfter(t, topic);
  const pub = await connect(t, 'pub');
  await publish(pub, topic, 'kept', { qos: 1, retain: true });
  const sub = await connect(t, 'sub');
  await subscribe(sub, [{ topic, qos: 1 }]);
  assert.equal(text(await sub.receive()), 'kept');
  await subscribe(sub, [{ topic, qos: 0 }]);
  const again = await sub.receive();
  assert.equal(text(again), 'kept');
  assert.equal(again.retain, true);
  await sub.assertNothingMore();
});

// ── UNSUBSCRIBE ───────────────────────────────────────────────────────────────────────────────────

test('v5 UNSUBACK carries 0x00 for a removed subscription and 0x11 for none, and delivery stops [MQTT-3.10.4-1] [MQTT-3.11.3-1]', async (t) => {
  const topic = topicFor('unsub');
  const sub = await connect(t, 'sub');
  await subscribe(sub, topic);
  sub.send({ cmd: 'unsubscribe', messageId: 77, unsubscriptions: [topic, `${topic}/never`] });
  const unsuback = (await sub.next('unsuback')) as IUnsubackPacket;
  assert.equal(unsuback.messageId, 77);
  assert.deepEqual(unsuback.granted, [0x00, 0x11]);
  const pub = await connect(t, 'pub');
  await publish(pub, topic, 'gone', { qos: 1 });
  await sub.assertNothingMore();
});

test('3.1.1 UNSUBACK echoes the packet id and delivery stops [MQTT-3.10.4-4] [MQTT-3.10.4-1]', async (t) => {
  const topic = topicFor('unsub3');
  const sub = await connect(t, 'sub', 4);
  await subscribe(sub, [{ topic, qos: 1 }]);
  sub.send({ cmd: 'unsubscribe', messageId: 78, unsubscriptions: [topic] });
  assert.equal((await sub.next('unsuback')).messageId, 78);
  const pub = await connect(t, 'pub', 4);
  await publish(pub, topic, 'gone', { qos: 1 });
  await sub.assertNothingMore();
});

test('UNSUBSCRIBE of one filter leaves the client\'s other subscriptions working', async (t) => {
  const root = topicFor('unsub-other');
  const sub = await connect(t, 'sub');
  await subscribe(sub, [{ topic: `${root}/a`, qos: 0 }, { topic: `${root}/+`, qos: 0 }]);
  sub.send({ cmd: 'unsubscribe', messageId: 79, unsubscriptions: [`${root}/a`] });
  assert.deepEqual(((await sub.next('unsuback')) as IUnsubackPacket).granted, [0]);
  const pub = await connect(t, 'pub');
  await publish(pub, `${root}/a`, 'via-plus');
  assert.equal(text(await sub.receive()), 'via-plus');
  await sub.assertNothingMore();
});

// ── subscription options ──────────────────────────────────────────────────────────────────────────

for (const noLocal of [true, false]) {
  test(`No Local ${noLocal ? '1: own messages are not sent back' : '0: own messages are sent back'} [MQTT-3.8.3-3]`, async (t) => {
    const topic = topicFor('nolocal');
    const self = await connect(t, 'self');
    await subscribe(self, [{ topic, qos: 1, nl: noLocal }]);
    const other = await connect(t, 'other');
    await subscribe(other, [{ topic, qos: 1 }]);
    await publish(self, topic, 'mine', { qos: 1 });
    assert.equal(text(await other.receive()), 'mine');
    if (!noLocal) assert.equal(text(await self.receive()), 'mine');
    await self.assertNothingMore();
    // A message from someone else still reaches a No Local subscriber.
    await publish(other, topic, 'theirs', { qos: 1 });
    assert.equal(text(await self.receive()), 'theirs');
  });
}

test('Retain As Published: 1 keeps RETAIN=1 on a live retained message, 0 clears it [MQTT-3.3.1-12] [MQTT-3.3.1-13]', async (t) => {
  const topic = topicFor('rap');
  clearRetainedAfter(t, topic);
  const keep = await connect(t, 'rap1');
  await subscribe(keep, [{ topic, qos: 1, rap: true }]);
  const clear = await connect(t, 'rap0');
  await subscribe(clear, [{ topic, qos: 1, rap: false }]);
  const pub = await connect(t, 'pub');
  await publish(pub, topic, 'live', { qos: 1, retain: true });
  assert.equal((await keep.receive()).retain, true);
  assert.equal((await clear.receive()).retain, false);
  await publish(pub, topic, 'not-retained', { qos: 1, retain: false });
  assert.equal((await keep.receive()).retain, false);
  assert.equal((await clear.receive()).retain, false);
});

const retainHandlingCases: Array<{ rh: 0 | 1 | 2; first: boolean; resubscribe: boolean; id: string }> = [
  { rh: 0, first: true, resubscribe: true, id: '[MQTT-3.3.1-9]' },
  { rh: 1, first: true, resubscribe: false, id: '[MQTT-3.3.1-10]' },
  { rh: 2, first: false, resubscribe: false, id: '[MQTT-3.3.1-11]' },
];
for (const { rh, first, resubscribe, id } of retainHandlingCases) {
  test(`Retain Handling ${rh}: retained sent on subscribe: ${first}, on re-subscribe: ${resubscribe} ${id}`, async (t) => {
    const topic = topicFor(`rh${rh}`);
    clearRetainedAfter(t, topic);
    const pub = await connect(t, 'pub');
    await publish(pub, topic, 'stored', { qos: 1, retain: true });
    const sub = await connect(t, 'sub');
    for (const expected of [first, resubscribe]) {
      await subscribe(sub, [{ topic, qos: 1, rh }]);
      if (expected) {
        const delivered = await sub.receive();
        assert.equal(text(delivered), 'stored');
        assert.equal(delivered.retain, true);
      }
      await sub.assertNothingMore();
    }
  });
}

// ── retained messages ─────────────────────────────────────────────────────────────────────────────

test('a retained message is stored and replaced by the next one; new subscribers get the latest with RETAIN=1 [MQTT-3.3.1-5] [MQTT-3.3.1-9]', async (t) => {
  const topic = topicFor('retained');
  clearRetainedAfter(t, topic);
  const pub = await connect(t, 'pub', 4);
  await publish(pub, topic, 'v1', { qos: 1, retain: true });
  await publish(pub, topic, 'v2', { qos: 1, retain: true });
  // A non-retained publish neither stores nor removes anything [MQTT-3.3.1-8].
  await publish(pub, topic, 'transient', { qos: 1, retain: false });
  for (const version of [4, 5] as const) {
    const sub = await connect(t, `sub-v${version}`, version);
    await subscribe(sub, [{ topic, qos: 1 }]);
    const delivered = await sub.receive();
    assert.equal(text(delivered), 'v2');
    assert.equal(delivered.retain, true);
    assert.equal(delivered.qos, 1);
    await sub.assertNothingMore();
  }
});

test('an empty retained publish clears the stored message but still reaches current subscribers [MQTT-3.3.1-6] [MQTT-3.3.1-7]', async (t) => {
  const topic = topicFor('retained-clear');
  const pub = await connect(t, 'pub');
  await publish(pub, topic, 'soon-gone', { qos: 1, retain: true });
  const current = await connect(t, 'current');
  await subscribe(current, [{ topic, qos: 1 }]);
  assert.equal(text(await current.receive()), 'soon-gone');
  await publish(pub, topic, '', { qos: 1, retain: true });
  const empty = await current.receive();
  assert.equal(empty.payload.length, 0);
  assert.equal(empty.retain, false);
  const later = await connect(t, 'later');
  await subscribe(later, [{ topic, qos: 1 }]);
  await later.assertNothingMore();
});

test('retained messages are delivered on a wildcard subscription with RETAIN=1; live copies carry RETAIN=0 [MQTT-3.3.1-9] [MQTT-3.3.1-12]', async (t) => {
  const root = topicFor('retained-wild');
  const topics = [`${root}/a`, `${root}/b/c`];
  for (const topic of topics) clearRetainedAfter(t, topic);
  const pub = await connect(t, 'pub');
  for (const topic of topics) await publish(pub, topic, topic, { qos: 1, retain: true });
  await publish(pub, `${root}/not-retained`, 'x', { qos: 1 });
  const sub = await connect(t, 'sub');
  await subscribe(sub, [{ topic: `${root}/#`, qos: 1 }]);
  const stored = [await sub.receive(), await sub.receive()];
  assert.deepEqual(stored.map((p) => p.topic).sort(), topics);
  for (const p of stored) {
    assert.equal(p.retain, true);
    assert.equal(text(p), p.topic);
  }
  await sub.assertNothingMore();
  await publish(pub, `${root}/a`, 'live', { qos: 1, retain: true });
  const live = await sub.receive();
  assert.equal(text(live), 'live');
  assert.equal(live.retain, false);
});

test('a retained message reaches a new subscriber at the lower of its QoS and the subscription QoS [MQTT-3.8.4-6]', async (t) => {
  const topic = topicFor('retained-qos');
  clearRetainedAfter(t, topic);
  const pub = await connect(t, 'pub');
  await publish(pub, topic, 'q2', { qos: 2, retain: true });
  for (const subQos of [0, 1, 2] as const) {
    const sub = await connect(t, `sub-q${subQos}`);
    await subscribe(sub, [{ topic, qos: subQos }]);
    assert.equal((await sub.receive()).qos, subQos);
  }
});

// ── shared subscriptions ──────────────────────────────────────────────────────────────────────────

test('shared subscription: messages go round robin to the online members, v5 and 3.1.1 alike (§4.8.2)', async (t) => {
  const topic = topicFor('share-rr');
  const members = [await connect(t, 'm5', 5), await connect(t, 'm4', 4)];
  for (const m of members) assert.deepEqual(await subscribe(m, [{ topic: `$share/g/${topic}`, qos: 1 }]), [1]);
  const pub = await connect(t, 'pub');
  for (let i = 0; i < 6; i++) await publish(pub, topic, String(i), { qos: 1 });
  const got = [];
  for (const m of members) {
    const mine = [await m.receive(), await m.receive(), await m.receive()];
    await m.assertNothingMore();
    for (const p of mine) assert.equal(p.topic, topic);
    got.push(mine.map(text));
  }
  // Strict alternation: each member gets every other message.
  assert.deepEqual(got.flat().sort(), ['0', '1', '2', '3', '4', '5']);
  const parity = (xs: string[]): number[] => xs.map((x) => Number(x) % 2);
  assert.ok(new Set(parity(got[0] ?? [])).size === 1 && new Set(parity(got[1] ?? [])).size === 1, `alternating: ${JSON.stringify(got)}`);
});

test('shared subscription: an offline member of a persistent session stays in the group but is skipped while another member is online', async (t) => {
  const topic = topicFor('share-offline');
  const persistent = { clientId: `gone-${++unique}`, clean: false, properties: { sessionExpiryInterval: 60 } };
  const gone = await connect(t, 'gone', 5, persistent);
  const stays = await connect(t, 'stays');
  for (const m of [gone, stays]) await subscribe(m, [{ topic: `$share/g/${topic}`, qos: 1 }]);
  await gone.disconnect();
  const pub = await connect(t, 'pub');
  for (let i = 0; i < 3; i++) await publish(pub, topic, String(i), { qos: 1 });
  assert.deepEqual([await stays.receive(), await stays.receive(), await stays.receive()].map(text), ['0', '1', '2']);
  // Nothing was queued for the offline member either.
  const { client: back, connack } = await RawClient.connect(hako.ports.mqtt, persistent, 5);
  t.after(() => back.destroy());
  assert.equal(connack.sessionPresent, true);
  await back.assertNothingMore();
  await back.disconnect({ sessionExpiryInterval: 0 });
});

test('shared subscription: each matching group gets one copy and ordinary subscribers get theirs (§4.8.2)', async (t) => {
  const topic = topicFor('share-groups');
  const g1 = [await connect(t, 'g1a'), await connect(t, 'g1b')];
  const g2 = await connect(t, 'g2');
  const plain = await connect(t, 'plain');
  for (const m of g1) await subscribe(m, [{ topic: `$share/g1/${topic}`, qos: 1 }]);
  await subscribe(g2, [{ topic: `$share/g2/${topic.split('/').slice(0, -1).join('/')}/+`, qos: 1 }]);
  await subscribe(plain, [{ topic, qos: 1 }]);
  const pub = await connect(t, 'pub');
  await publish(pub, topic, 'one', { qos: 1 });
  assert.equal(text(await g2.receive()), 'one');
  assert.equal(text(await plain.receive()), 'one');
  for (const c of [...g1, g2, plain]) await c.sync();
  const g1Copies = g1.reduce((n, m) => n + m.received.filter((p) => p.cmd === 'publish').length, 0);
  assert.equal(g1Copies, 1, 'exactly one member of group g1 gets the message');
  await g2.assertNothingMore();
  await plain.assertNothingMore();
});

test('shared subscription: no retained message is sent on subscribe (§4.8.2)', async (t) => {
  const topic = topicFor('share-retained');
  clearRetainedAfter(t, topic);
  const pub = await connect(t, 'pub');
  await publish(pub, topic, 'stored', { qos: 1, retain: true });
  for (const version of [4, 5] as const) {
    const member = await connect(t, `m${version}`, version);
    await subscribe(member, [{ topic: `$share/g/${topic}`, qos: 1 }]);
    await member.assertNothingMore();
  }
});

for (const filter of ['$share/g+/x', '$share/#/x', '$share//x', '$share/g', '$share/g/']) {
  test(`shared subscription with an invalid share name or no filter '${filter}' → SUBACK 0x8F (3.1.1: 0x80) [MQTT-4.8.2-1] [MQTT-4.8.2-2]`, async (t) => {
    const v5 = await connect(t, 'v5');
    assert.deepEqual(await subscribe(v5, [{ topic: filter, qos: 0 }, { topic: topicFor('ok'), qos: 0 }]), [0x8f, 0]);
    const v4 = await connect(t, 'v4', 4);
    assert.deepEqual(await subscribe(v4, [{ topic: filter, qos: 0 }]), [0x80]);
  });
}

test('No Local on a shared subscription → DISCONNECT 0x82 [MQTT-3.8.3-4]', async (t) => {
  const client = await connect(t, 'nl-shared');
  client.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: `$share/g/${topicFor('nl')}`, qos: 0, nl: true }] });
  const disconnect = (await client.next('disconnect')) as IDisconnectPacket;
  assert.equal(disconnect.reasonCode, 0x82);
  await client.closed;
  assert.equal(client.received.filter((p) => p.cmd === 'suback').length, 0);
});
