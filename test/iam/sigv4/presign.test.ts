import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import WebSocket, { WebSocketServer } from 'ws';
import { signedRequestFromNode, splitRequestTarget, verifySigV4, type SignedRequest } from '../../../src/iam/sigv4/index.js';
import { HOST, KEY, SIGNED_AT, lookup, presignClient, tamper } from './helpers.js';

interface V1Options {
  host: string;
  port?: number | string;
  region: string;
}
interface DeviceSdkV1 {
  prepareWebSocketUrl(options: V1Options, id: string, secret: string, token?: string): string;
}
/** The real `aws-iot-device-sdk` v1 URL builder (device/index.js), as `DeviceClient` calls it for `protocol: 'wss'`. */
const deviceSdk = createRequire(import.meta.url)('aws-iot-device-sdk/device/index.js') as DeviceSdkV1;
const v1Url = (options: V1Options, token?: string, secret = KEY.secretAccessKey) =>
  deviceSdk.prepareWebSocketUrl(options, KEY.accessKeyId, secret, token);

/** The request a WebSocket client sends for `url` (its Host header drops the default port 443). */
function wireRequest(url: string): SignedRequest {
  const target = url.slice(url.indexOf('/', url.indexOf('//') + 2));
  const headers = { host: new URL(url).host, 'sec-websocket-protocol': 'mqttv3.1' };
  return { method: 'GET', ...splitRequestTarget(target), headers, body: undefined };
}

const TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+token=';
const gateway = (region: string) => ({ ok: true, accessKeyId: KEY.accessKeyId, region, service: 'iotdevicegateway' });
const later = (ms: number) => new Date(SIGNED_AT.getTime() + ms);
const messageOf = (result: Awaited<ReturnType<typeof verifySigV4>>) => (result.ok ? '' : result.message);

test('presigned: aws-iot-device-sdk v1 WSS URL (4 X-Amz params, host signed, iotdevicegateway) verifies', async () => {
  for (const port of [443, 8443]) {
    const url = v1Url({ host: 'abc123-ats.iot.us-east-1.amazonaws.com', port, region: 'us-east-1' });
    assert.doesNotMatch(url, /X-Amz-Expires/);
    assert.deepEqual(await verifySigV4(wireRequest(url), lookup, new Date()), gateway('us-east-1'), `port ${port}`);
  }
});

test('presigned: v1 WSS URL with X-Amz-Security-Token appended after signing verifies', async () => {
  const url = v1Url({ host: 'abc123-ats.iot.eu-west-1.amazonaws.com', region: 'eu-west-1' }, TOKEN);
  assert.match(url, /&X-Amz-Security-Token=IQoJ[^&]+$/);
  assert.deepEqual(await verifySigV4(wireRequest(url), lookup, new Date()), gateway('eu-west-1'));
});

test('presigned: iotdevicegateway URL that signed the token into the query verifies too', async () => {
  const key = { ...KEY, sessionToken: TOKEN };
  const signed = await presignClient({ method: 'GET', path: '/mqtt' }, { service: 'iotdevicegateway', key });
  assert.match(signed.rawQuery, /X-Amz-Security-Token=/);
  assert.equal((await verifySigV4(signed, lookup, SIGNED_AT)).ok, true);
});

test('presigned: the token is outside the signature only for iotdevicegateway', async () => {
  const appendToken = (r: SignedRequest) => tamper(r, { rawQuery: `${r.rawQuery}&X-Amz-Security-Token=${encodeURIComponent(TOKEN)}` });
  const iot = await presignClient({ method: 'GET', path: '/mqtt' }, { service: 'iotdevicegateway' });
  assert.equal((await verifySigV4(appendToken(iot), lookup, SIGNED_AT)).ok, true);

  const api = await presignClient({ method: 'GET', path: '/prod/items' }, { service: 'execute-api' });
  const result = await verifySigV4(appendToken(api), lookup, SIGNED_AT);
  assert.equal(result.ok || result.code, 'InvalidSignatureException');
  const key = { ...KEY, sessionToken: TOKEN };
  const signedIn = await presignClient({ method: 'GET', path: '/prod/items' }, { service: 'execute-api', key });
  assert.equal((await verifySigV4(signedIn, lookup, SIGNED_AT)).ok, true);
});

test('presigned: @smithy presign (X-Amz-Expires) is valid until it expires, not just for 5 minutes', async () => {
  const request = { method: 'GET', path: '/mqtt', query: { a: 'b c' } };
  const signed = await presignClient(request, { service: 'iotdevicegateway', expiresIn: 3600 });
  assert.match(signed.rawQuery, /X-Amz-Expires=3600/);
  assert.equal((await verifySigV4(signed, lookup, later(3_599_000))).ok, true);
  assert.deepEqual(await verifySigV4(signed, lookup, later(3_601_000)), {
    ok: false,
    status: 403,
    code: 'InvalidSignatureException',
    message: 'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T133601Z - 60 min.)',
  });
  assert.match(messageOf(await verifySigV4(signed, lookup, later(-301_000))), /^Signature not yet current: /);
});

test('presigned: v1 URL without X-Amz-Expires lives within the 5-minute window', async () => {
  const url = v1Url({ host: HOST, region: 'us-east-1' });
  const result = await verifySigV4(wireRequest(url), lookup, new Date(Date.now() + 6 * 60_000));
  assert.equal(result.ok || result.code, 'InvalidSignatureException');
  assert.match(messageOf(result), /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
});

test('presigned: v1 port given as the string "443" signs host:443 the client never sends (aws-iot-device-sdk-js#309)', async () => {
  const request = wireRequest(v1Url({ host: HOST, port: '443', region: 'us-east-1' }));
  assert.equal(request.headers['host'], HOST);
  const result = await verifySigV4(request, lookup, new Date());
  assert.equal(result.ok || result.code, 'InvalidSignatureException', 'rejected, as AWS does');
});

const v1 = () => wireRequest(v1Url({ host: HOST, region: 'us-east-1' }));
const editQuery = (edit: (params: string[]) => string[]) => () => {
  const request = v1();
  return tamper(request, { rawQuery: edit(request.rawQuery.split('&')).join('&') });
};
const replaceParam = (name: string, value: (old: string) => string) =>
  editQuery((params) => params.map((p) => (p.startsWith(`${name}=`) ? `${name}=${value(p.slice(name.length + 1))}` : p)));
const bumpLastDigit = (date: string) => date.replace(/\d(?=Z$)/, (d) => String((Number(d) + 1) % 10));

for (const [name, make, code, status] of [
  ['X-Amz-Date changed', replaceParam('X-Amz-Date', bumpLastDigit), 'InvalidSignatureException', 403],
  ['X-Amz-Signature changed', replaceParam('X-Amz-Signature', () => '0'.repeat(64)), 'InvalidSignatureException', 403],
  ['extra query parameter', editQuery((p) => [...p, 'x=1']), 'InvalidSignatureException', 403],
  ['path changed', () => tamper(v1(), { path: '/mqtt2' }), 'InvalidSignatureException', 403],
  ['host changed', () => ({ ...v1(), headers: { host: 'other.example.com' } }), 'InvalidSignatureException', 403],
  ['X-Amz-SignedHeaders missing', editQuery((p) => p.filter((x) => !x.startsWith('X-Amz-SignedHeaders='))), 'IncompleteSignatureException', 403],
  ['X-Amz-Signature repeated', editQuery((p) => [...p, ...p.filter((x) => x.startsWith('X-Amz-Signature='))]), 'IncompleteSignatureException', 403],
  ['X-Amz-Expires not a number', editQuery((p) => [...p, 'X-Amz-Expires=soon']), 'InvalidRequestException', 400],
  ['X-Amz-Expires over a week', editQuery((p) => [...p, 'X-Amz-Expires=604801']), 'InvalidRequestException', 400],
] as const) {
  test(`presigned rejects: ${name} → ${code}`, async () => {
    const result = await verifySigV4(make(), lookup, new Date());
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.code, code, result.message);
    assert.equal(result.status, status);
  });
}

test('presigned: missing parameters are named in the message', async () => {
  const request = editQuery((p) => p.filter((x) => !/^X-Amz-(Date|Signature)=/.test(x)))();
  assert.equal(
    messageOf(await verifySigV4(request, lookup, new Date())),
    "AWS query-string parameters must include 'X-Amz-Date' exactly once. " +
      "AWS query-string parameters must include 'X-Amz-Signature' exactly once. Re-examine the query-string parameters.",
  );
});

test('presigned: a real WebSocket upgrade to /mqtt with the v1 URL is accepted; a wrong secret gets 403', async () => {
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer();
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    void verifySigV4(signedRequestFromNode(req, undefined), lookup, new Date()).then((result) => {
      if (result.ok) {
        wss.handleUpgrade(req, socket, head, (ws) => ws.close(1000, result.service));
        return;
      }
      const body = JSON.stringify({ __type: result.code, message: result.message });
      const head403 = [`HTTP/1.1 ${result.status} Forbidden`, 'content-type: application/json', `x-amzn-ErrorType: ${result.code}`];
      socket.end(`${head403.join('\r\n')}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const connect = (secret: string) =>
    new Promise<string>((resolve, reject) => {
      const url = v1Url({ host: '127.0.0.1', port, region: 'us-east-1' }, TOKEN, secret).replace(/^wss:/, 'ws:');
      const ws = new WebSocket(url, 'mqttv3.1');
      ws.on('close', (_code, reason) => resolve(`closed:${reason.toString()}`));
      ws.on('unexpected-response', (_req, res) => {
        resolve(`${res.statusCode}:${String(res.headers['x-amzn-errortype'])}`);
        ws.terminate();
      });
      ws.on('error', reject);
    });
  try {
    assert.equal(await connect(KEY.secretAccessKey), 'closed:iotdevicegateway');
    assert.equal(await connect('not-the-secret'), '403:InvalidSignatureException');
  } finally {
    wss.close();
    server.close();
  }
});
