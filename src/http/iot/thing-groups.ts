/**
 * @module http/iot/thing-groups — static thing groups: Create/Describe/Update/Delete/List ThingGroup,
 * Add/RemoveThing(To|From)ThingGroup and ListThingsInThingGroup. ListThingGroupsForThing is with the things.
 */
import type { FastifyInstance } from 'fastify';
import { AwsError } from '../../core/aws-error.js';
import type { Registry } from '../../registry/registry.js';
import { pageOf } from '../../core/paging.js';
import { apiRoute, epochSeconds, optionalBoolean, optionalInteger, optionalString } from '../aws-api.js';
import { attributePayloadOf, optionalIntegerMember, optionalObjectMember } from './registry-payloads.js';

export function registerThingGroupRoutes(app: FastifyInstance, registry: Registry): void {
  const groups = registry.groups;
  const nameAndArn = (groupName: string) => ({ groupName, groupArn: registry.thingGroupArn(groupName) });
  const propertiesOf = (body: Readonly<Record<string, unknown>>) => {
    const properties = optionalObjectMember(body, 'thingGroupProperties');
    const payload = attributePayloadOf(properties);
    return { description: properties.thingGroupDescription, attributes: payload?.attributes, merge: payload?.merge };
  };
  /** The body's thing and group, each by name or ARN. */
  const memberOf = (body: Readonly<Record<string, unknown>>) => ({
    thingGroupName: registry.thingGroupNameOf(optionalString(body, 'thingGroupName'), optionalString(body, 'thingGroupArn')),
    thingName: registry.thingNameOf(optionalString(body, 'thingName'), optionalString(body, 'thingArn')),
  });

  apiRoute(app, 'POST', '/thing-groups/:thingGroupName', async (request) => {
    const group = await groups.create(request.params.thingGroupName as string, optionalString(request.body, 'parentGroupName'), propertiesOf(request.body));
    return { thingGroupName: group.thingGroupName, thingGroupArn: registry.thingGroupArn(group.thingGroupName), thingGroupId: group.thingGroupId };
  });
  apiRoute(app, 'GET', '/thing-groups/:thingGroupName', (request) => {
    const group = groups.describe(request.params.thingGroupName as string);
    return {
      thingGroupName: group.thingGroupName,
      thingGroupId: group.thingGroupId,
      thingGroupArn: registry.thingGroupArn(group.thingGroupName),
      version: group.version,
      thingGroupProperties: { thingGroupDescription: group.description, attributePayload: { attributes: group.attributes } },
      thingGroupMetadata: {
        parentGroupName: group.parentGroupName,
        rootToParentThingGroups: groups.ancestorsOf(group.thingGroupName).map(nameAndArn),
        creationDate: epochSeconds(group.createdAt),
      },
      status: 'ACTIVE',
    };
  });
  apiRoute(app, 'PATCH', '/thing-groups/:thingGroupName', async (request) => {
    if (request.body.thingGroupProperties === undefined) throw new AwsError('InvalidRequestException', 'thingGroupProperties is required');
    const group = await groups.update(request.params.thingGroupName as string, propertiesOf(request.body), optionalIntegerMember(request.body, 'expectedVersion'));
    return { version: group.version };
  });
  apiRoute(app, 'DELETE', '/thing-groups/:thingGroupName', async (request) => {
    await groups.delete(request.params.thingGroupName as string, optionalInteger(request.query.expectedVersion, 'expectedVersion'));
  });
  apiRoute(app, 'GET', '/thing-groups', (request) => {
    const page = groups.list({
      parentGroup: request.query.parentGroup,
      recursive: optionalBoolean(request.query.recursive, 'recursive'),
      namePrefixFilter: request.query.namePrefixFilter,
      nextToken: request.query.nextToken,
      maxResults: optionalInteger(request.query.maxResults, 'maxResults'),
    });
    return { thingGroups: page.items.map(nameAndArn), nextToken: page.nextToken };
  });
  apiRoute(app, 'PUT', '/thing-groups/addThingToThingGroup', async (request) => {
    const { thingGroupName, thingName } = memberOf(request.body);
    await registry.addThingToGroup(thingGroupName, thingName);
  });
  apiRoute(app, 'PUT', '/thing-groups/removeThingFromThingGroup', async (request) => {
    const { thingGroupName, thingName } = memberOf(request.body);
    await registry.removeThingFromGroup(thingGroupName, thingName);
  });
  apiRoute(app, 'GET', '/thing-groups/:thingGroupName/things', (request) => {
    const things = groups.thingsIn(request.params.thingGroupName as string, optionalBoolean(request.query.recursive, 'recursive') === true);
    const page = pageOf(things, (t) => t, request.query.nextToken, optionalInteger(request.query.maxResults, 'maxResults'), 250);
    return { things: page.items, nextToken: page.nextToken };
  });
}
