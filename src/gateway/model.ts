/**
 * @module gateway/model — an HTTP API as hako keeps it: the API, its routes, integrations, stages and deployments
 * (spec §8; `@aws-sdk/client-apigatewayv2` shapes). One record holds one whole API: APIs are small, and a
 * deployment snapshots its routes and integrations so a stage keeps serving what was deployed to it.
 */

/** AWS's defaults for what an HTTP API does not let hako change. */
export const ROUTE_SELECTION_EXPRESSION = '$request.method $request.path';
export const API_KEY_SELECTION_EXPRESSION = '$request.header.x-api-key';
/** HTTP APIs' integration timeout: 50 ms to 30 s, 30 s by default (spec §8.1). */
export const DEFAULT_TIMEOUT_MS = 30_000;
export const MIN_TIMEOUT_MS = 50;
export const MAX_TIMEOUT_MS = 30_000;

export interface CorsConfiguration {
  allowCredentials?: boolean;
  allowHeaders?: string[];
  allowMethods?: string[];
  allowOrigins?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
}

export interface ApiRecord {
  apiId: string;
  name: string;
  protocolType: 'HTTP';
  description?: string;
  version?: string;
  corsConfiguration?: CorsConfiguration;
  disableExecuteApiEndpoint: boolean;
  tags: Record<string, string>;
  /** Epoch ms. */
  createdMs: number;
  routes: Record<string, RouteRecord>;
  integrations: Record<string, IntegrationRecord>;
  stages: Record<string, StageRecord>;
  deployments: Record<string, DeploymentRecord>;
  /** Absent in records written before authorizers existed. */
  authorizers?: Record<string, AuthorizerRecord>;
}

/** A REQUEST Lambda authorizer (spec §8.6). */
export interface AuthorizerRecord {
  authorizerId: string;
  name: string;
  authorizerType: 'REQUEST';
  /** A function, in any form an integration URI takes. */
  authorizerUri: string;
  identitySource: string[];
  authorizerPayloadFormatVersion: '1.0' | '2.0';
  enableSimpleResponses: boolean;
  /** 0 (no caching) to 3600. */
  authorizerResultTtlInSeconds: number;
}

/** A stage's or a route's throttling (HTTP APIs' RouteSettings). */
export interface RouteSettings {
  throttlingBurstLimit?: number;
  throttlingRateLimit?: number;
  detailedMetricsEnabled?: boolean;
}

export interface AccessLogSettings {
  /** `arn:aws:logs:<region>:<account>:log-group:<name>`: the lines go to `<data-dir>/logs/api-gateway/<name>.log`. */
  destinationArn: string;
  /** `$context.…` variables substituted per request. */
  format: string;
}

export interface RouteRecord {
  routeId: string;
  routeKey: string;
  /** `integrations/<integrationId>`, or none (the route answers 404 until it has one, as AWS's does). */
  target?: string;
  authorizationType: 'NONE' | 'CUSTOM';
  /** With CUSTOM. */
  authorizerId?: string;
  apiKeyRequired: boolean;
  operationName?: string;
  /** Made by quick create (CreateApi with Target). */
  apiGatewayManaged?: boolean;
}

export interface IntegrationRecord {
  integrationId: string;
  integrationType: 'AWS_PROXY';
  /** A Lambda function ARN, or API Gateway's `arn:aws:apigateway:<region>:lambda:path/…/invocations` form; may name stage variables. */
  integrationUri: string;
  payloadFormatVersion: '1.0' | '2.0';
  timeoutInMillis: number;
  description?: string;
  apiGatewayManaged?: boolean;
}

export interface StageRecord {
  stageName: string;
  description?: string;
  autoDeploy: boolean;
  deploymentId?: string;
  stageVariables: Record<string, string>;
  tags: Record<string, string>;
  createdMs: number;
  lastUpdatedMs: number;
  lastDeploymentStatusMessage?: string;
  apiGatewayManaged?: boolean;
  defaultRouteSettings?: RouteSettings;
  /** By route key. */
  routeSettings?: Record<string, RouteSettings>;
  accessLogSettings?: AccessLogSettings;
}

/** What a deployment froze: the routes and integrations a stage pointing at it serves. */
export interface DeploymentRecord {
  deploymentId: string;
  description?: string;
  autoDeployed: boolean;
  createdMs: number;
  routes: Record<string, RouteRecord>;
  integrations: Record<string, IntegrationRecord>;
  /** Absent in deployments made before authorizers existed. */
  authorizers?: Record<string, AuthorizerRecord>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** GetApi's body. `endpoint` is where hako serves the API (see `http/gateway`). */
export function apiShape(api: ApiRecord, endpoint: string): Record<string, unknown> {
  return {
    apiEndpoint: endpoint,
    apiId: api.apiId,
    apiKeySelectionExpression: API_KEY_SELECTION_EXPRESSION,
    ...(api.corsConfiguration === undefined ? {} : { corsConfiguration: api.corsConfiguration }),
    createdDate: iso(api.createdMs),
    ...(api.description === undefined ? {} : { description: api.description }),
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    name: api.name,
    protocolType: api.protocolType,
    routeSelectionExpression: ROUTE_SELECTION_EXPRESSION,
    tags: api.tags,
    ...(api.version === undefined ? {} : { version: api.version }),
  };
}

export function routeShape(route: RouteRecord): Record<string, unknown> {
  return { ...route };
}

export function integrationShape(integration: IntegrationRecord): Record<string, unknown> {
  return { connectionType: 'INTERNET', integrationMethod: 'POST', ...integration };
}

export function stageShape(stage: StageRecord): Record<string, unknown> {
  const { createdMs, lastUpdatedMs, defaultRouteSettings, routeSettings, ...rest } = stage;
  return {
    ...rest,
    createdDate: iso(createdMs),
    defaultRouteSettings: { detailedMetricsEnabled: false, ...defaultRouteSettings },
    lastUpdatedDate: iso(lastUpdatedMs),
    routeSettings: routeSettings ?? {},
  };
}

export function authorizerShape(authorizer: AuthorizerRecord): Record<string, unknown> {
  return { ...authorizer };
}

export function deploymentShape(deployment: DeploymentRecord): Record<string, unknown> {
  return {
    autoDeployed: deployment.autoDeployed,
    createdDate: iso(deployment.createdMs),
    deploymentId: deployment.deploymentId,
    deploymentStatus: 'DEPLOYED',
    ...(deployment.description === undefined ? {} : { description: deployment.description }),
  };
}
