/**
 * @module test/conformance/03-keepalive-will — spec area 3: Keep Alive [MQTT-3.1.2.10] and the Will
 * Message [MQTT-3.1.2.5, MQTT-3.1.3.2]: when it is published, when not, its delay, retain flag and
 * properties. Time-based cases use 1 s intervals.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IConnectPacket, IDisconnectPacket, IPublishPacket, ISubackPacket } from 'mqtt-packet';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { RawClient, type ProtocolVersion } from '../helpers/raw-client.js';

let hako: TestHako;
let port: number;

before(async () => {
  hako = await startTestHako({ store: 'memory' });
  port = hako.ports.mqtt;
});

after(() => hako.close());

// ── helpers ───────────────────────────────────────────────────────────────────────────────────────

type Will = NonNullable<IConnectPacket['will']>;

function will(topic: string, payload: string, extra: Partial<Will> = {}): Will {
  return { topic, payload: Buffer.from(payload), qos: 1, retain: false, ...extra };
}

/** A v5 client subscribed to `filter` (QoS 1), to see wills arrive. */
async function watch(clientId: string, filter: string, target = port): Promise<RawClient> {
  const { client } = await RawClient.connect(target, { clientId }, 5);
  client.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: filter, qos: 1 }] });
  assert.deepEqual(((await client.next('suback')) as ISubackPacket).granted, [1]);
  return client;
}

async function nextPublish(client: RawClient, timeoutMs?: number): Promise<IPublishPacket> {
  return (await client.next('publish', timeoutMs)) as IPublishPacket;
}

/** Resolves when the broker has handled the end of `clientId`'s connection (will and session decided). */
function serverSawDisconnect(clientId: string): Promise<void> {
  return new Promise((resolve) => {
    const off = hako.hooks.on('client.disconnected', (payload) => {
      if (payload.clientId !== clientId) return;
      queueMicrotask(off); // not while the hook list is being iterated
      resolve();
    });
  });
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ── keep-alive ────────────────────────────────────────────────────────────────────────────────────

// Time-based cases run concurrently: each waits ~1.5 s of real time.
describe('keep-alive', { concurrency: true }, () => {
  test('[MQTT-3.1.2-22] v5 keep-alive 1 s: DISCONNECT 0x8D after ~1.5 s of silence, then close, and the will goes out', async () => {
    const watcher = await watch('c03-ka5-watch', 'c03/ka5/will');
    const start = performance.now(); // before CONNECT is sent, so the server's silence is at most this long
    const { client } = await RawClient.connect(port, { clientId: 'c03-ka5', keepalive: 1, will: will('c03/ka5/will', 'timed out') }, 5);
    const disconnect = (await client.next('disconnect', 4000)) as IDisconnectPacket;
    const elapsed = performance.now() - start;
    assert.equal(disconnect.reasonCode, 0x8d);
    assert.ok(elapsed >= 1500, `closed after ${elapsed.toFixed(0)} ms: too early for 1.5 × 1 s`);
    assert.ok(elapsed < 3000, `closed after ${elapsed.toFixed(0)} ms: too late`);
    await client.expectClosed();
    // A keep-alive timeout is not a DISCONNECT from the client: the will is published [MQTT-3.1.2-8].
    assert.equal((await nextPublish(watcher)).payload.toString(), 'timed out');
    await watcher.disconnect();
  });

  test('[MQTT-3.1.2-24] (3.1.1) keep-alive 1 s: closed after ~1.5 s of silence, without any packet', async () => {
    const start = performance.now();
    const { client } = await RawClient.connect(port, { clientId: 'c03-ka4', keepalive: 1 }, 4);
    await client.expectClosed(4000);
    const elapsed = performance.now() - start;
    assert.ok(elapsed >= 1500, `closed after ${elapsed.toFixed(0)} ms: too early for 1.5 × 1 s`);
    assert.ok(elapsed < 3000, `closed after ${elapsed.toFixed(0)} ms: too late`);
    assert.deepEqual(client.received.map((p) => p.cmd), []);
  });

  test('[MQTT-3.1.2-22] keep-alive 1 s: a client that keeps sending PINGREQ or PUBLISH stays connected', async () => {
    const { client } = await RawClient.connect(port, { clientId: 'c03-ka-alive', keepalive: 1 }, 5);
    // Twice as long as the timeout, with a packet every 0.5 s (the client's own keep-alive duty).
    for (let i = 0; i < 6; i++) {
      await pause(500);
      if (i % 2 === 0) await client.sync();
      else client.send({ cmd: 'publish', topic: 'c03/ka/alive', payload: Buffer.from('x'), qos: 0, retain: false, dup: false });
    }
    await client.sync();
    assert.equal(client.isClosed, false);
    assert.deepEqual(client.received.map((p) => p.cmd), []);
    await client.disconnect();
  });

  test('[MQTT-3.2.2-21] Server Keep Alive takes effect: with maxKeepAlive 1, a v5 client asking for 60 s (or 0) is disconnected (0x8D) after ~1.5 s', async (t) => {
    const capped = await startTestHako({ store: 'memory', mqtt: { maxKeepAlive: 1 } });
    t.after(() => capped.close());
    await Promise.all(
      [60, 0].map(async (keepalive) => {
        const start = performance.now();
        const { client, connack } = await RawClient.connect(capped.ports.mqtt, { clientId: `c03-ska-${keepalive}`, keepalive }, 5);
        assert.equal(connack.properties?.serverKeepAlive, 1);
        const disconnect = (await client.next('disconnect', 4000)) as IDisconnectPacket;
        const elapsed = performance.now() - start;
        assert.equal(disconnect.reasonCode, 0x8d);
        assert.ok(elapsed >= 1500 && elapsed < 3000, `keep-alive ${keepalive}: closed after ${elapsed.toFixed(0)} ms`);
        await client.expectClosed();
      }),
    );
  });
});

// ── will: when it is published ────────────────────────────────────────────────────────────────────

for (const version of [4, 5] as ProtocolVersion[]) {
  test(`[MQTT-3.1.2-8] v${version}: the will is published when the connection closes without DISCONNECT`, async () => {
    const topic = `c03/will/lost/v${version}`;
    const watcher = await watch(`c03-lost-watch-v${version}`, topic);
    const { client } = await RawClient.connect(port, { clientId: `c03-lost-v${version}`, will: will(topic, 'gone') }, version);
    client.destroy();
    const published = await nextPublish(watcher);
    assert.equal(published.topic, topic);
    assert.equal(published.payload.toString(), 'gone');
    assert.equal(published.qos, 1);
    assert.equal(published.retain, false);
    await watcher.disconnect();
  });

  test(`[MQTT-3.14.4-3] v${version}: the will is discarded on a normal DISCONNECT`, async () => {
    const topic = `c03/will/normal/v${version}`;
    const watcher = await watch(`c03-normal-watch-v${version}`, topic);
    const { client } = await RawClient.connect(port, { clientId: `c03-normal-v${version}`, will: will(topic, 'must not appear') }, version);
    await client.disconnect();
    await watcher.assertNothingMore();
    await watcher.disconnect();
  });
}

test('[MQTT-3.14.4-3] v5: DISCONNECT with reason 0x04 (disconnect with will message) publishes the will', async () => {
  const watcher = await watch('c03-with-will-watch', 'c03/will/0x04');
  const { client } = await RawClient.connect(port, { clientId: 'c03-with-will', will: will('c03/will/0x04', 'asked for') }, 5);
  client.send({ cmd: 'disconnect', reasonCode: 0x04 });
  await client.expectClosed();
  assert.equal((await nextPublish(watcher)).payload.toString(), 'asked for');
  await watcher.disconnect();
});

test('[MQTT-3.1.2-15] a will with Will Retain 1 is published as a retained message', async () => {
  const topic = 'c03/will/retained';
  const watcher = await watch('c03-retain-watch', topic);
  const { client } = await RawClient.connect(port, { clientId: 'c03-retain', will: will(topic, 'last words', { retain: true }) }, 5);
  client.destroy();
  const live = await nextPublish(watcher);
  assert.equal(live.payload.toString(), 'last words');
  assert.equal(live.retain, false, '[MQTT-3.3.1-12] live delivery without Retain As Published has RETAIN 0');

  const late = await watch('c03-retain-late', topic);
  const stored = await nextPublish(late);
  assert.equal(stored.payload.toString(), 'last words');
  assert.equal(stored.retain, true);
  // Clear it again [MQTT-3.3.1-6].
  late.send({ cmd: 'publish', topic, payload: Buffer.alloc(0), qos: 0, retain: true, dup: false });
  await late.sync();
  await late.disconnect();
  await watcher.disconnect();
});

test('[MQTT-3.1.3-10] will properties (user properties in order, content type, response topic, correlation data, payload format) reach a v5 subscriber', async () => {
  const topic = 'c03/will/props';
  const watcher = await watch('c03-props-watch', topic);
  const properties = {
    userProperties: { device: 'sensor-7', zone: ['a', 'b'] },
    contentType: 'text/plain',
    responseTopic: 'c03/will/reply',
    correlationData: Buffer.from([1, 2, 3]),
    payloadFormatIndicator: true,
  };
  const { client } = await RawClient.connect(port, { clientId: 'c03-props', will: will(topic, 'with properties', { properties }) }, 5);
  client.destroy();
  const published = await nextPublish(watcher);
  assert.equal(published.payload.toString(), 'with properties');
  assert.deepEqual(Object.entries(published.properties?.userProperties ?? {}), Object.entries(properties.userProperties));
  assert.equal(published.properties?.contentType, 'text/plain');
  assert.equal(published.properties?.responseTopic, 'c03/will/reply');
  assert.deepEqual(published.properties?.correlationData, Buffer.from([1, 2, 3]));
  assert.equal(published.properties?.payloadFormatIndicator, true);
  await watcher.disconnect();
});

// ── will delay ────────────────────────────────────────────────────────────────────────────────────

// Each waits about 1 s of real time; they are independent, so they run concurrently.
describe('will delay', { concurrency: true }, () => {
  test('[MQTT-3.1.2-8] Will Delay Interval 1 s: the will arrives about 1 s after the connection is lost, not at once', async () => {
    const topic = 'c03/will/delayed';
    const watcher = await watch('c03-delay-watch', topic);
    const { client } = await RawClient.connect(port, {
      clientId: 'c03-delay',
      properties: { sessionExpiryInterval: 10 },
      will: will(topic, 'delayed', { properties: { willDelayInterval: 1 } }),
    }, 5);
    const seen = serverSawDisconnect('c03-delay');
    client.destroy();
    await seen;
    const start = performance.now();
    const published = await nextPublish(watcher, 3000);
    const elapsed = performance.now() - start;
    assert.equal(published.payload.toString(), 'delayed');
    assert.ok(elapsed >= 900, `will after ${elapsed.toFixed(0)} ms: the 1 s delay was not honoured`);
    assert.ok(elapsed < 2500, `will after ${elapsed.toFixed(0)} ms: too late`);
    await watcher.disconnect();
  });

  test('[MQTT 5 §3.1.3.2.4] a will\'s Message Expiry Interval counts from its publication, not from CONNECT', async () => {
    // Expiry 1 s, delay 2 s: had the expiry started at CONNECT, the will would be expired when published.
    const topic = 'c03/will/expiry';
    const watcher = await watch('c03-expiry-watch', topic);
    const { client } = await RawClient.connect(port, {
      clientId: 'c03-expiry',
      properties: { sessionExpiryInterval: 10 },
      will: will(topic, 'fresh', { properties: { willDelayInterval: 2, messageExpiryInterval: 1 } }),
    }, 5);
    const seen = serverSawDisconnect('c03-expiry');
    client.destroy();
    await seen;
    const published = await nextPublish(watcher, 4000);
    assert.equal(published.payload.toString(), 'fresh');
    const remaining = published.properties?.messageExpiryInterval;
    assert.ok(remaining !== undefined && remaining <= 1, `forwarded expiry ${remaining} must be the time left of 1 s`);
    await watcher.disconnect();
  });

  test('[MQTT-3.1.3-9] a reconnect (Clean Start 0) within the Will Delay Interval cancels the will', async () => {
    const topic = 'c03/will/cancelled';
    const watcher = await watch('c03-cancel-watch', topic);
    const connect = { clientId: 'c03-cancel', clean: false, properties: { sessionExpiryInterval: 10 } };
    const { client } = await RawClient.connect(port, { ...connect, will: will(topic, 'must not appear', { properties: { willDelayInterval: 1 } }) }, 5);
    const seen = serverSawDisconnect('c03-cancel');
    client.destroy();
    await seen; // the will is now pending, not yet published
    const again = await RawClient.connect(port, connect, 5);
    assert.equal(again.connack.sessionPresent, true);
    await pause(1100); // past the will delay (its timer started before this one)
    await watcher.assertNothingMore();
    await again.client.disconnect();
    await watcher.disconnect();
  });

  test('[MQTT-3.1.2-8] a reconnect with Clean Start 1 within the Will Delay Interval ends the session, so the will is published then', async () => {
    const topic = 'c03/will/clean-restart';
    const watcher = await watch('c03-cleanre-watch', topic);
    const { client } = await RawClient.connect(port, {
      clientId: 'c03-cleanre',
      clean: false,
      properties: { sessionExpiryInterval: 10 },
      will: will(topic, 'session over', { properties: { willDelayInterval: 5 } }),
    }, 5);
    const seen = serverSawDisconnect('c03-cleanre');
    client.destroy();
    await seen;
    const again = await RawClient.connect(port, { clientId: 'c03-cleanre', clean: true }, 5);
    assert.equal(again.connack.sessionPresent, false);
    const published = await nextPublish(watcher, 2000);
    assert.equal(published.payload.toString(), 'session over');
    await again.client.disconnect();
    await watcher.disconnect();
  });

  test('[MQTT-3.1.2-8] a Will Delay Interval longer than the Session Expiry Interval: the will is published when the session ends', async () => {
    const topic = 'c03/will/session-end';
    const watcher = await watch('c03-sessend-watch', topic);
    const connect = { clientId: 'c03-sessend', clean: false, properties: { sessionExpiryInterval: 1 } };
    const { client } = await RawClient.connect(port, { ...connect, will: will(topic, 'session ended', { properties: { willDelayInterval: 30 } }) }, 5);
    const seen = serverSawDisconnect('c03-sessend');
    client.destroy();
    await seen;
    const start = performance.now();
    const published = await nextPublish(watcher, 3000);
    const elapsed = performance.now() - start;
    assert.equal(published.payload.toString(), 'session ended');
    assert.ok(elapsed >= 900 && elapsed < 2500, `will after ${elapsed.toFixed(0)} ms, expected at the 1 s session expiry`);
    const again = await RawClient.connect(port, connect, 5);
    assert.equal(again.connack.sessionPresent, false, 'the session did end');
    await again.client.disconnect();
    await watcher.disconnect();
  });
});

// ── takeover ──────────────────────────────────────────────────────────────────────────────────────

for (const clean of [true, false]) {
  test(`[MQTT-3.1.4-3] takeover (new connection with Clean Start ${clean ? 1 : 0}) publishes the old connection's will (no delay)`, async () => {
    const topic = `c03/will/takeover/${clean ? 1 : 0}`;
    const clientId = `c03-takeover-${clean ? 1 : 0}`;
    const watcher = await watch(`${clientId}-watch`, topic);
    const old = await RawClient.connect(port, { clientId, clean: false, properties: { sessionExpiryInterval: 10 }, will: will(topic, 'taken over') }, 5);
    const fresh = await RawClient.connect(port, { clientId, clean, properties: { sessionExpiryInterval: 10 } }, 5);
    assert.equal(fresh.connack.sessionPresent, !clean);
    assert.equal(((await old.client.next('disconnect')) as IDisconnectPacket).reasonCode, 0x8e);
    assert.equal((await nextPublish(watcher)).payload.toString(), 'taken over');
    await fresh.client.disconnect();
    await watcher.disconnect();
  });
}

test('[MQTT-3.1.3-9] takeover with Clean Start 0 continues the session, so a will with a delay is not published', async () => {
  const topic = 'c03/will/takeover-delayed';
  const watcher = await watch('c03-takeover-delay-watch', topic);
  const connect = { clientId: 'c03-takeover-delay', clean: false, properties: { sessionExpiryInterval: 10 } };
  const old = await RawClient.connect(port, { ...connect, will: will(topic, 'must not appear', { properties: { willDelayInterval: 1 } }) }, 5);
  const fresh = await RawClient.connect(port, connect, 5);
  assert.equal(fresh.connack.sessionPresent, true);
  assert.equal(((await old.client.next('disconnect')) as IDisconnectPacket).reasonCode, 0x8e);
  await pause(1100); // past the will delay (its timer started before this one)
  await watcher.assertNothingMore();
  await fresh.client.disconnect();
  await watcher.disconnect();
});
