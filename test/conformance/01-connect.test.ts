/**
 * @module test/conformance/01-connect — spec area 1: CONNECT and CONNACK [MQTT-3.1, MQTT-3.2] for
 * protocol levels 3 (MQIsdp), 4 (3.1.1) and 5, over real TCP against an in-process hako.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IConnackPacket, IDisconnectPacket, Packet } from 'mqtt-packet';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { RawClient } from '../helpers/raw-client.js';

let hako: TestHako;
let port: number;

before(async () => {
  hako = await startTestHako();
  port = hako.ports.mqtt;
});

after(() => hako.close());

function cmds(packets: Packet[]): string[] {
  return packets.map((p) => p.cmd);
}

/** A CONNECT packet written by hand, so the protocol name and level can be anything. */
function rawConnect(protocolName: string, level: number, clientId = 'raw', cleanSession = true): Buffer {
  const name = Buffer.from(protocolName);
  const id = Buffer.from(clientId);
  const body = Buffer.concat([
    Buffer.from([0, name.length]),
    name,
    Buffer.from([level, cleanSession ? 0x02 : 0x00, 0x00, 0x3c]), // level, flags, keep-alive 60 s
    Buffer.from([0, id.length]),
    id,
  ]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

// ── protocol levels ───────────────────────────────────────────────────────────────────────────────

test('[MQTT-3.1.2-2] level 3 (MQIsdp) CONNECT is accepted with CONNACK return code 0 and the connection works', async () => {
  const { client, connack } = await RawClient.connect(port, { clientId: 'c01-level3' }, 3);
  assert.equal(connack.returnCode, 0);
  assert.equal(connack.sessionPresent, false);
  await client.sync();
  assert.equal(client.isClosed, false);
  await client.disconnect();
});

test('[MQTT-3.1.2-2] level 4 (MQTT 3.1.1) CONNECT is accepted with CONNACK return code 0 and no properties', async () => {
  const { client, connack } = await RawClient.connect(port, { clientId: 'c01-level4' }, 4);
  assert.equal(connack.returnCode, 0);
  assert.equal(connack.sessionPresent, false);
  assert.equal(connack.properties, undefined);
  await client.sync();
  await client.disconnect();
});

test('[MQTT-3.1.2-2] level 5 CONNECT is accepted with CONNACK reason code 0x00', async () => {
  const { client, connack } = await RawClient.connect(port, { clientId: 'c01-level5' }, 5);
  assert.equal(connack.reasonCode, 0);
  assert.equal(connack.sessionPresent, false);
  await client.sync();
  await client.disconnect();
});

for (const level of [2, 6]) {
  test(`[MQTT-3.1.2-2] unsupported protocol level ${level} gets a 3.1.1 CONNACK return code 1, then the connection is closed`, async () => {
    const client = await RawClient.open(port, 4);
    client.sendBytes(rawConnect('MQTT', level, `c01-level${level}`));
    const connack = (await client.next('connack')) as IConnackPacket;
    assert.equal(connack.returnCode, 1);
    assert.equal(connack.sessionPresent, false);
    await client.expectClosed();
  });
}

test('[MQTT-3.1.2-1] a protocol name other than MQTT/MQIsdp closes the connection without CONNACK', async () => {
  const client = await RawClient.open(port, 4);
  client.sendBytes(rawConnect('MQTX', 4, 'c01-badname'));
  await client.expectClosed();
  assert.deepEqual(cmds(client.received), []);
});

test('[MQTT-3.1.0-1] a first packet other than CONNECT closes the connection, unanswered', async () => {
  const client = await RawClient.open(port, 4);
  client.send({ cmd: 'pingreq' });
  await client.expectClosed();
  assert.deepEqual(cmds(client.received), []);
});

test('[MQTT-3.1.0-1] a PUBLISH before CONNECT closes the connection and is not routed', async () => {
  const { client: watcher } = await RawClient.connect(port, { clientId: 'c01-early-watch' }, 5);
  watcher.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'c01/early', qos: 0 }] });
  await watcher.next('suback');
  const client = await RawClient.open(port, 4);
  client.send({ cmd: 'publish', topic: 'c01/early', payload: Buffer.from('x'), qos: 0, retain: false, dup: false });
  await client.expectClosed();
  await watcher.sync();
  assert.deepEqual(cmds(watcher.received), []);
  await watcher.disconnect();
});

// ── second CONNECT ────────────────────────────────────────────────────────────────────────────────

test('[MQTT-3.1.0-2] a second CONNECT on a v5 connection gets DISCONNECT 0x82 (protocol error), then close', async () => {
  const { client } = await RawClient.connect(port, { clientId: 'c01-second5' }, 5);
  client.send({ cmd: 'connect', protocolVersion: 5, protocolId: 'MQTT', clean: true, keepalive: 0, clientId: 'c01-second5' });
  const disconnect = (await client.next('disconnect')) as IDisconnectPacket;
  assert.equal(disconnect.reasonCode, 0x82);
  await client.expectClosed();
  assert.deepEqual(cmds(client.received), [], 'no second CONNACK');
});

test('[MQTT-3.1.0-2] a second CONNECT on a 3.1.1 connection closes it without a second CONNACK', async () => {
  const { client } = await RawClient.connect(port, { clientId: 'c01-second4' }, 4);
  client.send({ cmd: 'connect', protocolVersion: 4, protocolId: 'MQTT', clean: true, keepalive: 0, clientId: 'c01-second4' });
  await client.expectClosed();
  assert.deepEqual(cmds(client.received), []);
});

// ── client identifier ─────────────────────────────────────────────────────────────────────────────

test('[MQTT-3.1.3-6] (3.1.1) an empty client id with clean session 1 is accepted', async () => {
  const { client, connack } = await RawClient.connect(port, { clientId: '', clean: true }, 4);
  assert.equal(connack.returnCode, 0);
  assert.equal(connack.sessionPresent, false);
  await client.sync();
  await client.disconnect();
});

test('[MQTT-3.1.3-8] (3.1.1) an empty client id with clean session 0 gets return code 2 (identifier rejected), then close', async () => {
  // Written by hand: mqtt-packet refuses to encode this CONNECT.
  const client = await RawClient.open(port, 4);
  client.sendBytes(rawConnect('MQTT', 4, '', false));
  const connack = (await client.next('connack')) as IConnackPacket;
  assert.equal(connack.returnCode, 2);
  assert.equal(connack.sessionPresent, false);
  await client.expectClosed();
});

test('[MQTT-3.2.2-16] v5: an empty client id gets a new, unique Assigned Client Identifier', async () => {
  const first = await RawClient.connect(port, { clientId: '' }, 5);
  const second = await RawClient.connect(port, { clientId: '' }, 5);
  assert.equal(first.connack.reasonCode, 0);
  assert.equal(second.connack.reasonCode, 0);
  const a = first.connack.properties?.assignedClientIdentifier;
  const b = second.connack.properties?.assignedClientIdentifier;
  assert.equal(typeof a, 'string');
  assert.equal(typeof b, 'string');
  assert.ok((a as string).length > 0);
  assert.notEqual(a, b, 'assigned ids must not be shared by two sessions');
  // Both connections stay up: the second did not take over the first.
  await first.client.sync();
  await second.client.sync();
  await first.client.disconnect();
  await second.client.disconnect();
});

test('[MQTT-3.2.2-16] v5: a non-empty client id gets no Assigned Client Identifier', async () => {
  const { client, connack } = await RawClient.connect(port, { clientId: 'c01-named' }, 5);
  assert.equal(connack.properties?.assignedClientIdentifier, undefined);
  await client.disconnect();
});

test('[MQTT-3.1.3-5] a client id of exactly 128 UTF-8 bytes is accepted', async () => {
  const clientId = `c01-${'x'.repeat(124)}`;
  assert.equal(Buffer.byteLength(clientId), 128);
  const { client, connack } = await RawClient.connect(port, { clientId }, 5);
  assert.equal(connack.reasonCode, 0);
  await client.disconnect();
});

test('[MQTT-3.1.3-8] v5: a client id over 128 bytes (counted in UTF-8 bytes, not characters) gets CONNACK 0x85, then close', async () => {
  const clientId = 'é'.repeat(65); // 65 characters, 130 bytes
  const { client, connack } = await RawClient.connect(port, { clientId }, 5);
  assert.equal(connack.reasonCode, 0x85);
  assert.equal(connack.sessionPresent, false);
  await client.expectClosed();
});

test('[MQTT-3.1.3-9] (3.1.1) a client id over 128 bytes gets return code 2 (identifier rejected), then close', async () => {
  const { client, connack } = await RawClient.connect(port, { clientId: 'y'.repeat(129) }, 4);
  assert.equal(connack.returnCode, 2);
  await client.expectClosed();
});

// ── CONNACK properties ────────────────────────────────────────────────────────────────────────────

test('[MQTT-3.2.2.3] v5 CONNACK advertises Receive Maximum, Maximum Packet Size and Topic Alias Maximum from the settings', async (t) => {
  const limits = await startTestHako({ store: 'memory', mqtt: { receiveMaximum: 7, maxPacketSize: 4096, topicAliasMaximum: 3, maxKeepAlive: 30, maxSessionExpiry: 60 } });
  t.after(() => limits.close());
  const p = limits.ports.mqtt;

  await t.test('keep-alive and session expiry within the caps: no Server Keep Alive, no Session Expiry Interval', async () => {
    const { client, connack } = await RawClient.connect(p, { clientId: 'c01-props-within', keepalive: 10, properties: { sessionExpiryInterval: 30 } }, 5);
    assert.equal(connack.reasonCode, 0);
    assert.equal(connack.properties?.receiveMaximum, 7);
    assert.equal(connack.properties?.maximumPacketSize, 4096);
    assert.equal(connack.properties?.topicAliasMaximum, 3);
    assert.equal(connack.properties?.serverKeepAlive, undefined);
    assert.equal(connack.properties?.sessionExpiryInterval, undefined);
    await client.disconnect();
  });

  await t.test('[MQTT-3.2.2-21] a keep-alive above maxKeepAlive gets Server Keep Alive = maxKeepAlive', async () => {
    const { client, connack } = await RawClient.connect(p, { clientId: 'c01-props-ka-high', keepalive: 100 }, 5);
    assert.equal(connack.properties?.serverKeepAlive, 30);
    await client.disconnect();
  });

  await t.test('[MQTT-3.2.2-21] keep-alive 0 with a cap configured gets Server Keep Alive = maxKeepAlive', async () => {
    const { client, connack } = await RawClient.connect(p, { clientId: 'c01-props-ka-zero', keepalive: 0 }, 5);
    assert.equal(connack.properties?.serverKeepAlive, 30);
    await client.disconnect();
  });

  await t.test('a session expiry above maxSessionExpiry is clamped and the granted value returned', async () => {
    const { client, connack } = await RawClient.connect(p, { clientId: 'c01-props-sei', properties: { sessionExpiryInterval: 3600 } }, 5);
    assert.equal(connack.properties?.sessionExpiryInterval, 60);
    await client.disconnect();
  });

  await t.test('session expiry 0xFFFFFFFF (never) is clamped to maxSessionExpiry too', async () => {
    const { client, connack } = await RawClient.connect(p, { clientId: 'c01-props-sei-max', properties: { sessionExpiryInterval: 0xffffffff } }, 5);
    assert.equal(connack.properties?.sessionExpiryInterval, 60);
    await client.disconnect();
  });

  await t.test('the advertised Maximum Packet Size is enforced: a larger packet gets DISCONNECT 0x95 [MQTT-3.2.2-15]', async () => {
    const { client } = await RawClient.connect(p, { clientId: 'c01-props-too-large' }, 5);
    client.send({ cmd: 'publish', topic: 'c01/big', payload: Buffer.alloc(5000), qos: 0, retain: false, dup: false });
    const disconnect = (await client.next('disconnect')) as IDisconnectPacket;
    assert.equal(disconnect.reasonCode, 0x95);
    await client.expectClosed();
  });
});

test('[MQTT-3.2.2-21] with no keep-alive cap (maxKeepAlive 0), keep-alive 0 gets no Server Keep Alive', async (t) => {
  const uncapped = await startTestHako({ store: 'memory', mqtt: { maxKeepAlive: 0 } });
  t.after(() => uncapped.close());
  const { client, connack } = await RawClient.connect(uncapped.ports.mqtt, { clientId: 'c01-uncapped', keepalive: 0 }, 5);
  assert.equal(connack.reasonCode, 0);
  assert.equal(connack.properties?.serverKeepAlive, undefined);
  await client.disconnect();
});

// ── capacity ──────────────────────────────────────────────────────────────────────────────────────

test('maxConnections is enforced: v5 gets CONNACK 0x97 (quota exceeded), 3.1.1 return code 3; a freed slot is reusable', async (t) => {
  const small = await startTestHako({ store: 'memory', mqtt: { maxConnections: 2 } });
  t.after(() => small.close());
  const p = small.ports.mqtt;
  const a = await RawClient.connect(p, { clientId: 'c01-cap-a' }, 5);
  const b = await RawClient.connect(p, { clientId: 'c01-cap-b' }, 4);
  assert.equal(a.connack.reasonCode, 0);
  assert.equal(b.connack.returnCode, 0);

  const refused5 = await RawClient.connect(p, { clientId: 'c01-cap-c' }, 5);
  assert.equal(refused5.connack.reasonCode, 0x97);
  await refused5.client.expectClosed();

  const refused4 = await RawClient.connect(p, { clientId: 'c01-cap-d' }, 4);
  assert.equal(refused4.connack.returnCode, 3);
  await refused4.client.expectClosed();

  // The refused connections hold no slot, and a disconnect frees one.
  await a.client.disconnect();
  const c = await RawClient.connect(p, { clientId: 'c01-cap-e' }, 5);
  assert.equal(c.connack.reasonCode, 0);
  await b.client.sync();
  await c.client.disconnect();
  await b.client.disconnect();
});

// ── enhanced authentication (not offered) ─────────────────────────────────────────────────────────

test('[MQTT-4.12.0-1] a CONNECT with an Authentication Method hako does not support gets CONNACK 0x8C (bad authentication method), then close', async () => {
  const { client, connack } = await RawClient.connect(port, { clientId: 'c01-authmethod', properties: { authenticationMethod: 'SCRAM-SHA-1' } }, 5);
  assert.equal(connack.reasonCode, 0x8c);
  assert.equal(connack.properties?.authenticationMethod, undefined);
  await client.expectClosed();
});

test('[MQTT-4.12.0-7] an AUTH packet on a connection that agreed no Authentication Method gets DISCONNECT 0x82, then close', async () => {
  const { client, connack } = await RawClient.connect(port, { clientId: 'c01-auth' }, 5);
  assert.equal(connack.reasonCode, 0);
  assert.equal(connack.properties?.authenticationMethod, undefined, '[MQTT-4.12.0-6]');
  client.send({ cmd: 'auth', reasonCode: 0x19, properties: { authenticationMethod: 'SCRAM-SHA-1' } });
  const disconnect = (await client.next('disconnect')) as IDisconnectPacket;
  assert.equal(disconnect.reasonCode, 0x82);
  await client.expectClosed();
});
