/**
 * @module test/interop/device-certificates — real device software with hako-issued certificates and the
 * usual AWS IoT thing policy (`${iot:Connection.Thing.ThingName}/*`): `aws-iot-device-sdk` (v1, MQTT
 * 3.1.1 over TLS, the SDK most Raspberry Pi tutorials use) and `mosquitto_pub`/`mosquitto_sub`. Own
 * topics work; another thing's topic is refused.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import awsIot from 'aws-iot-device-sdk';
import type { IoTClient } from '@aws-sdk/client-iot';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { captureLog, type CapturedLog } from '../helpers/log-capture.js';
import { createPolicy, iotClient, provisionDevice, thingPolicy, type Device } from '../helpers/aws.js';
import { runMosquitto, startSubscriber } from '../helpers/mosquitto-cli.js';

let hako: TestHako;
let log: CapturedLog;
let iot: IoTClient;
const certDir = mkdtempSync(path.join(tmpdir(), 'hako-device-certs-'));

before(async () => {
  log = captureLog();
  hako = await startTestHako({}, undefined, log.logger);
  iot = iotClient(hako);
  await createPolicy(iot, 'thing-policy', thingPolicy());
});

after(async () => {
  iot.destroy();
  await hako.close();
  rmSync(certDir, { recursive: true, force: true });
});

/** The three files a device gets, as `hako certs create` writes them. */
function writeFiles(device: Device): { cert: string; key: string; ca: string } {
  const files = { cert: path.join(certDir, `${device.thingName}.pem.crt`), key: path.join(certDir, `${device.thingName}.private.pem.key`), ca: path.join(certDir, 'root-ca.pem') };
  writeFileSync(files.cert, device.certificatePem);
  writeFileSync(files.key, device.privateKeyPem, { mode: 0o600 });
  writeFileSync(files.ca, device.caPem);
  return files;
}

test('aws-iot-device-sdk v1: the Raspberry Pi publishes and receives on its own topics; another thing\'s topic is refused', async () => {
  const pi = await provisionDevice(iot, 'pi-1', 'thing-policy');
  const files = writeFiles(pi);
  const device = awsIot.device({ keyPath: files.key, certPath: files.cert, caPath: files.ca, clientId: 'pi-1', host: 'localhost', port: hako.ports.mqtts, baseReconnectTimeMs: 15_000 });
  try {
    await once(device, 'connect');
    const granted = await new Promise<Array<{ qos: number }>>((resolve, reject) => device.subscribe('pi-1/humidity', { qos: 1 }, (error, g) => (error ? reject(error) : resolve(g))));
    assert.equal(granted[0]?.qos, 1);
    const message = once(device, 'message');
    device.publish('pi-1/humidity', '{"rh":41}', { qos: 1 });
    const [topic, payload] = (await message) as [string, Buffer];
    assert.deepEqual([topic, payload.toString()], ['pi-1/humidity', '{"rh":41}']);

    const refused = await new Promise<Array<{ qos: number }>>((resolve, reject) => device.subscribe('pi-2/humidity', { qos: 1 }, (error, g) => (error ? reject(error) : resolve(g))));
    assert.equal(refused[0]?.qos, 128, 'SUBACK 0x80 for another thing\'s topic');
    // MQTT 3.1.1 cannot refuse a PUBLISH: AWS IoT closes the connection, and so does hako.
    const closed = once(device, 'close');
    device.publish('pi-2/humidity', 'not mine', { qos: 1 });
    await closed;
    await log.waitFor(/denied iot:Publish on arn:aws:iot:us-east-1:000000000000:topic\/pi-2\/humidity: no policy statement allows/);
    // The SDK's username (?SDK=JavaScript&Version=…) was accepted: it connected above.
  } finally {
    device.end(true);
  }
});

for (const version of ['mqttv311', 'mqttv5'] as const) {
  test(`mosquitto_pub/mosquitto_sub -V ${version} with the device's files: own topics work both ways, another thing's topic is refused`, async () => {
    const thingName = `mosq-${version}`;
    const files = writeFiles(await provisionDevice(iot, thingName, 'thing-policy'));
    const device = ['-V', version, '-h', 'localhost', '-p', String(hako.ports.mqtts), '--cafile', files.ca, '--cert', files.cert, '--key', files.key, '-i', thingName];
    // The other end is an application on the loopback TCP port (anonymous there, unrestricted).
    const application = ['-V', version, '-h', '127.0.0.1', '-p', String(hako.ports.mqtt)];

    const reported = `${thingName}/temperature`;
    const listener = await startSubscriber(hako.hooks, `app-${version}`, reported, [...application, '-q', '1', '-C', '1', '-W', '8', '-F', '%t|%p']);
    const published = await runMosquitto('mosquitto_pub', [...device, '-t', reported, '-q', '1', '-m', '21.5']);
    assert.equal(published.code, 0, `device mosquitto_pub failed: ${published.stderr}`);
    assert.equal((await listener.exited).stdout, `${reported}|21.5\n`);

    const command = `${thingName}/commands`;
    const deviceListener = await startSubscriber(hako.hooks, thingName, command, [...device.slice(0, -2), '-q', '1', '-C', '1', '-W', '8', '-F', '%t|%p']);
    const sent = await runMosquitto('mosquitto_pub', [...application, '-t', command, '-q', '1', '-m', 'fan on']);
    assert.equal(sent.code, 0, `application mosquitto_pub failed: ${sent.stderr}`);
    const received = await deviceListener.exited;
    assert.equal(received.stdout, `${command}|fan on\n`, `device mosquitto_sub: ${received.stderr}`);

    const refusedSub = await runMosquitto('mosquitto_sub', [...device, '-t', 'other-thing/commands', '-q', '1', '-C', '1', '-W', '5']);
    // mosquitto_sub exits 0 here, but says so: SUBACK 0x80 (3.1.1) or 0x87 (v5) for the only filter.
    assert.equal(refusedSub.stderr, 'All subscription requests were denied.\n');
    const refusedPub = await runMosquitto('mosquitto_pub', [...device, '-t', 'other-thing/temperature', '-q', '1', '-m', 'x']);
    if (version === 'mqttv5') {
      // PUBACK 0x87 with hako's reason string, which mosquitto_pub prints.
      assert.equal(refusedPub.stderr, 'Warning: Publish 1 failed: Not authorized.\nnot authorized to publish to "other-thing/temperature"\n');
    } else {
      assert.notEqual(refusedPub.code, 0, `3.1.1 cannot refuse a PUBLISH: the connection closes: ${JSON.stringify(refusedPub)}`);
    }
  });
}
