/**
 * @module test/gateway/http-api-protection.test — what stands between a caller and the function, with the real
 * `@aws-sdk/client-apigatewayv2`: REQUEST Lambda authorizers (simple and IAM-policy answers, payload 1.0 and 2.0,
 * identity sources, caching by identity for the TTL, 401/403/500), stage and route throttling (429 with
 * Retry-After), access logs and metrics.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import {
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteAuthorizerCommand,
  ResetAuthorizersCacheCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { call, gatewayTestbedForFile, rejectsWithGateway } from '../helpers/apigateway.js';

// Counts its calls in module state, so a test can tell a cached answer from a fresh one.
const SIMPLE_AUTHORIZER = `let calls = 0;
export const handler = async (event) => {
  calls++;
  if (event.headers['x-count'] !== undefined) return { isAuthorized: true, context: { calls } };
  const token = event.identitySource[0];
  if (token === 'boom') return { isAuthorized: 'yes' };
  if (token === 'nobody') throw new Error('Unauthorized');
  return { isAuthorized: token === 'letmein', context: { user: 'ann', level: 3, admin: false, routeArn: event.routeArn, type: event.type, version: event.version } };
};`;
const POLICY_AUTHORIZER = `export const handler = async (event) => ({
  principalId: 'user-' + event.authorizationToken,
  policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: event.methodArn.replace(/\\/GET\\/.*$/, '/GET/*') }] },
  context: { token: event.authorizationToken, methodArn: event.methodArn, version: event.version },
});`;
const ECHO = `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ authorizer: event.requestContext.authorizer ?? null }) });`;

const testbed = gatewayTestbedForFile({ simpleAuth: SIMPLE_AUTHORIZER, policyAuth: POLICY_AUTHORIZER, echo: ECHO });
const arns = testbed.arns;

const port = (): number => testbed.hako.ports.http;

/** An API with one integration to `echo`, a `$default` auto-deploying stage, and routes made by `routes`. */
async function apiWith(routes: (apiId: string, target: string) => Promise<void>, stage: Record<string, unknown> = {}): Promise<{ apiId: string; base: string }> {
  const api = await testbed.gateway.send(new CreateApiCommand({ Name: 'protected', ProtocolType: 'HTTP' }));
  const apiId = api.ApiId ?? '';
  const integration = await testbed.gateway.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: arns.echo, PayloadFormatVersion: '2.0' }));
  await routes(apiId, `integrations/${integration.IntegrationId}`);
  await testbed.gateway.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true, ...stage }));
  return { apiId, base: new URL(api.ApiEndpoint ?? '').pathname };
}

test('a simple-response authorizer (payload 2.0): allowed requests reach the function with its context; denied 403; missing identity 401; Unauthorized 401; a bad answer 500', async () => {
  const { apiId, base } = await apiWith(async (apiId, target) => {
    const authorizer = await testbed.gateway.send(new CreateAuthorizerCommand({ ApiId: apiId, Name: 'token', AuthorizerType: 'REQUEST', AuthorizerUri: arns.simpleAuth, IdentitySource: ['$request.header.Authorization'], AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true }));
    await testbed.gateway.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /private', Target: target, AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId }));
    await testbed.gateway.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /public', Target: target }));
  });
  const allowed = await call(port(), 'GET', `${base}/private`, { authorization: 'letmein' });
  assert.equal(allowed.status, 200);
  const context = (JSON.parse(allowed.text) as { authorizer: { lambda: Record<string, unknown> } }).authorizer.lambda;
  assert.deepEqual(context, { user: 'ann', level: 3, admin: false, routeArn: `arn:aws:execute-api:us-east-1:000000000000:${apiId}/$default/GET/private`, type: 'REQUEST', version: '2.0' });
  const answers = [
    [{ authorization: 'wrong' }, 403, '{"message":"Forbidden"}'],
    [{}, 401, '{"message":"Unauthorized"}'],
    [{ authorization: 'nobody' }, 401, '{"message":"Unauthorized"}'],
    [{ authorization: 'boom' }, 500, '{"message":"Internal Server Error"}'],
  ] as const;
  for (const [headers, status, body] of answers) {
    const response = await call(port(), 'GET', `${base}/private`, headers);
    assert.equal(response.status, status, JSON.stringify(headers));
    assert.equal(response.text, body);
  }
  assert.equal((await call(port(), 'GET', `${base}/public`)).status, 200, 'a route without an authorizer is open');
});

test('an IAM-policy authorizer (payload 1.0): principalId and context in the event; a cached policy covers only the ARNs it names', async () => {
  const { apiId, base } = await apiWith(async (apiId, target) => {
    const authorizer = await testbed.gateway.send(new CreateAuthorizerCommand({ ApiId: apiId, Name: 'policy', AuthorizerType: 'REQUEST', AuthorizerUri: arns.policyAuth, IdentitySource: ['$request.querystring.token'], AuthorizerPayloadFormatVersion: '1.0', AuthorizerResultTtlInSeconds: 300 }));
    for (const key of ['GET /docs/{id}', 'POST /docs/{id}']) await testbed.gateway.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: key, Target: target, AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId }));
  });
  const read = await call(port(), 'GET', `${base}/docs/1?token=t1`);
  assert.equal(read.status, 200);
  assert.deepEqual((JSON.parse(read.text) as { authorizer: unknown }).authorizer, {
    lambda: { token: 't1', methodArn: `arn:aws:execute-api:us-east-1:000000000000:${apiId}/$default/GET/docs/1`, version: '1.0' },
  });
  assert.equal((await call(port(), 'POST', `${base}/docs/1?token=t1`)).status, 403, 'the policy (cached from the GET) allows GET only');
  assert.equal((await call(port(), 'GET', `${base}/docs/2?token=t1`)).status, 200);
});

test('authorizer answers are cached by identity for the TTL, and ResetAuthorizersCache forgets them', async () => {
  const { apiId, base } = await apiWith(async (apiId, target) => {
    const authorizer = await testbed.gateway.send(new CreateAuthorizerCommand({ ApiId: apiId, Name: 'counted', AuthorizerType: 'REQUEST', AuthorizerUri: arns.simpleAuth, IdentitySource: ['$request.header.X-Count'], AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true, AuthorizerResultTtlInSeconds: 3600 }));
    await testbed.gateway.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /counted', Target: target, AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId }));
  });
  const callsSeen = async (identity: string): Promise<number> => {
    const response = await call(port(), 'GET', `${base}/counted`, { 'x-count': identity });
    assert.equal(response.status, 200);
    return (JSON.parse(response.text) as { authorizer: { lambda: { calls: number } } }).authorizer.lambda.calls;
  };
  const first = await callsSeen('a');
  assert.equal(await callsSeen('a'), first, 'the same identity: the cached answer');
  const other = await callsSeen('b');
  assert.ok(other > first, 'another identity: the authorizer runs');
  await testbed.gateway.send(new ResetAuthorizersCacheCommand({ ApiId: apiId, StageName: '$default' }));
  assert.ok((await callsSeen('a')) > other, 'after ResetAuthorizersCache it runs again');
});

test('CreateAuthorizer checks its input; an authorizer in use cannot be deleted; CUSTOM needs one', async () => {
  const api = await testbed.gateway.send(new CreateApiCommand({ Name: 'checks', ProtocolType: 'HTTP' }));
  const apiId = api.ApiId ?? '';
  const base = { ApiId: apiId, Name: 'a', AuthorizerType: 'REQUEST' as const, AuthorizerUri: arns.simpleAuth, IdentitySource: ['$request.header.Authorization'], AuthorizerPayloadFormatVersion: '2.0' };
  await rejectsWithGateway(testbed.gateway.send(new CreateAuthorizerCommand({ ...base, AuthorizerType: 'JWT' })), 'BadRequestException', 400, /JWT authorizers are not available/);
  await rejectsWithGateway(testbed.gateway.send(new CreateAuthorizerCommand({ ...base, IdentitySource: ['Authorization'] })), 'BadRequestException', 400, /identitySource/);
  await rejectsWithGateway(testbed.gateway.send(new CreateAuthorizerCommand({ ...base, AuthorizerPayloadFormatVersion: '1.0', EnableSimpleResponses: true })), 'BadRequestException', 400, /enableSimpleResponses needs/);
  await rejectsWithGateway(testbed.gateway.send(new CreateAuthorizerCommand({ ...base, AuthorizerResultTtlInSeconds: 3601 })), 'BadRequestException', 400);
  await rejectsWithGateway(testbed.gateway.send(new CreateAuthorizerCommand({ ...base, IdentitySource: [], AuthorizerResultTtlInSeconds: 60 })), 'BadRequestException', 400, /identitySource is required when/);
  await rejectsWithGateway(testbed.gateway.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /x', AuthorizationType: 'CUSTOM' })), 'BadRequestException', 400, /needs an authorizerId/);
  const authorizer = await testbed.gateway.send(new CreateAuthorizerCommand(base));
  assert.deepEqual({ ...authorizer, $metadata: undefined }, {
    $metadata: undefined, AuthorizerId: authorizer.AuthorizerId, AuthorizerPayloadFormatVersion: '2.0', AuthorizerResultTtlInSeconds: 0, AuthorizerType: 'REQUEST',
    AuthorizerUri: arns.simpleAuth, EnableSimpleResponses: false, IdentitySource: ['$request.header.Authorization'], Name: 'a',
  });
  await testbed.gateway.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /x', AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId }));
  await rejectsWithGateway(testbed.gateway.send(new DeleteAuthorizerCommand({ ApiId: apiId, AuthorizerId: authorizer.AuthorizerId })), 'ConflictException', 409, /GET \/x/);
});

test('route throttling: the burst passes, then 429 with Retry-After; a route\'s own settings beat the stage default', async () => {
  const { base } = await apiWith(
    async (apiId, target) => {
      await testbed.gateway.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /limited', Target: target }));
      await testbed.gateway.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /roomy', Target: target }));
    },
    { DefaultRouteSettings: { ThrottlingBurstLimit: 2, ThrottlingRateLimit: 0.01 }, RouteSettings: { 'GET /roomy': { ThrottlingBurstLimit: 50, ThrottlingRateLimit: 100 } } },
  );
  const statuses: number[] = [];
  let throttled: Awaited<ReturnType<typeof call>> | undefined;
  for (let i = 0; i < 4; i++) {
    const response = await call(port(), 'GET', `${base}/limited`);
    statuses.push(response.status);
    if (response.status === 429) throttled = response;
  }
  assert.deepEqual(statuses, [200, 200, 429, 429]);
  assert.equal(throttled?.text, '{"message":"Too Many Requests"}');
  assert.equal(throttled?.headers['retry-after'], '100', 'one token at 0.01 requests/s takes 100 s');
  for (let i = 0; i < 5; i++) assert.equal((await call(port(), 'GET', `${base}/roomy`)).status, 200);
});

test('access logs: one line per request in the stage\'s format, in <data-dir>/logs/api-gateway/<log group>.log; metrics count requests', async () => {
  const destinationArn = 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/apigw/protected';
  const format = '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","route":"$context.routeKey","status":"$context.status","latency":"$context.responseLatency","integrationLatency":"$context.integrationLatency","error":"$context.error.message","ua":"$context.identity.userAgent"}';
  const { apiId, base } = await apiWith(async (apiId, target) => void (await testbed.gateway.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /logged', Target: target }))));
  await rejectsWithGateway(testbed.gateway.send(new UpdateStageCommand({ ApiId: apiId, StageName: '$default', AccessLogSettings: { DestinationArn: destinationArn, Format: '$context.status' } })), 'BadRequestException', 400, /must include \$context.requestId/);
  await rejectsWithGateway(testbed.gateway.send(new UpdateStageCommand({ ApiId: apiId, StageName: '$default', AccessLogSettings: { DestinationArn: 'arn:aws:s3:::logs', Format: format } })), 'BadRequestException', 400, /log group ARN/);
  await testbed.gateway.send(new UpdateStageCommand({ ApiId: apiId, StageName: '$default', AccessLogSettings: { DestinationArn: destinationArn, Format: format } }));
  const ok = await call(port(), 'GET', `${base}/logged`, { 'user-agent': 'agent "quoted"' });
  const missing = await call(port(), 'GET', `${base}/nothing-here`);
  await testbed.hako.gateway.accessLogs.drained();
  const lines = (await readFile(testbed.hako.gateway.accessLogs.fileOf(destinationArn), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
  assert.equal(lines.length, 2);
  const [first, second] = lines as [Record<string, string>, Record<string, string>];
  assert.equal(first.requestId, ok.headers['apigw-requestid']);
  assert.match(first.ip ?? '', /127\.0\.0\.1/);
  assert.deepEqual([first.route, first.status, first.error, first.ua], ['GET /logged', '200', '-', 'agent "quoted"']);
  assert.match(first.integrationLatency ?? '', /^\d+$/);
  assert.deepEqual([second.requestId, second.route, second.status, second.error, second.integrationLatency], [missing.headers['apigw-requestid'], '-', '404', 'no route matches', '-']);
  assert.ok(testbed.hako.gateway.accessLogs.fileOf(destinationArn).endsWith('/logs/api-gateway/aws.apigw.protected.log'));
  const metrics = await (await fetch(`http://127.0.0.1:${port()}/metrics`)).text();
  assert.match(metrics, new RegExp(`hako_gateway_requests_total\\{api="${apiId}",stage="\\$default",status_class="2xx"\\} 1`));
  assert.match(metrics, new RegExp(`hako_gateway_requests_total\\{api="${apiId}",stage="\\$default",status_class="4xx"\\} 1`));
  assert.match(metrics, new RegExp(`hako_gateway_integration_latency_milliseconds_count\\{api="${apiId}",stage="\\$default"\\} 1`));
});
