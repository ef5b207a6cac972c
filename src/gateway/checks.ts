/**
 * @module gateway/checks — what CreateApi, CreateRoute, CreateIntegration and CreateStage accept, with
 * API Gateway's error types (BadRequestException for a bad value) and limits (spec §8.5). Pure.
 */
import { AwsError } from '../core/aws-error.js';
import { DEFAULT_STAGE } from './stages.js';
import { parseRouteKey } from './route-keys.js';
import { checkIntegrationUri } from './integration-uri.js';
import { logGroupOf } from './access-log.js';
import { isIdentitySource } from './authorizers/identity-source.js';
import { MAX_TIMEOUT_MS, MIN_TIMEOUT_MS, type AccessLogSettings, type AuthorizerRecord, type CorsConfiguration, type RouteSettings } from './model.js';

export const badRequest = (message: string): AwsError => new AwsError('BadRequestException', message);

export function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw badRequest(`${field} is required`);
  return value;
}

export function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`${field} must be a string`);
  return value;
}

export function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequest(`${field} must be a boolean`);
  return value;
}

export function checkApiName(value: unknown): string {
  const name = requiredString(value, 'name');
  if (name.length > 128) throw badRequest('name must be at most 128 characters');
  return name;
}

export function checkRouteKey(value: unknown): string {
  const key = requiredString(value, 'routeKey');
  const parsed = parseRouteKey(key);
  if (!parsed.ok) throw badRequest(`Unable to create route ${key}: ${parsed.reason}`);
  return key;
}

export function checkIntegrationUriValue(value: unknown): string {
  const uri = requiredString(value, 'integrationUri');
  const check = checkIntegrationUri(uri);
  if (!check.ok) throw badRequest(check.reason);
  return uri;
}

export function checkPayloadFormatVersion(value: unknown): '1.0' | '2.0' {
  if (value === undefined || value === null) throw badRequest('PayloadFormatVersion is required for AWS_PROXY integrations: use 1.0 or 2.0');
  if (value !== '1.0' && value !== '2.0') throw badRequest(`Unsupported payloadFormatVersion ${String(value)}: use 1.0 or 2.0`);
  return value;
}

export function checkTimeout(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_TIMEOUT_MS || value > MAX_TIMEOUT_MS) {
    throw badRequest(`Timeout must be between ${MIN_TIMEOUT_MS} ms and ${MAX_TIMEOUT_MS} ms`);
  }
  return value;
}

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

export function checkStageName(value: unknown): string {
  const name = requiredString(value, 'stageName');
  if (name !== DEFAULT_STAGE && !STAGE_NAME.test(name)) throw badRequest(`Stage name ${name} is invalid: use $default or 1–128 letters, digits, '-' and '_'`);
  return name;
}

const VARIABLE_NAME = /^[A-Za-z0-9_]{1,64}$/;
const VARIABLE_VALUE = /^[A-Za-z0-9\-._~:/?#&=,]{1,512}$/;
const MAX_STAGE_VARIABLES = 100;

/** Stage variables as AWS limits them: ≤ 100, names `[A-Za-z0-9_]{1,64}`, values ≤ 512 of a URL-safe set. */
export function checkStageVariables(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest('stageVariables must be a map of strings');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_STAGE_VARIABLES) throw badRequest(`A stage has at most ${MAX_STAGE_VARIABLES} stage variables`);
  for (const [name, text] of entries) {
    if (!VARIABLE_NAME.test(name)) throw badRequest(`Stage variable name ${name} is invalid: use 1–64 letters, digits and '_'`);
    if (typeof text !== 'string' || !VARIABLE_VALUE.test(text)) throw badRequest(`Stage variable ${name} has an invalid value: use 1–512 characters from A-Za-z0-9-._~:/?#&=,`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

export function checkTags(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) throw badRequest('tags must be a map of strings');
  return { ...(value as Record<string, string>) };
}

const STRING_LISTS = ['allowHeaders', 'allowMethods', 'allowOrigins', 'exposeHeaders'] as const;

export function checkCors(value: unknown): CorsConfiguration | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest('corsConfiguration must be an object');
  const input = value as Record<string, unknown>;
  const cors: CorsConfiguration = {};
  for (const field of STRING_LISTS) {
    const list = input[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) throw badRequest(`corsConfiguration.${field} must be a list of strings`);
    cors[field] = [...(list as string[])];
  }
  const credentials = optionalBoolean(input.allowCredentials, 'corsConfiguration.allowCredentials');
  if (credentials !== undefined) cors.allowCredentials = credentials;
  if (input.maxAge !== undefined && input.maxAge !== null) {
    const maxAge = input.maxAge;
    if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < -1 || maxAge > 86_400) throw badRequest('corsConfiguration.maxAge must be an integer from -1 to 86400');
    cors.maxAge = maxAge;
  }
  // AWS refuses the combination browsers would refuse anyway.
  if (cors.allowCredentials === true && cors.allowOrigins?.includes('*') === true) {
    throw badRequest('allow-credentials cannot be used with allow-origins "*"; list the origins instead');
  }
  return cors;
}

const MAX_TTL_SECONDS = 3600;

/** A CreateAuthorizer/UpdateAuthorizer request's authorizer fields, checked (spec §8.6). */
export function checkAuthorizerInput(input: Readonly<Record<string, unknown>>, previous?: AuthorizerRecord): Omit<AuthorizerRecord, 'authorizerId'> {
  const type = input.authorizerType ?? previous?.authorizerType;
  if (type !== 'REQUEST') throw badRequest(type === 'JWT' ? 'JWT authorizers are not available in hako yet: use a REQUEST (Lambda) authorizer' : `authorizerType ${String(type)} is invalid: use REQUEST`);
  const name = input.name === undefined ? previous?.name : requiredString(input.name, 'name');
  if (name === undefined) throw badRequest('name is required');
  if (name.length > 128) throw badRequest('name must be at most 128 characters');
  const uri = input.authorizerUri === undefined ? previous?.authorizerUri : requiredString(input.authorizerUri, 'authorizerUri');
  if (uri === undefined) throw badRequest('authorizerUri is required for REQUEST authorizers');
  const uriCheck = checkIntegrationUri(uri);
  if (!uriCheck.ok) throw badRequest(uriCheck.reason.replace('integration URI', 'authorizer URI'));
  const identitySource = input.identitySource === undefined ? (previous?.identitySource ?? []) : input.identitySource;
  if (!Array.isArray(identitySource) || identitySource.some((source) => typeof source !== 'string' || !isIdentitySource(source))) {
    throw badRequest('identitySource must list expressions such as $request.header.Authorization, $request.querystring.token, $context.<variable> or $stageVariables.<name>');
  }
  const version = input.authorizerPayloadFormatVersion ?? previous?.authorizerPayloadFormatVersion;
  if (version !== '1.0' && version !== '2.0') throw badRequest('authorizerPayloadFormatVersion is required for REQUEST authorizers: use 1.0 or 2.0');
  const simple = optionalBoolean(input.enableSimpleResponses, 'enableSimpleResponses') ?? previous?.enableSimpleResponses ?? false;
  if (simple && version !== '2.0') throw badRequest('enableSimpleResponses needs authorizerPayloadFormatVersion 2.0');
  const ttl = input.authorizerResultTtlInSeconds ?? previous?.authorizerResultTtlInSeconds ?? 0;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > MAX_TTL_SECONDS) throw badRequest(`authorizerResultTtlInSeconds must be from 0 to ${MAX_TTL_SECONDS}`);
  if (ttl > 0 && identitySource.length === 0) throw badRequest('identitySource is required when authorizer caching is enabled (authorizerResultTtlInSeconds > 0)');
  return { name, authorizerType: 'REQUEST', authorizerUri: uri, identitySource: [...(identitySource as string[])], authorizerPayloadFormatVersion: version, enableSimpleResponses: simple, authorizerResultTtlInSeconds: ttl };
}

export function checkRouteSettings(value: unknown, field: string): RouteSettings | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest(`${field} must be an object`);
  const input = value as Record<string, unknown>;
  const settings: RouteSettings = {};
  const burst = input.throttlingBurstLimit;
  if (burst !== undefined && burst !== null) {
    if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 0) throw badRequest(`${field}.throttlingBurstLimit must be a whole number, 0 or more`);
    settings.throttlingBurstLimit = burst;
  }
  const rate = input.throttlingRateLimit;
  if (rate !== undefined && rate !== null) {
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) throw badRequest(`${field}.throttlingRateLimit must be a number, 0 or more`);
    settings.throttlingRateLimit = rate;
  }
  const detailed = optionalBoolean(input.detailedMetricsEnabled, `${field}.detailedMetricsEnabled`);
  if (detailed !== undefined) settings.detailedMetricsEnabled = detailed;
  return settings;
}

export function checkRouteSettingsMap(value: unknown): Record<string, RouteSettings> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest('routeSettings must map route keys to settings');
  const map: Record<string, RouteSettings> = {};
  for (const [key, settings] of Object.entries(value as Record<string, unknown>)) map[checkRouteKey(key)] = checkRouteSettings(settings, `routeSettings[${key}]`) ?? {};
  return map;
}

export function checkAccessLogSettings(value: unknown): AccessLogSettings | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest('accessLogSettings must be an object');
  const { destinationArn, format } = value as Record<string, unknown>;
  if (typeof destinationArn !== 'string' || logGroupOf(destinationArn) === undefined) throw badRequest('accessLogSettings.destinationArn must be a log group ARN: arn:aws:logs:<region>:<account>:log-group:<name>');
  if (typeof format !== 'string' || format.trim() === '') throw badRequest('accessLogSettings.format is required');
  // AWS's rule: a line that cannot be tied to its request is of little use.
  if (!format.includes('$context.requestId') && !format.includes('$context.extendedRequestId')) throw badRequest('accessLogSettings.format must include $context.requestId or $context.extendedRequestId');
  return { destinationArn, format };
}
