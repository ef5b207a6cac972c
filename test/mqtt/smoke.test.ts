import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IPublishPacket, ISubackPacket } from 'mqtt-packet';
import { startTestHako } from '../helpers/hako.js';
import { RawClient } from '../helpers/raw-client.js';

test('a v5 subscriber receives a 3.1.1 publisher\'s QoS 1 message and the publisher gets PUBACK', async (t) => {
  const hako = await startTestHako();
  t.after(() => hako.close());
  const { client: sub, connack } = await RawClient.connect(hako.ports.mqtt, { clientId: 'sub' }, 5);
  assert.equal(connack.reasonCode, 0);
  sub.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'home/+/humidity', qos: 1 }] });
  assert.deepEqual((await sub.next('suback') as ISubackPacket).granted, [1]);
  const { client: pub } = await RawClient.connect(hako.ports.mqtt, { clientId: 'pub' }, 4);
  pub.send({ cmd: 'publish', topic: 'home/kitchen/humidity', payload: Buffer.from('41'), qos: 1, retain: false, dup: false, messageId: 7 });
  const puback = await pub.next('puback');
  assert.equal(puback.messageId, 7);
  const delivered = (await sub.next('publish')) as IPublishPacket;
  assert.equal(delivered.topic, 'home/kitchen/humidity');
  assert.equal(delivered.payload.toString(), '41');
  assert.equal(delivered.qos, 1);
  await sub.disconnect();
  await pub.disconnect();
});
