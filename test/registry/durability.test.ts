/**
 * @module test/registry/durability.test — things, thing types, thing groups and memberships survive a
 * restart on the same data directory (SQLite record store), and the child-group limit holds.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  AddThingToThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  DeprecateThingTypeCommand,
  DescribeThingCommand,
  DescribeThingGroupCommand,
  DescribeThingTypeCommand,
  ListThingGroupsForThingCommand,
  ListThingsInThingGroupCommand,
  UpdateThingCommand,
  UpdateThingGroupCommand,
} from '@aws-sdk/client-iot';
import { startTestHako } from '../helpers/hako.js';
import { iotClient } from '../helpers/aws.js';
import { rejectsWithAws } from '../helpers/iot-api.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'hako-registry-durability-'));

after(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

test('thing types, updated things, thing groups and memberships survive a restart', async () => {
  let hako = await startTestHako({}, dataDir);
  let iot = iotClient(hako);
  try {
    await iot.send(new CreateThingTypeCommand({ thingTypeName: 'Sensor', thingTypeProperties: { thingTypeDescription: 'temp', searchableAttributes: ['room'] } }));
    await iot.send(new CreateThingTypeCommand({ thingTypeName: 'Gone' }));
    await iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'Gone' }));
    await iot.send(new CreateThingCommand({ thingName: 'probe', thingTypeName: 'Sensor', attributePayload: { attributes: { room: 'lab' } } }));
    await iot.send(new UpdateThingCommand({ thingName: 'probe', attributePayload: { attributes: { shelf: '2' }, merge: true } }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'site', thingGroupProperties: { attributePayload: { attributes: { city: 'Oslo' } } } }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'lab', parentGroupName: 'site' }));
    await iot.send(new UpdateThingGroupCommand({ thingGroupName: 'lab', thingGroupProperties: { thingGroupDescription: 'wet lab' } }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'lab', thingName: 'probe' }));
  } finally {
    iot.destroy();
    await hako.close();
  }

  hako = await startTestHako({}, dataDir);
  iot = iotClient(hako);
  try {
    const thing = await iot.send(new DescribeThingCommand({ thingName: 'probe' }));
    assert.deepEqual([thing.thingTypeName, thing.attributes, thing.version], ['Sensor', { room: 'lab', shelf: '2' }, 2]);
    const type = await iot.send(new DescribeThingTypeCommand({ thingTypeName: 'Sensor' }));
    assert.deepEqual(type.thingTypeProperties, { thingTypeDescription: 'temp', searchableAttributes: ['room'] });
    assert.equal((await iot.send(new DescribeThingTypeCommand({ thingTypeName: 'Gone' }))).thingTypeMetadata?.deprecated, true);
    await rejectsWithAws(iot.send(new CreateThingCommand({ thingName: 'late', thingTypeName: 'Gone' })), 'InvalidRequestException');
    const lab = await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'lab' }));
    assert.deepEqual([lab.version, lab.thingGroupProperties?.thingGroupDescription, lab.thingGroupMetadata?.parentGroupName], [2, 'wet lab', 'site']);
    assert.deepEqual((await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'site' }))).thingGroupProperties?.attributePayload?.attributes, { city: 'Oslo' });
    assert.deepEqual((await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'site', recursive: true }))).things, ['probe']);
    assert.deepEqual((await iot.send(new ListThingGroupsForThingCommand({ thingName: 'probe' }))).thingGroups?.map((g) => g.groupName), ['lab']);
  } finally {
    iot.destroy();
    await hako.close();
  }
});

test('a thing group has at most 100 direct children', async () => {
  const hako = await startTestHako({ store: 'memory' });
  const iot = iotClient(hako);
  try {
    await iot.send(new CreateThingGroupCommand({ thingGroupName: 'parent' }));
    for (let i = 0; i < 100; i++) await iot.send(new CreateThingGroupCommand({ thingGroupName: `child-${i}`, parentGroupName: 'parent' }));
    await rejectsWithAws(iot.send(new CreateThingGroupCommand({ thingGroupName: 'child-100', parentGroupName: 'parent' })), 'InvalidRequestException', { message: /100 child/ });
  } finally {
    iot.destroy();
    await hako.close();
  }
});
