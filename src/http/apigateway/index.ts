/**
 * @module http/apigateway — the part of API Gateway v1's control plane hako has: API keys and usage plans, on AWS's
 * REST paths, so `@aws-sdk/client-api-gateway` manages them unchanged (they guard HTTP API routes with
 * `apiKeyRequired`; hako has no REST APIs). Members travel in camelCase JSON, dates in epoch seconds.
 */
import type { FastifyInstance } from 'fastify';
import type { UsagePlanService } from '../../gateway/usage-plans/index.js';
import { registerApiKeyRoutes } from './api-keys.js';
import { registerUsagePlanRoutes } from './usage-plans.js';

export function registerApiGatewayRoutes(app: FastifyInstance, usagePlans: UsagePlanService): void {
  registerApiKeyRoutes(app, usagePlans);
  registerUsagePlanRoutes(app, usagePlans);
}
