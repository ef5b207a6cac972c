/**
 * @module test/registry/lifecycle-events.test — AWS IoT lifecycle events (specs §6.2): presence and
 * subscription events with AWS's fields, and the disconnect reason for each way a connection ends.
 */
import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import type { IPublishPacket } from 'mqtt-packet';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { RawClient } from '../helpers/raw-client.js';
import { createPolicy, iotClient, provisionDevice, thingPolicy } from '../helpers/aws.js';
import { disconnectReason } from '../../src/registry/lifecycle-events.js';
import { ReasonCode } from '../../src/mqtt/codec/reason-codes.js';

let hako: TestHako;
before(async () => {
  hako = await startTestHako();
});
after(() => hako.close());

const reasons: Array<[code: number, cause: 'client' | 'connection-lost' | 'server', expected: string]> = [
  [ReasonCode.Success, 'client', 'CLIENT_INITIATED_DISCONNECT'],
  [ReasonCode.DisconnectWithWill, 'client', 'CLIENT_INITIATED_DISCONNECT'],
  [ReasonCode.UnspecifiedError, 'connection-lost', 'CONNECTION_LOST'],
  [ReasonCode.SessionTakenOver, 'server', 'DUPLICATE_CLIENTID'],
  [ReasonCode.KeepAliveTimeout, 'server', 'MQTT_KEEP_ALIVE_TIMEOUT'],
  [ReasonCode.ServerShuttingDown, 'server', 'SERVER_INITIATED_DISCONNECT'],
  [ReasonCode.NotAuthorized, 'server', 'AUTH_ERROR'],
  [ReasonCode.QuotaExceeded, 'server', 'THROTTLED'],
  [ReasonCode.ProtocolError, 'server', 'CLIENT_ERROR'],
  [ReasonCode.PacketTooLarge, 'server', 'CLIENT_ERROR'],
  [ReasonCode.UnspecifiedError, 'server', 'SERVER_ERROR'],
  [ReasonCode.BadAuthenticationMethod, 'server', 'UNKNOWN'],
];
for (const [code, cause, expected] of reasons) {
  test(`disconnectReason(0x${code.toString(16)}, ${cause}) = ${expected}`, () => {
    assert.equal(disconnectReason(code, cause), expected);
  });
}

async function watch(t: TestContext, name: string): Promise<RawClient> {
  const watcher = await RawClient.connectForTest(t, hako.ports.mqtt, `watcher-${name}`);
  assert.deepEqual(await watcher.subscribe([{ topic: `$aws/events/presence/+/${name}`, qos: 1 }, { topic: `$aws/events/subscriptions/+/${name}`, qos: 1 }]), [1, 1]);
  return watcher;
}

async function nextEvent(watcher: RawClient): Promise<{ topic: string; body: Record<string, unknown> }> {
  const packet = (await watcher.receive()) as IPublishPacket;
  return { topic: packet.topic, body: JSON.parse(packet.payload.toString()) as Record<string, unknown> };
}

test('a device\'s connection: connected, subscribed (one event per SUBSCRIBE), unsubscribed, disconnected, with AWS\'s fields', async (t) => {
  const iot = iotClient(hako);
  t.after(() => iot.destroy());
  await createPolicy(iot, 'lifecycle-policy', thingPolicy());
  const device = await provisionDevice(iot, 'lc-pi', 'lifecycle-policy');
  const watcher = await watch(t, 'lc-pi');
  const before = Date.now();
  const { client } = await RawClient.connectTls(hako.ports.mqtts, { ca: device.caPem, cert: device.certificatePem, key: device.privateKeyPem }, { clientId: 'lc-pi' }, 4);
  const connected = await nextEvent(watcher);
  assert.equal(connected.topic, '$aws/events/presence/connected/lc-pi');
  const { timestamp, sessionIdentifier, ...rest } = connected.body;
  assert.ok(typeof timestamp === 'number' && timestamp >= before && timestamp <= Date.now(), 'timestamp in milliseconds');
  assert.match(String(sessionIdentifier), /^[0-9a-f-]{36}$/);
  assert.deepEqual(rest, { clientId: 'lc-pi', eventType: 'connected', principalIdentifier: device.certificateId, ipAddress: '127.0.0.1', versionNumber: 0 });

  assert.deepEqual(await client.subscribe([{ topic: 'lc-pi/a', qos: 1 }, { topic: 'lc-pi/b', qos: 0 }, { topic: 'not-mine/c', qos: 0 }]), [1, 0, 0x80]);
  const subscribed = await nextEvent(watcher);
  assert.equal(subscribed.topic, '$aws/events/subscriptions/subscribed/lc-pi');
  assert.deepEqual(subscribed.body.topics, ['lc-pi/a', 'lc-pi/b'], 'only the granted filters, in one event');
  assert.equal(subscribed.body.sessionIdentifier, sessionIdentifier);

  client.send({ cmd: 'unsubscribe', messageId: 77, unsubscriptions: ['lc-pi/a', 'never/subscribed'] });
  await client.next('unsuback');
  const unsubscribed = await nextEvent(watcher);
  assert.deepEqual([unsubscribed.topic, unsubscribed.body.eventType, unsubscribed.body.topics], ['$aws/events/subscriptions/unsubscribed/lc-pi', 'unsubscribed', ['lc-pi/a']]);

  await client.disconnect();
  const disconnected = await nextEvent(watcher);
  assert.equal(disconnected.topic, '$aws/events/presence/disconnected/lc-pi');
  assert.deepEqual({ ...disconnected.body, timestamp: 0 }, {
    clientId: 'lc-pi', timestamp: 0, eventType: 'disconnected', sessionIdentifier, principalIdentifier: device.certificateId,
    clientInitiatedDisconnect: true, disconnectReason: 'CLIENT_INITIATED_DISCONNECT', versionNumber: 0,
  });
});

test('versionNumber grows per connection; a lost connection and a takeover say so', async (t) => {
  const watcher = await watch(t, 'lc-anon');
  const first = await RawClient.connectForTest(t, hako.ports.mqtt, 'lc-anon', 5);
  assert.equal((await nextEvent(watcher)).body.versionNumber, 0);
  first.socket.destroy();
  const lost = await nextEvent(watcher);
  assert.deepEqual([lost.body.disconnectReason, lost.body.clientInitiatedDisconnect, lost.body.versionNumber], ['CONNECTION_LOST', false, 0]);
  assert.equal('principalIdentifier' in lost.body, false, 'anonymous clients have no principal');

  const second = await RawClient.connectForTest(t, hako.ports.mqtt, 'lc-anon', 5);
  assert.equal((await nextEvent(watcher)).body.versionNumber, 1);
  await RawClient.connectForTest(t, hako.ports.mqtt, 'lc-anon', 5);
  const takenOver = await nextEvent(watcher);
  assert.deepEqual([takenOver.topic, takenOver.body.disconnectReason, takenOver.body.versionNumber], ['$aws/events/presence/disconnected/lc-anon', 'DUPLICATE_CLIENTID', 1]);
  assert.equal((await nextEvent(watcher)).body.versionNumber, 2);
  await second.closed;
});

test('client ids containing # or + get no lifecycle events', async (t) => {
  const watcher = await RawClient.connectForTest(t, hako.ports.mqtt, 'watcher-wild');
  assert.deepEqual(await watcher.subscribe([{ topic: '$aws/events/#', qos: 1 }]), [1]);
  const odd = await RawClient.connectForTest(t, hako.ports.mqtt, 'odd#id', 5);
  await odd.subscribe('some/topic');
  await odd.disconnect();
  const normal = await RawClient.connectForTest(t, hako.ports.mqtt, 'plain-id', 5);
  // Everything before plain-id's connection (odd#id's events would be there) concerns the watcher itself.
  const seen: string[] = [];
  for (let event = await nextEvent(watcher); event.body.clientId !== 'plain-id'; event = await nextEvent(watcher)) seen.push(event.topic);
  assert.deepEqual(seen, ['$aws/events/subscriptions/subscribed/watcher-wild']);
  await normal.disconnect();
});
