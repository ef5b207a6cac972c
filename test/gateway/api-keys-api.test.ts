/**
 * @module test/gateway/api-keys-api.test — API keys, usage plans, usage plan keys and GetUsage through the real
 * `@aws-sdk/client-api-gateway` (SigV4): shapes, status codes, paging and AWS's errors. The HTTP APIs the plans
 * cover are made with `@aws-sdk/client-apigatewayv2`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsageCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeyCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  UpdateApiKeyCommand,
  UpdateUsagePlanCommand,
  type APIGatewayClient,
  type CreateUsagePlanCommandInput,
} from '@aws-sdk/client-api-gateway';
import { CreateApiCommand, CreateStageCommand, type ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { apiGatewayClient } from '../helpers/apigateway.js';
import { apiGatewayV1Client, rejectsWithV1 } from '../helpers/api-keys.js';
import { hakoForFile } from '../helpers/hako.js';

let v1: APIGatewayClient;
let v2: ApiGatewayV2Client;
let apiId: string;

hakoForFile(apiGatewayV1Client, async ({ hako, client }) => {
  v1 = client;
  v2 = apiGatewayClient(hako);
  const api = await v2.send(new CreateApiCommand({ Name: 'keyed', ProtocolType: 'HTTP' }));
  apiId = api.ApiId ?? assert.fail('no ApiId');
  for (const StageName of ['$default', 'beta']) await v2.send(new CreateStageCommand({ ApiId: apiId, StageName }));
});

const bare = <T extends { $metadata?: unknown }>(output: T): Omit<T, '$metadata'> => {
  const { $metadata: _metadata, ...rest } = output;
  return rest;
};

test('CreateApiKey: 201, disabled by default as on AWS, a generated 40-character value shown once; GetApiKey shows it only with includeValue', async () => {
  const created = await v1.send(new CreateApiKeyCommand({ name: 'sensor-fleet', description: 'for the fleet', customerId: 'c-1', tags: { team: 'iot' } }));
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.match(created.id ?? '', /^[a-z0-9]{10}$/);
  assert.match(created.value ?? '', /^[A-Za-z0-9]{40}$/);
  assert.ok(created.createdDate instanceof Date && created.lastUpdatedDate instanceof Date);
  assert.ok(Math.abs((created.createdDate?.getTime() ?? 0) - Date.now()) < 5000);
  assert.deepEqual({ ...bare(created), createdDate: undefined, lastUpdatedDate: undefined }, {
    id: created.id, value: created.value, name: 'sensor-fleet', description: 'for the fleet', customerId: 'c-1', enabled: false, tags: { team: 'iot' }, createdDate: undefined, lastUpdatedDate: undefined,
  });
  const got = await v1.send(new GetApiKeyCommand({ apiKey: created.id }));
  assert.equal(got.value, undefined, 'no value without includeValue');
  assert.equal(got.name, 'sensor-fleet');
  assert.equal((await v1.send(new GetApiKeyCommand({ apiKey: created.id, includeValue: true }))).value, created.value);
  const chosen = await v1.send(new CreateApiKeyCommand({ name: 'chosen', value: 'my-own-api-key-value-0001', enabled: true }));
  assert.deepEqual([chosen.value, chosen.enabled], ['my-own-api-key-value-0001', true]);
});

test('CreateApiKey refuses a value of the wrong length or one in use; GetApiKey of an unknown id is NotFoundException', async () => {
  await rejectsWithV1(v1.send(new CreateApiKeyCommand({ value: 'too-short' })), 'BadRequestException', 400, /at least 20/);
  await rejectsWithV1(v1.send(new CreateApiKeyCommand({ value: 'x'.repeat(129) })), 'BadRequestException', 400, /at most 128/);
  await rejectsWithV1(v1.send(new CreateApiKeyCommand({ value: 'a value with spaces 000' })), 'BadRequestException', 400, /visible ASCII/);
  await v1.send(new CreateApiKeyCommand({ value: 'taken-api-key-value-00001' }));
  const conflict = await rejectsWithV1(v1.send(new CreateApiKeyCommand({ value: 'taken-api-key-value-00001' })), 'ConflictException', 409);
  assert.doesNotMatch(conflict.message, /taken-api-key/, 'the message does not echo the secret');
  await rejectsWithV1(v1.send(new GetApiKeyCommand({ apiKey: 'nosuchkey0' })), 'NotFoundException', 404, /Invalid API Key identifier specified/);
});

test('GetApiKeys: limit and position page through; name matches a prefix; includeValues shows values', async () => {
  for (const name of ['page-a', 'page-b', 'page-c']) await v1.send(new CreateApiKeyCommand({ name }));
  const first = await v1.send(new GetApiKeysCommand({ nameQuery: 'page-', limit: 2 }));
  assert.deepEqual(first.items?.map((key) => key.value), [undefined, undefined]);
  assert.ok(first.position !== undefined, 'a position for the next page');
  const second = await v1.send(new GetApiKeysCommand({ nameQuery: 'page-', limit: 2, position: first.position, includeValues: true }));
  assert.equal(second.items?.length, 1);
  assert.equal(second.position, undefined);
  assert.match(second.items?.[0]?.value ?? '', /^[A-Za-z0-9]{40}$/);
  assert.deepEqual([...(first.items ?? []), ...(second.items ?? [])].map((key) => key.name).sort(), ['page-a', 'page-b', 'page-c']);
  await rejectsWithV1(v1.send(new GetApiKeysCommand({ limit: 501 })), 'BadRequestException', 400, /limit/);
});

test('UpdateApiKey: replace /enabled, /name, /description, /customerId; other paths and values are BadRequestException; DeleteApiKey 202', async () => {
  const key = await v1.send(new CreateApiKeyCommand({ name: 'before' }));
  const updated = await v1.send(new UpdateApiKeyCommand({
    apiKey: key.id,
    patchOperations: [
      { op: 'replace', path: '/enabled', value: 'true' },
      { op: 'replace', path: '/name', value: 'after' },
      { op: 'replace', path: '/description', value: 'described' },
      { op: 'replace', path: '/customerId', value: 'c-9' },
    ],
  }));
  assert.deepEqual([updated.enabled, updated.name, updated.description, updated.customerId, updated.value], [true, 'after', 'described', 'c-9', undefined]);
  await rejectsWithV1(v1.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/value', value: 'x'.repeat(30) }] })), 'BadRequestException', 400, /Invalid patch path '\/value'/);
  await rejectsWithV1(v1.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'yes' }] })), 'BadRequestException', 400, /true or false/);
  const deleted = await v1.send(new DeleteApiKeyCommand({ apiKey: key.id }));
  assert.equal(deleted.$metadata.httpStatusCode, 202);
  await rejectsWithV1(v1.send(new GetApiKeyCommand({ apiKey: key.id })), 'NotFoundException', 404);
  await rejectsWithV1(v1.send(new DeleteApiKeyCommand({ apiKey: key.id })), 'NotFoundException', 404);
});

test('CreateUsagePlan: 201 with the plan as sent; apiStages must name an existing API and stage; throttle and quota are checked', async () => {
  const plan = await v1.send(new CreateUsagePlanCommand({
    name: 'gold',
    description: 'the gold plan',
    apiStages: [{ apiId, stage: '$default', throttle: { '/pets/GET': { rateLimit: 5, burstLimit: 10 } } }],
    throttle: { rateLimit: 100, burstLimit: 200 },
    quota: { limit: 10_000, period: 'MONTH', offset: 14 },
    tags: { tier: 'gold' },
  }));
  assert.equal(plan.$metadata.httpStatusCode, 201);
  assert.match(plan.id ?? '', /^[a-z0-9]{6}$/);
  const expected = {
    id: plan.id, name: 'gold', description: 'the gold plan', apiStages: [{ apiId, stage: '$default', throttle: { '/pets/GET': { rateLimit: 5, burstLimit: 10 } } }],
    throttle: { rateLimit: 100, burstLimit: 200 }, quota: { limit: 10_000, offset: 14, period: 'MONTH' }, tags: { tier: 'gold' },
  };
  assert.deepEqual(bare(plan), expected);
  assert.deepEqual(bare(await v1.send(new GetUsagePlanCommand({ usagePlanId: plan.id }))), expected);
  const refusals: [CreateUsagePlanCommandInput, string, number, RegExp][] = [
    [{ name: 'x', apiStages: [{ apiId: 'nosuchapi', stage: '$default' }] }, 'NotFoundException', 404, /Invalid API identifier specified nosuchapi/],
    [{ name: 'x', apiStages: [{ apiId, stage: 'prod' }] }, 'NotFoundException', 404, /Invalid stage identifier specified/],
    [{ name: 'x', apiStages: [{ apiId, stage: 'beta' }, { apiId, stage: 'beta' }] }, 'ConflictException', 409, /already in usage plan/],
    [{ name: 'x', throttle: { rateLimit: 5 } }, 'BadRequestException', 400, /burstLimit is required/],
    [{ name: 'x', quota: { limit: 5, period: 'WEEK', offset: 7 } }, 'BadRequestException', 400, /from 0 to 6/],
    [{ name: 'x', apiStages: [{ apiId, stage: 'beta', throttle: { 'pets GET': { rateLimit: 1, burstLimit: 1 } } }] }, 'BadRequestException', 400, /Invalid throttle key/],
    [{ name: undefined as unknown as string }, 'BadRequestException', 400, /name is required/],
  ];
  for (const [input, name, status, message] of refusals) await rejectsWithV1(v1.send(new CreateUsagePlanCommand(input)), name, status, message);
  await rejectsWithV1(v1.send(new GetUsagePlanCommand({ usagePlanId: 'nosuch' })), 'NotFoundException', 404, /Invalid Usage Plan ID specified/);
});

test('UpdateUsagePlan: patch operations for name, throttle, quota and apiStages; DeleteUsagePlan needs the stages removed first, then 202', async () => {
  const plan = await v1.send(new CreateUsagePlanCommand({ name: 'silver', apiStages: [{ apiId, stage: 'beta' }] }));
  const updated = await v1.send(new UpdateUsagePlanCommand({
    usagePlanId: plan.id,
    patchOperations: [
      { op: 'replace', path: '/name', value: 'silver+' },
      { op: 'replace', path: '/throttle/rateLimit', value: '1.5' },
      { op: 'replace', path: '/throttle/burstLimit', value: '3' },
      { op: 'replace', path: '/quota/limit', value: '100' },
      { op: 'replace', path: '/quota/period', value: 'WEEK' },
      { op: 'replace', path: '/quota/offset', value: '1' },
      { op: 'add', path: '/apiStages', value: `${apiId}:$default` },
      { op: 'replace', path: `/apiStages/${apiId}:beta/throttle/~1pets/GET/rateLimit`, value: '2' },
      { op: 'replace', path: `/apiStages/${apiId}:beta/throttle/~1pets/GET/burstLimit`, value: '4' },
    ],
  }));
  assert.deepEqual(bare(updated), {
    id: plan.id, name: 'silver+', apiStages: [{ apiId, stage: 'beta', throttle: { '/pets/GET': { rateLimit: 2, burstLimit: 4 } } }, { apiId, stage: '$default' }],
    throttle: { rateLimit: 1.5, burstLimit: 3 }, quota: { limit: 100, offset: 1, period: 'WEEK' },
  });
  await rejectsWithV1(v1.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations: [{ op: 'add', path: '/apiStages', value: `${apiId}:prod` }] })), 'NotFoundException', 404, /Invalid stage identifier/);
  await rejectsWithV1(v1.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations: [{ op: 'replace', path: '/productCode', value: 'x' }] })), 'BadRequestException', 400, /Invalid patch path/);
  await rejectsWithV1(v1.send(new DeleteUsagePlanCommand({ usagePlanId: plan.id })), 'BadRequestException', 400, /remove them first/);
  const emptied = await v1.send(new UpdateUsagePlanCommand({
    usagePlanId: plan.id,
    patchOperations: [{ op: 'remove', path: '/apiStages', value: `${apiId}:beta` }, { op: 'remove', path: '/apiStages', value: `${apiId}:$default` }, { op: 'remove', path: '/quota' }, { op: 'remove', path: '/throttle' }],
  }));
  assert.deepEqual(bare(emptied), { id: plan.id, name: 'silver+', apiStages: [] });
  assert.equal((await v1.send(new DeleteUsagePlanCommand({ usagePlanId: plan.id }))).$metadata.httpStatusCode, 202);
  await rejectsWithV1(v1.send(new GetUsagePlanCommand({ usagePlanId: plan.id })), 'NotFoundException', 404);
});

test('usage plan keys: CreateUsagePlanKey 201 {id, type, value, name}; a key in two plans of one stage is ConflictException; GetUsagePlans by keyId; DeleteApiKey leaves its plans', async () => {
  const key = await v1.send(new CreateApiKeyCommand({ name: 'member', enabled: true }));
  const planA = await v1.send(new CreateUsagePlanCommand({ name: 'a', apiStages: [{ apiId, stage: 'beta' }] }));
  const planB = await v1.send(new CreateUsagePlanCommand({ name: 'b', apiStages: [{ apiId, stage: 'beta' }] }));
  const member = await v1.send(new CreateUsagePlanKeyCommand({ usagePlanId: planA.id, keyId: key.id, keyType: 'API_KEY' }));
  assert.equal(member.$metadata.httpStatusCode, 201);
  assert.deepEqual(bare(member), { id: key.id, type: 'API_KEY', value: key.value, name: 'member' });
  assert.deepEqual(bare(await v1.send(new GetUsagePlanKeyCommand({ usagePlanId: planA.id, keyId: key.id }))), bare(member));
  const keys = await v1.send(new GetUsagePlanKeysCommand({ usagePlanId: planA.id, nameQuery: 'mem' }));
  assert.deepEqual(keys.items?.map((item) => item.id), [key.id]);
  await rejectsWithV1(v1.send(new CreateUsagePlanKeyCommand({ usagePlanId: planA.id, keyId: key.id, keyType: 'API_KEY' })), 'ConflictException', 409, /already in usage plan/);
  await rejectsWithV1(v1.send(new CreateUsagePlanKeyCommand({ usagePlanId: planB.id, keyId: key.id, keyType: 'API_KEY' })), 'ConflictException', 409, new RegExp(`same API Stage ${apiId}:beta`));
  await rejectsWithV1(v1.send(new CreateUsagePlanKeyCommand({ usagePlanId: planB.id, keyId: 'nosuchkey0', keyType: 'API_KEY' })), 'NotFoundException', 404, /Invalid API Key identifier/);
  await rejectsWithV1(v1.send(new CreateUsagePlanKeyCommand({ usagePlanId: planB.id, keyId: key.id, keyType: 'OTHER' })), 'BadRequestException', 400, /API_KEY/);
  // A plan may not take a stage that would put one of its keys in two plans for it either.
  const planC = await v1.send(new CreateUsagePlanCommand({ name: 'c', apiStages: [{ apiId, stage: '$default' }] }));
  await v1.send(new CreateUsagePlanKeyCommand({ usagePlanId: planC.id, keyId: key.id, keyType: 'API_KEY' }));
  await rejectsWithV1(v1.send(new UpdateUsagePlanCommand({ usagePlanId: planC.id, patchOperations: [{ op: 'add', path: '/apiStages', value: `${apiId}:beta` }] })), 'ConflictException', 409, /cannot reference multiple Usage Plans/);
  assert.deepEqual((await v1.send(new GetUsagePlansCommand({ keyId: key.id }))).items?.map((plan) => plan.id).sort(), [planA.id, planC.id].sort());
  assert.equal((await v1.send(new DeleteUsagePlanKeyCommand({ usagePlanId: planA.id, keyId: key.id }))).$metadata.httpStatusCode, 202);
  await rejectsWithV1(v1.send(new GetUsagePlanKeyCommand({ usagePlanId: planA.id, keyId: key.id })), 'NotFoundException', 404);
  await v1.send(new CreateUsagePlanKeyCommand({ usagePlanId: planB.id, keyId: key.id, keyType: 'API_KEY' }));
  await v1.send(new DeleteApiKeyCommand({ apiKey: key.id }));
  assert.deepEqual((await v1.send(new GetUsagePlansCommand({ keyId: key.id }))).items, []);
  assert.deepEqual((await v1.send(new GetUsagePlanKeysCommand({ usagePlanId: planB.id }))).items, []);
});

test('GetUsage: a day per date with [used, remaining] for each key of the plan; bad dates are BadRequestException', async () => {
  const key = await v1.send(new CreateApiKeyCommand({ name: 'counted' }));
  const plan = await v1.send(new CreateUsagePlanCommand({ name: 'usage', quota: { limit: 50, period: 'DAY' } }));
  await v1.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
  const usage = await v1.send(new GetUsageCommand({ usagePlanId: plan.id, startDate: '2024-03-01', endDate: '2024-03-02' }));
  assert.deepEqual(bare(usage), { usagePlanId: plan.id, startDate: '2024-03-01', endDate: '2024-03-02', items: { [key.id ?? '']: [[0, 50], [0, 50]] } });
  const cases: [string, string, RegExp][] = [
    ['2024-3-1', '2024-03-02', /Invalid startDate/],
    ['2024-03-01', '2024-02-30', /Invalid endDate/],
    ['2024-03-02', '2024-03-01', /must not be before/],
    ['2020-01-01', '2024-01-01', /at most 366 days/],
  ];
  for (const [startDate, endDate, message] of cases) await rejectsWithV1(v1.send(new GetUsageCommand({ usagePlanId: plan.id, startDate, endDate })), 'BadRequestException', 400, message);
  await rejectsWithV1(v1.send(new GetUsageCommand({ usagePlanId: plan.id, startDate: '2024-03-01', endDate: '2024-03-01', keyId: 'nosuchkey0' })), 'NotFoundException', 404);
});
