/**
 * @module gateway/handler — one request through an HTTP API, as named steps (spec §8): find the API (answering CORS
 * preflights), the stage and route, throttle, authorize, call the integration, map its answer back; then one access
 * log line and the metrics. Where a step fails the gateway answers as API Gateway does:
 *
 *   no API, stage, deployment, route or integration → 404 {"message":"Not Found"}
 *   throttled by the stage's settings or the function → 429 {"message":"Too Many Requests"} (+ Retry-After)
 *   identity source missing, authorizer said Unauthorized → 401; authorizer denied → 403 {"message":"Forbidden"}
 *   function error, malformed response, unusable integration or authorizer → 500 {"message":"Internal Server Error"}
 *   no answer within the integration timeout → 503 {"message":"Service Unavailable"}
 *
 * Functions are called through `InvokeFunction`, so this module needs nothing from `functions/`.
 */
import type { Clock } from '../core/clock.js';
import { randomText } from '../core/ids.js';
import { withTimeout } from '../core/timeout.js';
import type { Logger } from '../core/logger.js';
import { formatAccessLog } from './access-log.js';
import { decide, readAuthorizerAnswer, type AuthorizerAnswer } from './authorizers/answers.js';
import { AuthorizerCache } from './authorizers/cache.js';
import { authorizerEventV1, authorizerEventV2, routeArnOf } from './authorizers/events.js';
import { identityValues } from './authorizers/identity-source.js';
import { isPreflight, preflightResponse, withCorsHeaders } from './cors.js';
import { buildEventV1 } from './events-v1.js';
import { buildEventV2 } from './events-v2.js';
import { gatewayErrorResponse, type GatewayErrorKind } from './gateway-responses.js';
import type { HttpApis, ServedStage } from './http-apis.js';
import { resolveIntegrationUri } from './integration-uri.js';
import type { ApiRecord, AuthorizerRecord, RouteRecord } from './model.js';
import { formatRequestTime, headerValue, isTextBody, type GatewayRequest } from './request.js';
import { mapResponseV1, mapResponseV2, type HttpResponse } from './responses.js';
import { selectStage } from './stages.js';
import { Throttles } from './throttle.js';

/** A request as the HTTP edge hands it over: what `GatewayRequest` will carry, before stage and route are known. */
export type IncomingRequest = Pick<GatewayRequest, 'method' | 'rawQueryString' | 'headers' | 'body' | 'sourceIp' | 'protocol' | 'domainName' | 'apiId'> & {
  /** The path after the API's base (`/_aws/execute-api/<apiId>`, or all of it on the API's own host); raw, no query. */
  rawPath: string;
};

export type InvokeOutcome =
  | { kind: 'answer'; payload: Buffer; functionError: boolean }
  | { kind: 'throttled' }
  /** The function could not be called at all (deleted, payload too large, …): `reason` is logged. */
  | { kind: 'failed'; reason: string };

/** Calls a function with `payload`, always JSON the gateway wrote with `JSON.stringify` (so it need not be checked). */
export type InvokeFunction = (functionArn: string, payload: Buffer) => Promise<InvokeOutcome>;

/** What the API key gate says of a request to a route with `apiKeyRequired` (spec §8.7). */
export type ApiKeyVerdict =
  | { ok: true; apiKeyId: string }
  /** No key, an unknown or disabled key, or a key of no usage plan for this stage: 403 Forbidden. */
  | { ok: false; kind: 'forbidden' }
  /** The usage plan's rate or burst: 429. */
  | { ok: false; kind: 'throttled'; retryAfterSeconds: number }
  /** The usage plan's quota for the period: 429. */
  | { ok: false; kind: 'quotaExceeded'; retryAfterSeconds: number };

/**
 * Checks (and counts) one request's API key against the usage plans of its API and stage. `routeKey` (the matched
 * route, e.g. `GET /pets`) lets a plan's per-method throttle for the stage apply.
 */
export type ApiKeyGate = (apiId: string, stage: string, apiKey: string | undefined, nowMs: number, routeKey?: string) => ApiKeyVerdict;

/** The response and what an access log line and the metrics report about it. */
export interface GatewayOutcome {
  response: HttpResponse;
  requestId: string;
  apiId: string;
  stage?: string;
  routeKey?: string;
  integrationLatencyMs?: number;
  /** The function's status as the gateway saw it: 200, or 500 for a function error. */
  integrationStatus?: number;
  /** Why the gateway answered with its own error, when it did. */
  error?: string;
  principalId?: string;
  apiKeyId?: string;
}

export interface GatewayHandlerDeps {
  apis: HttpApis;
  invoke: InvokeFunction;
  clock: Clock;
  region: string;
  account: string;
  logger: Logger;
  /** Routes with `apiKeyRequired` need a key this gate accepts; without a gate they answer 403. */
  apiKeys?: ApiKeyGate;
  /** Receives each access log line for a stage that asks for them. */
  accessLog?: (destinationArn: string, line: string) => void;
  /** Hears every answered request. */
  onOutcome?: (outcome: GatewayOutcome, latencyMs: number) => void;
}

/** HTTP APIs' authorizer timeout [spec §8.6]. */
const AUTHORIZER_TIMEOUT_MS = 10_000;

/** A request on its way through the steps: each step either fills in more or ends it with an outcome. */
interface Exchange {
  readonly incoming: IncomingRequest;
  readonly outcome: Omit<GatewayOutcome, 'response'>;
  api?: ApiRecord;
  served?: ServedStage;
  route?: RouteRecord;
  request?: GatewayRequest;
}

export class GatewayHandler {
  readonly #deps: GatewayHandlerDeps;
  readonly #throttles = new Throttles();
  readonly #authorizerCache = new AuthorizerCache();

  constructor(deps: GatewayHandlerDeps) {
    this.#deps = deps;
  }

  async handle(incoming: IncomingRequest): Promise<GatewayOutcome> {
    const started = performance.now();
    const startedMs = this.#deps.clock.now();
    const exchange: Exchange = { incoming, outcome: { requestId: newGatewayRequestId(), apiId: incoming.apiId } };
    const response = await this.#respond(exchange);
    response.headers.push(['apigw-requestid', exchange.outcome.requestId]);
    const outcome: GatewayOutcome = { ...exchange.outcome, response };
    const latencyMs = Math.round(performance.now() - started);
    this.#log(exchange, outcome, startedMs, latencyMs);
    this.#deps.onOutcome?.(outcome, latencyMs);
    return outcome;
  }

  /** ResetAuthorizersCache for one stage. */
  resetAuthorizersCache(apiId: string, stage: string): void {
    this.#authorizerCache.clear(`${apiId}/${stage}/`);
  }

  async #respond(exchange: Exchange): Promise<HttpResponse> {
    const api = this.#deps.apis.findApi(exchange.incoming.apiId);
    if (api === undefined || api.disableExecuteApiEndpoint) return this.#fail(exchange, 'noRoute', 'no such API');
    exchange.api = api;
    const cors = api.corsConfiguration;
    const { headers, method } = exchange.incoming;
    if (cors !== undefined && isPreflight(method, headers)) return preflightResponse(cors, headers);
    const response = await this.#route(exchange);
    return cors === undefined ? response : withCorsHeaders(response, cors, headers);
  }

  async #route(exchange: Exchange): Promise<HttpResponse> {
    const { incoming } = exchange;
    const api = exchange.api as ApiRecord;
    const selected = selectStage(incoming.rawPath, Object.keys(api.stages));
    const served = selected === undefined ? undefined : this.#deps.apis.served(api, selected.stage);
    if (selected === undefined || served === undefined) return this.#fail(exchange, 'noRoute', 'no stage serves this path');
    exchange.served = served;
    exchange.outcome.stage = selected.stage;
    const match = served.matcher.match(incoming.method, selected.path);
    if (match === undefined) return this.#fail(exchange, 'noRoute', 'no route matches');
    exchange.route = match.target;
    exchange.outcome.routeKey = match.route.key;
    const throttled = this.#throttle(exchange);
    if (throttled !== undefined) return throttled;
    if (match.target.apiKeyRequired) {
      const refused = this.#checkApiKey(exchange);
      if (refused !== undefined) return refused;
    }
    exchange.request = {
      method: incoming.method,
      rawPath: selected.path,
      rawQueryString: incoming.rawQueryString,
      headers: incoming.headers,
      body: incoming.body,
      sourceIp: incoming.sourceIp,
      protocol: incoming.protocol,
      requestId: exchange.outcome.requestId,
      timeEpochMs: this.#deps.clock.now(),
      stage: selected.stage,
      stageVariables: served.stage.stageVariables,
      route: match.route,
      pathParameters: match.pathParameters,
      apiId: api.apiId,
      accountId: this.#deps.account,
      domainName: incoming.domainName,
      // HTTP APIs have no binaryMediaTypes: both payload formats decide by the content type and the bytes.
      binary: !isTextBody(headerValue(incoming.headers, 'content-type'), incoming.body),
    };
    if (match.target.authorizationType === 'CUSTOM') {
      const refused = await this.#authorize(exchange);
      if (refused !== undefined) return refused;
    }
    return this.#integrate(exchange);
  }

  /** The stage's throttling for this route: the route's own settings, else the stage's defaults. */
  #throttle(exchange: Exchange): HttpResponse | undefined {
    const stage = (exchange.served as ServedStage).stage;
    const routeKey = exchange.outcome.routeKey as string;
    const settings = stage.routeSettings?.[routeKey] ?? stage.defaultRouteSettings;
    if (settings?.throttlingRateLimit === undefined || settings.throttlingBurstLimit === undefined) return undefined;
    const key = `${exchange.outcome.apiId}/${stage.stageName}/${routeKey}`;
    const taken = this.#throttles.take(key, { rateLimit: settings.throttlingRateLimit, burstLimit: settings.throttlingBurstLimit }, this.#deps.clock.now());
    if (taken.ok) return undefined;
    const response = this.#fail(exchange, 'throttled', 'throttled by the stage\'s route settings');
    response.headers.push(['retry-after', String(taken.retryAfterSeconds)]);
    return response;
  }

  /** The `x-api-key` header against the usage plans of this API and stage (hako allows keys on HTTP API routes). */
  #checkApiKey(exchange: Exchange): HttpResponse | undefined {
    const key = headerValue(exchange.incoming.headers, 'x-api-key');
    const verdict = this.#deps.apiKeys?.(exchange.outcome.apiId, exchange.outcome.stage as string, key, this.#deps.clock.now(), exchange.outcome.routeKey) ?? { ok: false, kind: 'forbidden' };
    if (verdict.ok) {
      exchange.outcome.apiKeyId = verdict.apiKeyId;
      return undefined;
    }
    if (verdict.kind === 'forbidden') return this.#fail(exchange, 'forbidden', key === undefined ? 'the route needs an API key (x-api-key)' : 'the API key is not valid for this stage');
    const response = this.#fail(exchange, verdict.kind, verdict.kind === 'throttled' ? 'throttled by the usage plan' : 'the usage plan\'s quota is used up');
    response.headers.push(['retry-after', String(verdict.retryAfterSeconds)]);
    return response;
  }

  /** Runs the route's Lambda authorizer (or takes its cached answer); undefined when the request may go on. */
  async #authorize(exchange: Exchange): Promise<HttpResponse | undefined> {
    const served = exchange.served as ServedStage;
    const request = exchange.request as GatewayRequest;
    const authorizer = served.authorizers[(exchange.route as RouteRecord).authorizerId ?? ''];
    if (authorizer === undefined) return this.#misconfigured(exchange, 'authorizerFailure', 'the route\'s authorizer is not in the deployment');
    const identity = identityValues(authorizer.identitySource, { headers: request.headers, rawQueryString: request.rawQueryString, stageVariables: request.stageVariables, context: contextVariables(exchange) });
    if (identity === undefined) return this.#fail(exchange, 'unauthorized', 'an identity source is missing');
    const routeArn = routeArnOf(this.#deps.region, request);
    const cacheKey = `${exchange.outcome.apiId}/${request.stage}/${served.deploymentId}/${authorizer.authorizerId}\n${identity.join('\n')}`;
    const nowMs = this.#deps.clock.now();
    let answer: AuthorizerAnswer | undefined = authorizer.authorizerResultTtlInSeconds > 0 ? this.#authorizerCache.get(cacheKey, nowMs) : undefined;
    if (answer === undefined) {
      const asked = await this.#askAuthorizer(exchange, authorizer, identity, routeArn);
      if (asked.kind === 'refused') return asked.response;
      answer = asked.answer;
      if (authorizer.authorizerResultTtlInSeconds > 0) this.#authorizerCache.set(cacheKey, answer, nowMs + authorizer.authorizerResultTtlInSeconds * 1000);
    }
    const decision = decide(answer, routeArn);
    if (decision.kind === 'unauthorized') return this.#fail(exchange, 'unauthorized', 'the authorizer answered Unauthorized');
    if (decision.kind === 'forbidden') return this.#fail(exchange, 'forbidden', 'the authorizer denied the request');
    if (decision.kind === 'failure') return this.#misconfigured(exchange, 'authorizerFailure', decision.reason);
    exchange.request = { ...request, authorizer: { kind: 'lambda', context: decision.context, ...(decision.principalId === undefined ? {} : { principalId: decision.principalId }) } };
    if (decision.principalId !== undefined) exchange.outcome.principalId = decision.principalId;
    return undefined;
  }

  async #askAuthorizer(exchange: Exchange, authorizer: AuthorizerRecord, identity: string[], routeArn: string): Promise<{ kind: 'answer'; answer: AuthorizerAnswer } | { kind: 'refused'; response: HttpResponse }> {
    const request = exchange.request as GatewayRequest;
    const refused = (response: HttpResponse): { kind: 'refused'; response: HttpResponse } => ({ kind: 'refused', response });
    const resolved = resolveIntegrationUri(authorizer.authorizerUri, request.stageVariables);
    if (!resolved.ok) return refused(this.#misconfigured(exchange, 'authorizerFailure', `authorizer ${authorizer.name}: ${resolved.reason}`));
    const event = authorizer.authorizerPayloadFormatVersion === '2.0' ? authorizerEventV2(request, routeArn, identity) : authorizerEventV1(request, routeArn, identity);
    const invoked = await withTimeout(this.#deps.invoke(resolved.functionArn, Buffer.from(JSON.stringify(event), 'utf8')), AUTHORIZER_TIMEOUT_MS);
    if (invoked === 'timeout') return refused(this.#misconfigured(exchange, 'authorizerFailure', `authorizer ${authorizer.name} did not answer within ${AUTHORIZER_TIMEOUT_MS} ms`));
    if (invoked.kind === 'throttled') return refused(this.#fail(exchange, 'throttled', `authorizer ${authorizer.name} is throttled`));
    if (invoked.kind === 'failed') return refused(this.#misconfigured(exchange, 'authorizerFailure', `authorizer ${authorizer.name}: ${invoked.reason}`));
    const answer = readAuthorizerAnswer(invoked.payload, invoked.functionError, authorizer.enableSimpleResponses);
    if (answer.kind === 'malformed') return refused(this.#misconfigured(exchange, 'authorizerFailure', `authorizer ${authorizer.name}: ${answer.reason}`));
    return { kind: 'answer', answer };
  }

  async #integrate(exchange: Exchange): Promise<HttpResponse> {
    const served = exchange.served as ServedStage;
    const request = exchange.request as GatewayRequest;
    const integrationId = (exchange.route as RouteRecord).target?.slice('integrations/'.length);
    const integration = integrationId === undefined ? undefined : served.integrations[integrationId];
    if (integration === undefined) return this.#fail(exchange, 'noRoute', 'the route has no integration');
    const resolved = resolveIntegrationUri(integration.integrationUri, request.stageVariables);
    if (!resolved.ok) return this.#misconfigured(exchange, 'integrationFailure', resolved.reason);
    const v2 = integration.payloadFormatVersion === '2.0';
    const event = v2 ? buildEventV2(request) : buildEventV1(request, { flavor: 'http' });
    const started = performance.now();
    const answer = await withTimeout(this.#deps.invoke(resolved.functionArn, Buffer.from(JSON.stringify(event), 'utf8')), integration.timeoutInMillis);
    exchange.outcome.integrationLatencyMs = Math.round(performance.now() - started);
    if (answer === 'timeout') return this.#fail(exchange, 'integrationTimeout', `the function did not answer within ${integration.timeoutInMillis} ms`);
    if (answer.kind === 'throttled') return this.#fail(exchange, 'throttled', 'the function is throttled');
    if (answer.kind === 'failed') return this.#misconfigured(exchange, 'integrationFailure', answer.reason);
    exchange.outcome.integrationStatus = answer.functionError ? 500 : 200;
    if (answer.functionError) return this.#fail(exchange, 'integrationFailure', 'the function failed');
    const mapped = v2 ? mapResponseV2(answer.payload) : mapResponseV1(answer.payload, { flavor: 'http' });
    if (mapped.kind === 'malformed') return this.#misconfigured(exchange, 'integrationFailure', `malformed Lambda proxy response: ${mapped.reason}`);
    return mapped;
  }

  #fail(exchange: Exchange, kind: GatewayErrorKind, error: string): HttpResponse {
    exchange.outcome.error = error;
    return gatewayErrorResponse(kind, 'http');
  }

  /** An answer caused by the API's set-up rather than the caller: worth a line in hako's log. */
  #misconfigured(exchange: Exchange, kind: GatewayErrorKind, error: string): HttpResponse {
    const response = this.#fail(exchange, kind, error);
    const { apiId, stage, routeKey, requestId } = exchange.outcome;
    this.#deps.logger.warn({ apiId, stage, routeKey, requestId }, `API gateway answered ${response.status}: ${error}`);
    return response;
  }

  #log(exchange: Exchange, outcome: GatewayOutcome, startedMs: number, latencyMs: number): void {
    const settings = exchange.served?.stage.accessLogSettings;
    if (settings === undefined || this.#deps.accessLog === undefined) return;
    const values = {
      ...contextVariables(exchange),
      requestTime: formatRequestTime(startedMs),
      requestTimeEpoch: startedMs,
      status: outcome.response.status,
      responseLength: outcome.response.body.length,
      responseLatency: latencyMs,
      integrationLatency: outcome.integrationLatencyMs,
      integrationStatus: outcome.integrationStatus,
      'error.message': outcome.error,
      'authorizer.principalId': outcome.principalId,
      'identity.apiKeyId': outcome.apiKeyId,
    };
    this.#deps.accessLog(settings.destinationArn, formatAccessLog(settings.format, values));
  }
}

/** The `$context` variables known before the integration runs (identity sources and access logs read them). */
function contextVariables(exchange: Exchange): Record<string, string> {
  const { incoming, outcome } = exchange;
  return {
    requestId: outcome.requestId,
    extendedRequestId: outcome.requestId,
    apiId: outcome.apiId,
    accountId: exchange.request?.accountId ?? '',
    stage: outcome.stage ?? '',
    routeKey: outcome.routeKey ?? '',
    httpMethod: incoming.method,
    path: incoming.rawPath,
    protocol: incoming.protocol,
    domainName: incoming.domainName,
    'identity.sourceIp': incoming.sourceIp,
    'identity.userAgent': headerValue(incoming.headers, 'user-agent') ?? '',
  };
}
/** API Gateway's request ids for HTTP APIs look like `JKJaXmPLvHcESHA=`: 11 random bytes, base64. */
function newGatewayRequestId(): string {
  return randomText(11, 'base64');
}
