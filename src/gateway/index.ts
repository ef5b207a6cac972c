/**
 * @module gateway — the API gateway. A pure core (route keys and matching, stage selection, the Lambda proxy request
 * events for payload 1.0 and 2.0, response mapping, CORS, the gateway's own error answers) under two stateful parts:
 * `HttpApis`, the APIs kept in the record store, and `GatewayHandler`, which serves one request through them.
 */
export { DEFAULT_ROUTE_KEY, ROUTE_METHODS, isRouteMethod, parseRouteKey, parseRoutePath, routeShape } from './route-keys.js';
export type { PathSegment, RouteKey, RouteKeyResult, RouteMethod } from './route-keys.js';
export { buildRouteMatcher, decodePathSegment, splitRequestPath } from './route-matcher.js';
export type { BuildMatcherResult, RouteMatch, RouteMatcher, RouteProblem } from './route-matcher.js';
export { DEFAULT_STAGE, pathWithStage, selectStage } from './stages.js';
export type { StageSelection } from './stages.js';
export {
  domainPrefixOf,
  formatRequestTime,
  groupHeaders,
  headerValue,
  isTextBody,
  isTextMediaType,
  matchesMediaTypes,
  mediaTypeOf,
  parseQueryString,
} from './request.js';
export type { GatewayAuthorizer, GatewayRequest, HeaderGroup } from './request.js';
export { buildEventV2, splitCookieHeader } from './events-v2.js';
export type { AuthorizerV2, EventV2, RequestContextV2 } from './events-v2.js';
export { buildEventV1 } from './events-v1.js';
export type { ApiFlavor, EventV1, EventV1Options, IdentityV1, RequestContextV1 } from './events-v1.js';
export { mapResponseV1, mapResponseV2 } from './responses.js';
export type { HttpResponse, MalformedResponse, MappedResponse, ResponseV1Options } from './responses.js';
export { GATEWAY_ERRORS, gatewayErrorResponse } from './gateway-responses.js';
export type { GatewayErrorEntry, GatewayErrorKind, GatewayFlavor } from './gateway-responses.js';
export { startGateway } from './service.js';
export type { Gateway, GatewayOptions } from './service.js';
export type { GatewayOutcome, IncomingRequest, InvokeFunction, InvokeOutcome } from './handler.js';
