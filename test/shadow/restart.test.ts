/**
 * @module test/shadow/restart.test — shadows are durable: documents, named shadows and the version of a
 * deleted shadow survive a restart of hako on the same data directory (SQLite).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startTestHako } from '../helpers/hako.js';
import { RawClient } from '../helpers/raw-client.js';
import { expectResponse, request, shadowTopics, subscribeResponses } from './helpers.js';

test('shadow state survives a restart with the same data directory', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hako-shadow-restart-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const classic = shadowTopics('boiler-1');
  const named = shadowTopics('boiler-1', 'schedule');
  const gone = shadowTopics('boiler-2');

  const first = await startTestHako({}, dataDir);
  try {
    const app = await RawClient.connectForTest(t, first.ports.mqtt, 'restart-app-1');
    for (const topics of [classic, named, gone]) await subscribeResponses(app, topics);
    await request(app, classic.update, { state: { desired: { temp: 21 }, reported: { temp: 18 } } });
    await request(app, named.update, { state: { desired: { night: 16 } } });
    await request(app, gone.update, { state: { reported: { on: true } } });
    await request(app, gone.update, { state: { reported: { on: false } } });
    await request(app, gone.delete, {});
    // Each accepted/deleted answer is published only once the change is durable.
    const answers = [];
    while (answers.length < 5) {
      const packet = await app.receive();
      if (packet.topic.endsWith('/accepted')) answers.push(packet.topic);
    }
    assert.equal(answers.at(-1), gone.deleteAccepted);
    await app.disconnect();
  } finally {
    await first.close();
  }

  const second = await startTestHako({}, dataDir);
  t.after(() => second.close());
  const app = await RawClient.connectForTest(t, second.ports.mqtt, 'restart-app-2');
  await subscribeResponses(app, classic);
  await request(app, classic.get, { clientToken: 'after' });
  const got = await expectResponse(app, classic.getAccepted);
  assert.deepEqual([got.state, got.version, got.clientToken], [{ desired: { temp: 21 }, reported: { temp: 18 }, delta: { temp: 21 } }, 1, 'after']);
  assert.deepEqual(await second.shadows.listNamedShadows('boiler-1'), ['schedule']);
  const schedule = await second.shadows.get('boiler-1', 'schedule');
  assert.deepEqual(schedule.ok ? schedule.accepted.state.desired : undefined, { night: 16 });
  assert.equal((await second.shadows.get('boiler-2', undefined)).ok, false);
  const recreated = await second.shadows.update('boiler-2', undefined, '{"state":{"reported":{"on":true}}}');
  assert.equal(recreated.ok ? recreated.accepted.version : undefined, 3, 'continues after the deleted version 2');
});
