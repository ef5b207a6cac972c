/**
 * @module http/lambda/event-source-mappings — Create/Get/List/Update/DeleteEventSourceMapping on AWS's
 * REST paths (spec §1.7): 202 for Create, Update and Delete, 200 for Get and List, answering with
 * `EventSourceMappingConfiguration`.
 */
import type { FastifyInstance } from 'fastify';
import type { EventSourceMappings, MappingAnswer } from '../../functions/event-sources/index.js';
import { mappingConfiguration } from '../../functions/event-sources/index.js';
import { ApiResponse, apiRoute, optionalInteger } from '../aws-api.js';

const BASE = '/2015-03-31/event-source-mappings';

export function registerEventSourceMappingRoutes(app: FastifyInstance, mappings: EventSourceMappings): void {
  const shape = ({ mapping, state }: MappingAnswer): Record<string, unknown> => mappingConfiguration(mapping, mappings.arns, state);

  // The SDK sends the collection path with a trailing slash (`/event-source-mappings/`); both are served.
  for (const path of [BASE, `${BASE}/`]) {
    apiRoute(app, 'POST', path, async ({ body }) => new ApiResponse(202, shape(await mappings.create(body))));
    apiRoute(app, 'GET', path, ({ query }) => {
      const { mappings: page, nextMarker } = mappings.list({
        eventSourceArn: query.EventSourceArn,
        functionName: query.FunctionName,
        marker: query.Marker,
        maxItems: optionalInteger(query.MaxItems, 'MaxItems'),
      });
      return { EventSourceMappings: page.map((mapping) => shape({ mapping, state: mapping.enabled ? 'Enabled' : 'Disabled' })), ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }) };
    });
  }

  apiRoute(app, 'GET', `${BASE}/:uuid`, ({ params }) => shape(mappings.get(params.uuid ?? '')));
  apiRoute(app, 'PUT', `${BASE}/:uuid`, async ({ params, body }) => new ApiResponse(202, shape(await mappings.update(params.uuid ?? '', body))));
  apiRoute(app, 'DELETE', `${BASE}/:uuid`, async ({ params }) => new ApiResponse(202, shape(await mappings.delete(params.uuid ?? ''))));
}
