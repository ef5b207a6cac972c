/**
 * @module http/apis — mounts the AWS-compatible APIs (control plane and IoT data plane) on the HTTP server,
 * behind SigV4 (or, for the data plane on the HTTPS port, a client certificate and its IoT policies).
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../core/logger.js';
import type { Identity } from '../iam/identity.js';
import type { Registry } from '../registry/registry.js';
import type { Broker } from '../mqtt/broker.js';
import type { ShadowService } from '../shadow/service.js';
import { requireApiAuth } from './api-auth.js';
import { registerCertificateRoutes } from './iot/certificates.js';
import { registerPolicyRoutes } from './iot/policies.js';
import { registerThingRoutes } from './iot/things.js';
import { registerThingTypeRoutes } from './iot/thing-types.js';
import { registerThingGroupRoutes } from './iot/thing-groups.js';
import { registerAccessKeyRoutes } from './hako/access-keys.js';
import { registerEndpointRoute } from './iot/endpoint.js';
import { registerShadowRoutes } from './iot-data/shadows.js';
import { registerPublishRoute } from './iot-data/publish.js';
import { registerRetainedRoutes } from './iot-data/retained.js';
import { registerConnectionRoutes } from './iot-data/connections.js';
import { registerFunctionRoutes } from './lambda/functions.js';
import { registerAliasRoutes } from './lambda/aliases.js';
import { registerEventInvokeConfigRoutes } from './lambda/event-invoke-config.js';
import { registerEventSourceMappingRoutes } from './lambda/event-source-mappings.js';
import { registerFunctionLogRoutes } from './hako/function-logs.js';
import { registerRuleOperations } from './events/rules.js';
import { JsonTargets } from './json-targets.js';
import { KINESIS_BODY_LIMIT, registerKinesisOperations } from './kinesis/index.js';
import type { Streams } from '../streams/index.js';
import type { Delivery } from '../streams/delivery/index.js';
import { registerFirehoseOperations } from './firehose/index.js';
import type { Functions } from '../functions/index.js';
import type { Rules } from '../rules/index.js';
import { registerTopicRuleRoutes } from './iot/topic-rules.js';
import { registerTopicRuleDestinationRoutes } from './iot/topic-rule-destinations.js';
import type { Gateway } from '../gateway/service.js';
import { registerApiGatewayV2Routes, type EndpointOf } from './apigatewayv2/index.js';
import { registerGatewayServing } from './gateway/serve.js';
import type { Warehouse } from '../streams/warehouse/index.js';
import { registerQueryRoute } from './hako/query.js';
import type { UsagePlanService } from '../gateway/usage-plans/index.js';
import { registerApiGatewayRoutes } from './apigateway/index.js';

export interface ApiServices {
  identity: Identity;
  registry: Registry;
  /** The data plane: shadows over HTTP, and publish/retained messages/connections on the broker. */
  shadows: ShadowService;
  broker: Broker;
  /** The Lambda API, and EventBridge's scheduled rules. */
  functions: Functions;
  /** Topic rules (CreateTopicRule & co.). */
  rules: Rules;
  /** Kinesis-compatible data streams. */
  streams: Streams;
  /** Firehose-compatible delivery streams. */
  delivery: Delivery;
  /** The API gateway: HTTP APIs managed through API Gateway v2's API and served on this port. */
  gateway: Gateway;
  /** API keys and usage plans, managed through API Gateway v1's API. */
  usagePlans: UsagePlanService;
  /** Where an HTTP API is served, for `apiEndpoint`. */
  gatewayEndpointOf: EndpointOf;
  /** The warehouse `POST /hako/query` reads (opened on first use). */
  warehouse: Warehouse;
  /** Account id in ARNs. */
  account: string;
  logger: Logger;
  now: () => number;
  maxClockSkewMs: number;
  metrics: { signaturesRefused: number; certificatesRefused: number };
  /** What DescribeEndpoint answers: a host name hako's server certificate covers. */
  endpointAddress: string;
}

export function registerApis(app: FastifyInstance, services: ApiServices): void {
  const { identity, registry } = services;
  requireApiAuth(app, {
    secretOf: (id) => identity.accessKeys.secretOf(id),
    sessionTokenMatches: (id, token) => identity.accessKeys.sessionTokenMatches(id, token),
    maxSkewMs: services.maxClockSkewMs,
    now: services.now,
    logger: services.logger,
    onRefused: (credential) => void (credential === 'signature' ? services.metrics.signaturesRefused++ : services.metrics.certificatesRefused++),
    verifyPeer: (presented) => identity.verifyPeer(presented),
    authorizeCertificate: (certificateId, sourceIp, permissions) => identity.authorizer.authorizeCertificateRequest(certificateId, sourceIp, permissions),
  });
  registerCertificateRoutes(app, identity);
  registerPolicyRoutes(app, identity);
  registerThingRoutes(app, registry, identity);
  registerThingTypeRoutes(app, registry);
  registerThingGroupRoutes(app, registry);
  registerAccessKeyRoutes(app, identity.accessKeys);
  registerEndpointRoute(app, services.endpointAddress);
  registerShadowRoutes(app, services.shadows, services.now);
  registerPublishRoute(app, services.broker);
  registerRetainedRoutes(app, services.broker);
  registerConnectionRoutes(app, services.broker);
  registerFunctionRoutes(app, services.functions);
  registerAliasRoutes(app, services.functions);
  registerEventInvokeConfigRoutes(app, services.functions, services.now);
  registerEventSourceMappingRoutes(app, services.functions.eventSources);
  registerFunctionLogRoutes(app, services.functions);
  registerQueryRoute(app, services.warehouse);
  // One AWS JSON 1.1 route (`POST /`) for every JSON service, told apart by X-Amz-Target.
  const jsonTargets = new JsonTargets(app, KINESIS_BODY_LIMIT);
  registerRuleOperations(jsonTargets, services.functions.rules, services.account);
  registerKinesisOperations(jsonTargets, services.streams, services.now);
  registerFirehoseOperations(jsonTargets, services.delivery, services.logger);
  registerTopicRuleRoutes(app, services.rules.topicRules, (ruleName) => identity.arns.resource(`rule/${ruleName}`));
  registerTopicRuleDestinationRoutes(app, services.rules.destinations);
  registerApiGatewayV2Routes(app, services.gateway, services.gatewayEndpointOf);
  registerApiGatewayRoutes(app, services.usagePlans);
  registerGatewayServing(app, services.gateway.handler);
}
