/**
 * @module http/lambda/event-invoke-config — Put/Update/Get/Delete/ListFunctionEventInvokeConfigs (spec
 * §3, §1.7): retries, maximum event age and destinations of asynchronous invocations, per function,
 * version or alias (`?Qualifier=`).
 */
import type { FastifyInstance } from 'fastify';
import { AwsError } from '../../core/aws-error.js';
import { DEFAULT_EVENT_INVOKE_CONFIG, eventInvokeConfigFrom, eventInvokeConfigShape } from '../../functions/event-invoke-config.js';
import type { Functions } from '../../functions/index.js';
import { parseFunctionReference } from '../../functions/names.js';
import { LATEST } from '../../functions/registry.js';
import { ApiResponse, apiRoute, type ApiRequest } from '../aws-api.js';
import { resolvedName } from './functions.js';

export function registerEventInvokeConfigRoutes(app: FastifyInstance, functions: Functions, now: () => number): void {
  const { registry, arns } = functions;
  const path = '/2019-09-25/functions/:name/event-invoke-config';
  /** The function's name and the qualifier, from the path and `?Qualifier=`; 404 for an unknown function. */
  const target = ({ params, query }: Pick<ApiRequest, 'params' | 'query'>): { name: string; qualifier: string | undefined } => {
    const reference = parseFunctionReference(params.name ?? '', query.Qualifier);
    return { name: resolvedName(registry, reference.name, arns), qualifier: reference.qualifier };
  };
  const arnOf = (name: string, qualifier: string | undefined): string => arns.function(name, qualifier ?? LATEST);

  const put = (merge: boolean) => async (request: ApiRequest) => {
    const { name, qualifier } = target(request);
    const base = merge ? (registry.eventInvokeConfig(name, qualifier) ?? DEFAULT_EVENT_INVOKE_CONFIG) : DEFAULT_EVENT_INVOKE_CONFIG;
    const config = eventInvokeConfigFrom(request.body, base, now());
    await registry.setEventInvokeConfig(name, qualifier, config);
    return eventInvokeConfigShape(config, arnOf(name, qualifier));
  };
  apiRoute(app, 'PUT', path, put(false));
  apiRoute(app, 'POST', path, put(true));

  apiRoute(app, 'GET', path, (request) => {
    const { name, qualifier } = target(request);
    const config = registry.eventInvokeConfig(name, qualifier);
    if (config === undefined) throw new AwsError('ResourceNotFoundException', `The function ${arnOf(name, qualifier)} doesn't have an EventInvokeConfig`, { fields: { Type: 'User' } });
    return eventInvokeConfigShape(config, arnOf(name, qualifier));
  });

  apiRoute(app, 'DELETE', path, async (request) => {
    const { name, qualifier } = target(request);
    if (registry.eventInvokeConfig(name, qualifier) === undefined) throw new AwsError('ResourceNotFoundException', `The function ${arnOf(name, qualifier)} doesn't have an EventInvokeConfig`, { fields: { Type: 'User' } });
    await registry.setEventInvokeConfig(name, qualifier, undefined);
    return new ApiResponse(204);
  });

  apiRoute(app, 'GET', `${path}/list`, (request) => {
    const { name } = target(request);
    return { FunctionEventInvokeConfigs: registry.eventInvokeConfigs(name).map(([qualifier, config]) => eventInvokeConfigShape(config, arns.function(name, qualifier))) };
  });
}
