/**
 * @module gateway/api-checks — checks that need the API they apply to: a route's target and authorizer, a stage's
 * deployment and settings, and whether the routes together can be matched unambiguously. Pure.
 */
import { AwsError } from '../core/aws-error.js';
import { badRequest, checkAccessLogSettings, checkRouteSettings, checkRouteSettingsMap, optionalString } from './checks.js';
import type { ApiRecord, StageRecord } from './model.js';
import { buildRouteMatcher } from './route-matcher.js';

type Input = Readonly<Record<string, unknown>>;

export function checkAuthorizationType(value: unknown): 'NONE' | 'CUSTOM' {
  if (value === undefined || value === null || value === 'NONE') return 'NONE';
  if (value === 'CUSTOM') return 'CUSTOM';
  throw badRequest(`authorizationType ${String(value)} is not available in hako yet: use NONE, or CUSTOM with a Lambda authorizer`);
}

/** CUSTOM needs an authorizer of this API; NONE has none. */
export function checkAuthorizerId(api: ApiRecord, type: 'NONE' | 'CUSTOM', authorizerId: string | undefined): string | undefined {
  if (type === 'NONE') return undefined;
  if (authorizerId === undefined) throw badRequest('authorizationType CUSTOM needs an authorizerId');
  if (api.authorizers?.[authorizerId] === undefined) throw badRequest(`Invalid authorizerId ${authorizerId}: it is not an authorizer of this API`);
  return authorizerId;
}

export function setStageSettings(stage: StageRecord, input: Input): void {
  const defaults = checkRouteSettings(input.defaultRouteSettings, 'defaultRouteSettings');
  if (defaults !== undefined) stage.defaultRouteSettings = defaults;
  const routes = checkRouteSettingsMap(input.routeSettings);
  if (routes !== undefined) stage.routeSettings = { ...stage.routeSettings, ...routes };
  const accessLog = checkAccessLogSettings(input.accessLogSettings);
  if (accessLog !== undefined) stage.accessLogSettings = accessLog;
}

/** AWS has API keys on REST APIs only; hako lets HTTP API routes require one too, checked against usage plans. */
export function checkApiKeyRequired(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw badRequest('apiKeyRequired must be a boolean');
  return value;
}

export function checkIntegrationType(value: unknown): void {
  if (value === 'AWS_PROXY') return;
  if (value === undefined || value === null) throw badRequest('integrationType is required');
  throw badRequest(`integrationType ${String(value)} is not available in hako: use AWS_PROXY (a hako function)`);
}

export function checkIntegrationMethod(value: unknown): void {
  if (value !== undefined && value !== null && value !== 'POST') throw badRequest('Lambda proxy integrations use integrationMethod POST');
}

export function checkTarget(api: ApiRecord, value: unknown): string | undefined {
  const target = optionalString(value, 'target');
  if (target === undefined || target === '') return undefined;
  const id = /^integrations\/([a-z0-9]+)$/.exec(target)?.[1];
  if (id === undefined || !(id in api.integrations)) throw badRequest(`Invalid target ${target}: use integrations/<integrationId> of an integration of this API`);
  return target;
}

export function checkDeploymentId(api: ApiRecord, value: unknown): string | undefined {
  const id = optionalString(value, 'deploymentId');
  if (id !== undefined && !(id in api.deployments)) throw badRequest(`Invalid deploymentId ${id}`);
  return id;
}

/** Route keys must be distinct and must not shadow each other (`/a/{x}` and `/a/{y}`), or requests would be ambiguous. */
export function checkRoutesFit(api: ApiRecord): void {
  const keys = Object.values(api.routes).map((route) => route.routeKey);
  const duplicate = keys.find((key, index) => keys.indexOf(key) !== index);
  if (duplicate !== undefined) throw new AwsError('ConflictException', `Route with key ${duplicate} already exists for this API`);
  const built = buildRouteMatcher(keys.map((key) => [key, key] as const));
  if (!built.ok) throw new AwsError('ConflictException', built.problems.map((p) => `${p.key}: ${p.reason}`).join('; '));
}
