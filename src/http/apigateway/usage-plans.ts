/**
 * @module http/apigateway/usage-plans — usage plans on API Gateway v1's REST paths: `/usageplans` (Create 201,
 * Get, GetUsagePlans with `keyId`, Update with patch operations, Delete 202), `/usageplans/{id}/keys` (usage plan
 * keys: Create 201, Get, list with `name`, Delete 202) and `/usageplans/{id}/usage` (GetUsage).
 */
import type { FastifyInstance } from 'fastify';
import type { UsagePlanService } from '../../gateway/usage-plans/index.js';
import { readPatchOperations, usagePlanKeyShape, usagePlanShape } from '../../gateway/usage-plans/index.js';
import { ApiResponse, apiRoute } from '../aws-api.js';
import { listed, paging } from './params.js';

const PLAN = '/usageplans/:usagePlanId';

export function registerUsagePlanRoutes(app: FastifyInstance, service: UsagePlanService): void {
  const { plans } = service;
  const planId = (params: Readonly<Record<string, string>>): string => params.usagePlanId ?? '';
  const keyId = (params: Readonly<Record<string, string>>): string => params.keyId ?? '';
  const deleted = (): ApiResponse => new ApiResponse(202);

  apiRoute(app, 'POST', '/usageplans', async (request) => new ApiResponse(201, usagePlanShape(await plans.create(request.body))));
  apiRoute(app, 'GET', '/usageplans', (request) => {
    const { position, limit, maxLimit } = paging(request);
    const page = plans.list(request.query.keyId, position, limit, maxLimit);
    return listed(page.items, page.nextToken, usagePlanShape);
  });
  apiRoute(app, 'GET', PLAN, (request) => usagePlanShape(plans.get(planId(request.params))));
  apiRoute(app, 'PATCH', PLAN, async (request) => usagePlanShape(await plans.update(planId(request.params), readPatchOperations(request.body.patchOperations))));
  apiRoute(app, 'DELETE', PLAN, async (request) => (await service.deleteUsagePlan(planId(request.params)), deleted()));

  apiRoute(app, 'POST', `${PLAN}/keys`, async (request) => new ApiResponse(201, usagePlanKeyShape(await service.addUsagePlanKey(planId(request.params), request.body))));
  apiRoute(app, 'GET', `${PLAN}/keys`, (request) => {
    const { position, limit, maxLimit } = paging(request);
    const page = service.usagePlanKeys(planId(request.params), request.query.name, position, limit, maxLimit);
    return listed(page.items, page.position, usagePlanKeyShape);
  });
  apiRoute(app, 'GET', `${PLAN}/keys/:keyId`, (request) => usagePlanKeyShape(service.usagePlanKey(planId(request.params), keyId(request.params))));
  apiRoute(app, 'DELETE', `${PLAN}/keys/:keyId`, async (request) => (await service.removeUsagePlanKey(planId(request.params), keyId(request.params)), deleted()));

  apiRoute(app, 'GET', `${PLAN}/usage`, (request) => {
    const { startDate, endDate, keyId: onlyKey } = request.query;
    return service.usage(planId(request.params), { startDate, endDate, keyId: onlyKey, ...paging(request) });
  });
}
