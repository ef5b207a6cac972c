/**
 * @module http/iot/thing-types — CreateThingType, DescribeThingType, ListThingTypes, DeprecateThingType and
 * DeleteThingType over the registry's thing types. Timestamps travel as epoch seconds.
 */
import type { FastifyInstance } from 'fastify';
import type { Registry } from '../../registry/registry.js';
import type { ThingType } from '../../registry/thing-types.js';
import { apiRoute, epochSeconds, optionalInteger } from '../aws-api.js';
import { optionalBooleanMember, optionalObjectMember } from './registry-payloads.js';

export function registerThingTypeRoutes(app: FastifyInstance, registry: Registry): void {
  const types = registry.types;
  const describe = (type: ThingType) => ({
    thingTypeName: type.thingTypeName,
    thingTypeId: type.thingTypeId,
    thingTypeArn: registry.thingTypeArn(type.thingTypeName),
    thingTypeProperties: { thingTypeDescription: type.description, searchableAttributes: type.searchableAttributes },
    thingTypeMetadata: {
      deprecated: type.deprecated,
      deprecationDate: type.deprecatedAt === undefined ? undefined : epochSeconds(type.deprecatedAt),
      creationDate: epochSeconds(type.createdAt),
    },
  });

  apiRoute(app, 'POST', '/thing-types/:thingTypeName', async (request) => {
    const properties = optionalObjectMember(request.body, 'thingTypeProperties');
    const type = await types.create(request.params.thingTypeName as string, {
      description: properties.thingTypeDescription as string | undefined,
      searchableAttributes: properties.searchableAttributes,
    });
    return { thingTypeName: type.thingTypeName, thingTypeArn: registry.thingTypeArn(type.thingTypeName), thingTypeId: type.thingTypeId };
  });
  apiRoute(app, 'GET', '/thing-types/:thingTypeName', (request) => describe(types.describe(request.params.thingTypeName as string)));
  apiRoute(app, 'GET', '/thing-types', (request) => {
    const page = types.list({ nextToken: request.query.nextToken, maxResults: optionalInteger(request.query.maxResults, 'maxResults'), thingTypeName: request.query.thingTypeName });
    return { thingTypes: page.items.map(describe), nextToken: page.nextToken };
  });
  apiRoute(app, 'POST', '/thing-types/:thingTypeName/deprecate', async (request) => {
    await types.deprecate(request.params.thingTypeName as string, optionalBooleanMember(request.body, 'undoDeprecate') === true);
  });
  apiRoute(app, 'DELETE', '/thing-types/:thingTypeName', async (request) => {
    await types.delete(request.params.thingTypeName as string);
  });
}
