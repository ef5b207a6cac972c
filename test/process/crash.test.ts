/**
 * @module test/process/crash.test — the durability promise of `hako start` under `kill -9`: a QoS 1/2
 * publish that was acknowledged survives a crash of the process, for offline and online persistent
 * subscribers and for retained messages (README "The data directory"; [MQTT-4.1.0-1], [MQTT-4.4.0-1]).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IConnackPacket, IPublishPacket, ISubackPacket, Packet } from 'mqtt-packet';
import { RawClient, type ProtocolVersion } from '../helpers/raw-client.js';
import { startHakoProcess, tempDir, waitForExit, type HakoProcess } from '../helpers/process-hako.js';

/** Below hako's Receive Maximum (100): a publisher never has more than this many publishes unacknowledged. */
const WINDOW = 50;
/** Size of the payloads in the last window before the kill (AWS IoT's limit is 128 KiB). */
const LARGE_PAYLOAD = 64 * 1024;
/** Generous per-packet wait: hundreds of messages through a freshly started process on a busy machine. */
const PACKET_TIMEOUT_MS = 5000;

interface Outgoing {
  topic: string;
  payload: string;
  qos: 1 | 2;
  retain?: boolean;
}

/** Publishes in windows of WINDOW and resolves once every one is acknowledged (PUBACK, or PUBREC→PUBREL→PUBCOMP). */
async function publishAll(client: RawClient, messages: Outgoing[]): Promise<void> {
  let nextId = 1;
  for (let start = 0; start < messages.length; start += WINDOW) {
    const batch = messages.slice(start, start + WINDOW).map((m) => ({ ...m, messageId: nextId++ }));
    for (const m of batch) {
      client.send({ cmd: 'publish', topic: m.topic, payload: Buffer.from(m.payload), qos: m.qos, retain: m.retain ?? false, dup: false, messageId: m.messageId });
    }
    const qos1 = batch.filter((m) => m.qos === 1);
    const qos2 = batch.filter((m) => m.qos === 2);
    const pubacks = await client.collect('puback', qos1.length, PACKET_TIMEOUT_MS);
    assert.deepEqual(pubacks.map((p) => p.messageId), qos1.map((m) => m.messageId), 'PUBACKs in publish order');
    for (const p of pubacks) assert.ok(((p as { reasonCode?: number }).reasonCode ?? 0) < 0x80, `PUBACK ${p.messageId} is a success`);
    const pubrecs = await client.collect('pubrec', qos2.length, PACKET_TIMEOUT_MS);
    assert.deepEqual(pubrecs.map((p) => p.messageId), qos2.map((m) => m.messageId), 'PUBRECs in publish order');
    for (const p of pubrecs) client.send({ cmd: 'pubrel', messageId: p.messageId as number });
    const pubcomps = await client.collect('pubcomp', qos2.length, PACKET_TIMEOUT_MS);
    assert.deepEqual(pubcomps.map((p) => p.messageId), qos2.map((m) => m.messageId));
  }
}

interface Subscriber {
  clientId: string;
  version: ProtocolVersion;
  filter: string;
  qos: 1 | 2;
}

/** Connects with a persistent session: clean session 0 (3.1.1) or clean start 0 with a session expiry (5). */
async function connectPersistent(port: number, sub: Subscriber): Promise<{ client: RawClient; connack: IConnackPacket }> {
  const properties = sub.version === 5 ? { properties: { sessionExpiryInterval: 3600 } } : {};
  return RawClient.connect(port, { clientId: sub.clientId, clean: false, ...properties }, sub.version);
}

async function subscribe(client: RawClient, filter: string, qos: 1 | 2): Promise<void> {
  client.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: filter, qos }] });
  const suback = (await client.next('suback')) as ISubackPacket;
  assert.deepEqual(suback.granted, [qos]);
}

/** SIGKILL, as `kill -9` does, and waits for the process to be gone. */
async function crash(hako: HakoProcess): Promise<void> {
  hako.child.kill('SIGKILL');
  const exit = await waitForExit(hako);
  assert.equal(exit.signal, 'SIGKILL');
}

/** Acknowledges a delivery the way its QoS asks, completing the QoS 2 exchange. */
async function acknowledge(client: RawClient, publish: IPublishPacket): Promise<void> {
  const messageId = publish.messageId as number;
  if (publish.qos === 1) client.send({ cmd: 'puback', messageId });
  if (publish.qos === 2) {
    client.send({ cmd: 'pubrec', messageId });
    const pubrel = await client.next('pubrel', PACKET_TIMEOUT_MS);
    assert.equal(pubrel.messageId, messageId);
    client.send({ cmd: 'pubcomp', messageId });
  }
}

/** Up to `count` publishes; fewer if the server stops sending (the caller's assertions then say which are missing). */
async function receiveUpTo(client: RawClient, count: number): Promise<IPublishPacket[]> {
  const received: IPublishPacket[] = [];
  while (received.length < count) {
    try {
      received.push((await client.next('publish', PACKET_TIMEOUT_MS)) as IPublishPacket);
    } catch {
      break;
    }
  }
  return received;
}

/** Anything still unread after a PINGREQ round trip: what the server sent beyond what the test consumed. */
async function leftovers(client: RawClient): Promise<Packet[]> {
  await client.sync();
  return client.received.splice(0);
}

test('kill -9 after the last acknowledgement: offline persistent subscribers get every acknowledged message after the restart', async (t) => {
  const N = 500;
  const N_QOS2 = 50;
  const dataDir = tempDir(t);
  const subscribers: Subscriber[] = [
    { clientId: 'crash-v311-q1', version: 4, filter: 'crash/data/#', qos: 1 },
    { clientId: 'crash-v5-q1', version: 5, filter: 'crash/data/#', qos: 1 },
    { clientId: 'crash-v5-q2', version: 5, filter: 'crash/data/+', qos: 2 },
  ];
  const first = await startHakoProcess(t, dataDir);
  for (const sub of subscribers) {
    const { client, connack } = await connectPersistent(first.ports.mqtt, sub);
    assert.equal(connack.sessionPresent, false);
    await subscribe(client, sub.filter, sub.qos);
    await client.disconnect();
  }

  // QoS 2 first, then QoS 1; the last window carries large payloads, so its batch takes the store a while to
  // write: a PUBACK sent before that write finished would let the kill land in the middle of it.
  const published: Outgoing[] = [];
  for (let i = 0; i < N_QOS2; i++) published.push({ topic: 'crash/data/exactly-once', payload: `q2-${i}`, qos: 2 });
  for (let i = 0; i < N; i++) {
    const payload = i < N - WINDOW ? `q1-${i}` : `q1-${i}-`.padEnd(LARGE_PAYLOAD, String.fromCharCode(97 + (i % 26)));
    published.push({ topic: `crash/data/${i % 7}`, payload, qos: 1 });
  }
  const { client: publisher } = await RawClient.connect(first.ports.mqtt, { clientId: 'crash-publisher' }, 5);
  await publishAll(publisher, published);
  await crash(first.hako); // straight after the last acknowledgement arrived
  await publisher.closed;

  const second = await startHakoProcess(t, dataDir);
  for (const sub of subscribers) {
    await t.test(`${sub.clientId} (MQTT ${sub.version === 4 ? '3.1.1' : '5'}, subscribed at QoS ${sub.qos})`, async () => {
      const { client, connack } = await connectPersistent(second.ports.mqtt, sub);
      assert.equal(connack.sessionPresent, true, 'the session survived the crash');
      const received = await receiveUpTo(client, published.length);
      for (const publish of received) await acknowledge(client, publish);
      const extra = (await leftovers(client)).filter((p): p is IPublishPacket => p.cmd === 'publish');
      const all = [...received, ...extra];
      const payloads = all.map((p) => p.payload.toString());
      const duplicates = payloads.length - new Set(payloads).size;
      t.diagnostic(`${sub.clientId}: ${all.length} deliveries of ${published.length} messages, ${duplicates} duplicates`);
      const receivedSet = new Set(payloads);
      const publishedSet = new Set(published.map((m) => m.payload));
      const short = (payload: string): string => payload.slice(0, 12);
      assert.deepEqual(published.filter((m) => !receivedSet.has(m.payload)).map((m) => short(m.payload)), [], 'acknowledged but never delivered');
      assert.deepEqual(payloads.filter((p) => !publishedSet.has(p)).map(short), [], 'delivered but never published');
      // First deliveries keep the publisher's order [MQTT-4.6.0-6]: the queue was never sent, so none is a resend.
      assert.ok(received.every((p, i) => p.payload.toString() === published[i]?.payload), 'in the order published');
      for (const [i, p] of received.entries()) {
        const sent = published[i] as Outgoing;
        assert.equal(p.topic, sent.topic);
        assert.equal(p.qos, Math.min(sent.qos, sub.qos), `QoS of ${sent.payload}`);
        assert.equal(p.dup, false, `${sent.payload} is a new delivery, not a resend`);
      }
      assert.equal(duplicates, 0);
      await client.disconnect();
    });
  }
});

test('kill -9 with deliveries in flight: an online persistent subscriber that never acknowledged gets them again with DUP=1', async (t) => {
  const K = 40;
  const dataDir = tempDir(t);
  const subscribers: Subscriber[] = [
    { clientId: 'inflight-v311', version: 4, filter: 'inflight/#', qos: 1 },
    { clientId: 'inflight-v5', version: 5, filter: 'inflight/#', qos: 1 },
    { clientId: 'inflight-v5-q2', version: 5, filter: 'inflight/#', qos: 2 },
  ];
  const first = await startHakoProcess(t, dataDir);
  const online: RawClient[] = [];
  for (const sub of subscribers) {
    const { client } = await connectPersistent(first.ports.mqtt, sub);
    await subscribe(client, sub.filter, sub.qos);
    online.push(client);
  }
  const published: Outgoing[] = [];
  for (let i = 0; i < K; i++) published.push({ topic: 'inflight/data', payload: `inflight-${i}`, qos: i % 4 === 3 ? 2 : 1 });
  const { client: publisher } = await RawClient.connect(first.ports.mqtt, { clientId: 'inflight-publisher' }, 5);
  await publishAll(publisher, published);
  // Each subscriber has every message and acknowledges none of them.
  const firstDeliveries: IPublishPacket[][] = [];
  for (const client of online) firstDeliveries.push((await client.collect('publish', K, PACKET_TIMEOUT_MS)) as IPublishPacket[]);
  for (const deliveries of firstDeliveries) assert.ok(deliveries.every((p) => !p.dup), 'first deliveries have DUP=0');
  await crash(first.hako);
  await Promise.all([publisher.closed, ...online.map((c) => c.closed)]);

  const second = await startHakoProcess(t, dataDir);
  for (const [index, sub] of subscribers.entries()) {
    await t.test(`${sub.clientId} (MQTT ${sub.version === 4 ? '3.1.1' : '5'}, QoS ${sub.qos})`, async () => {
      const before = firstDeliveries[index] as IPublishPacket[];
      const { client, connack } = await connectPersistent(second.ports.mqtt, sub);
      assert.equal(connack.sessionPresent, true);
      const again = (await client.collect('publish', K, PACKET_TIMEOUT_MS)) as IPublishPacket[];
      // Resent with DUP=1 and the same packet identifiers, in the original order [MQTT-4.4.0-1], [MQTT-3.3.1-1].
      assert.deepEqual(again.map((p) => p.payload.toString()), before.map((p) => p.payload.toString()));
      assert.deepEqual(again.map((p) => p.messageId), before.map((p) => p.messageId));
      assert.deepEqual(again.map((p) => p.qos), before.map((p) => p.qos));
      assert.ok(again.every((p) => p.dup), `every resend has DUP=1; DUP=0 on ${again.filter((p) => !p.dup).map((p) => p.payload.toString()).join(', ')}`);
      for (const publish of again) await acknowledge(client, publish);
      assert.deepEqual((await leftovers(client)).map((p) => p.cmd), [], 'nothing beyond the resends');
      await client.disconnect();
    });
  }
});

test('kill -9 right after a retained publish is acknowledged: the retained state survives', async (t) => {
  const dataDir = tempDir(t);
  const first = await startHakoProcess(t, dataDir);
  const { client: publisher } = await RawClient.connect(first.ports.mqtt, { clientId: 'retain-publisher' }, 4);
  await publishAll(publisher, [
    { topic: 'retained/replaced', payload: 'old', qos: 1, retain: true },
    { topic: 'retained/cleared', payload: 'gone soon', qos: 1, retain: true },
    { topic: 'retained/replaced', payload: 'new', qos: 1, retain: true },
    { topic: 'retained/cleared', payload: '', qos: 1, retain: true },
    { topic: 'retained/last', payload: 'just before the crash', qos: 1, retain: true },
  ]);
  await crash(first.hako);
  await publisher.closed;

  const second = await startHakoProcess(t, dataDir);
  const { client } = await RawClient.connect(second.ports.mqtt, { clientId: 'retain-reader' }, 5);
  await subscribe(client, 'retained/#', 1);
  const delivered = (await leftovers(client)).filter((p): p is IPublishPacket => p.cmd === 'publish');
  const byTopic = Object.fromEntries(delivered.map((p) => [p.topic, p.payload.toString()]));
  assert.deepEqual(byTopic, { 'retained/replaced': 'new', 'retained/last': 'just before the crash' });
  assert.ok(delivered.every((p) => p.retain && p.qos === 1), 'delivered as retained messages at QoS 1');
  await client.disconnect();
});
