/**
 * @module test/process/shadow-crash.test — shadow updates that hako accepted survive `kill -9`: the
 * service stores a document before it publishes `…/update/accepted`, so every accepted version is there
 * after the restart, with its state and metadata.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IPublishPacket } from 'mqtt-packet';
import { startHakoProcess, tempDir, waitForExit } from '../helpers/process-hako.js';
import { RawClient } from '../helpers/raw-client.js';

const UPDATES = 40;
/** Sent back to back, then awaited: AWS's (and hako's default) limit of requests in flight per thing. */
const WINDOW = 10;

test('kill -9 right after the last update/accepted: the restarted hako has every accepted version', async (t) => {
  const dataDir = tempDir(t);
  const first = await startHakoProcess(t, dataDir);
  const device = await RawClient.connectForTest(t, first.ports.mqtt, 'crash-shadow-device', 4);
  const base = '$aws/things/crash-lamp/shadow';
  assert.deepEqual(await device.subscribe([{ topic: `${base}/update/accepted`, qos: 1 }, { topic: `${base}/update/rejected`, qos: 1 }]), [1, 1]);
  let last: Record<string, unknown> | undefined;
  for (let first = 1; first <= UPDATES; first += WINDOW) {
    // Back to back: several are in flight when the window's last accepted arrives.
    for (let i = first; i < first + WINDOW; i++) {
      device.send({ cmd: 'publish', topic: `${base}/update`, payload: Buffer.from(JSON.stringify({ state: { reported: { level: i }, desired: i === UPDATES ? { level: 99 } : null }, clientToken: `u${i}` })), qos: 0, retain: false, dup: false });
    }
    for (let i = first; i < first + WINDOW; i++) {
      const packet = (await device.next('publish')) as IPublishPacket;
      assert.equal(packet.topic, `${base}/update/accepted`, packet.payload.toString());
      last = JSON.parse(packet.payload.toString()) as Record<string, unknown>;
    }
  }
  assert.deepEqual([last?.version, last?.clientToken], [UPDATES, `u${UPDATES}`]);
  first.hako.child.kill('SIGKILL');
  assert.equal((await waitForExit(first.hako)).signal, 'SIGKILL');

  const second = await startHakoProcess(t, dataDir);
  const after = await RawClient.connectForTest(t, second.ports.mqtt, 'crash-shadow-reader', 4);
  assert.deepEqual(await after.subscribe([{ topic: `${base}/get/accepted`, qos: 1 }]), [1]);
  after.send({ cmd: 'publish', topic: `${base}/get`, payload: Buffer.from('{"clientToken":"after"}'), qos: 0, retain: false, dup: false });
  const got = JSON.parse(((await after.receive()) as IPublishPacket).payload.toString()) as { state: unknown; version: number; clientToken: string };
  assert.deepEqual([got.version, got.clientToken], [UPDATES, 'after']);
  assert.deepEqual(got.state, { desired: { level: 99 }, reported: { level: UPDATES }, delta: { level: 99 } });
});
