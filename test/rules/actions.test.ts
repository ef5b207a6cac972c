/**
 * @module test/rules/actions.test — the actions on their own (spec §4.6): the http action's tries
 * (429/5xx retried, other statuses final), templated URL and headers, content types; republish's
 * templates, `$$`, QoS and MQTT 5 headers; lambda's refusal of binary output.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { silentLogger } from '../../src/core/logger.js';
import type { Message } from '../../src/mqtt/message.js';
import { buildAction, RULE_DEPTH, type ActionInput, type ActionServices } from '../../src/rules/actions/index.js';

const published: { message: Message; depth: number }[] = [];
const invoked: { arn: string; payload: string }[] = [];
const services: ActionServices = {
  publish: (message) => void published.push({ message, depth: message[RULE_DEPTH] ?? 0 }),
  invokeAsync: async (arn, payload) => void invoked.push({ arn, payload: payload.toString() }),
  logger: silentLogger(),
};
const build = (entry: unknown) => buildAction(entry, { sqlVersion: '2016-03-23', services });

function inputFor(topic: string, document: unknown, depth = 0): ActionInput {
  const payload = Buffer.from(JSON.stringify(document));
  const message: Message = { topic, payload, qos: 1, retain: false, properties: undefined, expiresAt: undefined, origin: 'dev-1' };
  return { ruleName: 'r', output: document as ActionInput['output'], payload, context: { payload, topic, clientId: 'dev-1' }, message, depth };
}

/** A server answering each request with the next status of `script`; it records what it received. */
let script: number[] = [];
const requests: { url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let server: http.Server;
let base: string;
before(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({ url: request.url ?? '', headers: request.headers, body });
      response.writeHead(script.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

test('http: a 429 and a 503 are tried again, then the 200 counts; the URL and header values are templates', async () => {
  script = [429, 503, 200];
  requests.length = 0;
  const action = build({ http: { url: `${base}/rooms/\${topic(2)}`, headers: [{ key: 'X-Device', value: '${clientid()}' }, { key: 'Authorization', value: 'Bearer s3cret' }] } });
  await action.run(inputFor('sensors/kitchen/humidity', { humidity: 72 }));
  assert.equal(requests.length, 3);
  assert.deepEqual(requests.map((r) => r.url), ['/rooms/kitchen', '/rooms/kitchen', '/rooms/kitchen']);
  assert.deepEqual([requests[2]?.headers['x-device'], requests[2]?.headers['authorization'], requests[2]?.headers['content-type'], requests[2]?.body], ['dev-1', 'Bearer s3cret', 'application/json', '{"humidity":72}']);
});

test('http: other statuses are final at once; three 5xx fail with the last status; raw bytes go as octet-stream', async () => {
  script = [404];
  requests.length = 0;
  const action = build({ http: { url: `${base}/hook` } });
  await assert.rejects(async () => action.run(inputFor('a/b', {})), /HTTP 404/);
  assert.equal(requests.length, 1);
  script = [500, 502, 500];
  await assert.rejects(async () => action.run(inputFor('a/b', {})), /HTTP 500/);
  assert.equal(requests.length, 4);
  script = [200];
  const bytes = Buffer.from([0, 1, 2, 255]);
  await action.run({ ...inputFor('a/b', {}), output: new Uint8Array(bytes), payload: bytes });
  assert.equal(requests.at(-1)?.headers['content-type'], 'application/octet-stream');
});

test('http: an endpoint that does not answer the connection is a failure naming why', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await assert.rejects(async () => build({ http: { url: `http://127.0.0.1:${port}/x` } }).run(inputFor('a/b', {})), /POST http:\/\/127\.0\.0\.1:\d+\/x failed: .*ECONNREFUSED/);
});

test('republish: the topic template with $$, QoS, MQTT 5 headers as templates, and the depth of the cause plus one', async () => {
  published.length = 0;
  const action = build({
    republish: {
      topic: '$$aws/things/${topic(2)}/shadow/update',
      qos: 1,
      headers: { contentType: 'application/json', responseTopic: 'replies/${clientid()}', correlationData: 'YWJj', messageExpiry: '60', userProperties: [{ key: 'room', value: '${topic(2)}' }, { key: 'room', value: 'second' }] },
    },
  });
  await action.run(inputFor('sensors/lamp/state', { state: { reported: { on: true } } }, 3));
  const [{ message, depth } = assert.fail('nothing published')] = published;
  assert.deepEqual([message.topic, message.qos, message.retain, message.payload.toString(), depth], ['$aws/things/lamp/shadow/update', 1, false, '{"state":{"reported":{"on":true}}}', 4]);
  assert.deepEqual(message.properties, { contentType: 'application/json', responseTopic: 'replies/dev-1', correlationData: Buffer.from('abc'), userProperties: { room: ['lamp', 'second'] } });
  assert.ok(message.expiresAt !== undefined && message.expiresAt > Date.now() + 55_000);
});

test('republish: a template that renders no valid topic name fails that message only', async () => {
  const action = build({ republish: { topic: 'out/${missing}/#' } });
  await assert.rejects(async () => action.run(inputFor('a/b', {})), /is not a topic name/);
});

test('lambda: JSON output is the event; raw bytes are refused with the way out (encode)', async () => {
  invoked.length = 0;
  const action = build({ lambda: { functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f:live' } });
  await action.run(inputFor('a/b', { n: 1 }));
  assert.deepEqual(invoked, [{ arn: 'arn:aws:lambda:us-east-1:000000000000:function:f:live', payload: '{"n":1}' }]);
  const bytes = Buffer.from([1, 2, 3]);
  await assert.rejects(async () => action.run({ ...inputFor('a/b', {}), output: new Uint8Array(bytes), payload: bytes }), /encode\(\*, 'base64'\)/);
});
