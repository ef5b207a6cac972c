/**
 * @module cli/apis — `hako apis …`: HTTP APIs (API Gateway v2) in front of hako functions, through the API Gateway
 * v2 API as any AWS tool would call it. `create` is API Gateway's quick create (one route, an auto-deploying
 * `$default` stage) with the function named rather than its ARN; `add-route` finds or makes the Lambda proxy
 * integration for a function, so routes are given as `'GET /items/{id}' --function FN` without integration ids.
 */
import { Option, type Command } from 'commander';
import {
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteIntegrationCommand,
  DeleteRouteCommand,
  GetApiCommand,
  GetApisCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStagesCommand,
  UpdateIntegrationCommand,
  type Integration,
} from '@aws-sdk/client-apigatewayv2';
import { explained } from './apis-errors.js';
import { apisTable, curlLine, DEFAULT_ROUTE_KEY, describeApi, routesTable, stagesTable, stageUrl, targetSummary, variablesText, type Api, type Route, type Stage } from './apis-show.js';
import { addConnectionOptions, CliError, withConnection, type Connection, type ConnectionFlags } from './client.js';
import { functionArnOf } from './function-arn.js';
import { wholeNumberFlag } from './flags.js';
import { emit, withoutMetadata } from './output.js';

type PayloadFormat = '1.0' | '2.0';
/** API Gateway's integration timeout when none is given: an integration made without one has this. */
const DEFAULT_TIMEOUT_MS = 30_000;

interface RouteFlags extends ConnectionFlags {
  function: string;
  payloadFormat?: PayloadFormat;
  timeoutMs?: string;
}

const payloadFormatOption = (): Option => new Option('--payload-format <version>', 'the Lambda proxy event and response format (default 2.0)').choices(['1.0', '2.0']);

/** Every item of a paged Get… operation. */
async function allItems<T>(page: (nextToken: string | undefined) => Promise<{ Items?: T[]; NextToken?: string }>): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const answer = await page(nextToken);
    items.push(...(answer.Items ?? []));
    nextToken = answer.NextToken;
  } while (nextToken !== undefined);
  return items;
}

const token = (nextToken: string | undefined): { NextToken?: string } => (nextToken === undefined ? {} : { NextToken: nextToken });
const routesOf = (c: Connection, ApiId: string): Promise<Route[]> => allItems((n) => c.apigateway(new GetRoutesCommand({ ApiId, ...token(n) })));
const integrationsOf = (c: Connection, ApiId: string): Promise<Integration[]> => allItems((n) => c.apigateway(new GetIntegrationsCommand({ ApiId, ...token(n) })));
const stagesOf = (c: Connection, ApiId: string): Promise<Stage[]> => allItems((n) => c.apigateway(new GetStagesCommand({ ApiId, ...token(n) })));

function timeoutOf(value: string | undefined): number | undefined {
  return wholeNumberFlag('apis add-route', '--timeout-ms', value, { hint: 'HTTP APIs allow 50 to 30000 milliseconds' });
}

/** `--variables a=1,b=2` (repeatable) as a stage's variables. */
function variablesOf(values: string[] | undefined): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  const pairs = values.flatMap((value) => value.split(',')).filter((pair) => pair !== '');
  return Object.fromEntries(pairs.map((pair) => {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new CliError(`apis create-stage: --variables ${pair}: expected NAME=VALUE`, 'e.g. --variables alias=live,colour=blue');
    return [pair.slice(0, equals), pair.slice(equals + 1)];
  }));
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** The Lambda proxy integration for `functionArn` with these settings: an existing one, or a new one (`created`). */
async function integrationFor(c: Connection, apiId: string, functionArn: string, format: PayloadFormat, timeoutMs: number): Promise<{ integration: Integration; created: boolean }> {
  const existing = (await integrationsOf(c, apiId)).find((i) => i.IntegrationUri === functionArn && i.PayloadFormatVersion === format && i.TimeoutInMillis === timeoutMs);
  if (existing !== undefined) return { integration: existing, created: false };
  const integration = await c.apigateway(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: functionArn, PayloadFormatVersion: format, TimeoutInMillis: timeoutMs }));
  return { integration, created: true };
}

/** Where a change shows: the stages that deploy it at once, or the command that deploys it to the others. */
function servedNote(apiId: string, endpoint: string | undefined, stages: readonly Stage[], routeKey: string): string[] {
  const live = stages.filter((s) => s.AutoDeploy === true);
  if (live.length > 0) return live.map((s) => `  try      ${curlLine(stageUrl(endpoint, s.StageName ?? ''), routeKey)}`);
  const names = stages.map((s) => s.StageName ?? '').filter((n) => n !== '');
  if (names.length === 0) return [`  note     the API has no stage yet: create one with hako apis create-stage ${apiId} NAME`];
  return [`  note     no stage deploys changes by itself: hako apis deploy ${apiId} ${names[0]}`];
}

export function registerApiCommands(program: Command): void {
  const apis = program.command('apis').description('HTTP APIs (API Gateway) in front of functions: create, routes, stages, deploy');

  addConnectionOptions(
    apis
      .command('create')
      .description('create an HTTP API calling a function (quick create: one route and an auto-deploying $default stage)')
      .argument('<name>', 'API name')
      .requiredOption('--function <fn>', 'the function to call: name, name:alias or ARN')
      .option('--route-key <key>', "the route, e.g. 'GET /tickets' or 'ANY /{proxy+}' (default $default: every request)")
      .addOption(payloadFormatOption()),
  ).action((name: string, flags: ConnectionFlags & { function: string; routeKey?: string; payloadFormat?: PayloadFormat }) =>
    withConnection('apis create', flags, async (c) => {
      const arn = await functionArnOf(c, `apis create: --function ${flags.function}`, flags.function);
      const routeKey = flags.routeKey ?? DEFAULT_ROUTE_KEY;
      const api = await c.apigateway(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP', Target: arn, RouteKey: routeKey })).catch((error: unknown) => {
        throw explained(error, 'apis create', '');
      });
      const apiId = api.ApiId ?? '';
      const format = flags.payloadFormat ?? '2.0';
      if (format === '1.0') {
        // Quick create always makes a 2.0 integration (as AWS's does); the managed integration is changed after.
        const [integration] = await integrationsOf(c, apiId);
        await c.apigateway(new UpdateIntegrationCommand({ ApiId: apiId, IntegrationId: integration?.IntegrationId ?? '', PayloadFormatVersion: '1.0' }));
      }
      emit(flags.json, withoutMetadata(api), () => [
        `created HTTP API ${name} (${apiId})`,
        `  url      ${api.ApiEndpoint ?? '-'}`,
        `  route    ${routeKey} → ${flags.function} (payload ${format})`,
        `  stage    $default (auto-deploy: every change is served at once)`,
        `  try      ${curlLine(api.ApiEndpoint ?? '-', routeKey)}`,
      ]);
    }),
  );

  addConnectionOptions(apis.command('list').description('list HTTP APIs')).action((flags: ConnectionFlags) =>
    withConnection('apis list', flags, async (c) => {
      const items = await allItems((n) => c.apigateway(new GetApisCommand(token(n))));
      emit(flags.json, { Items: items }, () => apisTable(items));
    }),
  );

  addConnectionOptions(apis.command('get').description('show an HTTP API with its routes and stages').argument('<api-id>', 'API id')).action((apiId: string, flags: ConnectionFlags) =>
    withConnection('apis get', flags, async (c) => {
      try {
        const api: Api = withoutMetadata(await c.apigateway(new GetApiCommand({ ApiId: apiId })));
        const [routes, integrations, stages] = await Promise.all([routesOf(c, apiId), integrationsOf(c, apiId), stagesOf(c, apiId)]);
        emit(flags.json, { ...api, Routes: routes, Integrations: integrations, Stages: stages }, () => describeApi(api, routes, integrations, stages));
      } catch (error) {
        throw explained(error, 'apis get', apiId);
      }
    }),
  );

  addConnectionOptions(apis.command('delete').description('delete an HTTP API with its routes, integrations and stages').argument('<api-id>', 'API id')).action((apiId: string, flags: ConnectionFlags) =>
    withConnection('apis delete', flags, async (c) => {
      await c.apigateway(new DeleteApiCommand({ ApiId: apiId })).catch((error: unknown) => {
        throw explained(error, 'apis delete', apiId);
      });
      emit(flags.json, { ApiId: apiId, Deleted: true }, () => `deleted HTTP API ${apiId}`);
    }),
  );

  addConnectionOptions(apis.command('routes').description("list an API's routes and the functions they call").argument('<api-id>', 'API id')).action((apiId: string, flags: ConnectionFlags) =>
    withConnection('apis routes', flags, async (c) => {
      try {
        const [routes, integrations] = await Promise.all([routesOf(c, apiId), integrationsOf(c, apiId)]);
        emit(flags.json, { Items: routes }, () => routesTable(routes, integrations));
      } catch (error) {
        throw explained(error, 'apis routes', apiId);
      }
    }),
  );

  addConnectionOptions(
    apis
      .command('add-route')
      .description("add a route calling a function (its Lambda proxy integration is reused or created)")
      .argument('<api-id>', 'API id')
      .argument('<route-key>', "'METHOD /path' (path variables {id}, greedy {proxy+}; METHOD may be ANY) or $default")
      .requiredOption('--function <fn>', 'the function to call: name, name:alias or ARN')
      .addOption(payloadFormatOption())
      .option('--timeout-ms <ms>', 'integration timeout, 50–30000 (default 30000)'),
  ).action((apiId: string, routeKey: string, flags: RouteFlags) =>
    withConnection('apis add-route', flags, async (c) => {
      const timeoutMs = timeoutOf(flags.timeoutMs) ?? DEFAULT_TIMEOUT_MS;
      try {
        const api = await c.apigateway(new GetApiCommand({ ApiId: apiId }));
        const arn = await functionArnOf(c, `apis add-route: --function ${flags.function}`, flags.function);
        const { integration, created } = await integrationFor(c, apiId, arn, flags.payloadFormat ?? '2.0', timeoutMs);
        let route: Route;
        try {
          route = withoutMetadata(await c.apigateway(new CreateRouteCommand({ ApiId: apiId, RouteKey: routeKey, Target: `integrations/${integration.IntegrationId ?? ''}` })));
        } catch (error) {
          // Leave nothing behind for a route that was refused.
          if (created) await c.apigateway(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: integration.IntegrationId ?? '' })).catch(() => undefined);
          throw error;
        }
        const stages = await stagesOf(c, apiId);
        emit(flags.json, { ...route, Integration: withoutMetadata(integration) }, () => [
          `added route ${routeKey} (${route.RouteId ?? '-'}) to ${apiId}`,
          `  calls    ${targetSummary(route, [integration])}, integration ${integration.IntegrationId ?? '-'}${created ? ' (new)' : ''}`,
          ...servedNote(apiId, api.ApiEndpoint, stages, routeKey),
        ]);
      } catch (error) {
        throw explained(error, 'apis add-route', apiId);
      }
    }),
  );

  addConnectionOptions(
    apis.command('delete-route').description('delete a route, given by its id or its key').argument('<api-id>', 'API id').argument('<route>', "route id, or route key such as 'GET /items/{id}'"),
  ).action((apiId: string, reference: string, flags: ConnectionFlags) =>
    withConnection('apis delete-route', flags, async (c) => {
      try {
        const routes = await routesOf(c, apiId);
        const route = routes.find((r) => r.RouteId === reference) ?? routes.find((r) => r.RouteKey === reference);
        if (route === undefined) throw new CliError(`apis delete-route: API ${apiId} has no route ${reference}`, `see its routes (ids and keys) with hako apis routes ${apiId}`);
        await c.apigateway(new DeleteRouteCommand({ ApiId: apiId, RouteId: route.RouteId ?? '' }));
        emit(flags.json, { ApiId: apiId, RouteId: route.RouteId, RouteKey: route.RouteKey, Deleted: true }, () => `deleted route ${route.RouteKey ?? '-'} (${route.RouteId ?? '-'}) from ${apiId}`);
      } catch (error) {
        throw explained(error, 'apis delete-route', apiId);
      }
    }),
  );

  addConnectionOptions(apis.command('stages').description("list an API's stages: where each is served and what it serves").argument('<api-id>', 'API id')).action((apiId: string, flags: ConnectionFlags) =>
    withConnection('apis stages', flags, async (c) => {
      try {
        const api = await c.apigateway(new GetApiCommand({ ApiId: apiId }));
        const stages = await stagesOf(c, apiId);
        emit(flags.json, { Items: stages }, () => stagesTable(api.ApiEndpoint, stages));
      } catch (error) {
        throw explained(error, 'apis stages', apiId);
      }
    }),
  );

  addConnectionOptions(
    apis
      .command('create-stage')
      .description('create a stage, served at <endpoint>/<name> ($default: at the endpoint itself)')
      .argument('<api-id>', 'API id')
      .argument('<name>', 'stage name: letters, digits, - and _, or $default')
      .option('--variables <k=v,...>', 'stage variables, e.g. alias=live,colour=blue (functions get them in the event); repeatable', collect)
      .option('--no-auto-deploy', 'serve only what `hako apis deploy` deploys, not every change at once'),
  ).action((apiId: string, stageName: string, flags: ConnectionFlags & { variables?: string[]; autoDeploy: boolean }) =>
    withConnection('apis create-stage', flags, async (c) => {
      const variables = variablesOf(flags.variables);
      try {
        const api = await c.apigateway(new GetApiCommand({ ApiId: apiId }));
        const stage = await c.apigateway(new CreateStageCommand({ ApiId: apiId, StageName: stageName, AutoDeploy: flags.autoDeploy, ...(variables === undefined ? {} : { StageVariables: variables }) }));
        emit(flags.json, withoutMetadata(stage), () => [
          `created stage ${stageName} of ${apiId}${stage.AutoDeploy === true ? ' (auto-deploy)' : ''}`,
          `  url      ${stageUrl(api.ApiEndpoint, stageName)}`,
          `  vars     ${variablesText(stage.StageVariables)}`,
          stage.AutoDeploy === true ? `  serves   every change, from now on` : `  serves   nothing until hako apis deploy ${apiId} ${stageName}`,
        ]);
      } catch (error) {
        throw explained(error, 'apis create-stage', apiId, stageName);
      }
    }),
  );

  addConnectionOptions(apis.command('deploy').description("deploy the API's routes as they are now to a stage").argument('<api-id>', 'API id').argument('<stage>', 'stage name')).action(
    (apiId: string, stageName: string, flags: ConnectionFlags) =>
      withConnection('apis deploy', flags, async (c) => {
        try {
          const api = await c.apigateway(new GetApiCommand({ ApiId: apiId }));
          const deployment = await c.apigateway(new CreateDeploymentCommand({ ApiId: apiId, StageName: stageName }));
          emit(flags.json, withoutMetadata(deployment), () => [`deployed ${apiId} to stage ${stageName} (deployment ${deployment.DeploymentId ?? '-'})`, `  url      ${stageUrl(api.ApiEndpoint, stageName)}`]);
        } catch (error) {
          throw explained(error, 'apis deploy', apiId, stageName);
        }
      }),
  );
}
