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
const streamed: { stream: string; key: string; data: string }[] = [];
const delivered: { stream: string; records: string[] }[] = [];
const services: ActionServices = {
  publish: (message) => void published.push({ message, depth: message[RULE_DEPTH] ?? 0 }),
  invokeAsync: async (arn, payload) => void invoked.push({ arn, payload: payload.toString() }),
  putStreamRecord: async (stream, key, data) => {
    if (stream === 'missing') throw new Error('Stream missing under account 000000000000 not found.');
    streamed.push({ stream, key, data: data.toString() });
  },
  putDeliveryRecords: async (stream, records) => void delivered.push({ stream, records: records.map((r) => r.toString()) }),
  // Loopback URLs are under a confirmed destination, except /disabled/…; anything else has none.
  destinationCovering: (url) => {
    if (!url.startsWith('http://127.0.0.1:')) return undefined;
    return { arn: 'arn:aws:iot:us-east-1:000000000000:ruledestination/http/test', status: url.includes('/disabled/') ? 'DISABLED' : 'ENABLED' };
  },
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
  const action = build({ http: { url: `${base}/rooms/\${topic(2)}`, confirmationUrl: `${base}/rooms/`, headers: [{ key: 'X-Device', value: '${clientid()}' }, { key: 'Authorization', value: 'Bearer s3cret' }] } });
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

test('http: nothing is posted without an ENABLED destination covering the URL; a templated URL stays under its confirmationUrl', async () => {
  requests.length = 0;
  await assert.rejects(async () => build({ http: { url: `${base}/disabled/x` } }).run(inputFor('a/b', {})), /ruledestination\/http\/test is DISABLED: confirm it/);
  await assert.rejects(async () => build({ http: { url: 'http://192.0.2.1/x' } }).run(inputFor('a/b', {})), /no topic rule destination covers http:\/\/192\.0\.2\.1\/x/);
  const escaping = build({ http: { url: `${base}/\${topic(1)}`, confirmationUrl: `${base}/ok` } });
  await assert.rejects(async () => escaping.run(inputFor('elsewhere/b', {})), /is not under the action's confirmationUrl/);
  assert.equal(requests.length, 0);
  assert.equal(build({ http: { url: `${base}/hook` } }).destination, `${base}/hook`, 'a static URL is its own confirmation URL');
  assert.throws(() => build({ http: { url: `${base}/\${topic()}` } }), /confirmationUrl is required when url is a substitution template/);
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

test('kinesis: the output under the templated partition key, a UUID when none is given; refusals name the field', async () => {
  streamed.length = 0;
  await build({ kinesis: { roleArn: 'r', streamName: 'telemetry', partitionKey: '${topic(2)}-${clientid()}' } }).run(inputFor('sensors/kitchen/humidity', { humidity: 72 }));
  await build({ kinesis: { roleArn: 'r', streamName: 'telemetry' } }).run(inputFor('sensors/attic/humidity', { humidity: 40 }));
  assert.deepEqual(streamed[0], { stream: 'telemetry', key: 'kitchen-dev-1', data: '{"humidity":72}' });
  assert.match(streamed[1]?.key ?? '', /^[0-9a-f-]{36}$/);
  await assert.rejects(async () => build({ kinesis: { roleArn: 'r', streamName: 'telemetry', partitionKey: '${topic(9)}' } }).run(inputFor('a/b', {})), /partition key .* is empty/);
  await assert.rejects(async () => build({ kinesis: { roleArn: 'r', streamName: 'missing' } }).run(inputFor('a/b', {})), /putting a record into stream missing failed: Stream missing/);
  assert.throws(() => build({ kinesis: { roleArn: 'r' } }), /kinesis action: streamName is required/);
  assert.throws(() => build({ kinesis: { roleArn: 'r', streamName: 'bad name' } }), /streamName must be/);
  assert.throws(() => build({ kinesis: { roleArn: 'r', streamName: 's', partitionKey: '${topic(}' } }), /partitionKey has a bad substitution template/);
});

test('firehose: one record with the separator, or one per array element in batchMode; AWS\'s separators only', async () => {
  delivered.length = 0;
  await build({ firehose: { roleArn: 'r', deliveryStreamName: 'archive', separator: '\r\n' } }).run(inputFor('t', { a: 1 }));
  await build({ firehose: { roleArn: 'r', deliveryStreamName: 'archive' } }).run(inputFor('t', { b: 2 }));
  await build({ firehose: { roleArn: 'r', deliveryStreamName: 'archive', batchMode: true, separator: '\n' } }).run(inputFor('t', [{ x: 1 }, 'two', 3]));
  assert.deepEqual(delivered, [
    { stream: 'archive', records: ['{"a":1}\r\n'] },
    { stream: 'archive', records: ['{"b":2}'] },
    { stream: 'archive', records: ['{"x":1}\n', '"two"\n', '3\n'] },
  ]);
  const batch = build({ firehose: { roleArn: 'r', deliveryStreamName: 'archive', batchMode: true } });
  await assert.rejects(async () => batch.run(inputFor('t', { not: 'an array' })), /batchMode needs the SELECT to produce a JSON array/);
  await assert.rejects(async () => batch.run(inputFor('t', [])), /batchMode takes 1–500 elements, not 0/);
  await assert.rejects(async () => batch.run(inputFor('t', Array.from({ length: 501 }, (_, i) => i))), /not 501/);
  assert.throws(() => build({ firehose: { roleArn: 'r', deliveryStreamName: 'archive', separator: ';' } }), /separator must be one of/);
  assert.throws(() => build({ firehose: { roleArn: 'r', deliveryStreamName: 'archive', batchMode: 'yes' } }), /batchMode must be true or false/);
  assert.throws(() => build({ firehose: { deliveryStreamName: 'archive' } }), /firehose action: roleArn is required/);
});
