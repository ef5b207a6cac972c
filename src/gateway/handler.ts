/**
 * @module gateway/handler — one request through an HTTP API: stage, route, integration, the Lambda proxy event,
 * the function's answer mapped back, and the gateway's own answers where that fails (spec §8.1, §8.4):
 *
 *   no API, stage, deployment or route → 404 {"message":"Not Found"}
 *   function error, malformed response, unusable integration → 500 {"message":"Internal Server Error"}
 *   no answer within the integration timeout → 503 {"message":"Service Unavailable"}
 *   function throttled → 429 {"message":"Too Many Requests"}
 *
 * The function is called through `InvokeFunction`, so this module needs nothing from `functions/`.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { isPreflight, preflightResponse, withCorsHeaders } from './cors.js';
import { buildEventV1 } from './events-v1.js';
import { buildEventV2 } from './events-v2.js';
import { gatewayErrorResponse, type GatewayErrorKind } from './gateway-responses.js';
import type { HttpApis } from './http-apis.js';
import { resolveIntegrationUri } from './integration-uri.js';
import { headerValue, isTextBody, type GatewayRequest } from './request.js';
import { mapResponseV1, mapResponseV2, type HttpResponse } from './responses.js';
import { selectStage } from './stages.js';

export interface IncomingRequest {
  apiId: string;
  method: string;
  /** The path after the API's base (`/_aws/execute-api/<apiId>`, or all of it on the API's own host); raw, no query. */
  rawPath: string;
  rawQueryString: string;
  headers: readonly (readonly [string, string])[];
  body: Buffer;
  sourceIp: string;
  /** e.g. `HTTP/1.1`. */
  protocol: string;
  /** The host the client called, as events report it in `domainName`. */
  domainName: string;
}

export type InvokeOutcome =
  | { kind: 'answer'; payload: Buffer; functionError: boolean }
  | { kind: 'throttled' }
  /** The function could not be called at all (deleted, payload too large, …): `reason` is logged. */
  | { kind: 'failed'; reason: string };

export type InvokeFunction = (functionArn: string, payload: Buffer) => Promise<InvokeOutcome>;

/** The response and what an access log line reports about it. */
export interface GatewayOutcome {
  response: HttpResponse;
  requestId: string;
  stage?: string;
  routeKey?: string;
  integrationLatencyMs?: number;
  /** Why the gateway answered with its own error, when it did. */
  error?: string;
}

export interface GatewayHandlerDeps {
  apis: HttpApis;
  invoke: InvokeFunction;
  clock: Clock;
  account: string;
  logger: Logger;
}

export class GatewayHandler {
  readonly #deps: GatewayHandlerDeps;

  constructor(deps: GatewayHandlerDeps) {
    this.#deps = deps;
  }

  async handle(request: IncomingRequest): Promise<GatewayOutcome> {
    const requestId = newGatewayRequestId();
    const outcome = await this.#handle(request, requestId);
    outcome.response.headers.push(['apigw-requestid', requestId]);
    return outcome;
  }

  async #handle(request: IncomingRequest, requestId: string): Promise<GatewayOutcome> {
    const { apis, clock } = this.#deps;
    const fail = (kind: GatewayErrorKind, error: string, more: Partial<GatewayOutcome> = {}): GatewayOutcome => ({ response: gatewayErrorResponse(kind, 'http'), requestId, error, ...more });
    const api = apis.findApi(request.apiId);
    if (api === undefined || api.disableExecuteApiEndpoint) return fail('noRoute', 'no such API');
    const cors = api.corsConfiguration;
    if (cors !== undefined && isPreflight(request.method, request.headers)) return { response: preflightResponse(cors, request.headers), requestId };
    const withCors = (outcome: GatewayOutcome): GatewayOutcome => (cors === undefined ? outcome : { ...outcome, response: withCorsHeaders(outcome.response, cors, request.headers) });

    const selected = selectStage(request.rawPath, Object.keys(api.stages));
    const served = selected === undefined ? undefined : apis.served(api, selected.stage);
    if (selected === undefined || served === undefined) return withCors(fail('noRoute', 'no stage serves this path'));
    const match = served.matcher.match(request.method, selected.path);
    const stage = selected.stage;
    if (match === undefined) return withCors(fail('noRoute', 'no route matches', { stage }));
    const routeKey = match.route.key;
    const integrationId = match.target.target?.slice('integrations/'.length);
    const integration = integrationId === undefined ? undefined : served.integrations[integrationId];
    if (integration === undefined) return withCors(fail('noRoute', 'the route has no integration', { stage, routeKey }));
    const resolved = resolveIntegrationUri(integration.integrationUri, served.stage.stageVariables);
    if (!resolved.ok) return withCors(this.#misconfigured(fail('integrationFailure', resolved.reason, { stage, routeKey }), request));

    const gatewayRequest: GatewayRequest = {
      method: request.method,
      rawPath: selected.path,
      rawQueryString: request.rawQueryString,
      headers: request.headers,
      body: request.body,
      sourceIp: request.sourceIp,
      protocol: request.protocol,
      requestId,
      timeEpochMs: clock.now(),
      stage,
      stageVariables: served.stage.stageVariables,
      route: match.route,
      pathParameters: match.pathParameters,
      apiId: api.apiId,
      accountId: this.#deps.account,
      domainName: request.domainName,
      // HTTP APIs have no binaryMediaTypes: both payload formats decide by the content type and the bytes.
      binary: !isTextBody(headerValue(request.headers, 'content-type'), request.body),
    };
    const v2 = integration.payloadFormatVersion === '2.0';
    const event = v2 ? buildEventV2(gatewayRequest) : buildEventV1(gatewayRequest, { flavor: 'http' });
    const started = performance.now();
    const answer = await withTimeout(this.#deps.invoke(resolved.functionArn, Buffer.from(JSON.stringify(event), 'utf8')), integration.timeoutInMillis);
    const integrationLatencyMs = Math.round(performance.now() - started);
    const more = { stage, routeKey, integrationLatencyMs };
    if (answer === 'timeout') return withCors(fail('integrationTimeout', `the function did not answer within ${integration.timeoutInMillis} ms`, more));
    if (answer.kind === 'throttled') return withCors(fail('throttled', 'the function is throttled', more));
    if (answer.kind === 'failed') return withCors(this.#misconfigured(fail('integrationFailure', answer.reason, more), request));
    if (answer.functionError) return withCors(fail('integrationFailure', 'the function failed', more));
    const mapped = v2 ? mapResponseV2(answer.payload) : mapResponseV1(answer.payload, { flavor: 'http' });
    if (mapped.kind === 'malformed') return withCors(this.#misconfigured(fail('integrationFailure', `malformed Lambda proxy response: ${mapped.reason}`, more), request));
    return withCors({ response: mapped, requestId, ...more });
  }

  /** An answer caused by the API's set-up rather than the caller: worth a line in hako's log. */
  #misconfigured(outcome: GatewayOutcome, request: IncomingRequest): GatewayOutcome {
    this.#deps.logger.warn({ apiId: request.apiId, stage: outcome.stage, routeKey: outcome.routeKey, requestId: outcome.requestId }, `API gateway answered ${outcome.response.status}: ${outcome.error ?? ''}`);
    return outcome;
  }
}

/** API Gateway's request ids for HTTP APIs look like `JKJaXmPLvHcESHA=`. */
function newGatewayRequestId(): string {
  return randomBytes(11).toString('base64');
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
