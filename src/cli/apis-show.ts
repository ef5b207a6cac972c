/**
 * @module cli/apis-show — how `hako apis …` prints HTTP APIs for people: where each stage is served, routes with
 * the function behind them, stages with their deployment and variables, and a `curl` line to try a route.
 */
import type { Api as SdkApi, Integration, Route as SdkRoute, Stage as SdkStage } from '@aws-sdk/client-apigatewayv2';
import { functionNameOf } from './function-arn.js';
import { formatDate, shellQuote, table } from './output.js';

/** What Get… and Create… answer: the models' members, every one optional. */
export type Api = Partial<SdkApi>;
export type Route = Partial<SdkRoute>;
export type Stage = Partial<SdkStage>;

export const DEFAULT_STAGE = '$default';
export const DEFAULT_ROUTE_KEY = '$default';

/** Where `stage` of an API is served: the `$default` stage has no path prefix, a named one is `/<stage>`. */
export function stageUrl(apiEndpoint: string | undefined, stage: string): string {
  const base = apiEndpoint ?? '-';
  return stage === DEFAULT_STAGE ? base : `${base}/${encodeURIComponent(stage)}`;
}

/** A `curl` line calling `routeKey` at `url` (the stage's URL); `{param}` segments are left for the reader to fill in. */
export function curlLine(url: string, routeKey: string): string {
  if (routeKey === DEFAULT_ROUTE_KEY) return `curl ${shellQuote(`${url}/`)}`;
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  const verb = method === 'ANY' || method === 'GET' ? '' : `-X ${method} `;
  return `curl ${verb}${shellQuote(`${url}${path}`)}`;
}

/** What a route calls: `function (payload 2.0, 30000 ms)`, or why it answers 404. */
export function targetSummary(route: Route, integrations: readonly Integration[]): string {
  const id = route.Target?.startsWith('integrations/') === true ? route.Target.slice('integrations/'.length) : undefined;
  if (id === undefined) return '(no integration: answers 404)';
  const integration = integrations.find((i) => i.IntegrationId === id);
  if (integration === undefined) return `(integration ${id} is gone)`;
  return `${functionNameOf(integration.IntegrationUri)} (payload ${integration.PayloadFormatVersion ?? '-'}, ${integration.TimeoutInMillis ?? '-'} ms)`;
}

export function routesTable(routes: readonly Route[], integrations: readonly Integration[]): string[] {
  const rows = [...routes].sort(byRouteKey).map((r) => [r.RouteId ?? '-', r.RouteKey ?? '-', targetSummary(r, integrations)]);
  return table(['ROUTE ID', 'ROUTE KEY', 'FUNCTION'], rows, 'no routes (add one with `hako apis add-route API_ID \'GET /path\' --function FN`)');
}

export function stagesTable(apiEndpoint: string | undefined, stages: readonly Stage[]): string[] {
  const rows = stages.map((s) => [
    s.StageName ?? '-',
    s.AutoDeploy === true ? 'yes' : 'no',
    s.DeploymentId ?? '(not deployed)',
    variablesText(s.StageVariables),
    stageUrl(apiEndpoint, s.StageName ?? ''),
  ]);
  return table(['STAGE', 'AUTO DEPLOY', 'DEPLOYMENT', 'VARIABLES', 'URL'], rows, 'no stages (add one with `hako apis create-stage API_ID NAME`): nothing is served');
}

export function apisTable(apis: readonly Api[]): string[] {
  const rows = apis.map((a) => [a.ApiId ?? '-', a.Name ?? '-', formatDate(a.CreatedDate), a.ApiEndpoint ?? '-']);
  return table(['API ID', 'NAME', 'CREATED', 'ENDPOINT'], rows, 'no HTTP APIs (create one with `hako apis create NAME --function FN`)');
}

/** `hako apis get`: the API, then its routes and its stages. */
export function describeApi(api: Api, routes: readonly Route[], integrations: readonly Integration[], stages: readonly Stage[]): string[] {
  const cors = api.CorsConfiguration;
  return [
    `HTTP API ${api.Name ?? '-'} (${api.ApiId ?? '-'})`,
    `  endpoint ${api.ApiEndpoint ?? '-'}`,
    `  created  ${formatDate(api.CreatedDate)}`,
    ...(api.Description === undefined ? [] : [`  about    ${api.Description}`]),
    ...(cors === undefined ? [] : [`  cors     origins ${(cors.AllowOrigins ?? []).join(', ') || '-'}`]),
    '',
    ...routesTable(routes, integrations),
    '',
    ...stagesTable(api.ApiEndpoint, stages),
  ];
}

export function variablesText(variables: Record<string, string> | undefined): string {
  const entries = Object.entries(variables ?? {});
  return entries.length === 0 ? '-' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** `$default` last, as it catches what no other route does; the rest by path, then method. */
function byRouteKey(a: Route, b: Route): number {
  const key = (r: Route): string => (r.RouteKey === DEFAULT_ROUTE_KEY ? '\uffff' : `${r.RouteKey?.split(' ')[1] ?? ''} ${r.RouteKey ?? ''}`);
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}
