/**
 * @module gateway/http-apis — HTTP APIs as `@aws-sdk/client-apigatewayv2` manages them: CreateApi (with quick create),
 * routes, Lambda proxy integrations, stages and deployments, kept in the record store (one record per API) and
 * served from memory.
 *
 * Deployments are snapshots of the routes and integrations. A stage serves the deployment it points to; a stage
 * with `autoDeploy` gets a new deployment after every change to routes or integrations, as on AWS, so a stage made
 * without it keeps serving what was last deployed until CreateDeployment.
 */
import { randomInt } from 'node:crypto';
import { AwsError } from '../core/aws-error.js';
import type { Clock } from '../core/clock.js';
import { pageOf, type Page } from '../core/paging.js';
import type { RecordCollection, RecordStore } from '../store/records.js';
import {
  checkApiKeyRequired,
  checkAuthorizationType,
  checkAuthorizerId,
  checkDeploymentId,
  checkIntegrationMethod,
  checkIntegrationType,
  checkRoutesFit,
  checkTarget,
  setStageSettings,
} from './api-checks.js';
import {
  badRequest,
  checkApiName,
  checkAuthorizerInput,
  checkCors,
  checkIntegrationUriValue,
  checkPayloadFormatVersion,
  checkRouteKey,
  checkStageName,
  checkStageVariables,
  checkTags,
  checkTimeout,
  optionalBoolean,
  optionalString,
  requiredString,
} from './checks.js';
import { DEFAULT_TIMEOUT_MS, type ApiRecord, type AuthorizerRecord, type DeploymentRecord, type IntegrationRecord, type RouteRecord, type StageRecord } from './model.js';
import { buildRouteMatcher, type RouteMatcher } from './route-matcher.js';
import { DEFAULT_ROUTE_KEY } from './route-keys.js';
import { DEFAULT_STAGE } from './stages.js';

export const HTTP_API_COLLECTION = 'gateway.http-apis';
const MAX_PAGE = 500;
/** Auto-deployments no stage uses are pruned beyond this many; AWS keeps them all, nobody reads them. */
const KEPT_IDLE_DEPLOYMENTS = 10;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** AWS's limit per API. */
const MAX_AUTHORIZERS = 10;

type Input = Readonly<Record<string, unknown>>;

/** What one stage serves: its variables and settings, and the deployed routes, matched. */
export interface ServedStage {
  readonly stage: StageRecord;
  readonly deploymentId: string;
  readonly matcher: RouteMatcher<RouteRecord>;
  readonly integrations: Readonly<Record<string, IntegrationRecord>>;
  readonly authorizers: Readonly<Record<string, AuthorizerRecord>>;
}

export class HttpApis {
  readonly #apis = new Map<string, ApiRecord>();
  readonly #store: RecordCollection<ApiRecord>;
  readonly #clock: Clock;
  readonly #account: string;
  /** Matchers by deployment id: built on first request, dropped with the deployment. */
  readonly #matchers = new Map<string, RouteMatcher<RouteRecord>>();

  private constructor(store: RecordCollection<ApiRecord>, clock: Clock, account: string) {
    this.#store = store;
    this.#clock = clock;
    this.#account = account;
  }

  static async open(records: RecordStore, clock: Clock, account: string): Promise<HttpApis> {
    const store = records.collection<ApiRecord>(HTTP_API_COLLECTION);
    const apis = new HttpApis(store, clock, account);
    for (const [id, api] of await store.loadAll()) apis.#apis.set(id, api);
    return apis;
  }

  // ── APIs ────────────────────────────────────────────────────────────────────────────────────────────

  async createApi(input: Input): Promise<ApiRecord> {
    const name = checkApiName(input.name);
    const protocolType = requiredString(input.protocolType, 'protocolType');
    if (protocolType !== 'HTTP') throw badRequest(protocolType === 'WEBSOCKET' ? 'hako serves HTTP APIs (protocolType HTTP); WebSocket APIs are not available' : `Invalid protocol type ${protocolType}: use HTTP`);
    const now = this.#clock.now();
    const api: ApiRecord = {
      apiId: this.#newId(10, (id) => this.#apis.has(id)),
      name,
      protocolType: 'HTTP',
      disableExecuteApiEndpoint: optionalBoolean(input.disableExecuteApiEndpoint, 'disableExecuteApiEndpoint') ?? false,
      tags: checkTags(input.tags) ?? {},
      createdMs: now,
      routes: {},
      integrations: {},
      stages: {},
      deployments: {},
    };
    setOptional(api, 'description', optionalString(input.description, 'description'));
    setOptional(api, 'version', optionalString(input.version, 'version'));
    setOptional(api, 'corsConfiguration', checkCors(input.corsConfiguration));
    const target = optionalString(input.target, 'target');
    if (target !== undefined) this.#quickCreate(api, target, optionalString(input.routeKey, 'routeKey') ?? DEFAULT_ROUTE_KEY, now);
    else if (input.routeKey !== undefined) throw badRequest('routeKey is only used with target (quick create)');
    await this.#save(api);
    return api;
  }

  /** Quick create: one Lambda proxy integration (payload 2.0), one route and an auto-deploying `$default` stage. */
  #quickCreate(api: ApiRecord, target: string, routeKey: string, now: number): void {
    const integration: IntegrationRecord = { integrationId: this.#newId(7, (id) => id in api.integrations), integrationType: 'AWS_PROXY', integrationUri: checkIntegrationUriValue(target), payloadFormatVersion: '2.0', timeoutInMillis: DEFAULT_TIMEOUT_MS, apiGatewayManaged: true };
    api.integrations[integration.integrationId] = integration;
    const route: RouteRecord = { routeId: this.#newId(7, (id) => id in api.routes), routeKey: checkRouteKey(routeKey), target: `integrations/${integration.integrationId}`, authorizationType: 'NONE', apiKeyRequired: false, apiGatewayManaged: true };
    api.routes[route.routeId] = route;
    api.stages[DEFAULT_STAGE] = { stageName: DEFAULT_STAGE, autoDeploy: true, stageVariables: {}, tags: {}, createdMs: now, lastUpdatedMs: now, apiGatewayManaged: true };
    this.#autoDeploy(api);
  }

  getApi(apiId: string): ApiRecord {
    const api = this.#apis.get(apiId);
    if (api === undefined) throw new AwsError('NotFoundException', `Invalid API identifier specified ${this.#account}:${apiId}`, { fields: { resourceType: 'Api' } });
    return api;
  }

  /** The API if it exists: for serving, where a missing API is a 404 rather than an error. */
  findApi(apiId: string): ApiRecord | undefined {
    return this.#apis.get(apiId);
  }

  listApis(nextToken: string | undefined, maxResults: number | undefined): Page<ApiRecord> {
    return pageOf([...this.#apis.values()].sort(byKey((api) => api.apiId)), (api) => api.apiId, nextToken, maxResults, MAX_PAGE);
  }

  async updateApi(apiId: string, input: Input): Promise<ApiRecord> {
    const api = structuredClone(this.getApi(apiId));
    if (input.name !== undefined) api.name = checkApiName(input.name);
    if (input.protocolType !== undefined && input.protocolType !== 'HTTP') throw badRequest('protocolType cannot be changed');
    setOptional(api, 'description', optionalString(input.description, 'description') ?? api.description);
    setOptional(api, 'version', optionalString(input.version, 'version') ?? api.version);
    setOptional(api, 'corsConfiguration', checkCors(input.corsConfiguration) ?? api.corsConfiguration);
    api.disableExecuteApiEndpoint = optionalBoolean(input.disableExecuteApiEndpoint, 'disableExecuteApiEndpoint') ?? api.disableExecuteApiEndpoint;
    await this.#save(api);
    return api;
  }

  /** DeleteCorsConfiguration. */
  async deleteCors(apiId: string): Promise<void> {
    const api = structuredClone(this.getApi(apiId));
    delete api.corsConfiguration;
    await this.#save(api);
  }

  async deleteApi(apiId: string): Promise<void> {
    const api = this.getApi(apiId);
    for (const id of Object.keys(api.deployments)) this.#matchers.delete(id);
    this.#apis.delete(apiId);
    await this.#store.delete(apiId);
  }

  // ── Routes ──────────────────────────────────────────────────────────────────────────────────────────

  async createRoute(apiId: string, input: Input): Promise<RouteRecord> {
    const api = structuredClone(this.getApi(apiId));
    const route: RouteRecord = { routeId: this.#newId(7, (id) => id in api.routes), routeKey: checkRouteKey(input.routeKey), authorizationType: checkAuthorizationType(input.authorizationType), apiKeyRequired: checkApiKeyRequired(input.apiKeyRequired) };
    setOptional(route, 'target', checkTarget(api, input.target));
    setOptional(route, 'authorizerId', checkAuthorizerId(api, route.authorizationType, optionalString(input.authorizerId, 'authorizerId')));
    setOptional(route, 'operationName', optionalString(input.operationName, 'operationName'));
    api.routes[route.routeId] = route;
    checkRoutesFit(api);
    this.#autoDeploy(api);
    await this.#save(api);
    return route;
  }

  getRoute(apiId: string, routeId: string): RouteRecord {
    const route = this.getApi(apiId).routes[routeId];
    if (route === undefined) throw new AwsError('NotFoundException', `Invalid Route identifier specified ${routeId}`, { fields: { resourceType: 'Route' } });
    return route;
  }

  listRoutes(apiId: string, nextToken: string | undefined, maxResults: number | undefined): Page<RouteRecord> {
    return pageOf(Object.values(this.getApi(apiId).routes).sort(byKey((r) => r.routeId)), (r) => r.routeId, nextToken, maxResults, MAX_PAGE);
  }

  async updateRoute(apiId: string, routeId: string, input: Input): Promise<RouteRecord> {
    this.getRoute(apiId, routeId);
    const api = structuredClone(this.getApi(apiId));
    const route = api.routes[routeId] as RouteRecord;
    if (input.routeKey !== undefined) route.routeKey = checkRouteKey(input.routeKey);
    if (input.authorizationType !== undefined) route.authorizationType = checkAuthorizationType(input.authorizationType);
    setOptional(route, 'authorizerId', checkAuthorizerId(api, route.authorizationType, optionalString(input.authorizerId, 'authorizerId') ?? route.authorizerId));
    if (input.apiKeyRequired !== undefined) route.apiKeyRequired = checkApiKeyRequired(input.apiKeyRequired);
    if (input.target !== undefined) setOptional(route, 'target', checkTarget(api, input.target));
    setOptional(route, 'operationName', optionalString(input.operationName, 'operationName') ?? route.operationName);
    checkRoutesFit(api);
    this.#autoDeploy(api);
    await this.#save(api);
    return route;
  }

  async deleteRoute(apiId: string, routeId: string): Promise<void> {
    this.getRoute(apiId, routeId);
    const api = structuredClone(this.getApi(apiId));
    delete api.routes[routeId];
    this.#autoDeploy(api);
    await this.#save(api);
  }

  // ── Integrations ────────────────────────────────────────────────────────────────────────────────────

  async createIntegration(apiId: string, input: Input): Promise<IntegrationRecord> {
    const api = structuredClone(this.getApi(apiId));
    checkIntegrationType(input.integrationType);
    const integration: IntegrationRecord = {
      integrationId: this.#newId(7, (id) => id in api.integrations),
      integrationType: 'AWS_PROXY',
      integrationUri: checkIntegrationUriValue(input.integrationUri),
      payloadFormatVersion: checkPayloadFormatVersion(input.payloadFormatVersion),
      timeoutInMillis: checkTimeout(input.timeoutInMillis) ?? DEFAULT_TIMEOUT_MS,
    };
    checkIntegrationMethod(input.integrationMethod);
    setOptional(integration, 'description', optionalString(input.description, 'description'));
    api.integrations[integration.integrationId] = integration;
    this.#autoDeploy(api);
    await this.#save(api);
    return integration;
  }

  getIntegration(apiId: string, integrationId: string): IntegrationRecord {
    const integration = this.getApi(apiId).integrations[integrationId];
    if (integration === undefined) throw new AwsError('NotFoundException', `Invalid Integration identifier specified ${integrationId}`, { fields: { resourceType: 'Integration' } });
    return integration;
  }

  listIntegrations(apiId: string, nextToken: string | undefined, maxResults: number | undefined): Page<IntegrationRecord> {
    return pageOf(Object.values(this.getApi(apiId).integrations).sort(byKey((i) => i.integrationId)), (i) => i.integrationId, nextToken, maxResults, MAX_PAGE);
  }

  async updateIntegration(apiId: string, integrationId: string, input: Input): Promise<IntegrationRecord> {
    this.getIntegration(apiId, integrationId);
    const api = structuredClone(this.getApi(apiId));
    const integration = api.integrations[integrationId] as IntegrationRecord;
    if (input.integrationType !== undefined) checkIntegrationType(input.integrationType);
    checkIntegrationMethod(input.integrationMethod);
    if (input.integrationUri !== undefined) integration.integrationUri = checkIntegrationUriValue(input.integrationUri);
    if (input.payloadFormatVersion !== undefined) integration.payloadFormatVersion = checkPayloadFormatVersion(input.payloadFormatVersion);
    integration.timeoutInMillis = checkTimeout(input.timeoutInMillis) ?? integration.timeoutInMillis;
    setOptional(integration, 'description', optionalString(input.description, 'description') ?? integration.description);
    this.#autoDeploy(api);
    await this.#save(api);
    return integration;
  }

  async deleteIntegration(apiId: string, integrationId: string): Promise<void> {
    this.getIntegration(apiId, integrationId);
    const api = structuredClone(this.getApi(apiId));
    const users = Object.values(api.routes).filter((route) => route.target === `integrations/${integrationId}`);
    if (users.length > 0) throw new AwsError('ConflictException', `Cannot delete Integration ${integrationId}: it is the target of route(s) ${users.map((r) => r.routeKey).join(', ')}; update or delete them first`);
    delete api.integrations[integrationId];
    this.#autoDeploy(api);
    await this.#save(api);
  }

  // ── Authorizers ─────────────────────────────────────────────────────────────────────────────────────

  async createAuthorizer(apiId: string, input: Input): Promise<AuthorizerRecord> {
    const api = structuredClone(this.getApi(apiId));
    const authorizers = (api.authorizers ??= {});
    if (Object.keys(authorizers).length >= MAX_AUTHORIZERS) throw badRequest(`An API has at most ${MAX_AUTHORIZERS} authorizers`);
    const authorizer: AuthorizerRecord = { authorizerId: this.#newId(6, (id) => id in authorizers), ...checkAuthorizerInput(input) };
    authorizers[authorizer.authorizerId] = authorizer;
    this.#autoDeploy(api);
    await this.#save(api);
    return authorizer;
  }

  getAuthorizer(apiId: string, authorizerId: string): AuthorizerRecord {
    const authorizer = this.getApi(apiId).authorizers?.[authorizerId];
    if (authorizer === undefined) throw new AwsError('NotFoundException', `Invalid Authorizer identifier specified ${authorizerId}`, { fields: { resourceType: 'Authorizer' } });
    return authorizer;
  }

  listAuthorizers(apiId: string, nextToken: string | undefined, maxResults: number | undefined): Page<AuthorizerRecord> {
    return pageOf(Object.values(this.getApi(apiId).authorizers ?? {}).sort(byKey((a) => a.authorizerId)), (a) => a.authorizerId, nextToken, maxResults, MAX_PAGE);
  }

  async updateAuthorizer(apiId: string, authorizerId: string, input: Input): Promise<AuthorizerRecord> {
    const previous = this.getAuthorizer(apiId, authorizerId);
    const api = structuredClone(this.getApi(apiId));
    const authorizer: AuthorizerRecord = { authorizerId, ...checkAuthorizerInput(input, previous) };
    (api.authorizers ??= {})[authorizerId] = authorizer;
    this.#autoDeploy(api);
    await this.#save(api);
    return authorizer;
  }

  async deleteAuthorizer(apiId: string, authorizerId: string): Promise<void> {
    this.getAuthorizer(apiId, authorizerId);
    const api = structuredClone(this.getApi(apiId));
    const users = Object.values(api.routes).filter((route) => route.authorizerId === authorizerId);
    if (users.length > 0) throw new AwsError('ConflictException', `Cannot delete Authorizer ${authorizerId}: route(s) ${users.map((r) => r.routeKey).join(', ')} use it; change their authorizationType first`);
    delete api.authorizers?.[authorizerId];
    this.#autoDeploy(api);
    await this.#save(api);
  }

  // ── Stages and deployments ──────────────────────────────────────────────────────────────────────────

  async createStage(apiId: string, input: Input): Promise<StageRecord> {
    const api = structuredClone(this.getApi(apiId));
    const stageName = checkStageName(input.stageName);
    if (stageName in api.stages) throw new AwsError('ConflictException', `Stage ${stageName} already exists`);
    const now = this.#clock.now();
    const stage: StageRecord = { stageName, autoDeploy: optionalBoolean(input.autoDeploy, 'autoDeploy') ?? false, stageVariables: checkStageVariables(input.stageVariables) ?? {}, tags: checkTags(input.tags) ?? {}, createdMs: now, lastUpdatedMs: now };
    setOptional(stage, 'description', optionalString(input.description, 'description'));
    setOptional(stage, 'deploymentId', checkDeploymentId(api, input.deploymentId));
    setStageSettings(stage, input);
    api.stages[stageName] = stage;
    if (stage.autoDeploy) this.#autoDeploy(api);
    await this.#save(api);
    return stage;
  }

  getStage(apiId: string, stageName: string): StageRecord {
    const stage = this.getApi(apiId).stages[stageName];
    if (stage === undefined) throw new AwsError('NotFoundException', `Invalid stage identifier specified ${stageName}`, { fields: { resourceType: 'Stage' } });
    return stage;
  }

  listStages(apiId: string, nextToken: string | undefined, maxResults: number | undefined): Page<StageRecord> {
    return pageOf(Object.values(this.getApi(apiId).stages).sort(byKey((s) => s.stageName)), (s) => s.stageName, nextToken, maxResults, MAX_PAGE);
  }

  async updateStage(apiId: string, stageName: string, input: Input): Promise<StageRecord> {
    this.getStage(apiId, stageName);
    const api = structuredClone(this.getApi(apiId));
    const stage = api.stages[stageName] as StageRecord;
    const wasAuto = stage.autoDeploy;
    stage.autoDeploy = optionalBoolean(input.autoDeploy, 'autoDeploy') ?? stage.autoDeploy;
    stage.stageVariables = checkStageVariables(input.stageVariables) ?? stage.stageVariables;
    setOptional(stage, 'description', optionalString(input.description, 'description') ?? stage.description);
    if (input.deploymentId !== undefined) setOptional(stage, 'deploymentId', checkDeploymentId(api, input.deploymentId));
    setStageSettings(stage, input);
    stage.lastUpdatedMs = this.#clock.now();
    if (stage.autoDeploy && !wasAuto) this.#autoDeploy(api);
    await this.#save(api);
    return stage;
  }

  /** DeleteRouteSettings: the route falls back to the stage's defaults. */
  async deleteRouteSettings(apiId: string, stageName: string, routeKey: string): Promise<void> {
    const stage = this.getStage(apiId, stageName);
    if (stage.routeSettings?.[routeKey] === undefined) throw new AwsError('NotFoundException', `Invalid RouteSettings identifier specified ${routeKey}`, { fields: { resourceType: 'RouteSettings' } });
    const api = structuredClone(this.getApi(apiId));
    delete (api.stages[stageName] as StageRecord).routeSettings?.[routeKey];
    await this.#save(api);
  }

  /** DeleteAccessLogSettings. */
  async deleteAccessLogSettings(apiId: string, stageName: string): Promise<void> {
    this.getStage(apiId, stageName);
    const api = structuredClone(this.getApi(apiId));
    delete (api.stages[stageName] as StageRecord).accessLogSettings;
    await this.#save(api);
  }

  async deleteStage(apiId: string, stageName: string): Promise<void> {
    this.getStage(apiId, stageName);
    const api = structuredClone(this.getApi(apiId));
    delete api.stages[stageName];
    await this.#save(api);
  }

  async createDeployment(apiId: string, input: Input): Promise<DeploymentRecord> {
    const api = structuredClone(this.getApi(apiId));
    const stageName = optionalString(input.stageName, 'stageName');
    const stage = stageName === undefined ? undefined : api.stages[stageName];
    if (stageName !== undefined && stage === undefined) throw new AwsError('NotFoundException', `Invalid stage identifier specified ${stageName}`, { fields: { resourceType: 'Stage' } });
    if (stage?.autoDeploy === true) throw badRequest(`Stage ${stageName} has autoDeploy enabled: it deploys every change itself`);
    checkRoutesFit(api);
    const deployment = this.#snapshot(api, false, optionalString(input.description, 'description'));
    if (stage !== undefined) this.#point(stage, deployment);
    await this.#save(api);
    return deployment;
  }

  getDeployment(apiId: string, deploymentId: string): DeploymentRecord {
    const deployment = this.getApi(apiId).deployments[deploymentId];
    if (deployment === undefined) throw new AwsError('NotFoundException', `Invalid Deployment identifier specified ${deploymentId}`, { fields: { resourceType: 'Deployment' } });
    return deployment;
  }

  listDeployments(apiId: string, nextToken: string | undefined, maxResults: number | undefined): Page<DeploymentRecord> {
    return pageOf(Object.values(this.getApi(apiId).deployments).sort(byKey((d) => d.deploymentId)), (d) => d.deploymentId, nextToken, maxResults, MAX_PAGE);
  }

  async deleteDeployment(apiId: string, deploymentId: string): Promise<void> {
    this.getDeployment(apiId, deploymentId);
    const api = structuredClone(this.getApi(apiId));
    const users = Object.values(api.stages).filter((stage) => stage.deploymentId === deploymentId);
    if (users.length > 0) throw badRequest(`Deployment ${deploymentId} is used by stage(s) ${users.map((s) => s.stageName).join(', ')}`);
    delete api.deployments[deploymentId];
    this.#matchers.delete(deploymentId);
    await this.#save(api);
  }

  // ── Serving ─────────────────────────────────────────────────────────────────────────────────────────

  /** What `stageName` of `api` serves, or undefined while no deployment reached it (AWS answers 404 then). */
  served(api: ApiRecord, stageName: string): ServedStage | undefined {
    const stage = api.stages[stageName];
    const deployment = stage?.deploymentId === undefined ? undefined : api.deployments[stage.deploymentId];
    if (stage === undefined || deployment === undefined) return undefined;
    let matcher = this.#matchers.get(deployment.deploymentId);
    if (matcher === undefined) {
      const built = buildRouteMatcher(Object.values(deployment.routes).map((route) => [route.routeKey, route] as const));
      // Deployments are checked when made; a failure here means the stored record was edited by hand.
      if (!built.ok) throw new Error(`deployment ${deployment.deploymentId} of API ${api.apiId} has conflicting routes: ${built.problems.map((p) => `${p.key}: ${p.reason}`).join('; ')}`);
      matcher = built.matcher;
      this.#matchers.set(deployment.deploymentId, matcher);
    }
    return { stage, deploymentId: deployment.deploymentId, matcher, integrations: deployment.integrations, authorizers: deployment.authorizers ?? {} };
  }

  // ── Internals ───────────────────────────────────────────────────────────────────────────────────────

  #autoDeploy(api: ApiRecord): void {
    const stages = Object.values(api.stages).filter((stage) => stage.autoDeploy);
    if (stages.length === 0) return;
    const deployment = this.#snapshot(api, true, undefined);
    for (const stage of stages) this.#point(stage, deployment);
    this.#pruneDeployments(api);
  }

  #snapshot(api: ApiRecord, autoDeployed: boolean, description: string | undefined): DeploymentRecord {
    const deployment: DeploymentRecord = {
      deploymentId: this.#newId(6, (id) => id in api.deployments),
      autoDeployed,
      createdMs: this.#clock.now(),
      routes: structuredClone(api.routes),
      integrations: structuredClone(api.integrations),
      authorizers: structuredClone(api.authorizers ?? {}),
    };
    setOptional(deployment, 'description', description);
    api.deployments[deployment.deploymentId] = deployment;
    return deployment;
  }

  #point(stage: StageRecord, deployment: DeploymentRecord): void {
    stage.deploymentId = deployment.deploymentId;
    stage.lastUpdatedMs = deployment.createdMs;
    stage.lastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${deployment.deploymentId}'`;
  }

  #pruneDeployments(api: ApiRecord): void {
    const used = new Set(Object.values(api.stages).map((stage) => stage.deploymentId));
    const idle = Object.values(api.deployments).filter((d) => d.autoDeployed && !used.has(d.deploymentId)).sort((a, b) => b.createdMs - a.createdMs);
    for (const deployment of idle.slice(KEPT_IDLE_DEPLOYMENTS)) {
      delete api.deployments[deployment.deploymentId];
      this.#matchers.delete(deployment.deploymentId);
    }
  }

  async #save(api: ApiRecord): Promise<void> {
    await this.#store.put(api.apiId, api);
    this.#apis.set(api.apiId, api);
  }

  #newId(length: number, taken: (id: string) => boolean): string {
    for (;;) {
      let id = '';
      for (let i = 0; i < length; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
      if (!taken(id)) return id;
    }
  }
}

function setOptional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T): number =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
