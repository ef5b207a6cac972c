/**
 * @module test/shadow/http.test — the Device Shadow operations of the HTTP data plane through the real
 * `@aws-sdk/client-iot-data-plane` [spec §3.8]: documents in and out, the MQTT responses an HTTP update or
 * delete publishes, named shadows and their listing, and errors as AWS REST exceptions.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import {
  DeleteThingShadowCommand,
  GetThingShadowCommand,
  ListNamedShadowsForThingCommand,
  UpdateThingShadowCommand,
  type IoTDataPlaneClient,
} from '@aws-sdk/client-iot-data-plane';
import { hakoForFile, type TestHako } from '../helpers/hako.js';
import { fromPayload, iotDataClient, rejectsWithData, toPayload } from '../helpers/iot-data.js';
import { RawClient } from '../helpers/raw-client.js';
import { expectResponse, shadowTopics, subscribeResponses } from './helpers.js';

let hako: TestHako;
let data: IoTDataPlaneClient;
hakoForFile(iotDataClient, (started) => {
  ({ hako, client: data } = started);
});

let clients = 0;
async function watch(t: TestContext, topics: ReturnType<typeof shadowTopics>): Promise<RawClient> {
  const client = await RawClient.connectForTest(t, hako.ports.mqtt, `shadow-http-${++clients}`);
  await subscribeResponses(client, topics);
  return client;
}

test('UpdateThingShadow answers with the accepted document, which MQTT subscribers get too, with delta and documents', async (t) => {
  const topics = shadowTopics('http-lamp-1');
  const device = await watch(t, topics);
  const update = { state: { desired: { color: 'green' }, reported: { color: 'red' } }, clientToken: 'http-1' };
  const response = await data.send(new UpdateThingShadowCommand({ thingName: 'http-lamp-1', payload: toPayload(update) }));
  const accepted = fromPayload(response.payload);
  assert.deepEqual([accepted.state, accepted.version, accepted.clientToken], [update.state, 1, 'http-1']);
  assert.deepEqual(await expectResponse(device, topics.updateAccepted), accepted, 'the same accepted document over MQTT');
  const delta = await expectResponse(device, topics.updateDelta);
  assert.deepEqual([delta.state, delta.version, delta.clientToken], [{ color: 'green' }, 1, 'http-1']);
  assert.equal(((await expectResponse(device, topics.updateDocuments)).current as { version: number }).version, 1);

  const got = fromPayload((await data.send(new GetThingShadowCommand({ thingName: 'http-lamp-1' }))).payload);
  assert.deepEqual(got.state, { desired: { color: 'green' }, reported: { color: 'red' }, delta: { color: 'green' } });
  assert.equal(got.version, 1);
  await device.assertNothingMore(); // a get over HTTP publishes nothing
});

test('named shadows: addressed by shadowName, listed in pages without the classic shadow; an unknown thing lists none', async () => {
  await data.send(new UpdateThingShadowCommand({ thingName: 'http-lamp-2', payload: toPayload({ state: { reported: { on: true } } }) }));
  for (const shadowName of ['gamma', 'alpha', 'beta']) {
    await data.send(new UpdateThingShadowCommand({ thingName: 'http-lamp-2', shadowName, payload: toPayload({ state: { reported: { name: shadowName } } }) }));
  }
  const beta = fromPayload((await data.send(new GetThingShadowCommand({ thingName: 'http-lamp-2', shadowName: 'beta' }))).payload);
  assert.deepEqual(beta.state, { reported: { name: 'beta' } });

  const first = await data.send(new ListNamedShadowsForThingCommand({ thingName: 'http-lamp-2', pageSize: 2 }));
  assert.deepEqual(first.results, ['alpha', 'beta']);
  assert.ok(typeof first.timestamp === 'number' && Math.abs(first.timestamp - Date.now() / 1000) < 60, 'timestamp in epoch seconds');
  assert.match(first.nextToken ?? '', /\S/);
  const second = await data.send(new ListNamedShadowsForThingCommand({ thingName: 'http-lamp-2', pageSize: 2, nextToken: first.nextToken }));
  assert.deepEqual([second.results, second.nextToken], [['gamma'], undefined]);
  const none = await data.send(new ListNamedShadowsForThingCommand({ thingName: 'no-such-thing' }));
  assert.deepEqual(none.results, []);
});

test('DeleteThingShadow answers {version, timestamp}, publishes delete/accepted, and a later get is ResourceNotFoundException', async (t) => {
  const topics = shadowTopics('http-lamp-3', 'cfg');
  await data.send(new UpdateThingShadowCommand({ thingName: 'http-lamp-3', shadowName: 'cfg', payload: toPayload({ state: { reported: { v: 1 } } }) }));
  const device = await watch(t, topics);
  const deleted = fromPayload((await data.send(new DeleteThingShadowCommand({ thingName: 'http-lamp-3', shadowName: 'cfg' }))).payload);
  assert.deepEqual([deleted.version, typeof deleted.timestamp], [1, 'number']);
  assert.deepEqual(await expectResponse(device, topics.deleteAccepted), deleted);
  await rejectsWithData(data.send(new GetThingShadowCommand({ thingName: 'http-lamp-3', shadowName: 'cfg' })), 'ResourceNotFoundException', 404, /No shadow exists with name: 'http-lamp-3~cfg'/);
  await rejectsWithData(data.send(new DeleteThingShadowCommand({ thingName: 'http-lamp-3', shadowName: 'cfg' })), 'ResourceNotFoundException', 404);
  const listed = await data.send(new ListNamedShadowsForThingCommand({ thingName: 'http-lamp-3' }));
  assert.deepEqual(listed.results, []);
});

test('rejections are REST exceptions with the shadow message, and are not published: version conflict 409, bad JSON 400', async (t) => {
  const topics = shadowTopics('http-lamp-4');
  await data.send(new UpdateThingShadowCommand({ thingName: 'http-lamp-4', payload: toPayload({ state: { reported: { v: 1 } } }) }));
  const device = await watch(t, topics);
  await rejectsWithData(data.send(new UpdateThingShadowCommand({ thingName: 'http-lamp-4', payload: toPayload({ state: { reported: { v: 2 } }, version: 7 }) })), 'ConflictException', 409, /^Version conflict$/);
  await rejectsWithData(data.send(new UpdateThingShadowCommand({ thingName: 'http-lamp-4', payload: Buffer.from('{"state": ') })), 'InvalidRequestException', 400, /^Invalid JSON$/);
  await rejectsWithData(data.send(new UpdateThingShadowCommand({ thingName: 'http-lamp-4', payload: toPayload({ state: 'on' }) })), 'InvalidRequestException', 400, /State node must be an object/);
  await rejectsWithData(data.send(new GetThingShadowCommand({ thingName: 'http-lamp-4', shadowName: 'bad name!' })), 'InvalidRequestException', 400, /Invalid shadow name/);
  await device.assertNothingMore();
  const kept = fromPayload((await data.send(new GetThingShadowCommand({ thingName: 'http-lamp-4' }))).payload);
  assert.deepEqual([kept.state, kept.version], [{ reported: { v: 1 } }, 1]);
});

test('a state larger than the shadow limit is 413 RequestEntityTooLargeException', async () => {
  const big = { state: { reported: { blob: 'x'.repeat(9 * 1024) } } };
  await rejectsWithData(data.send(new UpdateThingShadowCommand({ thingName: 'http-lamp-5', payload: toPayload(big) })), 'RequestEntityTooLargeException', 413, /exceeds the maximum size/);
});

test('an unsigned data-plane request is refused before it reaches the shadow service', async () => {
  const response = await fetch(`http://127.0.0.1:${hako.ports.http}/things/http-lamp-1/shadow`);
  assert.equal(response.status, 403);
  assert.equal(response.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
});
