/**
 * @module test/examples/ticket-webhook.test — examples/ticket-webhook end to end on a real hako: its function
 * folder zipped and deployed with `@aws-sdk/client-lambda`, an HTTP API quick-created in front of it, a watcher on
 * `ops/tickets/#` over MQTT.js, and webhooks POSTed over HTTP. A signed ticket → 202 and the classified ticket on
 * `ops/tickets/<priority>`; a bad or missing signature → 401, a body that is not JSON or holds no ticket → 400, and
 * none of those publish. Also: a base64 (binary) body, GitHub's issue event shape, payload 1.0, and setup.mjs.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { CreateApiCommand, GetIntegrationsCommand, UpdateIntegrationCommand, type ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import mqtt, { type MqttClient } from 'mqtt';
import { apiGatewayClient, call, type PlainResponse } from '../helpers/apigateway.js';
import { cliEntry } from '../helpers/cli.js';
import { hakoForFile, type TestHako } from '../helpers/hako.js';
import { lambdaClient, ROLE } from '../helpers/lambda.js';
import { MqttInbox } from '../helpers/mqtt-inbox.js';
import { repoRoot } from '../helpers/process-hako.js';

const EXAMPLE = path.join(repoRoot, 'examples', 'ticket-webhook');
const SECRET = 'It8s-a-test-secret-0f-the-webhook';

let hako: TestHako;
let gateway: ApiGatewayV2Client;
let lambda: LambdaClient;
let watcher: MqttClient;
let inbox: MqttInbox;
let ticketsPath: string;

hakoForFile(apiGatewayClient, async (started) => {
  ({ hako, client: gateway } = started);
  lambda = lambdaClient(hako);
  const dir = path.join(EXAMPLE, 'function');
  const files = Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(path.join(dir, name))]));
  const created = await lambda.send(new CreateFunctionCommand({ FunctionName: 'ticket-webhook', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Timeout: 10, Environment: { Variables: { WEBHOOK_SECRET: SECRET } }, Code: { ZipFile: zipSync(files) } }));
  ticketsPath = await quickApi('tickets', created.FunctionArn ?? '');
  watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${hako.ports.mqtt}`, { clientId: 'on-call-pager' });
  inbox = new MqttInbox(watcher);
  await watcher.subscribeAsync('ops/tickets/#', { qos: 1 });
});
after(async () => {
  await watcher?.endAsync(true);
  lambda?.destroy();
});

/** Quick create `POST /tickets` in front of `functionArn`; the path to POST to. */
async function quickApi(name: string, functionArn: string): Promise<string> {
  const api = await gateway.send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP', Target: functionArn, RouteKey: 'POST /tickets' }));
  return `${new URL(api.ApiEndpoint ?? assert.fail('no ApiEndpoint')).pathname}/tickets`;
}

const sign = (body: string | Buffer, secret = SECRET): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function post(body: string | Buffer, headers: Record<string, string>, where = ticketsPath): Promise<PlainResponse> {
  return call(hako.ports.http, 'POST', where, { 'content-type': 'application/json', ...headers }, body);
}

/** The next ticket on `ops/tickets/#`, parsed. */
async function nextTicket(what: string): Promise<{ topic: string; ticket: Record<string, unknown> }> {
  const { topic, payload } = await inbox.next(what);
  return { topic, ticket: JSON.parse(payload.toString('utf8')) as Record<string, unknown> };
}

test('a signed ticket: 202 with its id and priority, and the classified ticket published on ops/tickets/P1', async () => {
  const body = JSON.stringify({ action: 'opened', ticket: { id: 'OPS-1', title: 'Checkout is down', body: 'Every payment answers 503.', labels: ['incident'], reporter: 'mika' } });
  const response = await post(body, { 'X-Hub-Signature-256': sign(body), 'X-Hub-Delivery': 'delivery-1' });
  assert.equal(response.status, 202, response.text);
  assert.deepEqual(JSON.parse(response.text), { id: 'OPS-1', priority: 'P1', topic: 'ops/tickets/P1' });
  const { topic, ticket } = await nextTicket('OPS-1 on ops/tickets/P1');
  assert.equal(topic, 'ops/tickets/P1');
  assert.deepEqual(
    { ...ticket, receivedAt: undefined },
    { id: 'OPS-1', title: 'Checkout is down', body: 'Every payment answers 503.', labels: ['incident'], reporter: 'mika', url: null, priority: 'P1', reasons: ['label:incident', 'word:down'], action: 'opened', delivery: 'delivery-1', receivedAt: undefined },
  );
  assert.match(String(ticket.receivedAt), /^\d{4}-\d\d-\d\dT/);
});

test("GitHub's issue event shape, classified P2, P3 and P4 by labels and words", async () => {
  const issue = (number: number, title: string, labels: string[]) => JSON.stringify({ action: 'opened', issue: { number, title, body: '', labels: labels.map((name) => ({ name })), user: { login: 'octo' } }, repository: { full_name: 'acme/shop' } });
  for (const [number, title, labels, priority] of [
    [17, 'Cart crashes on empty basket', ['bug'], 'P2'],
    [18, 'Search is slow since Monday', [], 'P3'],
    [19, 'How do I download invoices?', ['question'], 'P4'],
  ] as const) {
    const body = issue(number, title, [...labels]);
    const response = await post(body, { 'x-hub-signature-256': sign(body) });
    assert.deepEqual([response.status, JSON.parse(response.text)], [202, { id: `acme/shop#${number}`, priority, topic: `ops/tickets/${priority}` }]);
    const { topic, ticket } = await nextTicket(`acme/shop#${number}`);
    assert.deepEqual([topic, ticket.id, ticket.reporter], [`ops/tickets/${priority}`, `acme/shop#${number}`, 'octo']);
  }
});

test('a binary request body reaches the function base64-encoded and is verified over its raw bytes', async () => {
  const bytes = Buffer.from(JSON.stringify({ ticket: { id: 'OPS-2', title: 'Café till unreachable', labels: [] } }), 'utf8');
  const response = await post(bytes, { 'content-type': 'application/octet-stream', 'X-Hub-Signature-256': sign(bytes) });
  assert.equal(response.status, 202, response.text);
  const { topic, ticket } = await nextTicket('OPS-2');
  assert.deepEqual([topic, ticket.title], ['ops/tickets/P1', 'Café till unreachable']);
});

test('a wrong, missing or malformed signature → 401; a signed body that is not JSON or holds no ticket → 400; none publishes', async () => {
  const body = JSON.stringify({ ticket: { id: 'OPS-666', title: 'The database is down', labels: [] } });
  const refusals: Array<[Record<string, string>, string | Buffer, number]> = [
    [{ 'X-Hub-Signature-256': sign(body, 'not-the-secret') }, body, 401],
    [{}, body, 401],
    [{ 'X-Hub-Signature-256': sign(body).slice(0, -2) }, body, 401],
    [{ 'X-Hub-Signature-256': sign(`${body} `) }, body, 401],
    [{ 'X-Hub-Signature-256': sign('not json {') }, 'not json {', 400],
    [{ 'X-Hub-Signature-256': sign('{"hello":"world"}') }, '{"hello":"world"}', 400],
  ];
  for (const [headers, sent, status] of refusals) {
    const response = await post(sent, headers);
    assert.equal(response.status, status, `${JSON.stringify(headers)} ${String(sent)}: ${response.text}`);
    assert.equal(typeof (JSON.parse(response.text) as { message?: unknown }).message, 'string');
  }
  // The function publishes before it answers, so a refused request that had published would be ahead of this one.
  const good = JSON.stringify({ ticket: { id: 'OPS-3', title: 'Typo on the about page', labels: [] } });
  assert.equal((await post(good, { 'X-Hub-Signature-256': sign(good) })).status, 202);
  const { ticket } = await nextTicket('OPS-3, and nothing before it');
  assert.equal(ticket.id, 'OPS-3', 'the refused requests published nothing');
});

test('behind a payload 1.0 integration the function reads the same headers and body', async () => {
  const apiPath = await quickApi('tickets-v1', 'arn:aws:lambda:us-east-1:000000000000:function:ticket-webhook');
  const apiId = apiPath.split('/')[3] ?? '';
  const [integration] = (await gateway.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items ?? [];
  await gateway.send(new UpdateIntegrationCommand({ ApiId: apiId, IntegrationId: integration?.IntegrationId, PayloadFormatVersion: '1.0' }));
  const body = JSON.stringify({ ticket: { id: 'OPS-4', title: 'Login page error', labels: [] } });
  const response = await post(body, { 'X-Hub-Signature-256': sign(body) }, apiPath);
  assert.deepEqual([response.status, JSON.parse(response.text)], [202, { id: 'OPS-4', priority: 'P2', topic: 'ops/tickets/P2' }]);
  assert.equal((await nextTicket('OPS-4')).ticket.id, 'OPS-4');
  assert.equal((await post(body, { 'X-Hub-Signature-256': sign('x') }, apiPath)).status, 401);
});

test('setup.mjs deploys the example with the hako CLI and prints a URL that takes signed tickets', async () => {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('HAKO_') && !key.startsWith('AWS_')) env[key] = value;
  Object.assign(env, { HAKO_DATA_DIR: hako.dataDir, HAKO_CLI: cliEntry, WEBHOOK_SECRET: 'from-setup' });
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(EXAMPLE, 'setup.mjs')], { env, timeout: 60_000 });
  const { url, secret } = JSON.parse(stdout) as { url: string; secret: string };
  assert.equal(secret, 'from-setup');
  const body = JSON.stringify({ ticket: { id: 'OPS-5', title: 'Backups degraded', labels: [] } });
  const response = await post(body, { 'X-Hub-Signature-256': sign(body, secret) }, new URL(url).pathname);
  assert.deepEqual([response.status, JSON.parse(response.text)], [202, { id: 'OPS-5', priority: 'P3', topic: 'ops/tickets/P3' }]);
  assert.equal((await nextTicket('OPS-5')).ticket.id, 'OPS-5');
});
