/**
 * @module http/lambda/aliases — CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases (spec §1.7,
 * §5) and the concurrency operations Put/Get/DeleteFunctionConcurrency (spec §4), on AWS's paths.
 */
import type { FastifyInstance } from 'fastify';
import { AwsError } from '../../core/aws-error.js';
import { aliasConfiguration } from '../../functions/aliases.js';
import { MIN_UNRESERVED_CONCURRENCY } from '../../functions/concurrency.js';
import type { Functions } from '../../functions/index.js';
import { ApiResponse, apiRoute, optionalInteger, type ApiRequest } from '../aws-api.js';
import { resolvedName } from './functions.js';

const MAX_LIST_ITEMS = 50;

export function registerAliasRoutes(app: FastifyInstance, functions: Functions): void {
  const { registry, arns } = functions;
  const nameOf = (params: ApiRequest['params']): string => resolvedName(registry, params.name ?? '', arns);
  const base = '/2015-03-31/functions/:name/aliases';

  apiRoute(app, 'POST', base, async ({ params, body }) => {
    const name = nameOf(params);
    const { alias } = await registry.createAlias(name, body.Name, { functionVersion: body.FunctionVersion, description: body.Description, routingConfig: body.RoutingConfig });
    return new ApiResponse(201, aliasConfiguration(alias, arns.function(name, alias.name)));
  });

  apiRoute(app, 'GET', base, ({ params, query }) => {
    const name = nameOf(params);
    const all = Object.values(registry.getAliasesOf(name))
      .filter((alias) => query.FunctionVersion === undefined || alias.functionVersion === query.FunctionVersion)
      .sort((a, b) => a.name.localeCompare(b.name));
    const start = query.Marker === undefined ? 0 : all.findIndex((a) => a.name === query.Marker) + 1;
    const maxItems = Math.min(optionalInteger(query.MaxItems, 'MaxItems') ?? MAX_LIST_ITEMS, MAX_LIST_ITEMS);
    const page = all.slice(start, start + maxItems);
    const next = start + maxItems < all.length ? page.at(-1)?.name : undefined;
    return { Aliases: page.map((alias) => aliasConfiguration(alias, arns.function(name, alias.name))), ...(next === undefined ? {} : { NextMarker: next }) };
  });

  apiRoute(app, 'GET', `${base}/:alias`, ({ params }) => {
    const name = nameOf(params);
    const { alias } = registry.getAlias(name, params.alias ?? '');
    return aliasConfiguration(alias, arns.function(name, alias.name));
  });

  apiRoute(app, 'PUT', `${base}/:alias`, async ({ params, body }) => {
    const name = nameOf(params);
    const { alias } = await registry.updateAlias(name, params.alias ?? '', {
      functionVersion: body.FunctionVersion,
      description: body.Description,
      routingConfig: body.RoutingConfig,
      ...(typeof body.RevisionId === 'string' ? { revisionId: body.RevisionId } : {}),
    });
    return aliasConfiguration(alias, arns.function(name, alias.name));
  });

  apiRoute(app, 'DELETE', `${base}/:alias`, async ({ params }) => {
    await registry.deleteAlias(nameOf(params), params.alias ?? '');
    return new ApiResponse(204);
  });

  apiRoute(app, 'PUT', '/2017-10-31/functions/:name/concurrency', async ({ params, body }) => {
    const name = nameOf(params);
    const reserved = body.ReservedConcurrentExecutions;
    if (typeof reserved !== 'number' || !Number.isInteger(reserved) || reserved < 0) {
      throw new AwsError('InvalidParameterValueException', `1 validation error detected: Value '${String(reserved)}' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0`, { fields: { Type: 'User' } });
    }
    const others = registry.reservedTotal() - (registry.get(name)?.reservedConcurrency ?? 0);
    if (functions.concurrency.accountLimit - others - reserved < MIN_UNRESERVED_CONCURRENCY) {
      throw new AwsError('InvalidParameterValueException', `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED_CONCURRENCY}].`, { fields: { Type: 'User' } });
    }
    await registry.setReservedConcurrency(name, reserved);
    return { ReservedConcurrentExecutions: reserved };
  });

  apiRoute(app, 'GET', '/2019-09-30/functions/:name/concurrency', ({ params }) => {
    const reserved = registry.get(nameOf(params))?.reservedConcurrency;
    return reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved };
  });

  apiRoute(app, 'DELETE', '/2017-10-31/functions/:name/concurrency', async ({ params }) => {
    await registry.setReservedConcurrency(nameOf(params), undefined);
    return new ApiResponse(204);
  });
}
