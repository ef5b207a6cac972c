/**
 * @module test/gateway/http-api-serving.test — HTTP APIs made with the real `@aws-sdk/client-apigatewayv2` and called
 * over HTTP: quick create, routes with path parameters and stage variables, both payload formats end to end, stages
 * and deployments, and every answer the gateway gives of its own (spec §8.1: 404, 500, 503, 429, 413), CORS.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteRouteCommand,
  UpdateApiCommand,
} from '@aws-sdk/client-apigatewayv2';
import { DeleteFunctionCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { call, gatewayTestbedForFile } from '../helpers/apigateway.js';

const ECHO_V2 = `export const handler = async (event) => ({
  statusCode: 201,
  headers: { 'content-type': 'application/json', 'x-handled-by': 'echo', 'access-control-allow-origin': 'https://evil.example' },
  cookies: ['session=abc; Path=/', 'theme=dark'],
  body: JSON.stringify(event),
});`;
const ECHO_V1 = `export const handler = async (event) => ({ statusCode: 200, multiValueHeaders: { 'x-many': ['a', 'b'] }, body: JSON.stringify(event) });`;
const SIMPLE = `export const handler = async (event) => ({ greeting: 'hello', path: event.rawPath });`;
const FAILING = `export const handler = async () => { throw new Error('ticket store is down'); };`;
const MALFORMED = `export const handler = async () => ({ statusCode: 'teapot', body: 'x' });`;
const SLOW = `export const handler = async () => { await new Promise((r) => setTimeout(r, 1500)); return { statusCode: 200, body: 'late' }; };`;
/** Every byte value, repeated to `?size=` bytes (small bodies and large ones leave the gateway by different paths). */
const BYTES = `export const handler = async (event) => {
  const size = Number(event.queryStringParameters.size);
  const body = Buffer.alloc(size, Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i)));
  return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: body.toString('base64'), isBase64Encoded: true };
};`;

const testbed = gatewayTestbedForFile({ echo2: ECHO_V2, echo1: ECHO_V1, simple: SIMPLE, failing: FAILING, malformed: MALFORMED, slow: SLOW, bytes: BYTES, gone: SIMPLE, throttled: SIMPLE });
const arns = testbed.arns;

const port = (): number => testbed.hako.ports.http;
const pathOf = (endpoint: string | undefined): string => new URL(endpoint ?? assert.fail('no apiEndpoint')).pathname;

/** A `$default`-stage API made by quick create in front of `functionName`. */
async function quickApi(functionName: string, routeKey?: string): Promise<{ apiId: string; base: string }> {
  const api = await testbed.gateway.send(new CreateApiCommand({ Name: `${functionName}-api`, ProtocolType: 'HTTP', Target: arns[functionName], ...(routeKey === undefined ? {} : { RouteKey: routeKey }) }));
  return { apiId: api.ApiId ?? assert.fail('no ApiId'), base: pathOf(api.ApiEndpoint) };
}

test('quick create: CreateApi with Target serves at apiEndpoint; the function gets the payload 2.0 event and its response is mapped back', async () => {
  const api = await testbed.gateway.send(new CreateApiCommand({ Name: 'tickets', ProtocolType: 'HTTP', Target: arns.echo2 }));
  assert.equal(api.$metadata.httpStatusCode, 201);
  assert.match(api.ApiId ?? '', /^[a-z0-9]{10}$/);
  assert.equal(api.ApiEndpoint, `http://127.0.0.1:${port()}/_aws/execute-api/${api.ApiId}`);
  const response = await call(port(), 'POST', `${pathOf(api.ApiEndpoint)}/tickets/7?tag=a&tag=b&q=caf%C3%A9`, { 'content-type': 'application/json', cookie: 'c1=v1; c2=v2', 'X-Trace': ['one', 'two'], 'user-agent': 'curl/8.5.0' }, '{"title":"door"}');
  assert.equal(response.status, 201);
  assert.equal(response.headers['x-handled-by'], 'echo');
  assert.deepEqual(response.headers['set-cookie'], ['session=abc; Path=/', 'theme=dark']);
  const event = JSON.parse(response.text) as Record<string, any>;
  assert.equal(response.headers['apigw-requestid'], event.requestContext.requestId);
  assert.equal(event.version, '2.0');
  assert.equal(event.routeKey, '$default');
  assert.equal(event.rawPath, '/tickets/7');
  assert.equal(event.rawQueryString, 'tag=a&tag=b&q=caf%C3%A9');
  assert.deepEqual(event.queryStringParameters, { tag: 'a,b', q: 'café' });
  assert.deepEqual(event.cookies, ['c1=v1', 'c2=v2']);
  assert.equal(event.headers['x-trace'], 'one,two');
  assert.equal(event.headers.cookie, undefined);
  assert.equal(event.body, '{"title":"door"}');
  assert.equal(event.isBase64Encoded, false);
  assert.equal(event.requestContext.stage, '$default');
  assert.equal(event.requestContext.apiId, api.ApiId);
  assert.equal(event.requestContext.accountId, '000000000000');
  assert.deepEqual({ ...event.requestContext.http, sourceIp: undefined }, { method: 'POST', path: '/tickets/7', protocol: 'HTTP/1.1', sourceIp: undefined, userAgent: 'curl/8.5.0' });
  assert.match(event.requestContext.http.sourceIp, /^(::ffff:)?127\.0\.0\.1$/);
  assert.equal(typeof event.requestContext.timeEpoch, 'number');
});

test('a binary response reaches the client byte for byte, small or large', async () => {
  const { base } = await quickApi('bytes');
  for (const size of [1, 256, 64 * 1024, 64 * 1024 + 1, 300_000]) {
    const response = await call(port(), 'GET', `${base}/?size=${size}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-length'], String(size));
    assert.ok(response.body.equals(Buffer.alloc(size, Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i)))), `${size} bytes`);
  }
});

test('a handler returning a plain object gets the simple 2.0 response: 200, application/json, the object as the body', async () => {
  const { base } = await quickApi('simple');
  const response = await call(port(), 'GET', `${base}/anything`);
  assert.equal(response.status, 200);
  assert.equal(response.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(response.text), { greeting: 'hello', path: '/anything' });
});

test('a binary request body reaches the function base64-encoded', async () => {
  const { base } = await quickApi('echo2');
  const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe]);
  const response = await call(port(), 'PUT', `${base}/blob`, { 'content-type': 'application/octet-stream' }, bytes);
  const event = JSON.parse(response.text) as { body: string; isBase64Encoded: boolean };
  assert.equal(event.isBase64Encoded, true);
  assert.deepEqual(Buffer.from(event.body, 'base64'), bytes);
});

test('routes with path parameters, a greedy route and a named stage whose variables pick the function (payload 1.0)', async () => {
  const api = await testbed.gateway.send(new CreateApiCommand({ Name: 'items', ProtocolType: 'HTTP' }));
  const apiId = api.ApiId ?? '';
  const integration = await testbed.gateway.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: 'arn:aws:lambda:us-east-1:000000000000:function:${stageVariables.fn}', PayloadFormatVersion: '1.0' }));
  const target = `integrations/${integration.IntegrationId}`;
  await testbed.gateway.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /items/{id}', Target: target }));
  await testbed.gateway.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'ANY /files/{proxy+}', Target: target }));
  const stage = await testbed.gateway.send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod', AutoDeploy: true, StageVariables: { fn: 'echo1', colour: 'blue' } }));
  assert.match(stage.DeploymentId ?? '', /^[a-z0-9]{6}$/, 'an auto-deploying stage is deployed at once');
  const base = pathOf(api.ApiEndpoint);

  const item = await call(port(), 'GET', `${base}/prod/items/a%20b?x=1&x=2`, { 'X-Multi': ['p', 'q'] });
  assert.equal(item.status, 200);
  assert.deepEqual(item.headers['x-many'], 'a, b');
  const event = JSON.parse(item.text) as Record<string, any>;
  assert.equal(event.version, '1.0');
  assert.equal(event.resource, '/items/{id}');
  assert.equal(event.path, '/items/a%20b');
  assert.equal(event.httpMethod, 'GET');
  assert.deepEqual(event.pathParameters, { id: 'a b' });
  assert.deepEqual(event.stageVariables, { fn: 'echo1', colour: 'blue' });
  assert.deepEqual(event.multiValueQueryStringParameters, { x: ['1', '2'] });
  assert.deepEqual(event.multiValueHeaders['X-Multi'], ['p', 'q']);
  assert.equal(event.requestContext.stage, 'prod');
  assert.equal(event.requestContext.path, '/prod/items/a%20b');
  assert.equal(event.body, null);

  const file = JSON.parse((await call(port(), 'DELETE', `${base}/prod/files/2026/report.csv`)).text) as Record<string, any>;
  assert.equal(file.resource, '/files/{proxy+}');
  assert.deepEqual(file.pathParameters, { proxy: '2026/report.csv' });

  for (const [method, path] of [['POST', '/prod/items/1'], ['GET', '/prod/items'], ['GET', '/items/1'], ['GET', '/dev/items/1']] as const) {
    const missing = await call(port(), method, `${base}${path}`);
    assert.equal(missing.status, 404, `${method} ${path}`);
    assert.equal(missing.text, '{"message":"Not Found"}');
  }
});

test('a stage without autoDeploy serves its deployment: nothing before CreateDeployment, the old routes until the next one', async () => {
  const { apiId, base } = await quickApi('simple', 'GET /v1');
  const api = await testbed.gateway.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: arns.simple, PayloadFormatVersion: '2.0' }));
  await testbed.gateway.send(new CreateStageCommand({ ApiId: apiId, StageName: 'live' }));
  assert.equal((await call(port(), 'GET', `${base}/live/v1`)).status, 404, 'never deployed');
  const deployment = await testbed.gateway.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'live', Description: 'first' }));
  assert.equal(deployment.DeploymentStatus, 'DEPLOYED');
  assert.equal((await call(port(), 'GET', `${base}/live/v1`)).status, 200);
  await testbed.gateway.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /v2', Target: `integrations/${api.IntegrationId}` }));
  assert.equal((await call(port(), 'GET', `${base}/v2`)).status, 200, 'the auto-deploying $default stage has the new route');
  assert.equal((await call(port(), 'GET', `${base}/live/v2`)).status, 404, 'the live stage still serves its deployment');
  await testbed.gateway.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'live' }));
  assert.equal((await call(port(), 'GET', `${base}/live/v2`)).status, 200);
});

test('the gateway answers for the integration: function error 500, malformed response 500, timeout 503, throttled 429, missing function 500', async () => {
  const expectAnswer = async (functionName: string, status: number, body: string): Promise<void> => {
    const { base } = await quickApi(functionName);
    const response = await call(port(), 'GET', `${base}/x`);
    assert.equal(response.status, status, functionName);
    assert.equal(response.text, body, functionName);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.match(String(response.headers['apigw-requestid']), /^[A-Za-z0-9+/]{15}=$/);
  };
  await expectAnswer('failing', 500, '{"message":"Internal Server Error"}');
  await expectAnswer('malformed', 500, '{"message":"Internal Server Error"}');
  await testbed.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'throttled', ReservedConcurrentExecutions: 0 }));
  await expectAnswer('throttled', 429, '{"message":"Too Many Requests"}');
  const gone = await quickApi('gone');
  await testbed.lambda.send(new DeleteFunctionCommand({ FunctionName: 'gone' }));
  const missing = await call(port(), 'GET', `${gone.base}/x`);
  assert.equal(missing.status, 500);

  const api = await testbed.gateway.send(new CreateApiCommand({ Name: 'slow', ProtocolType: 'HTTP' }));
  const apiId = api.ApiId ?? '';
  const integration = await testbed.gateway.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: arns.slow, PayloadFormatVersion: '2.0', TimeoutInMillis: 200 }));
  await testbed.gateway.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$default', Target: `integrations/${integration.IntegrationId}` }));
  await testbed.gateway.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
  const started = Date.now();
  const late = await call(port(), 'GET', `${pathOf(api.ApiEndpoint)}/x`);
  assert.equal(late.status, 503);
  assert.equal(late.text, '{"message":"Service Unavailable"}');
  assert.ok(Date.now() - started < 1500, 'answered at the integration timeout, not when the function finished');
});

test('a body over 10 MB gets 413 without calling the function; one just under goes through', async () => {
  const { base } = await quickApi('simple');
  const tooLarge = await call(port(), 'POST', `${base}/upload`, { 'content-type': 'text/plain' }, Buffer.alloc(10 * 1024 * 1024 + 1, 0x61));
  assert.equal(tooLarge.status, 413);
  assert.equal(tooLarge.text, '{"message":"Request Entity Too Large"}');
  const fits = await call(port(), 'POST', `${base}/upload`, { 'content-type': 'text/plain' }, Buffer.alloc(4 * 1024 * 1024, 0x61));
  assert.equal(fits.status, 200);
});

test('a request line and headers over 10,240 bytes get 431 without calling the function; under the limit goes through', async () => {
  const { base } = await quickApi('simple');
  const path = `${base}/h`;
  // The limit counts `GET <path> HTTP/1.1\r\n` and `name: value\r\n` per header; the client adds Host and maybe
  // Connection, so the sizes here keep 64 bytes clear of the boundary on either side.
  const fixed = 'GET '.length + path.length + ' HTTP/1.1\r\n'.length + `Host: 127.0.0.1:${port()}\r\n`.length + 'x-big: \r\n'.length;
  const fits = await call(port(), 'GET', path, { 'x-big': 'a'.repeat(10_240 - fixed - 64) });
  assert.equal(fits.status, 200);
  const tooMany = await call(port(), 'GET', path, { 'x-big': 'a'.repeat(10_240 - fixed + 64) });
  assert.equal(tooMany.status, 431);
  assert.equal(tooMany.text, '{"message":"Request Header Fields Too Large"}');
});

test('an API is also served by Host: <apiId>.execute-api.localhost, as AWS addresses it', async () => {
  const { apiId } = await quickApi('simple');
  const response = await call(port(), 'GET', '/by-host?x=1', { host: `${apiId}.execute-api.localhost:${port()}` });
  assert.equal(response.status, 200);
  assert.deepEqual(JSON.parse(response.text), { greeting: 'hello', path: '/by-host' });
  assert.equal((await call(port(), 'GET', '/by-host', { host: `zzzzzzzzzz.execute-api.localhost:${port()}` })).status, 404);
});

test('CORS: the gateway answers preflights itself and its headers replace the function\'s', async () => {
  const { apiId, base } = await quickApi('echo2');
  await testbed.gateway.send(new UpdateApiCommand({ ApiId: apiId, CorsConfiguration: { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type', 'x-api-key'], ExposeHeaders: ['x-handled-by'], MaxAge: 600, AllowCredentials: true } }));
  const preflight = await call(port(), 'OPTIONS', `${base}/tickets`, { origin: 'https://app.example', 'access-control-request-method': 'POST' });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example');
  assert.equal(preflight.headers['access-control-allow-methods'], 'GET,POST');
  assert.equal(preflight.headers['access-control-allow-headers'], 'content-type,x-api-key');
  assert.equal(preflight.headers['access-control-max-age'], '600');
  assert.equal(preflight.headers['access-control-allow-credentials'], 'true');
  const refused = await call(port(), 'OPTIONS', `${base}/tickets`, { origin: 'https://evil.example', 'access-control-request-method': 'POST' });
  assert.equal(refused.status, 204);
  assert.equal(refused.headers['access-control-allow-origin'], undefined);
  const actual = await call(port(), 'GET', `${base}/tickets`, { origin: 'https://app.example' });
  assert.equal(actual.status, 201);
  assert.equal(actual.headers['access-control-allow-origin'], 'https://app.example', 'the function said https://evil.example; the gateway overrides it');
  assert.equal(actual.headers['access-control-expose-headers'], 'x-handled-by');
});

test('deleting a route stops serving it on the auto-deploying stage', async () => {
  const api = await testbed.gateway.send(new CreateApiCommand({ Name: 'gone-route', ProtocolType: 'HTTP', Target: arns.simple, RouteKey: 'GET /a' }));
  const base = pathOf(api.ApiEndpoint);
  assert.equal((await call(port(), 'GET', `${base}/a`)).status, 200);
  const { GetRoutesCommand } = await import('@aws-sdk/client-apigatewayv2');
  const routes = await testbed.gateway.send(new GetRoutesCommand({ ApiId: api.ApiId }));
  await testbed.gateway.send(new DeleteRouteCommand({ ApiId: api.ApiId, RouteId: routes.Items?.[0]?.RouteId }));
  assert.equal((await call(port(), 'GET', `${base}/a`)).status, 404);
});
