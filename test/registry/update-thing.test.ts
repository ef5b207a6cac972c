/**
 * @module test/registry/update-thing.test — UpdateThing and the thing rules it shares with CreateThing
 * (attribute limits 3 without a type / 50 with one, name and attribute patterns, thing types that must exist
 * and not be deprecated), through the real `@aws-sdk/client-iot`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateThingCommand, CreateThingTypeCommand, DeprecateThingTypeCommand, DescribeThingCommand, ListThingsCommand, UpdateThingCommand, type IoTClient } from '@aws-sdk/client-iot';
import { hakoWithIotForFile } from '../helpers/aws.js';
import { rejectsWithAws } from '../helpers/iot-api.js';

let iot: IoTClient;
hakoWithIotForFile(async (started) => {
  ({ iot } = started);
  await iot.send(new CreateThingTypeCommand({ thingTypeName: 'Lamp' }));
  await iot.send(new CreateThingTypeCommand({ thingTypeName: 'Retired' }));
  await iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'Retired' }));
}, { store: 'memory' });

const describe = async (thingName: string) => iot.send(new DescribeThingCommand({ thingName }));
const manyAttributes = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, `v${i}`]));

test('UpdateThing merge:true merges, an empty value removes, and each update adds 1 to the version', async () => {
  await iot.send(new CreateThingCommand({ thingName: 'u-merge', attributePayload: { attributes: { room: 'kitchen', floor: '1' } } }));
  await iot.send(new UpdateThingCommand({ thingName: 'u-merge', attributePayload: { attributes: { floor: '2', wing: 'east' }, merge: true } }));
  let thing = await describe('u-merge');
  assert.deepEqual(thing.attributes, { room: 'kitchen', floor: '2', wing: 'east' });
  assert.equal(thing.version, 2);
  await iot.send(new UpdateThingCommand({ thingName: 'u-merge', attributePayload: { attributes: { room: '' }, merge: true } }));
  thing = await describe('u-merge');
  assert.deepEqual(thing.attributes, { floor: '2', wing: 'east' });
  assert.equal(thing.version, 3);
  await iot.send(new UpdateThingCommand({ thingName: 'u-merge' })); // nothing changed, still a new version
  assert.equal((await describe('u-merge')).version, 4);
});

test('UpdateThing without merge replaces all attributes', async () => {
  await iot.send(new CreateThingCommand({ thingName: 'u-replace', attributePayload: { attributes: { a: '1', b: '2' } } }));
  await iot.send(new UpdateThingCommand({ thingName: 'u-replace', attributePayload: { attributes: { c: '3' } } }));
  assert.deepEqual((await describe('u-replace')).attributes, { c: '3' });
  await iot.send(new UpdateThingCommand({ thingName: 'u-replace', attributePayload: { attributes: {}, merge: false } }));
  assert.deepEqual((await describe('u-replace')).attributes, {});
});

test('UpdateThing expectedVersion: a stale version is a VersionConflictException and changes nothing', async () => {
  await iot.send(new CreateThingCommand({ thingName: 'u-version', attributePayload: { attributes: { a: '1' } } }));
  await iot.send(new UpdateThingCommand({ thingName: 'u-version', expectedVersion: 1, attributePayload: { attributes: { a: '2' } } }));
  await rejectsWithAws(iot.send(new UpdateThingCommand({ thingName: 'u-version', expectedVersion: 1, attributePayload: { attributes: { a: '3' } } })), 'VersionConflictException');
  const thing = await describe('u-version');
  assert.deepEqual([thing.version, thing.attributes], [2, { a: '2' }]);
  await rejectsWithAws(iot.send(new UpdateThingCommand({ thingName: 'no-such-thing', attributePayload: { attributes: {} } })), 'ResourceNotFoundException');
});

test('attribute limits: 3 without a thing type, 50 with one, on create and on update', async () => {
  await rejectsWithAws(iot.send(new CreateThingCommand({ thingName: 'u-four', attributePayload: { attributes: manyAttributes(4) } })), 'InvalidRequestException', { message: /at most 3/ });
  await iot.send(new CreateThingCommand({ thingName: 'u-three', attributePayload: { attributes: manyAttributes(3) } }));
  await rejectsWithAws(iot.send(new UpdateThingCommand({ thingName: 'u-three', attributePayload: { attributes: { extra: 'x' }, merge: true } })), 'InvalidRequestException');
  await iot.send(new CreateThingCommand({ thingName: 'u-fifty', thingTypeName: 'Lamp', attributePayload: { attributes: manyAttributes(50) } }));
  assert.equal(Object.keys((await describe('u-fifty')).attributes ?? {}).length, 50);
  await rejectsWithAws(iot.send(new UpdateThingCommand({ thingName: 'u-fifty', attributePayload: { attributes: { a50: 'x' }, merge: true } })), 'InvalidRequestException', { message: /at most 50/ });
  await rejectsWithAws(iot.send(new CreateThingCommand({ thingName: 'u-fifty-one', thingTypeName: 'Lamp', attributePayload: { attributes: manyAttributes(51) } })), 'InvalidRequestException');
  // Removing the type would leave 50 attributes on an untyped thing: refused.
  await rejectsWithAws(iot.send(new UpdateThingCommand({ thingName: 'u-fifty', removeThingType: true })), 'InvalidRequestException');
  assert.equal((await describe('u-fifty')).thingTypeName, 'Lamp');
});

test('names, attribute names and values follow AWS patterns (InvalidRequestException)', async () => {
  await rejectsWithAws(iot.send(new CreateThingCommand({ thingName: 'x'.repeat(129) })), 'InvalidRequestException');
  await iot.send(new CreateThingCommand({ thingName: `${'x'.repeat(127)}:` }));
  await rejectsWithAws(iot.send(new CreateThingCommand({ thingName: 'u-key', attributePayload: { attributes: { 'bad key': 'v' } } })), 'InvalidRequestException');
  await rejectsWithAws(iot.send(new CreateThingCommand({ thingName: 'u-key', attributePayload: { attributes: { 'a=b': 'v' } } })), 'InvalidRequestException', { message: /attribute name/ });
  await rejectsWithAws(iot.send(new CreateThingCommand({ thingName: 'u-key', attributePayload: { attributes: { k: 'has space' } } })), 'InvalidRequestException');
  await rejectsWithAws(iot.send(new CreateThingCommand({ thingName: 'u-key', attributePayload: { attributes: { k: 'v'.repeat(801) } } })), 'InvalidRequestException');
  await rejectsWithAws(iot.send(new CreateThingCommand({ thingName: 'u-key', attributePayload: { attributes: { ['k'.repeat(129)]: 'v' } } })), 'InvalidRequestException');
  await iot.send(new CreateThingCommand({ thingName: 'u-key', attributePayload: { attributes: { 'a.b,c@d/e:f#g-h_i': 'x=[y]', long: 'v'.repeat(800) } } }));
  assert.equal((await describe('u-key')).attributes?.['a.b,c@d/e:f#g-h_i'], 'x=[y]');
  await rejectsWithAws(iot.send(new UpdateThingCommand({ thingName: 'u-key', attributePayload: { attributes: { 'bad key': 'v' }, merge: true } })), 'InvalidRequestException');
});

test('thing types on things: must exist, must not be deprecated; UpdateThing sets and removes them', async () => {
  await rejectsWithAws(iot.send(new CreateThingCommand({ thingName: 'u-typed', thingTypeName: 'NoSuchType' })), 'ResourceNotFoundException');
  await rejectsWithAws(iot.send(new CreateThingCommand({ thingName: 'u-typed', thingTypeName: 'Retired' })), 'InvalidRequestException', { message: /deprecated/ });
  await iot.send(new CreateThingCommand({ thingName: 'u-typed' }));
  await rejectsWithAws(iot.send(new UpdateThingCommand({ thingName: 'u-typed', thingTypeName: 'NoSuchType' })), 'ResourceNotFoundException');
  await rejectsWithAws(iot.send(new UpdateThingCommand({ thingName: 'u-typed', thingTypeName: 'Retired' })), 'InvalidRequestException');
  await iot.send(new UpdateThingCommand({ thingName: 'u-typed', thingTypeName: 'Lamp', attributePayload: { attributes: manyAttributes(10) } }));
  let thing = await describe('u-typed');
  assert.deepEqual([thing.thingTypeName, Object.keys(thing.attributes ?? {}).length, thing.version], ['Lamp', 10, 2]);
  assert.deepEqual((await iot.send(new ListThingsCommand({ thingTypeName: 'Lamp' }))).things?.map((t) => t.thingName).includes('u-typed'), true);
  await rejectsWithAws(iot.send(new UpdateThingCommand({ thingName: 'u-typed', thingTypeName: 'Lamp', removeThingType: true })), 'InvalidRequestException');
  await iot.send(new UpdateThingCommand({ thingName: 'u-typed', removeThingType: true, attributePayload: { attributes: { a0: 'v0' } } }));
  thing = await describe('u-typed');
  assert.deepEqual([thing.thingTypeName, thing.attributes, thing.version], [undefined, { a0: 'v0' }, 3]);
});
