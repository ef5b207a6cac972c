/**
 * @module test/mqtt/http-publish.test — the broker's side of the HTTP data plane through the real
 * `@aws-sdk/client-iot-data-plane`: Publish (QoS, RETAIN, MQTT 5 properties) to MQTT subscribers and to the
 * shadow service, GetRetainedMessage / ListRetainedMessages [spec §2.4, §3.8], and DeleteConnection.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import {
  DeleteConnectionCommand,
  GetRetainedMessageCommand,
  ListRetainedMessagesCommand,
  PublishCommand,
  type IoTDataPlaneClient,
} from '@aws-sdk/client-iot-data-plane';
import type { IDisconnectPacket } from 'mqtt-packet';
import { hakoForFile, type TestHako } from '../helpers/hako.js';
import { iotDataClient, rejectsWithData, toPayload } from '../helpers/iot-data.js';
import { RawClient } from '../helpers/raw-client.js';
import { expectResponse, shadowTopics, subscribeResponses } from '../shadow/helpers.js';

let hako: TestHako;
let data: IoTDataPlaneClient;
hakoForFile(iotDataClient, (started) => {
  ({ hako, client: data } = started);
});

let clients = 0;
async function subscriber(t: TestContext, filter: string): Promise<RawClient> {
  const client = await RawClient.connectForTest(t, hako.ports.mqtt, `http-sub-${++clients}`);
  assert.deepEqual(await client.subscribe(filter), [1]);
  return client;
}

test('Publish with qos 1 and retain reaches a subscriber with its MQTT 5 properties; GetRetainedMessage returns it', async (t) => {
  const sub = await subscriber(t, 'plant/+/temp');
  const before = Date.now();
  await data.send(new PublishCommand({
    topic: 'plant/7/temp',
    qos: 1,
    retain: true,
    payload: Buffer.from('{"c":21.5}'),
    contentType: 'application/json',
    responseTopic: 'plant/7/ack',
    messageExpiry: 3600,
    payloadFormatIndicator: 'UTF8_DATA',
    correlationData: Buffer.from('req-42').toString('base64'),
    userProperties: JSON.stringify([{ site: 'north' }, { tag: 'a' }, { tag: 'b' }]),
  }));
  const received = await sub.receive();
  assert.deepEqual([received.topic, received.payload.toString(), received.qos], ['plant/7/temp', '{"c":21.5}', 1]);
  const properties = received.properties ?? assert.fail('no MQTT 5 properties');
  assert.deepEqual(
    [properties.contentType, properties.responseTopic, properties.payloadFormatIndicator, properties.correlationData?.toString(), { ...properties.userProperties }],
    ['application/json', 'plant/7/ack', true, 'req-42', { site: 'north', tag: ['a', 'b'] }],
  );
  assert.ok(properties.messageExpiryInterval !== undefined && properties.messageExpiryInterval <= 3600 && properties.messageExpiryInterval > 3500);

  const retained = await data.send(new GetRetainedMessageCommand({ topic: 'plant/7/temp' }));
  assert.deepEqual([retained.topic, Buffer.from(retained.payload ?? []).toString(), retained.qos], ['plant/7/temp', '{"c":21.5}', 1]);
  assert.ok(retained.lastModifiedTime !== undefined && retained.lastModifiedTime >= before && retained.lastModifiedTime <= Date.now(), 'lastModifiedTime in epoch ms');
  assert.deepEqual(JSON.parse(Buffer.from(retained.userProperties ?? []).toString()), [{ site: 'north' }, { tag: 'a' }, { tag: 'b' }]);
});

test('ListRetainedMessages pages through topic summaries; an empty retained publish clears one; unknown topics are 404', async () => {
  for (const [topic, payload] of [['list/b', 'bb'], ['list/a', 'a'], ['list/c', 'ccc']] as const) {
    await data.send(new PublishCommand({ topic, retain: true, qos: 1, payload: Buffer.from(payload) }));
  }
  await data.send(new PublishCommand({ topic: 'list/not-retained', qos: 1, payload: Buffer.from('x') }));
  const listed = async (): Promise<Array<{ topic?: string; payloadSize?: number; qos?: number }>> => {
    const all = [];
    let nextToken: string | undefined;
    do {
      const page = await data.send(new ListRetainedMessagesCommand({ maxResults: 2, nextToken }));
      assert.ok((page.retainedTopics ?? []).length <= 2);
      all.push(...(page.retainedTopics ?? []));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return all.filter((summary) => summary.topic?.startsWith('list/'));
  };
  const summaries = await listed();
  assert.deepEqual(summaries.map(({ topic, payloadSize, qos }) => [topic, payloadSize, qos]), [['list/a', 1, 1], ['list/b', 2, 1], ['list/c', 3, 1]]);
  assert.ok(summaries.every((summary) => typeof (summary as { lastModifiedTime?: number }).lastModifiedTime === 'number'));

  await data.send(new PublishCommand({ topic: 'list/b', retain: true, qos: 1 }));
  assert.deepEqual((await listed()).map((summary) => summary.topic), ['list/a', 'list/c']);
  await rejectsWithData(data.send(new GetRetainedMessageCommand({ topic: 'list/b' })), 'ResourceNotFoundException', 404);
  await rejectsWithData(data.send(new GetRetainedMessageCommand({ topic: 'list/not-retained' })), 'ResourceNotFoundException', 404);
});

test('Publish refuses what MQTT would: a wildcard topic, QoS 2, a bad payload format indicator', async () => {
  await rejectsWithData(data.send(new PublishCommand({ topic: 'plant/+/temp', payload: Buffer.from('x') })), 'InvalidRequestException', 400, /wildcards/);
  await rejectsWithData(data.send(new PublishCommand({ topic: 'plant/1', qos: 2, payload: Buffer.from('x') })), 'InvalidRequestException', 400, /qos/);
  await rejectsWithData(data.send(new PublishCommand({ topic: 'plant/1', payloadFormatIndicator: 'UTF8_DATA', payload: Buffer.from([0xff, 0xfe]) })), 'InvalidRequestException', 400, /UTF-8/);
});

test('a Publish to a shadow update topic is answered by the shadow service over MQTT', async (t) => {
  const topics = shadowTopics('http-pub-lamp');
  const device = await RawClient.connectForTest(t, hako.ports.mqtt, `http-sub-${++clients}`);
  await subscribeResponses(device, topics);
  await data.send(new PublishCommand({ topic: topics.update, qos: 1, payload: toPayload({ state: { desired: { on: true } }, clientToken: 'via-http' }) }));
  const accepted = await expectResponse(device, topics.updateAccepted);
  assert.deepEqual([accepted.state, accepted.version, accepted.clientToken], [{ desired: { on: true } }, 1, 'via-http']);
  assert.deepEqual((await expectResponse(device, topics.updateDelta)).state, { on: true });
  await expectResponse(device, topics.updateDocuments);
});

test('DeleteConnection disconnects a client (v5: 0x98) and sends its will unless prevented; unknown clients are 404', async (t) => {
  const watcher = await subscriber(t, 'wills/#');
  const will = (name: string) => ({ will: { topic: `wills/${name}`, payload: Buffer.from(`${name} gone`), qos: 1 as const, retain: false } });
  const a = await RawClient.connectForTest(t, hako.ports.mqtt, 'dc-a', 5, will('a'));
  await data.send(new DeleteConnectionCommand({ clientId: 'dc-a' }));
  const disconnect = (await a.next('disconnect')) as IDisconnectPacket;
  assert.equal(disconnect.reasonCode, 0x98);
  await a.expectClosed();
  assert.equal((await watcher.receive()).payload.toString(), 'a gone');

  const b = await RawClient.connectForTest(t, hako.ports.mqtt, 'dc-b', 5, will('b'));
  await data.send(new DeleteConnectionCommand({ clientId: 'dc-b', preventWillMessage: true }));
  await b.expectClosed();
  await watcher.assertNothingMore();

  await rejectsWithData(data.send(new DeleteConnectionCommand({ clientId: 'dc-a' })), 'ResourceNotFoundException', 404);
  await rejectsWithData(data.send(new DeleteConnectionCommand({ clientId: 'never-connected' })), 'ResourceNotFoundException', 404);
});

test('DeleteConnection keeps a persistent session unless cleanSession is set', async (t) => {
  const persistent = { clean: false, properties: { sessionExpiryInterval: 600 } };
  const first = await RawClient.connectForTest(t, hako.ports.mqtt, 'dc-p', 5, persistent);
  await data.send(new DeleteConnectionCommand({ clientId: 'dc-p' }));
  await first.expectClosed();
  const again = await RawClient.connect(hako.ports.mqtt, { clientId: 'dc-p', ...persistent }, 5);
  t.after(() => again.client.destroy());
  assert.equal(again.connack.sessionPresent, true, 'the session outlived its connection');
  await data.send(new DeleteConnectionCommand({ clientId: 'dc-p', cleanSession: true }));
  await again.client.expectClosed();
  const last = await RawClient.connect(hako.ports.mqtt, { clientId: 'dc-p', ...persistent }, 5);
  t.after(() => last.client.destroy());
  assert.equal(last.connack.sessionPresent, false, 'cleanSession ended the session');
});
