/**
 * @module test/rules/destinations.test — topic rule destinations with the real `@aws-sdk/client-iot` (spec §4.6):
 * the confirmation request an endpoint receives, confirming through its enableUrl or ConfirmTopicRuleDestination,
 * the states, and the http action posting only under an ENABLED destination (one made with the rule when none
 * covers its URL).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import {
  ConfirmTopicRuleDestinationCommand,
  CreateTopicRuleCommand,
  CreateTopicRuleDestinationCommand,
  DeleteTopicRuleDestinationCommand,
  GetTopicRuleDestinationCommand,
  ListTopicRuleDestinationsCommand,
  UpdateTopicRuleDestinationCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import mqtt, { type MqttClient } from 'mqtt';
import { hakoWithIotForFile } from '../helpers/aws.js';
import { rejectsWithAws } from '../helpers/iot-api.js';
import type { TestHako } from '../helpers/hako.js';
import { ROLE } from '../helpers/lambda.js';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** An endpoint that records what it receives and hands each request to whoever waits for the next one. */
let base: string;
let server: http.Server;
const waiting: ((request: Received) => void)[] = [];
const backlog: Received[] = [];
const nextRequest = (): Promise<Received> => {
  const queued = backlog.shift();
  return queued !== undefined ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve));
};

before(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      response.writeHead(200).end();
      const received = { path: request.url ?? '', headers: request.headers, body };
      const waiter = waiting.shift();
      if (waiter !== undefined) waiter(received);
      else backlog.push(received);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

let hako: TestHako;
let iot: IoTClient;
let device: MqttClient;
let watcher: MqttClient;
hakoWithIotForFile(async (started) => {
  ({ hako, iot } = started);
  device = await mqtt.connectAsync(`mqtt://127.0.0.1:${hako.ports.mqtt}`, { clientId: 'door-sensor' });
  watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${hako.ports.mqtt}`, { clientId: 'error-watcher' });
  await watcher.subscribeAsync('rule-errors/#', { qos: 1 });
});
after(async () => {
  await device?.endAsync();
  await watcher?.endAsync();
});

const statusOf = async (arn: string): Promise<{ status?: string; statusReason?: string }> => (await iot.send(new GetTopicRuleDestinationCommand({ arn }))).topicRuleDestination ?? {};

/** Waits (with a deadline) until the destination leaves IN_PROGRESS: the confirmation's outcome is stored after the endpoint answers. */
async function settled(arn: string): Promise<{ status?: string; statusReason?: string }> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const state = await statusOf(arn);
    if (state.status !== 'IN_PROGRESS' || Date.now() > deadline) return state;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('CreateTopicRuleDestination sends AWS\'s confirmation request; GET on its enableUrl enables the destination', async () => {
  const created = await iot.send(new CreateTopicRuleDestinationCommand({ destinationConfiguration: { httpUrlConfiguration: { confirmationUrl: `${base}/alarms` } } }));
  const destination = created.topicRuleDestination ?? assert.fail('no destination');
  assert.match(destination.arn ?? '', /^arn:aws:iot:us-east-1:000000000000:ruledestination\/http\/[0-9a-f-]{36}$/);
  assert.equal(destination.status, 'IN_PROGRESS');
  assert.equal(destination.httpUrlProperties?.confirmationUrl, `${base}/alarms`);
  assert.ok(destination.createdAt instanceof Date);
  const confirmation = await nextRequest();
  assert.equal(confirmation.headers['x-amz-rules-engine-message-type'], 'DestinationConfirmation');
  const body = JSON.parse(confirmation.body) as { arn: string; confirmationToken: string; enableUrl: string; messageType: string };
  assert.equal(confirmation.path, `/alarms?confirmationToken=${body.confirmationToken}`);
  assert.equal(body.arn, destination.arn);
  assert.equal(body.messageType, 'DestinationConfirmation');
  assert.match(body.confirmationToken, /^[0-9a-f]{64}$/);
  assert.equal(body.enableUrl, `http://127.0.0.1:${hako.ports.http}/confirmdestination/${body.confirmationToken}`);
  assert.equal((await fetch(body.enableUrl)).status, 200, 'no AWS credentials needed: the token is the secret');
  assert.equal((await statusOf(destination.arn ?? '')).status, 'ENABLED');
  assert.equal((await fetch(body.enableUrl)).status, 400, 'a token confirms once');
  await rejectsWithAws(iot.send(new CreateTopicRuleDestinationCommand({ destinationConfiguration: { httpUrlConfiguration: { confirmationUrl: `${base}/alarms` } } })), 'ResourceAlreadyExistsException');
  const listed = await iot.send(new ListTopicRuleDestinationsCommand({}));
  assert.ok(listed.destinationSummaries?.some((summary) => summary.arn === destination.arn && summary.status === 'ENABLED' && summary.httpUrlSummary?.confirmationUrl === `${base}/alarms`));
});

test('IN_PROGRESS sends a new token; ConfirmTopicRuleDestination takes it; DISABLED and back; an unreachable URL is ERROR; delete', async () => {
  const created = await iot.send(new CreateTopicRuleDestinationCommand({ destinationConfiguration: { httpUrlConfiguration: { confirmationUrl: `${base}/ops` } } }));
  const arn = created.topicRuleDestination?.arn ?? '';
  const first = JSON.parse((await nextRequest()).body) as { confirmationToken: string };
  await iot.send(new UpdateTopicRuleDestinationCommand({ arn, status: 'IN_PROGRESS' }));
  const second = JSON.parse((await nextRequest()).body) as { confirmationToken: string };
  assert.notEqual(second.confirmationToken, first.confirmationToken);
  await rejectsWithAws(iot.send(new ConfirmTopicRuleDestinationCommand({ confirmationToken: first.confirmationToken })), 'InvalidRequestException', { message: /not valid/ });
  await iot.send(new ConfirmTopicRuleDestinationCommand({ confirmationToken: second.confirmationToken }));
  assert.equal((await statusOf(arn)).status, 'ENABLED');
  await iot.send(new UpdateTopicRuleDestinationCommand({ arn, status: 'DISABLED' }));
  assert.equal((await statusOf(arn)).status, 'DISABLED');
  await rejectsWithAws(iot.send(new UpdateTopicRuleDestinationCommand({ arn, status: 'ERROR' })), 'InvalidRequestException');
  await iot.send(new DeleteTopicRuleDestinationCommand({ arn }));
  await rejectsWithAws(iot.send(new GetTopicRuleDestinationCommand({ arn })), 'ResourceNotFoundException', { status: 404 });

  const unreachable = await iot.send(new CreateTopicRuleDestinationCommand({ destinationConfiguration: { httpUrlConfiguration: { confirmationUrl: 'http://127.0.0.1:9/nobody' } } }));
  const state = await settled(unreachable.topicRuleDestination?.arn ?? '');
  assert.equal(state.status, 'ERROR');
  assert.match(state.statusReason ?? '', /could not be sent/);
  await rejectsWithAws(iot.send(new CreateTopicRuleDestinationCommand({ destinationConfiguration: { httpUrlConfiguration: { confirmationUrl: 'ftp://example.com/x' } } })), 'InvalidRequestException', { message: /http\(s\) URL/ });
});

test('an http action posts only under an ENABLED destination; the rule makes one for its URL, and confirming it lets messages through', async () => {
  await iot.send(new CreateTopicRuleCommand({
    ruleName: 'door_webhook',
    topicRulePayload: {
      sql: "SELECT * FROM 'doors/+'",
      actions: [{ http: { url: `${base}/doors/\${topic(2)}`, confirmationUrl: `${base}/doors/` } }],
      errorAction: { republish: { roleArn: ROLE, topic: 'rule-errors/doors' } },
    },
  }));
  const confirmation = await nextRequest();
  assert.equal(confirmation.path.split('?')[0], '/doors/', 'the rule created the destination for its confirmationUrl');
  const errors = new Promise<{ failures: { errorMessage: string }[] }>((resolve) => watcher.once('message', (_topic, payload) => resolve(JSON.parse(payload.toString()) as { failures: { errorMessage: string }[] })));
  await device.publishAsync('doors/front', '{"open":true}', { qos: 1 });
  await hako.rules.engine.idle();
  assert.match((await errors).failures[0]?.errorMessage ?? '', /is IN_PROGRESS: confirm it/);
  const { enableUrl } = JSON.parse(confirmation.body) as { enableUrl: string };
  assert.equal((await fetch(enableUrl)).status, 200);
  await device.publishAsync('doors/back', '{"open":false}', { qos: 1 });
  const posted = await nextRequest();
  assert.deepEqual([posted.path, posted.body], ['/doors/back', '{"open":false}']);
  await rejectsWithAws(iot.send(new CreateTopicRuleCommand({ ruleName: 'templated', topicRulePayload: { sql: "SELECT * FROM 'x'", actions: [{ http: { url: `${base}/\${topic()}` } }] } })), 'InvalidRequestException', { message: /confirmationUrl is required when url is a substitution template/ });
  await rejectsWithAws(iot.send(new CreateTopicRuleCommand({ ruleName: 'outside', topicRulePayload: { sql: "SELECT * FROM 'x'", actions: [{ http: { url: `${base}/a`, confirmationUrl: `${base}/b` } }] } })), 'InvalidRequestException', { message: /is not under confirmationUrl/ });
});
