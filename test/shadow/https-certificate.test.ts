/**
 * @module test/shadow/https-certificate.test — the data plane on the HTTPS port with a client certificate
 * instead of a signature (AWS IoT's 8443, or 443 with ALPN `x-amzn-http-ca`): shadows, Publish and
 * retained messages, each authorized by the certificate's IoT policies (iot:GetThingShadow,
 * iot:UpdateThingShadow, iot:DeleteThingShadow, iot:ListNamedShadowsForThing, iot:Publish,
 * iot:RetainPublish, iot:GetRetainedMessage); everything else stays SigV4-only.
 */
import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, test } from 'node:test';
import { UpdateCertificateCommand, type IoTClient } from '@aws-sdk/client-iot';
import { createPolicy, iotClient, provisionDevice, type Device } from '../helpers/aws.js';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { captureLog, type CapturedLog } from '../helpers/log-capture.js';
import { RawClient } from '../helpers/raw-client.js';

const ARN = 'arn:aws:iot:us-east-1:000000000000';

/** What the lamp's certificate may do: its own shadows (not delete them), and its own topics. */
const LAMP_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['iot:GetThingShadow', 'iot:UpdateThingShadow'], Resource: [`${ARN}:thing/lamp`, `${ARN}:thing/lamp/*`] },
    { Effect: 'Allow', Action: 'iot:ListNamedShadowsForThing', Resource: `${ARN}:thing/lamp` },
    { Effect: 'Allow', Action: ['iot:Publish', 'iot:GetRetainedMessage'], Resource: `${ARN}:topic/lamp/*` },
  ],
});

let hako: TestHako;
let log: CapturedLog;
let iot: IoTClient;
let lamp: Device;

before(async () => {
  log = captureLog();
  hako = await startTestHako({ httpsPort: 0 }, undefined, log.logger);
  iot = iotClient(hako);
  await createPolicy(iot, 'lamp-data', LAMP_POLICY);
  lamp = await provisionDevice(iot, 'lamp', 'lamp-data');
});

after(async () => {
  iot.destroy();
  await hako.close();
});

interface Answer {
  status: number;
  errorType: string | undefined;
  body: Record<string, unknown>;
}

/** One request on a fresh TLS connection presenting `device`'s certificate, as a device's HTTPS client does. */
function deviceRequest(device: Device, method: string, path: string, body?: string, alpn?: string[]): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: '127.0.0.1',
        servername: 'localhost',
        port: hako.ports.https,
        method,
        path,
        ca: hako.identity.tls.caPem,
        cert: device.certificatePem,
        key: device.privateKeyPem,
        agent: false,
        ...(alpn === undefined ? {} : { ALPNProtocols: alpn }),
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => {
          const errorType = response.headers['x-amzn-errortype'];
          resolve({ status: response.statusCode ?? 0, errorType: typeof errorType === 'string' ? errorType : undefined, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

test('a device updates and reads its classic and named shadows with only its certificate', async () => {
  const updated = await deviceRequest(lamp, 'POST', '/things/lamp/shadow', JSON.stringify({ state: { reported: { on: true } }, clientToken: 'https-1' }));
  assert.equal(updated.status, 200);
  assert.deepEqual([updated.body.state, updated.body.version, updated.body.clientToken], [{ reported: { on: true } }, 1, 'https-1']);
  const named = await deviceRequest(lamp, 'POST', '/things/lamp/shadow?name=config', JSON.stringify({ state: { desired: { brightness: 40 } } }));
  assert.equal(named.status, 200);

  const read = await deviceRequest(lamp, 'GET', '/things/lamp/shadow');
  assert.equal(read.status, 200);
  assert.deepEqual(read.body.state, { reported: { on: true } });
  const list = await deviceRequest(lamp, 'GET', '/api/things/shadow/ListNamedShadowsForThing/lamp');
  assert.deepEqual([list.status, list.body.results], [200, ['config']]);
});

test('ALPN x-amzn-http-ca on the HTTPS port is the same HTTPS API (AWS IoT\'s 443)', async () => {
  const read = await deviceRequest(lamp, 'GET', '/things/lamp/shadow?name=config', undefined, ['x-amzn-http-ca']);
  assert.equal(read.status, 200);
  assert.deepEqual(read.body.state, { desired: { brightness: 40 }, delta: { brightness: 40 } });
});

test('what the policy does not allow is 403 ForbiddenException naming the action and resource, logged once; nothing changes', async () => {
  await deviceRequest(lamp, 'POST', '/things/lamp/shadow?name=keep', JSON.stringify({ state: { reported: { kept: true } } }));
  const before = log.matching(/refused API request/).length;
  const deleted = await deviceRequest(lamp, 'DELETE', '/things/lamp/shadow?name=keep');
  assert.equal(deleted.status, 403);
  assert.equal(deleted.errorType, 'ForbiddenException');
  assert.match(String(deleted.body.message), new RegExp(`^iot:DeleteThingShadow on ${ARN}:thing/lamp/keep: `));
  assert.equal(log.matching(/refused API request: iot:DeleteThingShadow/).length, 1);
  assert.equal(log.matching(/refused API request/).length, before + 1);
  assert.equal((await hako.shadows.get('lamp', 'keep')).ok, true, 'the shadow is still there');

  const other = await deviceRequest(lamp, 'POST', '/things/heater/shadow', JSON.stringify({ state: { desired: { on: true } } }));
  assert.deepEqual([other.status, other.errorType], [403, 'ForbiddenException']);
  assert.match(String(other.body.message), /iot:UpdateThingShadow on .*:thing\/heater/);
  assert.equal((await hako.shadows.get('heater', undefined)).ok, false, 'no shadow was created for the heater');
});

test('Publish with a certificate: allowed topics reach MQTT subscribers; others, and RETAIN without iot:RetainPublish, are 403', async () => {
  const { client: watcher } = await RawClient.connect(hako.ports.mqtt, { clientId: 'https-watcher' });
  try {
    await watcher.subscribe('lamp/#');
    const published = await deviceRequest(lamp, 'POST', '/topics/lamp/status?qos=1', 'on');
    assert.deepEqual([published.status, published.body.message], [200, 'OK']);
    const message = await watcher.receive();
    assert.deepEqual([message.topic, message.payload.toString()], ['lamp/status', 'on']);

    const elsewhere = await deviceRequest(lamp, 'POST', '/topics/heater/status', 'on');
    assert.deepEqual([elsewhere.status, elsewhere.errorType], [403, 'ForbiddenException']);
    assert.match(String(elsewhere.body.message), /^iot:Publish on .*:topic\/heater\/status: /);
    const retained = await deviceRequest(lamp, 'POST', '/topics/lamp/last?retain=true', 'on');
    assert.equal(retained.status, 403);
    assert.match(String(retained.body.message), /^iot:RetainPublish on .*:topic\/lamp\/last: /);
    assert.equal(hako.broker.retainedMessage('lamp/last'), undefined);
    await watcher.assertNothingMore('publish');
  } finally {
    await watcher.disconnect();
  }
});

test('retained messages: GetRetainedMessage by policy; ListRetainedMessages is not in the policy', async () => {
  const { client: publisher } = await RawClient.connect(hako.ports.mqtt, { clientId: 'https-retainer' });
  try {
    await publisher.publishQos1('lamp/firmware', '1.2.3', undefined, true);
  } finally {
    await publisher.disconnect();
  }
  const got = await deviceRequest(lamp, 'GET', '/retainedMessage/lamp/firmware');
  assert.equal(got.status, 200);
  assert.equal(Buffer.from(String(got.body.payload), 'base64').toString(), '1.2.3');
  const listed = await deviceRequest(lamp, 'GET', '/retainedMessage');
  assert.equal(listed.status, 403);
  assert.match(String(listed.body.message), /^iot:ListRetainedMessages on /);
});

test('the control plane takes signed requests only, whatever certificate is presented', async () => {
  const answer = await deviceRequest(lamp, 'GET', '/policies');
  assert.deepEqual([answer.status, answer.errorType], [403, 'ForbiddenException']);
  assert.match(String(answer.body.message), /GET \/policies takes SigV4-signed requests only/);
});

test('a certificate made INACTIVE is refused on its next request, and counted', async () => {
  const device = await provisionDevice(iot, 'lamp-2', 'lamp-data');
  await iot.send(new UpdateCertificateCommand({ certificateId: device.certificateId, newStatus: 'INACTIVE' }));
  const answer = await deviceRequest(device, 'GET', '/things/lamp/shadow');
  assert.deepEqual([answer.status, answer.errorType], [403, 'ForbiddenException']);
  assert.match(String(answer.body.message), new RegExp(`^client certificate refused: .*${device.certificateId}.*INACTIVE`));
  const metrics = await (await fetch(`http://127.0.0.1:${hako.ports.http}/metrics`)).text();
  assert.match(metrics, /^hako_http_certificates_refused_total [1-9]/m);
});
