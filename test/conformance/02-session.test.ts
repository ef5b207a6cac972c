/**
 * @module test/conformance/02-session — spec area 2: session state [MQTT-4.1]: Clean Session / Clean Start
 * and Session Expiry, takeover, redelivery of unacknowledged messages, the offline queue, and sessions
 * and retained messages surviving a restart.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IConnectPacket, IDisconnectPacket, IPublishPacket, IPubrelPacket, ISubackPacket, QoS } from 'mqtt-packet';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { RawClient, type ProtocolVersion } from '../helpers/raw-client.js';

let hako: TestHako;
let port: number;
/** Publishes for most tests; its own session is irrelevant. */
let publisher: RawClient;

before(async () => {
  hako = await startTestHako();
  port = hako.ports.mqtt;
  publisher = (await RawClient.connect(port, { clientId: 'c02-publisher' }, 5)).client;
});

after(async () => {
  await publisher.disconnect();
  await hako.close();
});

// ── helpers ───────────────────────────────────────────────────────────────────────────────────────

type ConnectFields = Partial<IConnectPacket> & { clientId: string };

/** v5 CONNECT fields for a session that outlives its connection. */
function persistent5(clientId: string, sessionExpiryInterval = 300, clean = false): ConnectFields {
  return { clientId, clean, properties: { sessionExpiryInterval } };
}

let nextId = 1;

async function subscribe(client: RawClient, topic: string, qos: QoS = 1): Promise<void> {
  const messageId = nextId++;
  client.send({ cmd: 'subscribe', messageId, subscriptions: [{ topic, qos }] });
  const suback = (await client.next('suback')) as ISubackPacket;
  assert.equal(suback.messageId, messageId);
  assert.deepEqual(suback.granted, [qos]);
}

/** Publishes and, for QoS 1, waits for PUBACK: the message has been routed (and stored) by then. */
async function publish(client: RawClient, topic: string, payload: string, qos: QoS = 1, retain = false): Promise<void> {
  const packet: IPublishPacket = { cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain, dup: false };
  if (qos === 0) {
    client.send(packet);
    await client.sync();
    return;
  }
  packet.messageId = nextId++;
  client.send(packet);
  const ack = await client.next(qos === 1 ? 'puback' : 'pubrec');
  assert.equal(ack.messageId, packet.messageId);
  if (qos === 2) {
    client.send({ cmd: 'pubrel', messageId: packet.messageId });
    await client.next('pubcomp');
  }
}

async function nextPublish(client: RawClient, timeoutMs?: number): Promise<IPublishPacket> {
  return (await client.next('publish', timeoutMs)) as IPublishPacket;
}

async function metric(target: TestHako, name: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${target.ports.http}/metrics`);
  assert.equal(response.status, 200);
  const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(await response.text());
  assert.ok(match, `metric ${name} is exposed`);
  return Number(match[1]);
}

// ── MQTT 3.1.1 Clean Session ──────────────────────────────────────────────────────────────────────

test('[MQTT-3.2.2-2] (3.1.1) clean session 0 keeps subscriptions across reconnect, with sessionPresent 1', async () => {
  const first = await RawClient.connect(port, { clientId: 'c02-v4-keep', clean: false }, 4);
  assert.equal(first.connack.sessionPresent, false, '[MQTT-3.2.2-3] no session yet');
  await subscribe(first.client, 'c02/v4/keep');
  await first.client.disconnect();

  const second = await RawClient.connect(port, { clientId: 'c02-v4-keep', clean: false }, 4);
  assert.equal(second.connack.returnCode, 0);
  assert.equal(second.connack.sessionPresent, true);
  await publish(publisher, 'c02/v4/keep', 'still subscribed');
  const delivered = await nextPublish(second.client);
  assert.equal(delivered.payload.toString(), 'still subscribed');
  second.client.send({ cmd: 'puback', messageId: delivered.messageId as number });
  await second.client.disconnect();
});

test('[MQTT-3.2.2-1] (3.1.1) clean session 1 discards the stored session: sessionPresent 0, no subscriptions, nothing kept after', async () => {
  const first = await RawClient.connect(port, { clientId: 'c02-v4-clean', clean: false }, 4);
  await subscribe(first.client, 'c02/v4/clean');
  await first.client.disconnect();

  const clean = await RawClient.connect(port, { clientId: 'c02-v4-clean', clean: true }, 4);
  assert.equal(clean.connack.sessionPresent, false);
  await publish(publisher, 'c02/v4/clean', 'nobody listens');
  await clean.client.assertNothingMore('publish');
  await subscribe(clean.client, 'c02/v4/clean');
  await clean.client.disconnect();

  // [MQTT-3.1.2-6] a clean session ends with its connection: nothing to resume afterwards.
  const again = await RawClient.connect(port, { clientId: 'c02-v4-clean', clean: false }, 4);
  assert.equal(again.connack.sessionPresent, false);
  await again.client.disconnect();
});

// ── MQTT 5 Clean Start and Session Expiry ─────────────────────────────────────────────────────────

test('[MQTT-3.1.2-5] v5 Clean Start 0 with Session Expiry > 0 resumes the session: sessionPresent 1, subscriptions kept [MQTT-3.2.2-3]', async () => {
  const first = await RawClient.connect(port, persistent5('c02-v5-resume'), 5);
  assert.equal(first.connack.sessionPresent, false);
  await subscribe(first.client, 'c02/v5/resume');
  await first.client.disconnect();

  const second = await RawClient.connect(port, persistent5('c02-v5-resume'), 5);
  assert.equal(second.connack.sessionPresent, true);
  await publish(publisher, 'c02/v5/resume', 'resumed');
  assert.equal((await nextPublish(second.client)).payload.toString(), 'resumed');
  await second.client.disconnect();
});

test('[MQTT-3.1.2-4] v5 Clean Start 1 discards an existing session: sessionPresent 0 [MQTT-3.2.2-2], subscriptions gone', async () => {
  const first = await RawClient.connect(port, persistent5('c02-v5-cleanstart'), 5);
  await subscribe(first.client, 'c02/v5/cleanstart');
  await first.client.disconnect();

  const second = await RawClient.connect(port, persistent5('c02-v5-cleanstart', 300, true), 5);
  assert.equal(second.connack.sessionPresent, false);
  await publish(publisher, 'c02/v5/cleanstart', 'old subscription');
  await second.client.assertNothingMore('publish');
  await second.client.disconnect();
});

test('[MQTT-3.1.2-23] v5 Session Expiry absent (0): the session ends with the connection, even with Clean Start 0', async () => {
  const first = await RawClient.connect(port, { clientId: 'c02-v5-sei0', clean: false }, 5);
  await subscribe(first.client, 'c02/v5/sei0');
  await first.client.disconnect();

  await publish(publisher, 'c02/v5/sei0', 'while away');
  const second = await RawClient.connect(port, { clientId: 'c02-v5-sei0', clean: false }, 5);
  assert.equal(second.connack.sessionPresent, false);
  await second.client.assertNothingMore('publish');
  await second.client.disconnect();
});

test('[MQTT-3.1.2-23] v5 session expires after its Session Expiry Interval (1 s): sessionPresent 0 and its subscriptions stop routing', async () => {
  const first = await RawClient.connect(port, persistent5('c02-v5-expire', 1), 5);
  await subscribe(first.client, 'c02/v5/expire');
  await first.client.disconnect();
  // Session expiry is time-based: let the interval pass (the server's timer was set before this one).
  await new Promise((resolve) => setTimeout(resolve, 1100));

  await publish(publisher, 'c02/v5/expire', 'after expiry');
  const second = await RawClient.connect(port, persistent5('c02-v5-expire', 1), 5);
  assert.equal(second.connack.sessionPresent, false);
  await second.client.assertNothingMore('publish');
  await second.client.disconnect();
});

test('v5 DISCONNECT with Session Expiry Interval 0 ends a persistent session at once [MQTT-3.14.2.2.2]', async () => {
  const first = await RawClient.connect(port, persistent5('c02-v5-disc0'), 5);
  await subscribe(first.client, 'c02/v5/disc0');
  await first.client.disconnect({ sessionExpiryInterval: 0 });

  const second = await RawClient.connect(port, persistent5('c02-v5-disc0'), 5);
  assert.equal(second.connack.sessionPresent, false);
  await second.client.disconnect();
});

test('v5 DISCONNECT with a shorter Session Expiry Interval (1 s) replaces the one from CONNECT [MQTT-3.14.2.2.2]', async () => {
  const first = await RawClient.connect(port, persistent5('c02-v5-disc1', 300), 5);
  await subscribe(first.client, 'c02/v5/disc1');
  await first.client.disconnect({ sessionExpiryInterval: 1 });
  await new Promise((resolve) => setTimeout(resolve, 1100));

  const second = await RawClient.connect(port, persistent5('c02-v5-disc1', 300), 5);
  assert.equal(second.connack.sessionPresent, false, 'the session expired after the DISCONNECT interval, not the CONNECT one');
  await second.client.disconnect();
});

test('v5 DISCONNECT setting Session Expiry > 0 when CONNECT had 0 is a protocol error: DISCONNECT 0x82 without SEI [MQTT-3.14.2-2], session not kept', async () => {
  const first = await RawClient.connect(port, { clientId: 'c02-v5-disc-bad', clean: false }, 5);
  await subscribe(first.client, 'c02/v5/discbad');
  first.client.send({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 300 } });
  const disconnect = (await first.client.next('disconnect')) as IDisconnectPacket;
  assert.equal(disconnect.reasonCode, 0x82);
  assert.equal(disconnect.properties?.sessionExpiryInterval, undefined);
  await first.client.expectClosed();

  const second = await RawClient.connect(port, { clientId: 'c02-v5-disc-bad', clean: false }, 5);
  assert.equal(second.connack.sessionPresent, false);
  await second.client.disconnect();
});

// ── takeover ──────────────────────────────────────────────────────────────────────────────────────

test('[MQTT-3.1.4-3] v5 takeover: the old connection gets DISCONNECT 0x8E and is closed; the new one (Clean Start 0) keeps the session', async () => {
  const old = await RawClient.connect(port, persistent5('c02-take5'), 5);
  await subscribe(old.client, 'c02/take5');

  const fresh = await RawClient.connect(port, persistent5('c02-take5'), 5);
  assert.equal(fresh.connack.reasonCode, 0);
  assert.equal(fresh.connack.sessionPresent, true);
  const disconnect = (await old.client.next('disconnect')) as IDisconnectPacket;
  assert.equal(disconnect.reasonCode, 0x8e);
  await old.client.expectClosed();

  await publish(publisher, 'c02/take5', 'to the new connection');
  assert.equal((await nextPublish(fresh.client)).payload.toString(), 'to the new connection');
  assert.deepEqual(old.client.received.map((p) => p.cmd), []);
  await fresh.client.disconnect();
});

test('[MQTT-3.1.4-3] v5 takeover with Clean Start 1: the old connection is closed and the session starts empty', async () => {
  const old = await RawClient.connect(port, persistent5('c02-take5-clean'), 5);
  await subscribe(old.client, 'c02/take5clean');

  const fresh = await RawClient.connect(port, persistent5('c02-take5-clean', 300, true), 5);
  assert.equal(fresh.connack.sessionPresent, false);
  assert.equal(((await old.client.next('disconnect')) as IDisconnectPacket).reasonCode, 0x8e);
  await old.client.expectClosed();
  await publish(publisher, 'c02/take5clean', 'old subscription');
  await fresh.client.assertNothingMore('publish');
  await fresh.client.disconnect();
});

test('[MQTT-3.1.4-2] (3.1.1) takeover: the old connection is closed, the new one (clean session 0) keeps the session', async () => {
  const old = await RawClient.connect(port, { clientId: 'c02-take4', clean: false }, 4);
  await subscribe(old.client, 'c02/take4');

  const fresh = await RawClient.connect(port, { clientId: 'c02-take4', clean: false }, 4);
  assert.equal(fresh.connack.returnCode, 0);
  assert.equal(fresh.connack.sessionPresent, true);
  await old.client.expectClosed();
  assert.deepEqual(old.client.received.map((p) => p.cmd), [], '3.1.1 has no server DISCONNECT');

  await publish(publisher, 'c02/take4', 'to the new connection');
  const delivered = await nextPublish(fresh.client);
  assert.equal(delivered.payload.toString(), 'to the new connection');
  fresh.client.send({ cmd: 'puback', messageId: delivered.messageId as number });
  await fresh.client.disconnect();
});

// ── redelivery ────────────────────────────────────────────────────────────────────────────────────

for (const version of [4, 5] as ProtocolVersion[]) {
  const connect = (clientId: string): ConnectFields => (version === 5 ? persistent5(clientId) : { clientId, clean: false });

  test(`[MQTT-4.4.0-1] v${version}: an unacknowledged QoS 1 PUBLISH is resent on reconnect with DUP=1 [MQTT-3.3.1-1] and the same packet id`, async () => {
    const clientId = `c02-redeliver-v${version}`;
    const topic = `c02/redeliver/v${version}`;
    const first = await RawClient.connect(port, connect(clientId), version);
    await subscribe(first.client, topic);
    await publish(publisher, topic, 'unacked');
    const original = await nextPublish(first.client);
    assert.equal(original.qos, 1);
    assert.equal(original.dup, false);
    first.client.destroy(); // no PUBACK

    const second = await RawClient.connect(port, connect(clientId), version);
    assert.equal(second.connack.sessionPresent, true);
    const resent = await nextPublish(second.client);
    assert.equal(resent.dup, true);
    assert.equal(resent.messageId, original.messageId);
    assert.equal(resent.payload.toString(), 'unacked');
    assert.equal(resent.topic, topic);
    second.client.send({ cmd: 'puback', messageId: resent.messageId as number });
    await second.client.disconnect();

    // Acknowledged now: a further reconnect gets nothing again.
    const third = await RawClient.connect(port, connect(clientId), version);
    assert.equal(third.connack.sessionPresent, true);
    await third.client.assertNothingMore('publish');
    await third.client.disconnect();
  });
}

test('[MQTT-4.4.0-1] QoS 2: after PUBREC, a reconnect gets the PUBREL again (same packet id), not the PUBLISH', async () => {
  const first = await RawClient.connect(port, persistent5('c02-qos2'), 5);
  await subscribe(first.client, 'c02/qos2', 2);
  await publish(publisher, 'c02/qos2', 'exactly once', 2);
  const delivered = await nextPublish(first.client);
  assert.equal(delivered.qos, 2);
  const packetId = delivered.messageId as number;
  first.client.send({ cmd: 'pubrec', messageId: packetId });
  assert.equal(((await first.client.next('pubrel')) as IPubrelPacket).messageId, packetId);
  first.client.destroy(); // no PUBCOMP

  const second = await RawClient.connect(port, persistent5('c02-qos2'), 5);
  assert.equal(second.connack.sessionPresent, true);
  assert.equal(((await second.client.next('pubrel')) as IPubrelPacket).messageId, packetId);
  await second.client.assertNothingMore('publish');
  second.client.send({ cmd: 'pubcomp', messageId: packetId });
  await second.client.disconnect();

  const third = await RawClient.connect(port, persistent5('c02-qos2'), 5);
  assert.equal(third.connack.sessionPresent, true);
  await third.client.assertNothingMore('publish', 'pubrel');
  await third.client.disconnect();
});

// ── offline queue ─────────────────────────────────────────────────────────────────────────────────

test('[MQTT-4.6.0-6] QoS 1 messages published while the client is offline are delivered on reconnect, in order', async () => {
  const first = await RawClient.connect(port, persistent5('c02-queue'), 5);
  await subscribe(first.client, 'c02/queue');
  await first.client.disconnect();

  for (let i = 0; i < 5; i++) await publish(publisher, 'c02/queue', `m${i}`);
  const second = await RawClient.connect(port, persistent5('c02-queue'), 5);
  assert.equal(second.connack.sessionPresent, true);
  const delivered = (await second.client.collect('publish', 5)) as IPublishPacket[];
  assert.deepEqual(delivered.map((p) => p.payload.toString()), ['m0', 'm1', 'm2', 'm3', 'm4']);
  assert.equal(new Set(delivered.map((p) => p.messageId)).size, 5, 'distinct packet ids [MQTT-2.2.1-3]');
  for (const p of delivered) second.client.send({ cmd: 'puback', messageId: p.messageId as number });
  await second.client.assertNothingMore('publish');
  await second.client.disconnect();
});

test('[MQTT-3.1.2-5] QoS 0 messages are not queued for an offline client (QoS 1 ones are)', async () => {
  const first = await RawClient.connect(port, persistent5('c02-qos0'), 5);
  await subscribe(first.client, 'c02/qos0/sub1', 1);
  await subscribe(first.client, 'c02/qos0/sub0', 0);
  await first.client.disconnect();

  await publish(publisher, 'c02/qos0/sub1', 'qos0 publish', 0);
  await publish(publisher, 'c02/qos0/sub0', 'downgraded to qos0', 1);
  await publish(publisher, 'c02/qos0/sub1', 'qos1 publish', 1);
  const second = await RawClient.connect(port, persistent5('c02-qos0'), 5);
  const delivered = await nextPublish(second.client);
  assert.equal(delivered.payload.toString(), 'qos1 publish');
  second.client.send({ cmd: 'puback', messageId: delivered.messageId as number });
  await second.client.assertNothingMore('publish');
  await second.client.disconnect();
});

test('the offline queue is bounded by maxQueuedMessages: the excess is dropped and counted in /metrics', async (t) => {
  const small = await startTestHako({ store: 'memory', mqtt: { maxQueuedMessages: 3 } });
  t.after(() => small.close());
  const p = small.ports.mqtt;
  const dropsBefore = await metric(small, 'hako_mqtt_messages_dropped_queue_full_total');

  const first = await RawClient.connect(p, persistent5('c02-bounded'), 5);
  await subscribe(first.client, 'c02/bounded');
  await first.client.disconnect();
  const pub = (await RawClient.connect(p, { clientId: 'c02-bounded-pub' }, 5)).client;
  for (let i = 0; i < 5; i++) await publish(pub, 'c02/bounded', `m${i}`);

  const second = await RawClient.connect(p, persistent5('c02-bounded'), 5);
  const delivered = (await second.client.collect('publish', 3)) as IPublishPacket[];
  assert.deepEqual(delivered.map((m) => m.payload.toString()), ['m0', 'm1', 'm2'], 'the oldest are kept, the newest dropped');
  for (const m of delivered) second.client.send({ cmd: 'puback', messageId: m.messageId as number });
  await second.client.assertNothingMore('publish');
  assert.equal(await metric(small, 'hako_mqtt_messages_dropped_queue_full_total'), dropsBefore + 2);
  await second.client.disconnect();
  await pub.disconnect();
});

// ── restart ───────────────────────────────────────────────────────────────────────────────────────

test('[MQTT-3.1.2-23] sessions, queued messages and retained messages survive a restart with the same data directory', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hako-c02-restart-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));

  const original = await startTestHako({}, dataDir);
  let p = original.ports.mqtt;
  const live = await RawClient.connect(p, persistent5('c02-restart-live'), 5);
  await subscribe(live.client, 'c02/restart/live');
  const offline = await RawClient.connect(p, { clientId: 'c02-restart-offline', clean: false }, 4);
  await subscribe(offline.client, 'c02/restart/queued');
  await offline.client.disconnect();
  const pub = (await RawClient.connect(p, { clientId: 'c02-restart-pub' }, 5)).client;
  await publish(pub, 'c02/restart/queued', 'queued before restart');
  await publish(pub, 'c02/restart/retained', 'retained before restart', 1, true);

  // Shutdown tells a connected v5 client why [MQTT-4.13.2-1]: 0x8B server shutting down.
  const stopped = original.close();
  const shutdown = (await live.client.next('disconnect')) as IDisconnectPacket;
  assert.equal(shutdown.reasonCode, 0x8b);
  await live.client.expectClosed();
  await pub.expectClosed();
  await stopped;

  const restarted = await startTestHako({}, dataDir);
  t.after(() => restarted.close());
  p = restarted.ports.mqtt;
  const pub2 = (await RawClient.connect(p, { clientId: 'c02-restart-pub' }, 5)).client;
  await publish(pub2, 'c02/restart/live', 'published after restart');

  const liveAgain = await RawClient.connect(p, persistent5('c02-restart-live'), 5);
  assert.equal(liveAgain.connack.sessionPresent, true);
  assert.equal((await nextPublish(liveAgain.client)).payload.toString(), 'published after restart');

  const offlineAgain = await RawClient.connect(p, { clientId: 'c02-restart-offline', clean: false }, 4);
  assert.equal(offlineAgain.connack.sessionPresent, true);
  const queued = await nextPublish(offlineAgain.client);
  assert.equal(queued.payload.toString(), 'queued before restart');
  offlineAgain.client.send({ cmd: 'puback', messageId: queued.messageId as number });

  const reader = (await RawClient.connect(p, { clientId: 'c02-restart-reader' }, 5)).client;
  await subscribe(reader, 'c02/restart/retained');
  const retained = await nextPublish(reader);
  assert.equal(retained.payload.toString(), 'retained before restart');
  assert.equal(retained.retain, true);

  for (const client of [pub2, liveAgain.client, offlineAgain.client, reader]) await client.disconnect();
});
