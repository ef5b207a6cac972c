/**
 * @module test/gateway/apigatewayv2-api.test — the API Gateway v2 control plane with the real
 * `@aws-sdk/client-apigatewayv2`: the shapes of APIs, routes, integrations, stages and deployments, paging, the
 * errors (BadRequestException, NotFoundException, ConflictException) and an API surviving a restart.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteCorsConfigurationCommand,
  DeleteDeploymentCommand,
  DeleteIntegrationCommand,
  DeleteStageCommand,
  GetApiCommand,
  GetApisCommand,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetIntegrationsCommand,
  GetRouteCommand,
  GetStageCommand,
  GetStagesCommand,
  UpdateApiCommand,
  UpdateIntegrationCommand,
  UpdateRouteCommand,
  UpdateStageCommand,
  type ApiGatewayV2Client,
} from '@aws-sdk/client-apigatewayv2';
import { apiGatewayClient, call, createFunction, rejectsWithGateway } from '../helpers/apigateway.js';
import { hakoForFile, startTestHako, type TestHako } from '../helpers/hako.js';
import { lambdaClient } from '../helpers/lambda.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:hello';
let hako: TestHako;
let client: ApiGatewayV2Client;

hakoForFile(apiGatewayClient, (started) => {
  ({ hako, client } = started);
});

async function newApi(name = 'api'): Promise<string> {
  return (await client.send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP' }))).ApiId ?? assert.fail('no ApiId');
}

test('CreateApi, GetApi, UpdateApi and DeleteApi with API Gateway\'s shapes', async () => {
  const created = await client.send(new CreateApiCommand({ Name: 'orders', ProtocolType: 'HTTP', Description: 'order webhooks', Tags: { team: 'ops' }, CorsConfiguration: { AllowOrigins: ['*'] } }));
  const apiId = created.ApiId ?? '';
  const got = await client.send(new GetApiCommand({ ApiId: apiId }));
  const { $metadata: _m1, ...shape } = got;
  assert.deepEqual(shape, {
    ApiEndpoint: `http://127.0.0.1:${hako.ports.http}/_aws/execute-api/${apiId}`,
    ApiId: apiId,
    ApiKeySelectionExpression: '$request.header.x-api-key',
    CorsConfiguration: { AllowOrigins: ['*'] },
    CreatedDate: created.CreatedDate,
    Description: 'order webhooks',
    DisableExecuteApiEndpoint: false,
    Name: 'orders',
    ProtocolType: 'HTTP',
    RouteSelectionExpression: '$request.method $request.path',
    Tags: { team: 'ops' },
  });
  assert.ok(got.CreatedDate instanceof Date && Math.abs(got.CreatedDate.getTime() - Date.now()) < 60_000);
  const updated = await client.send(new UpdateApiCommand({ ApiId: apiId, Name: 'orders-v2', Version: '2' }));
  assert.equal(updated.Name, 'orders-v2');
  assert.equal(updated.Version, '2');
  assert.equal(updated.Description, 'order webhooks', 'fields not sent are kept');
  await client.send(new DeleteCorsConfigurationCommand({ ApiId: apiId }));
  assert.equal((await client.send(new GetApiCommand({ ApiId: apiId }))).CorsConfiguration, undefined);
  await client.send(new DeleteApiCommand({ ApiId: apiId }));
  await rejectsWithGateway(client.send(new GetApiCommand({ ApiId: apiId })), 'NotFoundException', 404, new RegExp(`Invalid API identifier specified 000000000000:${apiId}`));
});

test('CreateApi refuses what hako cannot serve, naming it', async () => {
  await rejectsWithGateway(client.send(new CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' })), 'BadRequestException', 400, /WebSocket APIs are not available/);
  await rejectsWithGateway(client.send(new CreateApiCommand({ Name: 'x', ProtocolType: 'HTTP', Target: 'https://example.com' })), 'BadRequestException', 400, /Invalid integration URI/);
  await rejectsWithGateway(client.send(new CreateApiCommand({ Name: 'x', ProtocolType: 'HTTP', CorsConfiguration: { AllowOrigins: ['*'], AllowCredentials: true } })), 'BadRequestException', 400, /allow-credentials/);
  await rejectsWithGateway(client.send(new CreateApiCommand({ Name: 'x'.repeat(129), ProtocolType: 'HTTP' })), 'BadRequestException', 400, /at most 128/);
});

test('GetApis pages with MaxResults and NextToken, every API once', async () => {
  const made = new Set<string>();
  for (let i = 0; i < 5; i++) made.add(await newApi(`paged-${i}`));
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new GetApisCommand({ MaxResults: '2', NextToken: token }));
    assert.ok((page.Items ?? []).length <= 2);
    seen.push(...(page.Items ?? []).map((api) => api.ApiId ?? ''));
    token = page.NextToken;
  } while (token !== undefined);
  assert.equal(new Set(seen).size, seen.length, 'no API twice');
  for (const id of made) assert.ok(seen.includes(id));
});

test('routes: CreateRoute checks the key and the target; a duplicate or shadowing key is a ConflictException', async () => {
  const apiId = await newApi();
  const integration = await client.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: FN, PayloadFormatVersion: '2.0' }));
  const target = `integrations/${integration.IntegrationId}`;
  const route = await client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /pets/{id}', Target: target }));
  assert.equal(route.$metadata.httpStatusCode, 201);
  const { $metadata: _m, ...shape } = await client.send(new GetRouteCommand({ ApiId: apiId, RouteId: route.RouteId }));
  assert.deepEqual(shape, { ApiKeyRequired: false, AuthorizationType: 'NONE', RouteId: route.RouteId, RouteKey: 'GET /pets/{id}', Target: target });
  await rejectsWithGateway(client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /pets/{id}', Target: target })), 'ConflictException', 409, /already exists/);
  await rejectsWithGateway(client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /pets/{name}', Target: target })), 'ConflictException', 409);
  await rejectsWithGateway(client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'FETCH /pets', Target: target })), 'BadRequestException', 400, /Unable to create route FETCH \/pets/);
  await rejectsWithGateway(client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', Target: 'integrations/nope123' })), 'BadRequestException', 400, /Invalid target/);
  await rejectsWithGateway(client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', AuthorizationType: 'JWT' })), 'BadRequestException', 400, /authorizationType JWT/);
  const moved = await client.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: route.RouteId, RouteKey: 'POST /pets/{id}' }));
  assert.equal(moved.RouteKey, 'POST /pets/{id}');
  assert.equal(moved.Target, target);
  await rejectsWithGateway(client.send(new GetRouteCommand({ ApiId: apiId, RouteId: 'missing' })), 'NotFoundException', 404);
  await rejectsWithGateway(client.send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: integration.IntegrationId })), 'ConflictException', 409, /POST \/pets\/\{id\}/);
});

test('integrations: Lambda proxy only, payload format required, timeout 50–30000 ms; UpdateIntegration keeps what is not sent', async () => {
  const apiId = await newApi();
  const created = await client.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FN}/invocations`, PayloadFormatVersion: '1.0', Description: 'hello' }));
  const { $metadata: _m, ...shape } = await client.send(new GetIntegrationCommand({ ApiId: apiId, IntegrationId: created.IntegrationId }));
  assert.deepEqual(shape, {
    ConnectionType: 'INTERNET',
    Description: 'hello',
    IntegrationId: created.IntegrationId,
    IntegrationMethod: 'POST',
    IntegrationType: 'AWS_PROXY',
    IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FN}/invocations`,
    PayloadFormatVersion: '1.0',
    TimeoutInMillis: 30000,
  });
  const updated = await client.send(new UpdateIntegrationCommand({ ApiId: apiId, IntegrationId: created.IntegrationId, TimeoutInMillis: 5000 }));
  assert.equal(updated.TimeoutInMillis, 5000);
  assert.equal(updated.PayloadFormatVersion, '1.0');
  const bad = (input: Record<string, unknown>): Promise<unknown> => client.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: FN, PayloadFormatVersion: '2.0', ...input }));
  await rejectsWithGateway(bad({ IntegrationType: 'HTTP_PROXY', IntegrationUri: 'https://example.com' }), 'BadRequestException', 400, /HTTP_PROXY is not available/);
  await rejectsWithGateway(bad({ PayloadFormatVersion: undefined }), 'BadRequestException', 400, /PayloadFormatVersion is required/);
  await rejectsWithGateway(bad({ PayloadFormatVersion: '3.0' }), 'BadRequestException', 400);
  await rejectsWithGateway(bad({ TimeoutInMillis: 30_001 }), 'BadRequestException', 400, /between 50 ms and 30000 ms/);
  await rejectsWithGateway(bad({ IntegrationUri: 'arn:aws:lambda:us-east-1:000000000000:function:bad name' }), 'BadRequestException', 400, /Invalid integration URI/);
  assert.equal((await client.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items?.length, 1);
});

test('stages and deployments: names, variables, autoDeploy, and a deployment in use cannot be deleted', async () => {
  const apiId = await newApi();
  const stage = await client.send(new CreateStageCommand({ ApiId: apiId, StageName: 'beta', StageVariables: { alias: 'live' }, Description: 'beta testers' }));
  assert.equal(stage.AutoDeploy, false);
  assert.equal(stage.DeploymentId, undefined);
  assert.deepEqual(stage.StageVariables, { alias: 'live' });
  await rejectsWithGateway(client.send(new CreateStageCommand({ ApiId: apiId, StageName: 'beta' })), 'ConflictException', 409, /already exists/);
  await rejectsWithGateway(client.send(new CreateStageCommand({ ApiId: apiId, StageName: 'has space' })), 'BadRequestException', 400);
  await rejectsWithGateway(client.send(new CreateStageCommand({ ApiId: apiId, StageName: 'v', StageVariables: { 'bad-name': 'x' } })), 'BadRequestException', 400, /Stage variable name bad-name/);
  await rejectsWithGateway(client.send(new CreateStageCommand({ ApiId: apiId, StageName: 'v', StageVariables: { ok: 'no spaces allowed' } })), 'BadRequestException', 400);
  const deployment = await client.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'beta', Description: 'first' }));
  assert.equal((await client.send(new GetStageCommand({ ApiId: apiId, StageName: 'beta' }))).DeploymentId, deployment.DeploymentId);
  await rejectsWithGateway(client.send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId })), 'BadRequestException', 400, /used by stage\(s\) beta/);
  const auto = await client.send(new UpdateStageCommand({ ApiId: apiId, StageName: 'beta', AutoDeploy: true }));
  assert.notEqual(auto.DeploymentId, deployment.DeploymentId, 'turning autoDeploy on deploys');
  await rejectsWithGateway(client.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'beta' })), 'BadRequestException', 400, /autoDeploy/);
  await client.send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: deployment.DeploymentId }));
  const deployments = await client.send(new GetDeploymentsCommand({ ApiId: apiId }));
  assert.deepEqual(deployments.Items?.map((d) => [d.DeploymentId, d.AutoDeployed]), [[auto.DeploymentId, true]]);
  await client.send(new DeleteStageCommand({ ApiId: apiId, StageName: 'beta' }));
  assert.deepEqual((await client.send(new GetStagesCommand({ ApiId: apiId }))).Items, []);
});

test('an API, its routes and its stages survive a restart, and it serves the same', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hako-gateway-'));
  try {
    let first: TestHako | undefined = await startTestHako({}, dataDir);
    let apiEndpoint: string;
    try {
      await createFunction(lambdaClient(first), 'kept', `export const handler = async (e) => ({ kept: e.rawPath });`);
      const created = await apiGatewayClient(first).send(new CreateApiCommand({ Name: 'kept', ProtocolType: 'HTTP', Target: 'arn:aws:lambda:us-east-1:000000000000:function:kept', RouteKey: 'GET /still/{here}' }));
      apiEndpoint = new URL(created.ApiEndpoint ?? '').pathname;
    } finally {
      await first.close();
      first = undefined;
    }
    const second = await startTestHako({}, dataDir);
    try {
      const response = await call(second.ports.http, 'GET', `${apiEndpoint}/still/there`);
      assert.equal(response.status, 200);
      assert.deepEqual(JSON.parse(response.text), { kept: '/still/there' });
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
