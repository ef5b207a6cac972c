/**
 * @module http/apigatewayv2 — the API Gateway v2 control plane for HTTP APIs on its REST paths (`/v2/apis/…`), so
 * `@aws-sdk/client-apigatewayv2` manages hako's gateway unchanged: Create/Get/Update/Delete for APIs, routes,
 * integrations, authorizers, stages and deployments, DeleteCorsConfiguration, DeleteRouteSettings,
 * DeleteAccessLogSettings, ResetAuthorizersCache, and the list operations with `maxResults`/`nextToken`.
 * Members travel in camelCase JSON, as that service's model says.
 */
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { AwsError } from '../../core/aws-error.js';
import type { Page } from '../../core/paging.js';
import type { Gateway } from '../../gateway/service.js';
import { apiShape, authorizerShape, deploymentShape, integrationShape, routeShape, stageShape, type ApiRecord } from '../../gateway/model.js';
import { ApiResponse, apiRoute, type ApiRequest } from '../aws-api.js';

/** Where an API is served, for `apiEndpoint`, from the Host the caller used to reach hako. */
export type EndpointOf = (apiId: string, host: string | undefined) => string;

const API = '/v2/apis/:apiId';

export function registerApiGatewayV2Routes(app: FastifyInstance, gateway: Pick<Gateway, 'apis' | 'handler'>, endpointOf: EndpointOf): void {
  const { apis, handler } = gateway;
  const shape = (api: ApiRecord, request: ApiRequest): Record<string, unknown> => apiShape(api, endpointOf(api.apiId, request.headers.host));
  const route = (method: HTTPMethods, url: string, handler: (request: ApiRequest, apiId: string) => unknown): void =>
    apiRoute(app, method, url, (request) => handler(request, request.params.apiId ?? ''));
  const created = (body: Record<string, unknown>): ApiResponse => new ApiResponse(201, body);
  const deleted = (): ApiResponse => new ApiResponse(204);

  route('POST', '/v2/apis', async (request) => created(shape(await apis.createApi(request.body), request)));
  route('GET', '/v2/apis', (request) => listed(apis.listApis(...paging(request)), (api) => shape(api, request)));
  route('GET', API, (request, apiId) => shape(apis.getApi(apiId), request));
  route('PATCH', API, async (request, apiId) => shape(await apis.updateApi(apiId, request.body), request));
  route('DELETE', API, async (_request, apiId) => (await apis.deleteApi(apiId), deleted()));
  route('DELETE', `${API}/cors`, async (_request, apiId) => (await apis.deleteCors(apiId), deleted()));

  route('POST', `${API}/routes`, async (request, apiId) => created(routeShape(await apis.createRoute(apiId, request.body))));
  route('GET', `${API}/routes`, (request, apiId) => listed(apis.listRoutes(apiId, ...paging(request)), routeShape));
  route('GET', `${API}/routes/:routeId`, (request, apiId) => routeShape(apis.getRoute(apiId, request.params.routeId ?? '')));
  route('PATCH', `${API}/routes/:routeId`, async (request, apiId) => routeShape(await apis.updateRoute(apiId, request.params.routeId ?? '', request.body)));
  route('DELETE', `${API}/routes/:routeId`, async (request, apiId) => (await apis.deleteRoute(apiId, request.params.routeId ?? ''), deleted()));

  route('POST', `${API}/integrations`, async (request, apiId) => created(integrationShape(await apis.createIntegration(apiId, request.body))));
  route('GET', `${API}/integrations`, (request, apiId) => listed(apis.listIntegrations(apiId, ...paging(request)), integrationShape));
  route('GET', `${API}/integrations/:integrationId`, (request, apiId) => integrationShape(apis.getIntegration(apiId, request.params.integrationId ?? '')));
  route('PATCH', `${API}/integrations/:integrationId`, async (request, apiId) => integrationShape(await apis.updateIntegration(apiId, request.params.integrationId ?? '', request.body)));
  route('DELETE', `${API}/integrations/:integrationId`, async (request, apiId) => (await apis.deleteIntegration(apiId, request.params.integrationId ?? ''), deleted()));

  route('POST', `${API}/stages`, async (request, apiId) => created(stageShape(await apis.createStage(apiId, request.body))));
  route('GET', `${API}/stages`, (request, apiId) => listed(apis.listStages(apiId, ...paging(request)), stageShape));
  route('GET', `${API}/stages/:stageName`, (request, apiId) => stageShape(apis.getStage(apiId, request.params.stageName ?? '')));
  route('PATCH', `${API}/stages/:stageName`, async (request, apiId) => stageShape(await apis.updateStage(apiId, request.params.stageName ?? '', request.body)));
  route('DELETE', `${API}/stages/:stageName`, async (request, apiId) => (await apis.deleteStage(apiId, request.params.stageName ?? ''), deleted()));

  route('DELETE', `${API}/stages/:stageName/routesettings/:routeKey`, async (request, apiId) => (await apis.deleteRouteSettings(apiId, request.params.stageName ?? '', request.params.routeKey ?? ''), deleted()));
  route('DELETE', `${API}/stages/:stageName/accesslogsettings`, async (request, apiId) => (await apis.deleteAccessLogSettings(apiId, request.params.stageName ?? ''), deleted()));
  route('DELETE', `${API}/stages/:stageName/cache/authorizers`, (request, apiId) => {
    handler.resetAuthorizersCache(apiId, apis.getStage(apiId, request.params.stageName ?? '').stageName);
    return deleted();
  });

  route('POST', `${API}/authorizers`, async (request, apiId) => created(authorizerShape(await apis.createAuthorizer(apiId, request.body))));
  route('GET', `${API}/authorizers`, (request, apiId) => listed(apis.listAuthorizers(apiId, ...paging(request)), authorizerShape));
  route('GET', `${API}/authorizers/:authorizerId`, (request, apiId) => authorizerShape(apis.getAuthorizer(apiId, request.params.authorizerId ?? '')));
  route('PATCH', `${API}/authorizers/:authorizerId`, async (request, apiId) => authorizerShape(await apis.updateAuthorizer(apiId, request.params.authorizerId ?? '', request.body)));
  route('DELETE', `${API}/authorizers/:authorizerId`, async (request, apiId) => (await apis.deleteAuthorizer(apiId, request.params.authorizerId ?? ''), deleted()));

  route('POST', `${API}/deployments`, async (request, apiId) => created(deploymentShape(await apis.createDeployment(apiId, request.body))));
  route('GET', `${API}/deployments`, (request, apiId) => listed(apis.listDeployments(apiId, ...paging(request)), deploymentShape));
  route('GET', `${API}/deployments/:deploymentId`, (request, apiId) => deploymentShape(apis.getDeployment(apiId, request.params.deploymentId ?? '')));
  route('DELETE', `${API}/deployments/:deploymentId`, async (request, apiId) => (await apis.deleteDeployment(apiId, request.params.deploymentId ?? ''), deleted()));
}

function paging(request: ApiRequest): [string | undefined, number | undefined] {
  const { maxResults, nextToken } = request.query;
  if (maxResults === undefined) return [nextToken, undefined];
  const size = Number(maxResults);
  if (!Number.isInteger(size)) throw new AwsError('BadRequestException', 'maxResults must be a whole number');
  return [nextToken, size];
}

function listed<T>(page: Page<T>, shape: (item: T) => Record<string, unknown>): Record<string, unknown> {
  return { items: page.items.map(shape), ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }) };
}
