/**
 * @module test/registry/thing-groups.test — static thing groups through the real `@aws-sdk/client-iot`:
 * create/describe/update/delete with versions, the hierarchy (depth 7), listing (parentGroup, recursive,
 * paging) and membership (by name or ARN, ≤ 10 groups per thing, one group per hierarchy).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteThingCommand,
  DeleteThingGroupCommand,
  DescribeThingGroupCommand,
  ListThingGroupsCommand,
  ListThingGroupsForThingCommand,
  ListThingsInThingGroupCommand,
  RemoveThingFromThingGroupCommand,
  UpdateThingGroupCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { hakoWithIotForFile } from '../helpers/aws.js';
import { rejectsWithAws } from '../helpers/iot-api.js';

const GROUP_ARN = 'arn:aws:iot:us-east-1:000000000000:thinggroup/';
const THING_ARN = 'arn:aws:iot:us-east-1:000000000000:thing/';

let iot: IoTClient;
hakoWithIotForFile((started) => {
  ({ iot } = started);
}, { store: 'memory' });

const groupNames = (groups: { groupName?: string }[] | undefined) => (groups ?? []).map((g) => g.groupName);

test('CreateThingGroup and DescribeThingGroup: properties, parent, rootToParentThingGroups, version 1', async () => {
  const created = await iot.send(new CreateThingGroupCommand({ thingGroupName: 'building', thingGroupProperties: { thingGroupDescription: 'HQ', attributePayload: { attributes: { city: 'Kyoto' } } } }));
  assert.deepEqual([created.thingGroupName, created.thingGroupArn], ['building', `${GROUP_ARN}building`]);
  assert.match(created.thingGroupId ?? '', /\S/);
  await iot.send(new CreateThingGroupCommand({ thingGroupName: 'floor-1', parentGroupName: 'building' }));
  await iot.send(new CreateThingGroupCommand({ thingGroupName: 'room-101', parentGroupName: 'floor-1' }));
  const root = await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'building' }));
  assert.equal(root.thingGroupId, created.thingGroupId);
  assert.equal(root.version, 1);
  assert.deepEqual(root.thingGroupProperties, { thingGroupDescription: 'HQ', attributePayload: { attributes: { city: 'Kyoto' } } });
  assert.equal(root.thingGroupMetadata?.parentGroupName, undefined);
  assert.ok(root.thingGroupMetadata?.creationDate instanceof Date);
  const room = await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'room-101' }));
  assert.equal(room.thingGroupMetadata?.parentGroupName, 'floor-1');
  assert.deepEqual(room.thingGroupMetadata?.rootToParentThingGroups, [
    { groupName: 'building', groupArn: `${GROUP_ARN}building` },
    { groupName: 'floor-1', groupArn: `${GROUP_ARN}floor-1` },
  ]);

  const again = await iot.send(new CreateThingGroupCommand({ thingGroupName: 'floor-1', parentGroupName: 'building' }));
  assert.equal(again.thingGroupArn, `${GROUP_ARN}floor-1`, 'the same request again answers the existing group');
  await rejectsWithAws(iot.send(new CreateThingGroupCommand({ thingGroupName: 'floor-1' })), 'ResourceAlreadyExistsException');
  await rejectsWithAws(iot.send(new CreateThingGroupCommand({ thingGroupName: 'orphan', parentGroupName: 'no-such-group' })), 'ResourceNotFoundException');
  await rejectsWithAws(iot.send(new CreateThingGroupCommand({ thingGroupName: 'bad name' })), 'InvalidRequestException');
  await rejectsWithAws(iot.send(new CreateThingGroupCommand({ thingGroupName: 'bad-attr', thingGroupProperties: { attributePayload: { attributes: { 'a b': 'x' } } } })), 'InvalidRequestException');
  const fiftyOne = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
  await rejectsWithAws(iot.send(new CreateThingGroupCommand({ thingGroupName: 'too-many', thingGroupProperties: { attributePayload: { attributes: fiftyOne } } })), 'InvalidRequestException', { message: /at most 50/ });
  await rejectsWithAws(iot.send(new DescribeThingGroupCommand({ thingGroupName: 'no-such-group' })), 'ResourceNotFoundException');
});

test('the hierarchy is at most 7 deep', async () => {
  let parent: string | undefined;
  for (let depth = 1; depth <= 7; depth++) {
    await iot.send(new CreateThingGroupCommand({ thingGroupName: `deep-${depth}`, parentGroupName: parent }));
    parent = `deep-${depth}`;
  }
  await rejectsWithAws(iot.send(new CreateThingGroupCommand({ thingGroupName: 'deep-8', parentGroupName: 'deep-7' })), 'InvalidRequestException', { message: /depth/ });
  assert.equal((await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'deep-7' }))).thingGroupMetadata?.rootToParentThingGroups?.length, 6);
});

test('UpdateThingGroup: description, attributes replaced or merged (empty value removes), version +1, expectedVersion', async () => {
  await iot.send(new CreateThingGroupCommand({ thingGroupName: 'upd', thingGroupProperties: { thingGroupDescription: 'one', attributePayload: { attributes: { a: '1', b: '2' } } } }));
  let answer = await iot.send(new UpdateThingGroupCommand({ thingGroupName: 'upd', thingGroupProperties: { attributePayload: { attributes: { b: '', c: '3' }, merge: true } } }));
  assert.equal(answer.version, 2);
  let group = await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'upd' }));
  assert.deepEqual(group.thingGroupProperties, { thingGroupDescription: 'one', attributePayload: { attributes: { a: '1', c: '3' } } });
  answer = await iot.send(new UpdateThingGroupCommand({ thingGroupName: 'upd', expectedVersion: 2, thingGroupProperties: { thingGroupDescription: 'two', attributePayload: { attributes: { d: '4' } } } }));
  assert.equal(answer.version, 3);
  group = await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'upd' }));
  assert.deepEqual([group.version, group.thingGroupProperties], [3, { thingGroupDescription: 'two', attributePayload: { attributes: { d: '4' } } }]);
  await rejectsWithAws(iot.send(new UpdateThingGroupCommand({ thingGroupName: 'upd', expectedVersion: 2, thingGroupProperties: { thingGroupDescription: 'x' } })), 'VersionConflictException');
  await rejectsWithAws(iot.send(new UpdateThingGroupCommand({ thingGroupName: 'no-such-group', thingGroupProperties: {} })), 'ResourceNotFoundException');
});

test('ListThingGroups: all, roots only (recursive=false), children of a parent, recursive descendants, prefix, paging', async () => {
  await iot.send(new CreateThingGroupCommand({ thingGroupName: 'L' }));
  await iot.send(new CreateThingGroupCommand({ thingGroupName: 'L-a', parentGroupName: 'L' }));
  await iot.send(new CreateThingGroupCommand({ thingGroupName: 'L-b', parentGroupName: 'L' }));
  await iot.send(new CreateThingGroupCommand({ thingGroupName: 'L-a-1', parentGroupName: 'L-a' }));
  assert.deepEqual(groupNames((await iot.send(new ListThingGroupsCommand({ parentGroup: 'L' }))).thingGroups), ['L-a', 'L-b']);
  assert.deepEqual(groupNames((await iot.send(new ListThingGroupsCommand({ parentGroup: 'L', recursive: true }))).thingGroups), ['L-a', 'L-a-1', 'L-b']);
  assert.deepEqual(groupNames((await iot.send(new ListThingGroupsCommand({ namePrefixFilter: 'L' }))).thingGroups), ['L', 'L-a', 'L-a-1', 'L-b']);
  assert.deepEqual(groupNames((await iot.send(new ListThingGroupsCommand({ namePrefixFilter: 'L', recursive: false }))).thingGroups), ['L']);
  const listed = (await iot.send(new ListThingGroupsCommand({ namePrefixFilter: 'L-a-1' }))).thingGroups;
  assert.deepEqual(listed, [{ groupName: 'L-a-1', groupArn: `${GROUP_ARN}L-a-1` }]);
  const everything = groupNames((await iot.send(new ListThingGroupsCommand({}))).thingGroups);
  const seen: (string | undefined)[] = [];
  let nextToken: string | undefined;
  do {
    const page = await iot.send(new ListThingGroupsCommand({ maxResults: 3, nextToken }));
    assert.ok((page.thingGroups ?? []).length <= 3);
    seen.push(...groupNames(page.thingGroups));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  assert.deepEqual(seen, everything);
  await rejectsWithAws(iot.send(new ListThingGroupsCommand({ parentGroup: 'no-such-group' })), 'ResourceNotFoundException');
});

test('AddThingToThingGroup / RemoveThingFromThingGroup by name or ARN; ListThingsInThingGroup (recursive) and ListThingGroupsForThing', async () => {
  await iot.send(new CreateThingGroupCommand({ thingGroupName: 'M' }));
  await iot.send(new CreateThingGroupCommand({ thingGroupName: 'M-child', parentGroupName: 'M' }));
  await iot.send(new CreateThingGroupCommand({ thingGroupName: 'N' }));
  for (const thingName of ['m-1', 'm-2', 'm-3']) await iot.send(new CreateThingCommand({ thingName }));
  await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'M', thingName: 'm-1' }));
  await iot.send(new AddThingToThingGroupCommand({ thingGroupArn: `${GROUP_ARN}M-child`, thingArn: `${THING_ARN}m-2` }));
  await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'M-child', thingName: 'm-3' }));
  await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'M-child', thingName: 'm-3' })); // twice is harmless
  await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'N', thingName: 'm-1' }));
  assert.deepEqual((await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'M' }))).things, ['m-1']);
  assert.deepEqual((await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'M', recursive: true }))).things, ['m-1', 'm-2', 'm-3']);
  const first = await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'M', recursive: true, maxResults: 2 }));
  const rest = await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'M', recursive: true, maxResults: 2, nextToken: first.nextToken }));
  assert.deepEqual([...(first.things ?? []), ...(rest.things ?? [])], ['m-1', 'm-2', 'm-3']);
  assert.equal(rest.nextToken, undefined);
  assert.deepEqual((await iot.send(new ListThingGroupsForThingCommand({ thingName: 'm-1' }))).thingGroups, [
    { groupName: 'M', groupArn: `${GROUP_ARN}M` },
    { groupName: 'N', groupArn: `${GROUP_ARN}N` },
  ]);
  const page = await iot.send(new ListThingGroupsForThingCommand({ thingName: 'm-1', maxResults: 1 }));
  assert.deepEqual(groupNames(page.thingGroups), ['M']);
  assert.deepEqual(groupNames((await iot.send(new ListThingGroupsForThingCommand({ thingName: 'm-1', nextToken: page.nextToken }))).thingGroups), ['N']);

  await iot.send(new RemoveThingFromThingGroupCommand({ thingGroupArn: `${GROUP_ARN}N`, thingArn: `${THING_ARN}m-1` }));
  await iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: 'M-child', thingName: 'm-3' }));
  await iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: 'M-child', thingName: 'm-3' })); // not a member: harmless
  assert.deepEqual(groupNames((await iot.send(new ListThingGroupsForThingCommand({ thingName: 'm-1' }))).thingGroups), ['M']);
  assert.deepEqual((await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'M', recursive: true }))).things, ['m-1', 'm-2']);

  await rejectsWithAws(iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'M', thingName: 'no-such-thing' })), 'ResourceNotFoundException');
  await rejectsWithAws(iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'no-such-group', thingName: 'm-1' })), 'ResourceNotFoundException');
  await rejectsWithAws(iot.send(new AddThingToThingGroupCommand({ thingName: 'm-1' })), 'InvalidRequestException');
  await rejectsWithAws(iot.send(new AddThingToThingGroupCommand({ thingGroupArn: 'arn:aws:iot:us-east-1:999999999999:thinggroup/M', thingName: 'm-1' })), 'InvalidRequestException');
  await rejectsWithAws(iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'no-such-group' })), 'ResourceNotFoundException');
  await rejectsWithAws(iot.send(new ListThingGroupsForThingCommand({ thingName: 'no-such-thing' })), 'ResourceNotFoundException');

  // Deleting a thing takes it out of its groups.
  await iot.send(new DeleteThingCommand({ thingName: 'm-2' }));
  assert.deepEqual((await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'M-child' }))).things, []);
});

test('a thing is in at most 10 groups, and in at most one group of a hierarchy', async () => {
  await iot.send(new CreateThingCommand({ thingName: 'joiner' }));
  for (let i = 0; i < 11; i++) await iot.send(new CreateThingGroupCommand({ thingGroupName: `root-${i}` }));
  for (let i = 0; i < 10; i++) await iot.send(new AddThingToThingGroupCommand({ thingGroupName: `root-${i}`, thingName: 'joiner' }));
  await rejectsWithAws(iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'root-10', thingName: 'joiner' })), 'InvalidRequestException', { message: /10/ });
  assert.equal((await iot.send(new ListThingGroupsForThingCommand({ thingName: 'joiner' }))).thingGroups?.length, 10);

  await iot.send(new CreateThingCommand({ thingName: 'climber' }));
  await iot.send(new CreateThingGroupCommand({ thingGroupName: 'H-child', parentGroupName: 'root-0' }));
  await iot.send(new CreateThingGroupCommand({ thingGroupName: 'H-sibling', parentGroupName: 'root-0' }));
  await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'H-child', thingName: 'climber' }));
  await rejectsWithAws(iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'H-sibling', thingName: 'climber' })), 'InvalidRequestException', { message: /hierarchy/ });
  await rejectsWithAws(iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'root-0', thingName: 'climber' })), 'InvalidRequestException', { message: /hierarchy/ });
});

test('DeleteThingGroup: expectedVersion, refused with child groups, removes memberships, missing group succeeds', async () => {
  await iot.send(new CreateThingGroupCommand({ thingGroupName: 'D' }));
  await iot.send(new CreateThingGroupCommand({ thingGroupName: 'D-child', parentGroupName: 'D' }));
  await iot.send(new CreateThingCommand({ thingName: 'd-1' }));
  await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'D-child', thingName: 'd-1' }));
  await rejectsWithAws(iot.send(new DeleteThingGroupCommand({ thingGroupName: 'D' })), 'InvalidRequestException', { message: /child/ });
  await rejectsWithAws(iot.send(new DeleteThingGroupCommand({ thingGroupName: 'D-child', expectedVersion: 5 })), 'VersionConflictException');
  await iot.send(new DeleteThingGroupCommand({ thingGroupName: 'D-child', expectedVersion: 1 }));
  await rejectsWithAws(iot.send(new DescribeThingGroupCommand({ thingGroupName: 'D-child' })), 'ResourceNotFoundException');
  assert.deepEqual((await iot.send(new ListThingGroupsForThingCommand({ thingName: 'd-1' }))).thingGroups, []);
  assert.deepEqual(groupNames((await iot.send(new ListThingGroupsCommand({ parentGroup: 'D' }))).thingGroups), []);
  await iot.send(new DeleteThingGroupCommand({ thingGroupName: 'D' }));
  await iot.send(new DeleteThingGroupCommand({ thingGroupName: 'D' })); // already gone: succeeds
  await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'root-10', thingName: 'd-1' }));
});
