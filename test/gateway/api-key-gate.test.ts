/**
 * @module test/gateway/api-key-gate.test — HTTP API routes with `ApiKeyRequired` (set with the real
 * `@aws-sdk/client-apigatewayv2`) guarded by API keys and usage plans made with the real `@aws-sdk/client-api-gateway`:
 * who gets 403, a plan's burst and a stage's own route throttle (429 with Retry-After), a quota used up (429 until the
 * period ends) and reset the next day, GetUsage's daily [used, remaining], and counts kept across a restart. hako
 * runs on a frozen `TestClock`, so buckets refill and days turn only when a test says so.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetUsageCommand,
  GetUsagePlanCommand,
  UpdateApiKeyCommand,
  type APIGatewayClient,
  type CreateUsagePlanCommandInput,
} from '@aws-sdk/client-api-gateway';
import { CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { DAY_MS, dayNumber, formatDay } from '../../src/gateway/usage-plans/quota.js';
import { apiGatewayClient, call, createFunction } from '../helpers/apigateway.js';
import { apiGatewayV1Client, removeDataDir, startClockedHako, TestClock, type ClockedHako } from '../helpers/api-keys.js';
import { lambdaClient } from '../helpers/lambda.js';

const ECHO = `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ route: event.routeKey }) });`;

const clock = new TestClock();
let running: ClockedHako;
let v1: APIGatewayClient;
let apiId: string;
/** The API's path on hako's port (`/_aws/execute-api/<apiId>`). */
let base: string;

before(async () => {
  clock.freeze(Date.now());
  running = await startClockedHako(clock);
  v1 = apiGatewayV1Client(running);
  const v2 = apiGatewayClient(running);
  const lambda = lambdaClient(running);
  const functionArn = await createFunction(lambda, 'echo', ECHO);
  const api = await v2.send(new CreateApiCommand({ Name: 'keyed', ProtocolType: 'HTTP' }));
  apiId = api.ApiId ?? assert.fail('no ApiId');
  base = new URL(api.ApiEndpoint ?? '').pathname;
  const integration = await v2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: functionArn, PayloadFormatVersion: '2.0' }));
  const target = `integrations/${integration.IntegrationId}`;
  for (const RouteKey of ['GET /keyed', 'GET /roomy']) await v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey, Target: target, ApiKeyRequired: true }));
  await v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /open', Target: target }));
  for (const StageName of ['$default', 'beta']) await v2.send(new CreateStageCommand({ ApiId: apiId, StageName, AutoDeploy: true }));
  v2.destroy();
  lambda.destroy();
});

after(async () => {
  v1.destroy();
  await running.hako.stop();
  removeDataDir(running.dataDir);
});

const get = (path: string, apiKey?: string): ReturnType<typeof call> => call(running.ports.http, 'GET', `${base}${path}`, apiKey === undefined ? {} : { 'x-api-key': apiKey });

/** An enabled key with `value` in a new plan over the API's `$default` stage. */
async function keyInPlan(value: string, plan: Omit<CreateUsagePlanCommandInput, 'name'> = {}): Promise<{ keyId: string; planId: string }> {
  const key = await v1.send(new CreateApiKeyCommand({ name: value, value, enabled: true }));
  const created = await v1.send(new CreateUsagePlanCommand({ name: `plan of ${value}`, apiStages: [{ apiId, stage: '$default' }], ...plan }));
  await v1.send(new CreateUsagePlanKeyCommand({ usagePlanId: created.id, keyId: key.id, keyType: 'API_KEY' }));
  return { keyId: key.id ?? '', planId: created.id ?? '' };
}

const today = (): string => formatDay(dayNumber(clock.now()));

test('a route with ApiKeyRequired: no key, an unknown, disabled or plan-less key, or a stage the plan lacks → 403 {"message":"Forbidden"}; a valid key 200', async () => {
  const { keyId } = await keyInPlan('valid-key-value-000001');
  const loner = await v1.send(new CreateApiKeyCommand({ value: 'key-in-no-plan-0000001', enabled: true }));
  const disabled = await v1.send(new CreateApiKeyCommand({ value: 'disabled-key-value-001' }));
  assert.equal(disabled.enabled, false);
  const { planId } = await keyInPlan('another-valid-key-0001');
  await v1.send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: disabled.id, keyType: 'API_KEY' }));
  const refused: [string, string | undefined, string][] = [
    ['no key', undefined, '/keyed'],
    ['an unknown key', 'no-such-key-value-000001', '/keyed'],
    ['a disabled key', 'disabled-key-value-001', '/keyed'],
    ['a key in no plan', loner.value ?? '', '/keyed'],
    ['a stage the key\'s plan does not cover', 'valid-key-value-000001', '/beta/keyed'],
  ];
  for (const [name, apiKey, path] of refused) {
    const response = await get(path, apiKey);
    assert.deepEqual([response.status, response.text], [403, '{"message":"Forbidden"}'], name);
  }
  const ok = await get('/keyed', 'valid-key-value-000001');
  assert.deepEqual([ok.status, ok.text], [200, '{"route":"GET /keyed"}']);
  assert.equal((await get('/open')).status, 200, 'a route without ApiKeyRequired needs no key');
  await v1.send(new UpdateApiKeyCommand({ apiKey: disabled.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'true' }] }));
  assert.equal((await get('/keyed', 'disabled-key-value-001')).status, 200, 'enabled now');
  const usage = await v1.send(new GetUsageCommand({ usagePlanId: planId, startDate: today(), endDate: today() }));
  assert.deepEqual(usage.items?.[disabled.id ?? ''], [[1, -1]], 'counted; -1: the plan has no quota');
  assert.ok(keyId !== '');
});

test('the plan\'s burst, then 429 {"message":"Too Many Requests"} with Retry-After; the stage\'s own throttle for a route wins', async () => {
  await keyInPlan('throttled-key-value-01', {
    throttle: { burstLimit: 2, rateLimit: 0.01 },
    apiStages: [{ apiId, stage: '$default', throttle: { '/roomy/GET': { burstLimit: 5, rateLimit: 100 } } }],
  });
  const statuses: number[] = [];
  let throttled: Awaited<ReturnType<typeof call>> | undefined;
  for (let i = 0; i < 4; i++) {
    const response = await get('/keyed', 'throttled-key-value-01');
    statuses.push(response.status);
    throttled ??= response.status === 429 ? response : undefined;
  }
  assert.deepEqual(statuses, [200, 200, 429, 429]);
  assert.equal(throttled?.text, '{"message":"Too Many Requests"}');
  assert.equal(throttled?.headers['retry-after'], '100', 'one token at 0.01 requests/s takes 100 s');
  for (let i = 0; i < 5; i++) assert.equal((await get('/roomy', 'throttled-key-value-01')).status, 200, `roomy ${i}`);
  clock.advance(100_000);
  assert.equal((await get('/keyed', 'throttled-key-value-01')).status, 200, 'a token is back after Retry-After');
});

test('a quota used up → 429 with Retry-After until the day ends, GetUsage reports [used, remaining]; the next day starts afresh', async () => {
  const { keyId, planId } = await keyInPlan('quota-key-value-000001', { quota: { limit: 3, period: 'DAY' } });
  for (let i = 0; i < 3; i++) assert.equal((await get('/keyed', 'quota-key-value-000001')).status, 200, `request ${i + 1}`);
  const refused = await get('/keyed', 'quota-key-value-000001');
  assert.deepEqual([refused.status, refused.text], [429, '{"message":"Too Many Requests"}']);
  const untilMidnight = Math.ceil(((dayNumber(clock.now()) + 1) * DAY_MS - clock.now()) / 1000);
  assert.equal(refused.headers['retry-after'], String(untilMidnight));
  const first = today();
  const usage = await v1.send(new GetUsageCommand({ usagePlanId: planId, startDate: first, endDate: first }));
  assert.deepEqual(usage.items, { [keyId]: [[3, 0]] }, 'the refused request is not counted');
  clock.advance(untilMidnight * 1000);
  assert.equal((await get('/keyed', 'quota-key-value-000001')).status, 200, 'a new day');
  const both = await v1.send(new GetUsageCommand({ usagePlanId: planId, startDate: first, endDate: today(), keyId }));
  assert.deepEqual([both.startDate, both.endDate, both.items], [first, today(), { [keyId]: [[3, 0], [1, 2]] }]);
});

test('usage, keys and plans survive a restart on the same data directory (counts written on stop)', async () => {
  const { keyId, planId } = await keyInPlan('restart-key-value-0001', { quota: { limit: 4, period: 'WEEK', offset: 1 } });
  for (let i = 0; i < 3; i++) assert.equal((await get('/keyed', 'restart-key-value-0001')).status, 200);
  v1.destroy();
  await running.hako.stop();
  running = await startClockedHako(clock, running.dataDir);
  v1 = apiGatewayV1Client(running);
  assert.equal((await v1.send(new GetApiKeyCommand({ apiKey: keyId, includeValue: true }))).value, 'restart-key-value-0001');
  assert.deepEqual((await v1.send(new GetUsagePlanCommand({ usagePlanId: planId }))).quota, { limit: 4, offset: 1, period: 'WEEK' });
  const usage = await v1.send(new GetUsageCommand({ usagePlanId: planId, startDate: today(), endDate: today() }));
  assert.deepEqual(usage.items, { [keyId]: [[3, 1]] });
  assert.equal((await get('/keyed', 'restart-key-value-0001')).status, 200, 'the fourth of four');
  assert.equal((await get('/keyed', 'restart-key-value-0001')).status, 429, 'the week\'s quota is used up: the count came back');
});
