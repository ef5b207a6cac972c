/**
 * @module test/registry/thing-types.test — CreateThingType, DescribeThingType, ListThingTypes,
 * DeprecateThingType and DeleteThingType through the real `@aws-sdk/client-iot`; the five-minute wait
 * after deprecation is tested on the registry with a controlled clock.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateThingCommand,
  CreateThingTypeCommand,
  DeleteThingTypeCommand,
  DeprecateThingTypeCommand,
  DescribeThingTypeCommand,
  ListThingTypesCommand,
  UpdateThingCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { hakoWithIotForFile } from '../helpers/aws.js';
import { rejectsWithAws } from '../helpers/iot-api.js';
import { ChangeFeed } from '../../src/core/change-feed.js';
import { MemoryRecordStore } from '../../src/store/records.js';
import { Registry } from '../../src/registry/registry.js';

const TYPE_ARN = 'arn:aws:iot:us-east-1:000000000000:thingtype/';

let iot: IoTClient;
hakoWithIotForFile((started) => {
  ({ iot } = started);
}, { store: 'memory' });

test('CreateThingType and DescribeThingType: id, ARN, properties, metadata (epoch-second dates)', async () => {
  const before = Date.now();
  const created = await iot.send(new CreateThingTypeCommand({ thingTypeName: 'StopLight', thingTypeProperties: { thingTypeDescription: 'traffic light', searchableAttributes: ['model', 'wattage'] } }));
  assert.equal(created.thingTypeName, 'StopLight');
  assert.equal(created.thingTypeArn, `${TYPE_ARN}StopLight`);
  assert.match(created.thingTypeId ?? '', /\S/);
  const described = await iot.send(new DescribeThingTypeCommand({ thingTypeName: 'StopLight' }));
  assert.equal(described.thingTypeId, created.thingTypeId);
  assert.equal(described.thingTypeArn, `${TYPE_ARN}StopLight`);
  assert.deepEqual(described.thingTypeProperties, { thingTypeDescription: 'traffic light', searchableAttributes: ['model', 'wattage'] });
  assert.equal(described.thingTypeMetadata?.deprecated, false);
  assert.equal(described.thingTypeMetadata?.deprecationDate, undefined);
  const creation = described.thingTypeMetadata?.creationDate?.getTime() ?? 0;
  assert.ok(creation >= before - 1000 && creation <= Date.now() + 1000, 'creationDate is now');

  const again = await iot.send(new CreateThingTypeCommand({ thingTypeName: 'StopLight', thingTypeProperties: { thingTypeDescription: 'traffic light', searchableAttributes: ['model', 'wattage'] } }));
  assert.equal(again.thingTypeId, created.thingTypeId, 'the same request again answers the same type');
  await rejectsWithAws(iot.send(new CreateThingTypeCommand({ thingTypeName: 'StopLight', thingTypeProperties: { thingTypeDescription: 'changed' } })), 'ResourceAlreadyExistsException');
  await rejectsWithAws(iot.send(new DescribeThingTypeCommand({ thingTypeName: 'NoSuchType' })), 'ResourceNotFoundException');
});

test('CreateThingType refuses bad names, more than 3 searchable attributes and bad attribute names', async () => {
  await rejectsWithAws(iot.send(new CreateThingTypeCommand({ thingTypeName: 'bad name' })), 'InvalidRequestException');
  await rejectsWithAws(iot.send(new CreateThingTypeCommand({ thingTypeName: 'Four', thingTypeProperties: { searchableAttributes: ['a', 'b', 'c', 'd'] } })), 'InvalidRequestException', { message: /3 searchable/ });
  await rejectsWithAws(iot.send(new CreateThingTypeCommand({ thingTypeName: 'BadAttr', thingTypeProperties: { searchableAttributes: ['no space'] } })), 'InvalidRequestException');
  await iot.send(new CreateThingTypeCommand({ thingTypeName: 'Three', thingTypeProperties: { searchableAttributes: ['a', 'b', 'c'] } }));
});

test('ListThingTypes pages and filters by name', async () => {
  for (const name of ['page-a', 'page-b', 'page-c', 'page-d', 'page-e']) await iot.send(new CreateThingTypeCommand({ thingTypeName: name }));
  const everything = (await iot.send(new ListThingTypesCommand({}))).thingTypes ?? [];
  const seen: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await iot.send(new ListThingTypesCommand({ maxResults: 2, nextToken }));
    assert.ok((page.thingTypes ?? []).length <= 2);
    seen.push(...(page.thingTypes ?? []).map((t) => t.thingTypeName ?? ''));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  assert.deepEqual(seen, everything.map((t) => t.thingTypeName));
  assert.deepEqual(seen, [...seen].sort());
  for (const name of ['page-a', 'page-e']) assert.ok(seen.includes(name));
  const one = (await iot.send(new ListThingTypesCommand({ thingTypeName: 'page-c' }))).thingTypes ?? [];
  assert.equal(one.length, 1);
  assert.equal(one[0]?.thingTypeArn, `${TYPE_ARN}page-c`);
  assert.equal(one[0]?.thingTypeMetadata?.deprecated, false);
  await rejectsWithAws(iot.send(new ListThingTypesCommand({ maxResults: 0 })), 'InvalidRequestException');
});

test('DeprecateThingType deprecates (with a date) and undoDeprecate reverses it; deprecated types take no new things', async () => {
  await iot.send(new CreateThingTypeCommand({ thingTypeName: 'Old' }));
  await iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'Old' }));
  let metadata = (await iot.send(new DescribeThingTypeCommand({ thingTypeName: 'Old' }))).thingTypeMetadata;
  assert.equal(metadata?.deprecated, true);
  assert.ok(metadata?.deprecationDate instanceof Date);
  await rejectsWithAws(iot.send(new CreateThingCommand({ thingName: 'old-1', thingTypeName: 'Old' })), 'InvalidRequestException');
  await iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'Old', undoDeprecate: true }));
  metadata = (await iot.send(new DescribeThingTypeCommand({ thingTypeName: 'Old' }))).thingTypeMetadata;
  assert.equal(metadata?.deprecated, false);
  assert.equal(metadata?.deprecationDate, undefined);
  await iot.send(new CreateThingCommand({ thingName: 'old-1', thingTypeName: 'Old' }));
  await rejectsWithAws(iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'NoSuchType' })), 'ResourceNotFoundException');
});

test('DeleteThingType refuses a type that is not deprecated, or deprecated less than 5 minutes ago; a missing type is ResourceNotFoundException', async () => {
  await iot.send(new CreateThingTypeCommand({ thingTypeName: 'Doomed' }));
  await rejectsWithAws(iot.send(new DeleteThingTypeCommand({ thingTypeName: 'Doomed' })), 'InvalidRequestException', { message: /deprecated/ });
  await iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'Doomed' }));
  await rejectsWithAws(iot.send(new DeleteThingTypeCommand({ thingTypeName: 'Doomed' })), 'InvalidRequestException', { message: /5 minutes/ });
  await rejectsWithAws(iot.send(new DeleteThingTypeCommand({ thingTypeName: 'NoSuchType' })), 'ResourceNotFoundException');
  assert.equal((await iot.send(new DescribeThingTypeCommand({ thingTypeName: 'Doomed' }))).thingTypeName, 'Doomed');
});

test('registry: DeleteThingType after 5 minutes of deprecation, only when no thing uses the type; changes bump the feed', async () => {
  let now = 1_700_000_000_000;
  const clock = { now: () => now, monotonic: () => now };
  const changes = new ChangeFeed();
  const registry = new Registry({ records: new MemoryRecordStore(), clock, changes, thingArn: (name) => `arn:aws:iot:eu-west-1:123456789012:thing/${name}` });
  await registry.start();
  assert.equal(registry.thingTypeArn('T'), 'arn:aws:iot:eu-west-1:123456789012:thingtype/T');
  const start = changes.version;
  await registry.types.create('T');
  assert.ok(changes.version > start, 'creating a type bumps the change feed');
  await registry.createThing('user', { thingTypeName: 'T' });
  await registry.types.deprecate('T', false);
  const deprecatedAt = registry.types.describe('T').deprecatedAt;
  now += 60_000;
  await registry.types.deprecate('T', false); // again: keeps the first date
  assert.equal(registry.types.describe('T').deprecatedAt, deprecatedAt);
  now += 4 * 60_000 - 1;
  await assert.rejects(registry.types.delete('T'), { name: 'InvalidRequestException', message: /5 minutes/ });
  now += 1;
  await assert.rejects(registry.types.delete('T'), { name: 'InvalidRequestException', message: /associated with 1 thing/ });
  const beforeUpdate = changes.version;
  await registry.updateThing('user', { removeThingType: true });
  assert.ok(changes.version > beforeUpdate, 'UpdateThing bumps the change feed');
  await registry.types.delete('T');
  assert.equal(registry.types.get('T'), undefined);
  await assert.rejects(registry.createThing('another', { thingTypeName: 'T' }), { name: 'ResourceNotFoundException' });
});

test('a thing keeps working with its type after the type is deprecated, and can leave it', async () => {
  await iot.send(new CreateThingTypeCommand({ thingTypeName: 'Legacy' }));
  await iot.send(new CreateThingCommand({ thingName: 'legacy-1', thingTypeName: 'Legacy', attributePayload: { attributes: { a: '1' } } }));
  await iot.send(new DeprecateThingTypeCommand({ thingTypeName: 'Legacy' }));
  await iot.send(new UpdateThingCommand({ thingName: 'legacy-1', thingTypeName: 'Legacy', attributePayload: { attributes: { b: '2' }, merge: true } }));
  await iot.send(new UpdateThingCommand({ thingName: 'legacy-1', removeThingType: true }));
});
