/**
 * @module http/iot/things — Create/Describe/Update/Delete/List Thing, the thing ↔ principal attachments
 * (AttachThingPrincipal and friends) and ListThingGroupsForThing. Thing types and groups have their own files.
 */
import type { FastifyInstance } from 'fastify';
import { AwsError } from '../../core/aws-error.js';
import type { Registry, Thing } from '../../registry/registry.js';
import type { Identity } from '../../iam/identity.js';
import { pageOf } from '../../core/paging.js';
import { apiRoute, optionalInteger, optionalString, requiredHeader } from '../aws-api.js';
import { attributePayloadOf, optionalBooleanMember, optionalIntegerMember } from './registry-payloads.js';

export function registerThingRoutes(app: FastifyInstance, registry: Registry, identity: Identity): void {
  const describe = (thing: Thing) => ({
    defaultClientId: thing.thingName,
    thingName: thing.thingName,
    thingId: thing.thingId,
    thingArn: registry.thingArn(thing.thingName),
    thingTypeName: thing.thingTypeName,
    attributes: thing.attributes,
    version: thing.version,
  });
  /** A principal must be a certificate ARN of a registered certificate (AWS also allows Cognito ids). */
  const principalOf = (value: string): string => {
    const certificateId = identity.arns.certificateIdOf(value);
    if (certificateId === undefined) throw new AwsError('InvalidRequestException', `principal ${value} is not a certificate ARN of this account`);
    if (identity.certificates.get(certificateId) === undefined) throw new AwsError('ResourceNotFoundException', `The certificate ${certificateId} does not exist`);
    return value;
  };

  apiRoute(app, 'POST', '/things/:thingName', async (request) => {
    const payload = attributePayloadOf(request.body);
    const thing = await registry.createThing(request.params.thingName as string, { thingTypeName: optionalString(request.body, 'thingTypeName'), attributes: payload?.attributes });
    return { thingName: thing.thingName, thingArn: registry.thingArn(thing.thingName), thingId: thing.thingId };
  });
  apiRoute(app, 'GET', '/things/:thingName', (request) => describe(registry.describeThing(request.params.thingName as string)));
  apiRoute(app, 'PATCH', '/things/:thingName', async (request) => {
    const payload = attributePayloadOf(request.body);
    await registry.updateThing(request.params.thingName as string, {
      thingTypeName: optionalString(request.body, 'thingTypeName'),
      removeThingType: optionalBooleanMember(request.body, 'removeThingType'),
      attributes: payload?.attributes,
      merge: payload?.merge,
      expectedVersion: optionalIntegerMember(request.body, 'expectedVersion'),
    });
  });
  apiRoute(app, 'GET', '/things/:thingName/thing-groups', (request) => {
    const groups = registry.groupsOfThing(request.params.thingName as string);
    const page = pageOf(groups, (g) => g, request.query.nextToken, optionalInteger(request.query.maxResults, 'maxResults'), 250);
    return { thingGroups: page.items.map((groupName) => ({ groupName, groupArn: registry.thingGroupArn(groupName) })), nextToken: page.nextToken };
  });
  apiRoute(app, 'DELETE', '/things/:thingName', async (request) => {
    await registry.deleteThing(request.params.thingName as string, optionalInteger(request.query.expectedVersion, 'expectedVersion'));
  });
  apiRoute(app, 'GET', '/things', (request) => {
    const page = registry.listThings({
      nextToken: request.query.nextToken,
      maxResults: optionalInteger(request.query.maxResults, 'maxResults'),
      attributeName: request.query.attributeName,
      attributeValue: request.query.attributeValue,
      thingTypeName: request.query.thingTypeName,
    });
    return {
      things: page.items.map((t) => ({ thingName: t.thingName, thingTypeName: t.thingTypeName, thingArn: registry.thingArn(t.thingName), attributes: t.attributes, version: t.version })),
      nextToken: page.nextToken,
    };
  });
  apiRoute(app, 'PUT', '/things/:thingName/principals', async (request) => {
    await registry.attachPrincipal(request.params.thingName as string, principalOf(requiredHeader(request, 'x-amzn-principal')));
  });
  apiRoute(app, 'DELETE', '/things/:thingName/principals', async (request) => {
    await registry.detachPrincipal(request.params.thingName as string, requiredHeader(request, 'x-amzn-principal'));
  });
  apiRoute(app, 'GET', '/things/:thingName/principals', (request) => {
    const page = pageOf(registry.principalsOf(request.params.thingName as string), (p) => p, request.query.nextToken, optionalInteger(request.query.maxResults, 'maxResults'), 250);
    return { principals: page.items, nextToken: page.nextToken };
  });
  apiRoute(app, 'GET', '/principals/things', (request) => {
    const page = pageOf(registry.thingsOf(requiredHeader(request, 'x-amzn-principal')), (t) => t, request.query.nextToken, optionalInteger(request.query.maxResults, 'maxResults'), 250);
    return { things: page.items, nextToken: page.nextToken };
  });
}
