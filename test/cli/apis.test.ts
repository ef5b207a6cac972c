/**
 * @module test/cli/apis.test — `hako apis …` run as a real child process against a real hako: quick create with a
 * function named (payload 2.0 and 1.0) and the printed URL called over HTTP; list and get; add-route reusing or
 * creating the function's integration, routes, delete-route by key and by id; stages with variables and without
 * auto-deploy, deploy; delete; and the failures — no such API, stage, route or function, a conflicting route, bad
 * flags — each with what to do, checked through the API Gateway v2 SDK as well.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GetApiCommand, GetIntegrationsCommand, GetRoutesCommand, type ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { apiGatewayClient, call, createFunction, rejectsWithGateway } from '../helpers/apigateway.js';
import { cliFails, cliJson, cliOk } from '../helpers/cli.js';
import { hakoForFile, type TestHako } from '../helpers/hako.js';
import { lambdaClient } from '../helpers/lambda.js';

/** Answers with what the gateway told it, so a test sees which route, stage and format served a request. */
const ECHO = `export const handler = async (event) => ({
  statusCode: 200,
  body: JSON.stringify({ version: event.version, routeKey: event.routeKey ?? event.resource, pathParameters: event.pathParameters, stageVariables: event.stageVariables }),
});`;
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:cli-api-echo';

let hako: TestHako;
let gateway: ApiGatewayV2Client;
hakoForFile(apiGatewayClient, async (started) => {
  ({ hako, client: gateway } = started);
  const lambda = lambdaClient(hako);
  try {
    await createFunction(lambda, 'cli-api-echo', ECHO);
  } finally {
    lambda.destroy();
  }
});

const at = () => ({ env: { HAKO_DATA_DIR: hako.dataDir } });
const base = (apiId: string): string => `http://127.0.0.1:${hako.ports.http}/_aws/execute-api/${apiId}`;

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

/** Calls `url` (an address the CLI printed) over plain HTTP. */
async function get(url: string, method = 'GET'): Promise<Answer> {
  const { pathname, search } = new URL(url);
  const response = await call(hako.ports.http, method, `${pathname}${search}`);
  return { status: response.status, json: JSON.parse(response.text) as Record<string, unknown> };
}

/** `apis create` as JSON: the new API's id. */
async function createApi(name: string, ...flags: string[]): Promise<string> {
  const created = await cliJson<{ ApiId: string; ApiEndpoint: string }>(['apis', 'create', name, '--function', 'cli-api-echo', ...flags], at());
  assert.equal(created.ApiEndpoint, base(created.ApiId));
  return created.ApiId;
}

test('create: quick create in front of a function by name; the printed URL serves it (payload 2.0); list and get show it', async () => {
  const out = await cliOk(['apis', 'create', 'cli-tickets', '--function', 'cli-api-echo', '--route-key', 'GET /tickets'], at());
  const apiId = /^created HTTP API cli-tickets \(([a-z0-9]{10})\)$/m.exec(out)?.[1] ?? assert.fail(`no API id in:\n${out}`);
  assert.equal(out, [
    `created HTTP API cli-tickets (${apiId})`,
    `  url      ${base(apiId)}`,
    '  route    GET /tickets → cli-api-echo (payload 2.0)',
    '  stage    $default (auto-deploy: every change is served at once)',
    `  try      curl ${base(apiId)}/tickets`,
    '',
  ].join('\n'));
  const api = await gateway.send(new GetApiCommand({ ApiId: apiId }));
  assert.equal(api.Name, 'cli-tickets');
  const integrations = (await gateway.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items ?? [];
  assert.deepEqual(integrations.map((i) => [i.IntegrationUri, i.PayloadFormatVersion]), [[ARN, '2.0']], 'the function name became its ARN');

  const served = await get(`${base(apiId)}/tickets`);
  assert.deepEqual(served, { status: 200, json: { version: '2.0', routeKey: 'GET /tickets' } });
  assert.equal((await get(`${base(apiId)}/other`)).status, 404, 'only the route asked for');

  const listed = await cliOk(['apis', 'list'], at());
  assert.match(listed, /^API ID +NAME +CREATED +ENDPOINT$/m);
  assert.match(listed, new RegExp(`^${apiId} +cli-tickets +\\d{4}-\\d\\d-\\d\\dT[\\d:]+Z +${base(apiId)}$`, 'm'));
  const shown = await cliOk(['apis', 'get', apiId], at());
  assert.match(shown, new RegExp(`^HTTP API cli-tickets \\(${apiId}\\)\n  endpoint ${base(apiId)}\n`));
  assert.match(shown, /^[a-z0-9]{7} +GET \/tickets +cli-api-echo \(payload 2\.0, 30000 ms\)$/m);
  assert.match(shown, new RegExp(`^\\$default +yes +[a-z0-9]{6} +- +${base(apiId)}$`, 'm'));
  const json = await cliJson<{ ApiId: string; Routes: unknown[]; Integrations: unknown[]; Stages: Array<{ StageName: string }> }>(['apis', 'get', apiId], at());
  assert.deepEqual([json.ApiId, json.Routes.length, json.Integrations.length, json.Stages.map((s) => s.StageName)], [apiId, 1, 1, ['$default']]);
});

test('create --payload-format 1.0: the function gets the 1.0 event', async () => {
  const apiId = await createApi('cli-v1', '--payload-format', '1.0');
  const served = await get(`${base(apiId)}/anything`);
  assert.equal(served.status, 200);
  assert.equal(served.json.version, '1.0');
});

test('add-route creates an integration for the function, then reuses it; routes lists them; delete-route by key and by id', async () => {
  const apiId = await createApi('cli-items', '--route-key', 'GET /hello');
  const added = await cliOk(['apis', 'add-route', apiId, 'GET /items/{id}', '--function', 'cli-api-echo', '--timeout-ms', '5000'], at());
  assert.match(added, new RegExp(`^added route GET /items/\\{id\\} \\([a-z0-9]{7}\\) to ${apiId}\n  calls    cli-api-echo \\(payload 2\\.0, 5000 ms\\), integration [a-z0-9]{7} \\(new\\)\n  try      curl '${base(apiId)}/items/\\{id\\}'\n$`));
  const item = await get(`${base(apiId)}/items/42`);
  assert.deepEqual(item, { status: 200, json: { version: '2.0', routeKey: 'GET /items/{id}', pathParameters: { id: '42' } } });

  const second = await cliJson<{ RouteId: string; Integration: { IntegrationId: string } }>(['apis', 'add-route', apiId, 'POST /items', '--function', 'cli-api-echo', '--timeout-ms', '5000'], at());
  const third = await cliJson<{ Integration: { IntegrationId: string } }>(['apis', 'add-route', apiId, 'DELETE /items/{id}', '--function', ARN], at());
  const integrations = (await gateway.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items ?? [];
  assert.equal(integrations.length, 2, "the 5000 ms integration was reused; the default-timeout route reused quick create's");
  assert.notEqual(second.Integration.IntegrationId, third.Integration.IntegrationId);
  assert.equal((await get(`${base(apiId)}/items`, 'POST')).json.routeKey, 'POST /items');

  const table = await cliOk(['apis', 'routes', apiId], at());
  assert.deepEqual(table.trimEnd().split('\n').map((line) => line.split(/ {2,}/).slice(1)), [
    ['ROUTE KEY', 'FUNCTION'],
    ['GET /hello', 'cli-api-echo (payload 2.0, 30000 ms)'],
    ['POST /items', 'cli-api-echo (payload 2.0, 5000 ms)'],
    ['DELETE /items/{id}', 'cli-api-echo (payload 2.0, 30000 ms)'],
    ['GET /items/{id}', 'cli-api-echo (payload 2.0, 5000 ms)'],
  ]);

  assert.match(await cliOk(['apis', 'delete-route', apiId, 'GET /items/{id}'], at()), new RegExp(`^deleted route GET /items/\\{id\\} \\([a-z0-9]{7}\\) from ${apiId}\n$`));
  await cliOk(['apis', 'delete-route', apiId, second.RouteId], at());
  const keys = ((await gateway.send(new GetRoutesCommand({ ApiId: apiId }))).Items ?? []).map((r) => r.RouteKey).sort();
  assert.deepEqual(keys, ['DELETE /items/{id}', 'GET /hello']);
  assert.equal((await get(`${base(apiId)}/items/42`)).status, 404, 'the deleted route is no longer served');
});

test('create-stage with variables and without auto-deploy serves nothing until deploy; stages lists them', async () => {
  const apiId = await createApi('cli-staged', '--route-key', 'GET /items/{id}');
  const created = await cliOk(['apis', 'create-stage', apiId, 'prod', '--variables', 'colour=blue,size=2', '--no-auto-deploy'], at());
  assert.equal(created, [`created stage prod of ${apiId}`, `  url      ${base(apiId)}/prod`, '  vars     colour=blue,size=2', `  serves   nothing until hako apis deploy ${apiId} prod`, ''].join('\n'));
  assert.equal((await get(`${base(apiId)}/prod/items/7`)).status, 404, 'not deployed yet');

  const deployed = await cliOk(['apis', 'deploy', apiId, 'prod'], at());
  assert.match(deployed, new RegExp(`^deployed ${apiId} to stage prod \\(deployment [a-z0-9]{6}\\)\n  url      ${base(apiId)}/prod\n$`));
  assert.deepEqual(await get(`${base(apiId)}/prod/items/7`), { status: 200, json: { version: '2.0', routeKey: 'GET /items/{id}', pathParameters: { id: '7' }, stageVariables: { colour: 'blue', size: '2' } } });

  // A route added now reaches the auto-deploying $default stage at once, and prod only after the next deploy.
  const added = await cliOk(['apis', 'add-route', apiId, 'GET /late', '--function', 'cli-api-echo'], at());
  assert.match(added, new RegExp(`\n  try      curl ${base(apiId)}/late\n$`));
  assert.equal((await get(`${base(apiId)}/late`)).status, 200);
  assert.equal((await get(`${base(apiId)}/prod/late`)).status, 404);

  const stages = await cliOk(['apis', 'stages', apiId], at());
  assert.match(stages, /^STAGE +AUTO DEPLOY +DEPLOYMENT +VARIABLES +URL$/m);
  assert.match(stages, new RegExp(`^\\$default +yes +[a-z0-9]{6} +- +${base(apiId)}$`, 'm'));
  assert.match(stages, new RegExp(`^prod +no +[a-z0-9]{6} +colour=blue,size=2 +${base(apiId)}/prod$`, 'm'));
  const auto = await cliJson<{ StageName: string; AutoDeploy: boolean }>(['apis', 'create-stage', apiId, 'beta'], at());
  assert.deepEqual([auto.StageName, auto.AutoDeploy], ['beta', true], 'auto-deploy unless --no-auto-deploy');
  assert.equal((await get(`${base(apiId)}/beta/late`)).status, 200);
});

test('delete removes the API: its URL answers 404 and the API Gateway API no longer knows it', async () => {
  const apiId = await createApi('cli-doomed');
  assert.equal((await get(`${base(apiId)}/x`)).status, 200);
  assert.deepEqual(await cliJson(['apis', 'delete', apiId], at()), { ApiId: apiId, Deleted: true });
  assert.equal((await get(`${base(apiId)}/x`)).status, 404);
  await rejectsWithGateway(gateway.send(new GetApiCommand({ ApiId: apiId })), 'NotFoundException', 404);
});

test('failures say what is missing and what to do: no API, stage, route or function; a conflicting route; bad flags', async () => {
  assert.deepEqual(await cliFails(['apis', 'get', 'nosuchapi0'], 1, at()), ['hako: apis get: no HTTP API nosuchapi0', 'hint: see the APIs there are with hako apis list']);
  assert.equal((await cliFails(['apis', 'routes', 'nosuchapi0'], 1, at()))[0], 'hako: apis routes: no HTTP API nosuchapi0');
  assert.deepEqual(await cliFails(['apis', 'create', 'cli-nofn', '--function', 'cli-no-such-fn'], 1, at()), [
    'hako: apis create: --function cli-no-such-fn: no function cli-no-such-fn',
    'hint: deploy it first (hako functions deploy DIR --name NAME), or see the functions there are with hako functions list',
  ]);
  const apiId = await createApi('cli-errors', '--route-key', 'GET /a');
  assert.deepEqual(await cliFails(['apis', 'deploy', apiId, 'nostage'], 1, at()), [
    `hako: apis deploy: API ${apiId} has no stage nostage`,
    `hint: see its stages with hako apis stages ${apiId}, or make one with hako apis create-stage ${apiId} NAME`,
  ]);
  assert.match((await cliFails(['apis', 'deploy', apiId, '$default'], 1, at()))[0] ?? '', /BadRequestException: Stage \$default has autoDeploy enabled/);
  assert.deepEqual(await cliFails(['apis', 'add-route', apiId, 'GET /a', '--function', 'cli-api-echo'], 1, at()), [
    'hako: apis add-route: CreateRoute: ConflictException: Route with key GET /a already exists for this API',
    `hint: see the API's routes with hako apis routes ${apiId}; remove one with hako apis delete-route ${apiId} ROUTE`,
  ]);
  assert.match((await cliFails(['apis', 'add-route', apiId, 'GET/b', '--function', 'cli-api-echo', '--timeout-ms', '900'], 1, at()))[0] ?? '', /BadRequestException: Unable to create route GET\/b: route key 'GET\/b' must be '\$default' or 'METHOD \/path'$/);
  const integrations = (await gateway.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items ?? [];
  assert.deepEqual(integrations.map((i) => i.TimeoutInMillis), [30_000], 'the integration made for the refused route was removed');
  assert.deepEqual(await cliFails(['apis', 'delete-route', apiId, 'GET /nothing'], 1, at()), [`hako: apis delete-route: API ${apiId} has no route GET /nothing`, `hint: see its routes (ids and keys) with hako apis routes ${apiId}`]);
  assert.deepEqual(await cliFails(['apis', 'create-stage', apiId, 'x', '--variables', 'novalue'], 1, at()), ['hako: apis create-stage: --variables novalue: expected NAME=VALUE', 'hint: e.g. --variables alias=live,colour=blue']);
  assert.match((await cliFails(['apis', 'add-route', apiId, 'GET /c', '--function', 'cli-api-echo', '--timeout-ms', '10'], 1, at()))[0] ?? '', /BadRequestException: Timeout must be between 50 ms and 30000 ms$/);
  await cliFails(['apis', 'create', 'x', '--function', 'cli-api-echo', '--payload-format', '3.0'], 2, at());
  await cliFails(['apis', 'add-route', apiId, 'GET /d'], 2, at());
});
