/**
 * @module test/shadow/mqtt.test — the Device Shadow service over MQTT (anonymous TCP on loopback):
 * update/get/delete with their accepted, rejected, delta and documents responses [spec §3.1–§3.4], named
 * shadows, version conflicts, clientToken echo, bad input, per-shadow serialization of concurrent updates,
 * deltas queued for an offline persistent session [spec §3.6], and the HTTP-facing methods.
 */
import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { RawClient } from '../helpers/raw-client.js';
import { expectResponse, request, shadowTopics, subscribeResponses } from './helpers.js';

let hako: TestHako;
before(async () => {
  hako = await startTestHako();
});
after(async () => {
  await hako.close();
});

let clients = 0;
async function connect(t: TestContext, topics?: ReturnType<typeof shadowTopics>): Promise<RawClient> {
  const client = await RawClient.connectForTest(t, hako.ports.mqtt, `shadow-app-${++clients}`);
  if (topics !== undefined) await subscribeResponses(client, topics);
  return client;
}

test('update creates the shadow: accepted, delta (desired ≠ reported) and documents without previous, each echoing the clientToken', async (t) => {
  const topics = shadowTopics('lamp-1');
  const app = await connect(t, topics);
  await request(app, topics.update, { state: { desired: { color: 'green', power: 1 }, reported: { color: 'red', power: 1 } }, clientToken: 'tok-1', thingName: 'lamp-1' });
  const accepted = await expectResponse(app, topics.updateAccepted);
  assert.deepEqual(accepted.state, { desired: { color: 'green', power: 1 }, reported: { color: 'red', power: 1 } });
  assert.deepEqual([accepted.version, accepted.clientToken, typeof accepted.timestamp], [1, 'tok-1', 'number']);
  assert.ok(Math.abs((accepted.timestamp as number) - Date.now() / 1000) < 60, 'timestamp in epoch seconds');
  const delta = await expectResponse(app, topics.updateDelta);
  assert.deepEqual([delta.state, delta.version, delta.clientToken], [{ color: 'green' }, 1, 'tok-1']);
  const documents = await expectResponse(app, topics.updateDocuments);
  assert.equal('previous' in documents, false, 'no previous on creation');
  assert.deepEqual((documents.current as { state: unknown; version: number }).state, { desired: { color: 'green', power: 1 }, reported: { color: 'red', power: 1 } });
  assert.equal(documents.clientToken, 'tok-1');

  // Reported catches up: accepted and documents (with previous), and no delta any more.
  await request(app, topics.update, { state: { reported: { color: 'green' } }, clientToken: 'tok-2' });
  assert.equal((await expectResponse(app, topics.updateAccepted)).version, 2);
  const second = await expectResponse(app, topics.updateDocuments);
  assert.deepEqual([(second.previous as { version: number }).version, (second.current as { version: number }).version], [1, 2]);
  await app.assertNothingMore();
});

test('get answers with the full document and its delta; a v1-style version on get is accepted', async (t) => {
  const topics = shadowTopics('lamp-2');
  const app = await connect(t, topics);
  await request(app, topics.update, { state: { desired: { level: 5 }, reported: { level: 3, fw: 'v1' } } });
  await expectResponse(app, topics.updateAccepted);
  await expectResponse(app, topics.updateDelta);
  await expectResponse(app, topics.updateDocuments);
  await request(app, topics.get, { clientToken: 'get-1', version: 1 });
  const got = await expectResponse(app, topics.getAccepted);
  assert.deepEqual(got.state, { desired: { level: 5 }, reported: { level: 3, fw: 'v1' }, delta: { level: 5 } });
  assert.deepEqual(Object.keys(got.metadata as object), ['desired', 'reported', 'delta']);
  assert.deepEqual([got.version, got.clientToken], [1, 'get-1']);
  await request(app, topics.get, ''); // an empty get payload is fine too
  assert.equal('clientToken' in (await expectResponse(app, topics.getAccepted)), false);
});

test('delete answers with the last version, a later get is 404, and a re-created shadow continues the numbering', async (t) => {
  const topics = shadowTopics('lamp-3');
  const app = await connect(t, topics);
  for (const value of [1, 2]) {
    await request(app, topics.update, { state: { reported: { value } } });
    await expectResponse(app, topics.updateAccepted);
    await expectResponse(app, topics.updateDocuments);
  }
  await request(app, topics.delete, { clientToken: 'del-1' });
  const deleted = await expectResponse(app, topics.deleteAccepted);
  assert.deepEqual([deleted.version, deleted.clientToken, typeof deleted.timestamp], [2, 'del-1', 'number']);
  await request(app, topics.get, { clientToken: 'get-2' });
  assert.deepEqual(await expectResponse(app, topics.getRejected), { code: 404, message: "No shadow exists with name: 'lamp-3'", clientToken: 'get-2' });
  await request(app, topics.delete, { clientToken: 'del-2' });
  assert.deepEqual(await expectResponse(app, topics.deleteRejected), { code: 404, message: "No shadow exists with name: 'lamp-3'", clientToken: 'del-2' });
  await request(app, topics.update, { state: { reported: { value: 3 } } });
  assert.equal((await expectResponse(app, topics.updateAccepted)).version, 3);
  assert.equal('previous' in (await expectResponse(app, topics.updateDocuments)), false);
});

test('a version other than the current one is rejected with 409 and the clientToken, and nothing is accepted', async (t) => {
  const topics = shadowTopics('lamp-4');
  const app = await connect(t, topics);
  await request(app, topics.update, { state: { reported: { on: true } } });
  await expectResponse(app, topics.updateAccepted);
  await expectResponse(app, topics.updateDocuments);
  await request(app, topics.update, { state: { reported: { on: false } }, version: 7, clientToken: 'stale' });
  assert.deepEqual(await expectResponse(app, topics.updateRejected), { code: 409, message: 'Version conflict', clientToken: 'stale' });
  await request(app, topics.update, { state: { reported: { on: false } }, version: 1, clientToken: 'fresh' });
  assert.deepEqual([(await expectResponse(app, topics.updateAccepted)).version], [2]);
  await expectResponse(app, topics.updateDocuments);
  await app.assertNothingMore();
});

test('bad input is rejected with 400 and the service keeps answering', async (t) => {
  const topics = shadowTopics('lamp-5');
  const app = await connect(t, topics);
  await request(app, topics.update, '{"state": {');
  assert.deepEqual(await expectResponse(app, topics.updateRejected), { code: 400, message: 'Invalid JSON' });
  await request(app, topics.update, { clientToken: 'no-state' });
  assert.deepEqual(await expectResponse(app, topics.updateRejected), { code: 400, message: 'Missing required node: state', clientToken: 'no-state' });
  await request(app, topics.update, { state: { delta: { x: 1 } }, clientToken: 'delta' });
  assert.deepEqual(await expectResponse(app, topics.updateRejected), { code: 400, message: "State contains an invalid node: 'delta'", clientToken: 'delta' });
  await request(app, topics.update, { state: { reported: { ok: 1 } }, clientToken: 'good' });
  assert.equal((await expectResponse(app, topics.updateAccepted)).clientToken, 'good');
});

test('named shadows live on …/shadow/name/<name>/…, apart from the classic shadow, and are listed', async (t) => {
  const classic = shadowTopics('pump-1');
  const config = shadowTopics('pump-1', 'config');
  const app = await connect(t, config);
  await subscribeResponses(app, classic);
  await request(app, config.update, { state: { desired: { rpm: 1200 } }, clientToken: 'n-1' });
  const accepted = await expectResponse(app, config.updateAccepted);
  assert.deepEqual([accepted.version, accepted.clientToken], [1, 'n-1']);
  assert.deepEqual((await expectResponse(app, config.updateDelta)).state, { rpm: 1200 });
  await expectResponse(app, config.updateDocuments);
  await request(app, config.get, { clientToken: 'n-2' });
  assert.deepEqual((await expectResponse(app, config.getAccepted)).state, { desired: { rpm: 1200 }, delta: { rpm: 1200 } });
  await request(app, classic.get, { clientToken: 'c-1' });
  assert.deepEqual(await expectResponse(app, classic.getRejected), { code: 404, message: "No shadow exists with name: 'pump-1'", clientToken: 'c-1' });
  await request(app, shadowTopics('pump-1', 'other').get, {});
  assert.deepEqual(await hako.shadows.listNamedShadows('pump-1'), ['config']);
  await app.assertNothingMore();
});

test('concurrent updates from two clients are serialized: versions 1..N, none lost', async (t) => {
  const topics = shadowTopics('counter-1');
  const observer = await connect(t);
  assert.deepEqual(await observer.subscribe(topics.updateAccepted), [1]);
  const [a, b] = [await connect(t), await connect(t)];
  const perClient = 5; // 10 in flight at most: AWS's per-thing limit, beyond which updates get 429
  for (let i = 1; i <= perClient; i++) {
    for (const [name, client] of [['a', a], ['b', b]] as const) {
      client.send({ cmd: 'publish', topic: topics.update, payload: Buffer.from(JSON.stringify({ state: { reported: { [name]: i } }, clientToken: `${name}-${i}` })), qos: 0, retain: false, dup: false });
    }
  }
  const accepted: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 2 * perClient; i++) accepted.push(await expectResponse(observer, topics.updateAccepted));
  assert.deepEqual(accepted.map((p) => p.version), Array.from({ length: 2 * perClient }, (_, i) => i + 1));
  assert.equal(new Set(accepted.map((p) => p.clientToken)).size, 2 * perClient);
  for (const name of ['a', 'b']) {
    const mine = accepted.filter((p) => (p.clientToken as string).startsWith(`${name}-`)).map((p) => p.clientToken);
    assert.deepEqual(mine, Array.from({ length: perClient }, (_, i) => `${name}-${i + 1}`), `${name}'s updates in the order sent`);
  }
  const got = await hako.shadows.get('counter-1', undefined);
  assert.ok(got.ok);
  assert.deepEqual([got.accepted.version, got.accepted.state.reported], [2 * perClient, { a: perClient, b: perClient }]);
});

test('a device with a persistent session gets the delta published while it was offline when it reconnects (QoS 1)', async (t) => {
  const topics = shadowTopics('sleepy-1');
  const session = { clientId: 'sleepy-1', clean: false, properties: { sessionExpiryInterval: 3600 } };
  const first = await RawClient.connect(hako.ports.mqtt, session);
  assert.deepEqual(await first.client.subscribe(topics.updateDelta, { qos: 1 }), [1]);
  await first.client.disconnect();
  const app = await connect(t);
  assert.deepEqual(await app.subscribe(topics.updateAccepted), [1]);
  await request(app, topics.update, { state: { desired: { mode: 'eco' } }, clientToken: 'while-away' });
  await expectResponse(app, topics.updateAccepted); // the delta was published right after
  const { client: device, connack } = await RawClient.connect(hako.ports.mqtt, session);
  t.after(() => device.destroy());
  assert.equal(connack.sessionPresent, true);
  const delta = await device.receive();
  assert.deepEqual([delta.topic, delta.qos], [topics.updateDelta, 1]);
  const body = JSON.parse(delta.payload.toString()) as { timestamp: number };
  assert.deepEqual(body, { version: 1, timestamp: body.timestamp, state: { mode: 'eco' }, metadata: { mode: { timestamp: body.timestamp } }, clientToken: 'while-away' });
});

test('the methods for the HTTP data plane: update publishes the MQTT responses, get does not; rejections are returned, not published', async (t) => {
  const topics = shadowTopics('rest-1', 'cfg');
  const app = await connect(t, topics);
  const updated = await hako.shadows.update('rest-1', 'cfg', JSON.stringify({ state: { desired: { x: 1 } }, clientToken: 'http-1' }));
  assert.ok(updated.ok);
  assert.deepEqual([updated.accepted.version, updated.accepted.clientToken], [1, 'http-1']);
  assert.deepEqual((await expectResponse(app, topics.updateAccepted)).clientToken, 'http-1');
  assert.deepEqual((await expectResponse(app, topics.updateDelta)).state, { x: 1 });
  await expectResponse(app, topics.updateDocuments);
  const conflict = await hako.shadows.update('rest-1', 'cfg', '{"state":{},"version":9}');
  assert.deepEqual(conflict.ok ? undefined : conflict.error, { code: 409, message: 'Version conflict' });
  const got = await hako.shadows.get('rest-1', 'cfg');
  assert.deepEqual(got.ok ? got.accepted.state : undefined, { desired: { x: 1 }, delta: { x: 1 } });
  const invalid = await hako.shadows.get('no/slash', undefined);
  assert.equal(invalid.ok ? 0 : invalid.error.code, 400);
  await app.assertNothingMore();
  const deleted = await hako.shadows.delete('rest-1', 'cfg');
  assert.deepEqual(deleted.ok ? deleted.accepted.version : undefined, 1);
  assert.equal((await expectResponse(app, topics.deleteAccepted)).version, 1);
  assert.deepEqual(await hako.shadows.listNamedShadows('rest-1'), []);
});

test('more than 10 requests in flight for one thing (all its shadows together) are rejected with 429 at once; the rest go through', async (t) => {
  const classic = shadowTopics('busy-1');
  const named = shadowTopics('busy-1', 'config');
  const app = await connect(t);
  assert.deepEqual(await app.subscribe([{ topic: '$aws/things/busy-1/shadow/#', qos: 1 }]), [1]);
  // Published in-process in one go, so all twelve are waiting before the first is stored.
  for (let i = 1; i <= 12; i++) {
    const topic = i % 2 === 0 ? named.update : classic.update;
    hako.broker.publish({ topic, payload: Buffer.from(JSON.stringify({ state: { reported: { i } }, clientToken: `burst-${i}` })), qos: 0, retain: false, properties: undefined, expiresAt: undefined, origin: undefined });
  }
  const answers = new Map<string, { topic: string; body: Record<string, unknown> }>();
  while (answers.size < 12) {
    const message = await app.receive();
    if (!message.topic.endsWith('/accepted') && !message.topic.endsWith('/rejected')) continue;
    const body = JSON.parse(message.payload.toString()) as Record<string, unknown>;
    answers.set(body.clientToken as string, { topic: message.topic, body });
  }
  for (let i = 1; i <= 10; i++) assert.match(answers.get(`burst-${i}`)?.topic ?? '', /\/update\/accepted$/, `burst-${i} accepted`);
  for (const i of [11, 12]) {
    const answer = answers.get(`burst-${i}`);
    assert.equal(answer?.topic, (i % 2 === 0 ? named : classic).updateRejected);
    assert.deepEqual(answer?.body, { code: 429, message: 'Too Many Requests', clientToken: `burst-${i}` });
  }
  // Once the burst is answered the thing takes requests again.
  await request(app, classic.update, { state: { reported: { after: true } }, clientToken: 'after-burst' });
  let next = await app.receive();
  while (next.topic !== classic.updateAccepted) next = await app.receive();
  assert.equal((JSON.parse(next.payload.toString()) as { clientToken: string }).clientToken, 'after-burst');
});

test('the HTTP-facing methods count toward the same limit: the eleventh concurrent update of a thing is a 429', async () => {
  const pending = Array.from({ length: 11 }, (_, i) => hako.shadows.update('busy-http', undefined, JSON.stringify({ state: { reported: { i } }, clientToken: `h-${i}` })));
  const outcomes = await Promise.all(pending);
  assert.deepEqual(outcomes.map((o) => o.ok), [...Array.from({ length: 10 }, () => true), false]);
  const last = outcomes[10];
  assert.ok(last !== undefined && !last.ok);
  assert.deepEqual(last.error, { code: 429, message: 'Too Many Requests' });
});

test('shadow limits come from the configuration: a larger document size, a smaller in-flight limit', async () => {
  const custom = await startTestHako({ shadow: { maxStateBytes: 30_720, maxInFlightPerThing: 2 } });
  try {
    const big = await custom.shadows.update('roomy', undefined, JSON.stringify({ state: { reported: { blob: 'x'.repeat(20 * 1024) } } }));
    assert.equal(big.ok, true, 'a 20 KiB state fits a 30 KiB limit');
    const outcomes = await Promise.all([1, 2, 3].map((i) => custom.shadows.update('roomy', undefined, JSON.stringify({ state: { reported: { i } } }))));
    assert.deepEqual(outcomes.map((o) => (o.ok ? 200 : o.error.code)), [200, 200, 429]);
  } finally {
    await custom.close();
  }
});
