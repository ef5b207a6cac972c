/**
 * @module test/functions/aws-access.test — a handler calls AWS from inside, as on Lambda, and reaches
 * hako (spec §1.6): `@aws-sdk/*` imported without bundling (ESM and CommonJS), the execution role's
 * temporary credentials in `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`, and
 * `AWS_ENDPOINT_URL` pointing the SDK at hako. Those credentials need their session token, and they are
 * not one of the access keys a user manages.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand, type LambdaClient as Client } from '@aws-sdk/client-lambda';
import mqtt from 'mqtt';
import { hakoForFile, type TestHako } from '../helpers/hako.js';
import { rejectsWithAws, signedJson } from '../helpers/iot-api.js';
import { json, lambdaClient, ROLE, zipOf } from '../helpers/lambda.js';

let hako: TestHako;
let client: Client;
hakoForFile(lambdaClient, (started) => {
  ({ hako, client } = started);
});

const CREDENTIALS_ECHO = `
exports.handler = async () => ({
  accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
  sessionToken: process.env.AWS_SESSION_TOKEN, endpoint: process.env.AWS_ENDPOINT_URL, nodePath: process.env.NODE_PATH,
});`;

async function create(name: string, files: Record<string, string>, handler = 'index.handler', variables?: Record<string, string>): Promise<void> {
  await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: handler, Timeout: 10, Code: { ZipFile: zipOf(files) }, ...(variables === undefined ? {} : { Environment: { Variables: variables } }) }));
}

async function invoke(name: string, event: unknown = {}): Promise<Record<string, unknown>> {
  const answer = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
  assert.equal(answer.FunctionError, undefined, Buffer.from(answer.Payload ?? []).toString());
  return json(answer.Payload) as Record<string, unknown>;
}

test('an ESM handler imports @aws-sdk/client-iot-data-plane unbundled and publishes to hako with the environment credentials', async () => {
  await create('publisher', {
    'index.mjs': `
      import { IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane';
      const iot = new IoTDataPlaneClient({});
      export const handler = async (event) => {
        await iot.send(new PublishCommand({ topic: 'alerts/humidity', qos: 1, payload: JSON.stringify({ room: event.room, from: 'lambda' }) }));
        return { published: true };
      };`,
  });
  const subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${hako.ports.mqtt}`, { clientId: 'alerts-watcher' });
  try {
    await subscriber.subscribeAsync('alerts/#', { qos: 1 });
    const message = new Promise<[string, Buffer]>((resolve) => subscriber.once('message', (topic, payload) => resolve([topic, payload])));
    assert.deepEqual(await invoke('publisher', { room: 'kitchen' }), { published: true });
    const [topic, payload] = await message;
    assert.equal(topic, 'alerts/humidity');
    assert.deepEqual(JSON.parse(payload.toString()), { room: 'kitchen', from: 'lambda' });
  } finally {
    await subscriber.endAsync();
  }
});

test('a CommonJS handler requires @aws-sdk/client-lambda and calls the Lambda API of the hako it runs in', async () => {
  await create('lister', {
    'index.js': `
      const { LambdaClient, ListFunctionsCommand } = require('@aws-sdk/client-lambda');
      const lambda = new LambdaClient({});
      exports.handler = async () => ({ names: (await lambda.send(new ListFunctionsCommand({}))).Functions.map((f) => f.FunctionName).sort() });`,
  });
  const { names } = (await invoke('lister')) as { names: string[] };
  assert.ok(names.includes('lister') && names.includes('publisher'), `listed ${names.join(', ')}`);
});

test('on a thread (HAKO_FUNCTION_ISOLATION=thread) the same: the SDK is found, the credentials and endpoint are there', async () => {
  await create('thread-lister', {
    'index.mjs': `
      import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
      import { createRequire } from 'node:module';
      import { isMainThread } from 'node:worker_threads';
      const { IoTDataPlaneClient } = createRequire(process.env.LAMBDA_TASK_ROOT + '/index.js')('@aws-sdk/client-iot-data-plane');
      const lambda = new LambdaClient({});
      export const handler = async () => ({
        isMainThread, cjs: typeof IoTDataPlaneClient,
        names: (await lambda.send(new ListFunctionsCommand({}))).Functions.map((f) => f.FunctionName).sort(),
      });`,
  }, 'index.handler', { HAKO_FUNCTION_ISOLATION: 'thread' });
  const answer = (await invoke('thread-lister')) as { isMainThread: boolean; cjs: string; names: string[] };
  assert.deepEqual([answer.isMainThread, answer.cjs], [false, 'function']);
  assert.ok(answer.names.includes('thread-lister'), `listed ${answer.names.join(', ')}`);
});

test("the execution role's credentials are temporary: ASIA key, session token required, endpoint and NODE_PATH set; not a managed access key", async () => {
  await create('credentials', { 'index.js': CREDENTIALS_ECHO });
  const env = (await invoke('credentials')) as { accessKeyId: string; secretAccessKey: string; sessionToken: string; endpoint: string; nodePath: string };
  assert.match(env.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.ok(env.sessionToken.length >= 100);
  assert.equal(env.endpoint, `http://127.0.0.1:${hako.ports.http}`);
  assert.match(env.nodePath, /functions\/node_modules$/);

  const endpoint = `http://127.0.0.1:${hako.ports.http}`;
  const withToken = new LambdaClient({ endpoint, region: 'us-east-1', maxAttempts: 1, credentials: env });
  const withoutToken = new LambdaClient({ endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: env.accessKeyId, secretAccessKey: env.secretAccessKey } });
  const wrongToken = new LambdaClient({ endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { ...env, sessionToken: `${env.sessionToken.slice(0, -4)}AAAA` } });
  try {
    assert.ok(((await withToken.send(new ListFunctionsCommand({}))).Functions?.length ?? 0) >= 1);
    for (const refused of [withoutToken, wrongToken]) {
      await rejectsWithAws(refused.send(new ListFunctionsCommand({})), 'UnrecognizedClientException', { status: 403, message: /security token included in the request is invalid/ });
    }
  } finally {
    for (const c of [withToken, withoutToken, wrongToken]) c.destroy();
  }
  const { accessKeys } = await signedJson<{ accessKeys: { accessKeyId: string }[] }>(hako, 'GET', '/hako/access-keys');
  assert.ok(accessKeys.length >= 1);
  assert.ok(!accessKeys.some((key) => key.accessKeyId === env.accessKeyId), 'the session key is not listed');
  assert.ok(accessKeys.every((key) => key.accessKeyId.startsWith('AKIA')));
});
