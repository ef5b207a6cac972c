/**
 * @module test/shadow/thing-shadow-sdk.test — the real `aws-iot-device-sdk` v1 `thingShadow` client
 * (classic shadow, MQTT 3.1.1 over TLS with a hako-issued certificate) against hako's shadow service
 * [spec §3.9]: register (one SUBSCRIBE, 7 filters), update and get with `status` callbacks matched by
 * clientToken, a `delta` from an application's update, versioned updates, the faithful 409 after a
 * delete (GH aws-iot-device-sdk-js#68), and `timeout` for an operation whose answer never arrives.
 */
import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import awsIot from 'aws-iot-device-sdk';
import type { IoTClient } from '@aws-sdk/client-iot';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { createPolicy, iotClient, provisionDevice } from '../helpers/aws.js';
import { RawClient } from '../helpers/raw-client.js';
import { expectResponse, request, shadowPolicy, shadowTopics } from './helpers.js';

let hako: TestHako;
let iot: IoTClient;
const certDir = mkdtempSync(path.join(tmpdir(), 'hako-thing-shadow-'));

before(async () => {
  hako = await startTestHako();
  iot = iotClient(hako);
  await createPolicy(iot, 'shadow-policy', shadowPolicy);
});
after(async () => {
  iot.destroy();
  await hako.close();
  rmSync(certDir, { recursive: true, force: true });
});

/** The next `event` whose arguments satisfy `match`; fails after `timeoutMs`. */
function nextEvent(emitter: EventEmitter, event: string, match: (...args: unknown[]) => boolean, timeoutMs = 5000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      if (!match(...args)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(args);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no matching '${event}' within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.on(event, listener);
  });
}

type Status = [thingName: string, status: 'accepted' | 'rejected', clientToken: string, state: Record<string, unknown>];

/** `awsIot.thingShadow` with its second argument, `thingShadowOptions`, which the SDK's typings leave out. */
const thingShadow = awsIot.thingShadow as unknown as (
  deviceOptions: Parameters<typeof awsIot.thingShadow>[0],
  thingShadowOptions: { operationTimeout?: number },
) => ReturnType<typeof awsIot.thingShadow>;

/** A provisioned device's `thingShadow` client (files as the SDK wants them), connected and registered for `thing`. */
async function registeredDevice(t: TestContext, thing: string, policyName: string, options: { operationTimeout?: number } = {}): Promise<ReturnType<typeof awsIot.thingShadow>> {
  const device = await provisionDevice(iot, thing, policyName);
  const files = { certPath: path.join(certDir, `${thing}.pem.crt`), keyPath: path.join(certDir, `${thing}.private.pem.key`), caPath: path.join(certDir, 'root-ca.pem') };
  writeFileSync(files.certPath, device.certificatePem);
  writeFileSync(files.keyPath, device.privateKeyPem, { mode: 0o600 });
  writeFileSync(files.caPath, device.caPem);
  const shadows = thingShadow({ ...files, clientId: thing, host: 'localhost', port: hako.ports.mqtts, baseReconnectTimeMs: 15_000 }, options);
  t.after(() => shadows.end(true));
  await nextEvent(shadows, 'connect', () => true);
  await new Promise<void>((resolve, reject) => shadows.register(thing, {}, (error, failed) => (error !== undefined || failed !== undefined ? reject(error ?? new Error(`failed topics ${JSON.stringify(failed)}`)) : resolve())));
  return shadows;
}

test('aws-iot-device-sdk v1 thingShadow: register, delta from an application, report, get, status callbacks with clientToken, 409 after delete', async (t) => {
  const thing = 'sdk-lamp';
  const shadows = await registeredDevice(t, thing, 'shadow-policy');

  const status = (token: string | null): Promise<Status> => {
    assert.ok(token !== null, 'the SDK started the operation');
    return nextEvent(shadows, 'status', (_thing, _status, clientToken) => clientToken === token) as Promise<Status>;
  };

  // The device reports; its own update comes back as `status` accepted with its token.
  const reported = status(shadows.update(thing, { state: { reported: { color: 'red' } } }));
  const [, firstStatus, firstToken, firstState] = await reported;
  assert.equal(firstStatus, 'accepted');
  assert.match(firstToken, /^sdk-lamp-\d+$/);
  assert.equal(firstState.version, 1);

  // An application changes desired; the device gets the delta.
  const app = await RawClient.connectForTest(t, hako.ports.mqtt, 'sdk-lamp-app');
  const topics = shadowTopics(thing);
  assert.deepEqual(await app.subscribe(topics.updateAccepted), [1]);
  const delta = nextEvent(shadows, 'delta', (name) => name === thing);
  await request(app, topics.update, { state: { desired: { color: 'green' } }, clientToken: 'app-1' });
  await expectResponse(app, topics.updateAccepted);
  const [, deltaState] = (await delta) as [string, { state: unknown; version: number }];
  assert.deepEqual([deltaState.state, deltaState.version], [{ color: 'green' }, 2]);

  // The device applies it and reports, with `version` 2 (enableVersioning): accepted as version 3.
  const [, reportStatus, , reportState] = await status(shadows.update(thing, { state: { reported: { color: 'green' } } }));
  assert.deepEqual([reportStatus, reportState.version], ['accepted', 3]);

  const [, getStatus, , got] = await status(shadows.get(thing));
  assert.equal(getStatus, 'accepted');
  assert.deepEqual([got.state, got.version], [{ desired: { color: 'green' }, reported: { color: 'green' } }, 3]);

  const [, deleteStatus, , deleted] = await status(shadows.delete(thing));
  assert.deepEqual([deleteStatus, deleted.version], ['accepted', 3]);
  // The SDK still sends the old version: the re-creating update is refused with 409, as on AWS.
  const [, rejectedStatus, , rejected] = await status(shadows.update(thing, { state: { reported: { color: 'blue' } } }));
  assert.deepEqual([rejectedStatus, rejected.code, rejected.message], ['rejected', 409, 'Version conflict']);
});

test('thingShadow: an update that gets no answer ends in `timeout` with its clientToken, and no `status`', async (t) => {
  // The device may publish its update but not receive the answers: to the SDK the service never replied.
  const ARN = 'arn:aws:iot:us-east-1:000000000000';
  const muted = JSON.parse(shadowPolicy) as { Statement: object[] };
  muted.Statement.push({ Effect: 'Deny', Action: 'iot:Receive', Resource: [`${ARN}:topic/$aws/things/sdk-mute/shadow/update/accepted`, `${ARN}:topic/$aws/things/sdk-mute/shadow/update/rejected`] });
  await createPolicy(iot, 'mute-policy', JSON.stringify(muted));
  const shadows = await registeredDevice(t, 'sdk-mute', 'mute-policy', { operationTimeout: 300 });
  const statuses: unknown[] = [];
  shadows.on('status', (...args: unknown[]) => statuses.push(args));
  const token = shadows.update('sdk-mute', { state: { reported: { online: true } } });
  assert.ok(token !== null);
  const [thingName, clientToken] = await nextEvent(shadows, 'timeout', (_thing, clientToken) => clientToken === token);
  assert.deepEqual([thingName, clientToken], ['sdk-mute', token]);
  assert.deepEqual(statuses, []);
  const stored = await hako.shadows.get('sdk-mute', undefined);
  assert.ok(stored.ok, 'the update itself was accepted and stored');
  assert.deepEqual(stored.accepted.state, { reported: { online: true } });
});
