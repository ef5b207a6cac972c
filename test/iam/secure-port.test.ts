/**
 * @module test/iam/secure-port.test — the optional HTTPS port, AWS IoT's 443: HTTPS APIs, MQTT over
 * WebSocket with a SigV4-presigned URL (what `aws-iot-device-sdk` does with `protocol: 'wss'`), and MQTT
 * with a client certificate for clients that negotiate ALPN `x-amzn-mqtt-ca`.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import https from 'node:https';
import { after, before, test } from 'node:test';
import { ListPoliciesCommand, IoTClient } from '@aws-sdk/client-iot';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import awsIot from 'aws-iot-device-sdk';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { captureLog, type CapturedLog } from '../helpers/log-capture.js';
import { createPolicy, iotClient, provisionDevice, rootCredentials, thingPolicy } from '../helpers/aws.js';
import { RawClient } from '../helpers/raw-client.js';

let hako: TestHako;
let log: CapturedLog;
let caPem: string;
let httpsPort: number;

before(async () => {
  log = captureLog();
  hako = await startTestHako({ httpsPort: 0 }, undefined, log.logger);
  caPem = hako.identity.tls.caPem;
  httpsPort = hako.ports.https as number;
});

after(() => hako.close());

test('ports.json names the HTTPS port only when one is configured', async () => {
  assert.ok(Number.isInteger(hako.ports.https) && (hako.ports.https as number) > 0);
  const plain = await startTestHako();
  try {
    assert.equal(plain.ports.https, undefined);
  } finally {
    await plain.close();
  }
});

test('HTTPS serves the same APIs: /healthz, and an IoTClient over https with hako\'s CA', async () => {
  const agent = new https.Agent({ ca: caPem });
  const response = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
    https.get({ host: '127.0.0.1', servername: 'localhost', port: httpsPort, path: '/healthz', agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', reject);
  });
  assert.deepEqual(response, { status: 200, body: '{"status":"ok"}' });
  const iot = new IoTClient({ endpoint: `https://localhost:${httpsPort}`, region: 'us-east-1', credentials: rootCredentials(hako.dataDir), maxAttempts: 1, requestHandler: new NodeHttpHandler({ httpsAgent: agent }) });
  try {
    assert.deepEqual((await iot.send(new ListPoliciesCommand({}))).policies, []);
  } finally {
    iot.destroy();
    agent.destroy();
  }
});

test('MQTT with a client certificate over ALPN x-amzn-mqtt-ca on the HTTPS port; without the certificate it is refused', async () => {
  const iot = iotClient(hako);
  try {
    await createPolicy(iot, 'alpn-policy', thingPolicy());
    const device = await provisionDevice(iot, 'alpn-device', 'alpn-policy');
    const options = { ca: caPem, cert: device.certificatePem, key: device.privateKeyPem, ALPNProtocols: ['x-amzn-mqtt-ca'] };
    const { client, connack } = await RawClient.connectTls(httpsPort, options, { clientId: 'alpn-device' }, 4);
    assert.equal(connack.returnCode, 0);
    await client.disconnect();
    const anonymous = await RawClient.openTls(httpsPort, { ca: caPem, ALPNProtocols: ['x-amzn-mqtt-ca'] }, 4);
    await anonymous.closed;
    await log.waitFor(/refused MQTT\/TLS client: no client certificate was presented/);
  } finally {
    iot.destroy();
  }
});

test('aws-iot-device-sdk over wss with SigV4 (access key): connects, subscribes, publishes, receives', async () => {
  const { accessKeyId, secretAccessKey } = rootCredentials(hako.dataDir);
  const device = awsIot.device({
    protocol: 'wss',
    host: 'localhost',
    port: httpsPort,
    region: 'us-east-1',
    clientId: 'wss-app',
    accessKeyId,
    secretKey: secretAccessKey,
    websocketOptions: { ca: caPem },
    baseReconnectTimeMs: 15_000,
  });
  try {
    await once(device, 'connect');
    await new Promise<void>((resolve, reject) => device.subscribe('web/updates', { qos: 1 }, (error) => (error ? reject(error) : resolve())));
    const message = once(device, 'message');
    device.publish('web/updates', 'from the browser app', { qos: 1 });
    const [topic, payload] = (await message) as [string, Buffer];
    assert.deepEqual([topic, payload.toString()], ['web/updates', 'from the browser app']);
  } finally {
    device.end(true);
  }
});

test('a WebSocket URL signed with a wrong secret is refused with 403 before any MQTT, and logged', async () => {
  const { accessKeyId } = rootCredentials(hako.dataDir);
  const device = awsIot.device({
    protocol: 'wss',
    host: 'localhost',
    port: httpsPort,
    region: 'us-east-1',
    clientId: 'wss-bad',
    accessKeyId,
    secretKey: 'not-the-secret-not-the-secret-not-the-secret',
    websocketOptions: { ca: caPem },
    baseReconnectTimeMs: 15_000,
  });
  try {
    // The SDK sees the upgrade fail (an error or a close, depending on timing) and would retry later.
    await Promise.race([once(device, 'error'), once(device, 'close')]);
    await log.waitFor(/refused MQTT over WebSocket: The request signature we calculated does not match/);
    assert.equal(hako.broker.connectionCount, 0);
  } finally {
    device.end(true);
  }
});

test('the 403 for a refused WebSocket upgrade is AWS-shaped: JSON body, x-amzn-ErrorType ForbiddenException', async () => {
  const { default: WebSocket } = await import('ws');
  const date = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const query = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAUNKNOWNKEY000000%2F${date.slice(0, 8)}%2Fus-east-1%2Fiotdevicegateway%2Faws4_request&X-Amz-Date=${date}&X-Amz-SignedHeaders=host&X-Amz-Signature=${'0'.repeat(64)}`;
  const ws = new WebSocket(`ws://127.0.0.1:${hako.ports.http}/mqtt?${query}`, 'mqtt');
  ws.on('error', () => undefined); // terminate() below, before any connection, reports itself as an error
  const [, response] = (await once(ws, 'unexpected-response')) as [unknown, import('node:http').IncomingMessage];
  let body = '';
  for await (const chunk of response) body += String(chunk);
  ws.terminate();
  assert.equal(response.statusCode, 403);
  assert.equal(response.headers['x-amzn-errortype'], 'ForbiddenException:');
  assert.match(JSON.parse(body).message, /^UnrecognizedClientException: /);
});
