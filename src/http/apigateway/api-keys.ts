/**
 * @module http/apigateway/api-keys — API keys on API Gateway v1's REST paths (`/apikeys`), so
 * `@aws-sdk/client-api-gateway` manages them unchanged: CreateApiKey (201), GetApiKey with `includeValue`,
 * GetApiKeys with `includeValues`, `name` (a prefix), `customerId`, `limit`/`position`, UpdateApiKey (patch
 * operations), DeleteApiKey (202).
 */
import type { FastifyInstance } from 'fastify';
import type { UsagePlanService } from '../../gateway/usage-plans/index.js';
import { apiKeyShape, readPatchOperations } from '../../gateway/usage-plans/index.js';
import { ApiResponse, apiRoute } from '../aws-api.js';
import { flag, listed, paging } from './params.js';

export function registerApiKeyRoutes(app: FastifyInstance, service: UsagePlanService): void {
  const { apiKeys } = service;
  const id = (params: Readonly<Record<string, string>>): string => params.apiKey ?? '';
  apiRoute(app, 'POST', '/apikeys', async (request) => new ApiResponse(201, apiKeyShape(await apiKeys.create(request.body), true)));
  apiRoute(app, 'GET', '/apikeys', (request) => {
    const { name, customerId } = request.query;
    const { position, limit, maxLimit } = paging(request);
    const page = apiKeys.list({ ...(name === undefined ? {} : { nameQuery: name }), ...(customerId === undefined ? {} : { customerId }) }, position, limit, maxLimit);
    const includeValues = flag(request, 'includeValues');
    return listed(page.items, page.nextToken, (key) => apiKeyShape(key, includeValues));
  });
  apiRoute(app, 'GET', '/apikeys/:apiKey', (request) => apiKeyShape(apiKeys.get(id(request.params)), flag(request, 'includeValue')));
  apiRoute(app, 'PATCH', '/apikeys/:apiKey', async (request) => apiKeyShape(await apiKeys.update(id(request.params), readPatchOperations(request.body.patchOperations)), false));
  apiRoute(app, 'DELETE', '/apikeys/:apiKey', async (request) => {
    await service.deleteApiKey(id(request.params));
    return new ApiResponse(202);
  });
}
