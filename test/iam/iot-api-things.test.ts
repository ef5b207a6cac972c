/**
 * @module test/iam/iot-api-things.test — the registry operations identity relies on, through the real
 * `@aws-sdk/client-iot`: things and the certificates attached to them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DeleteThingCommand,
  DescribeThingCommand,
  DetachThingPrincipalCommand,
  ListPrincipalThingsCommand,
  ListThingPrincipalsCommand,
  ListThingsCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { hakoWithIotForFile } from '../helpers/aws.js';
import { rejectsWithAws } from '../helpers/iot-api.js';

const THING_ARN = 'arn:aws:iot:us-east-1:000000000000:thing/';

let iot: IoTClient;
hakoWithIotForFile((started) => {
  ({ iot } = started);
});

async function newCertificateArn(): Promise<string> {
  return (await iot.send(new CreateKeysAndCertificateCommand({}))).certificateArn ?? assert.fail('no certificateArn');
}

test('CreateThing is idempotent with the same attributes and refuses different ones; DescribeThing returns the record', async () => {
  const attributePayload = { attributes: { colour: 'red', floor: '3' } };
  const created = await iot.send(new CreateThingCommand({ thingName: 'lamp-1', attributePayload }));
  assert.equal(created.thingName, 'lamp-1');
  assert.equal(created.thingArn, `${THING_ARN}lamp-1`);
  assert.match(created.thingId ?? '', /\S/);
  const again = await iot.send(new CreateThingCommand({ thingName: 'lamp-1', attributePayload: { attributes: { floor: '3', colour: 'red' } } }));
  assert.equal(again.thingId, created.thingId, 'the same thing, not a new one');
  await rejectsWithAws(iot.send(new CreateThingCommand({ thingName: 'lamp-1', attributePayload: { attributes: { colour: 'blue', floor: '3' } } })), 'ResourceAlreadyExistsException');
  await rejectsWithAws(iot.send(new CreateThingCommand({ thingName: 'lamp-1' })), 'ResourceAlreadyExistsException');

  const described = await iot.send(new DescribeThingCommand({ thingName: 'lamp-1' }));
  assert.equal(described.thingName, 'lamp-1');
  assert.equal(described.thingId, created.thingId);
  assert.equal(described.thingArn, `${THING_ARN}lamp-1`);
  assert.equal(described.defaultClientId, 'lamp-1');
  assert.deepEqual(described.attributes, { colour: 'red', floor: '3' });
  assert.equal(described.version, 1);
  assert.match(described.$metadata.requestId ?? '', /\S/, 'a successful response carries x-amzn-RequestId');

  await rejectsWithAws(iot.send(new DescribeThingCommand({ thingName: 'no-such-thing' })), 'ResourceNotFoundException');
  await rejectsWithAws(iot.send(new CreateThingCommand({ thingName: 'bad name' })), 'InvalidRequestException');
});

test('ListThings pages with maxResults and nextToken, and filters by attribute', async () => {
  const names = Array.from({ length: 6 }, (_, i) => `listed-${i}`);
  for (const [i, thingName] of names.entries()) await iot.send(new CreateThingCommand({ thingName, attributePayload: { attributes: { parity: i % 2 === 0 ? 'even' : 'odd' } } }));
  const everything = (await iot.send(new ListThingsCommand({ maxResults: 250 }))).things ?? [];
  const seen: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await iot.send(new ListThingsCommand({ maxResults: 4, nextToken }));
    assert.ok((page.things ?? []).length <= 4);
    for (const thing of page.things ?? []) {
      assert.equal(thing.thingArn, `${THING_ARN}${thing.thingName}`);
      seen.push(thing.thingName ?? '');
    }
    nextToken = page.nextToken;
    assert.ok(++pages < 100);
  } while (nextToken !== undefined);
  assert.deepEqual(seen, everything.map((t) => t.thingName));
  assert.equal(new Set(seen).size, seen.length, 'no thing twice');
  for (const name of names) assert.ok(seen.includes(name), `${name} is listed`);

  const odd = (await iot.send(new ListThingsCommand({ attributeName: 'parity', attributeValue: 'odd' }))).things ?? [];
  assert.deepEqual(odd.map((t) => t.thingName), ['listed-1', 'listed-3', 'listed-5']);
  assert.deepEqual(odd[0]?.attributes, { parity: 'odd' });
  assert.equal(odd[0]?.version, 1);
});

test('AttachThingPrincipal, ListThingPrincipals, ListPrincipalThings, DetachThingPrincipal', async () => {
  const [first, second] = [await newCertificateArn(), await newCertificateArn()];
  await iot.send(new CreateThingCommand({ thingName: 'sensor-a' }));
  await iot.send(new CreateThingCommand({ thingName: 'sensor-b' }));
  await iot.send(new AttachThingPrincipalCommand({ thingName: 'sensor-a', principal: first }));
  await iot.send(new AttachThingPrincipalCommand({ thingName: 'sensor-a', principal: first })); // twice is harmless
  await iot.send(new AttachThingPrincipalCommand({ thingName: 'sensor-a', principal: second }));
  await iot.send(new AttachThingPrincipalCommand({ thingName: 'sensor-b', principal: first }));
  assert.deepEqual((await iot.send(new ListThingPrincipalsCommand({ thingName: 'sensor-a' }))).principals?.sort(), [first, second].sort());
  assert.deepEqual((await iot.send(new ListPrincipalThingsCommand({ principal: first }))).things?.sort(), ['sensor-a', 'sensor-b']);
  const page = await iot.send(new ListPrincipalThingsCommand({ principal: first, maxResults: 1 }));
  const rest = await iot.send(new ListPrincipalThingsCommand({ principal: first, maxResults: 1, nextToken: page.nextToken }));
  assert.deepEqual([...(page.things ?? []), ...(rest.things ?? [])].sort(), ['sensor-a', 'sensor-b']);
  assert.equal(rest.nextToken, undefined);

  await iot.send(new DetachThingPrincipalCommand({ thingName: 'sensor-a', principal: first }));
  assert.deepEqual((await iot.send(new ListThingPrincipalsCommand({ thingName: 'sensor-a' }))).principals, [second]);
  assert.deepEqual((await iot.send(new ListPrincipalThingsCommand({ principal: first }))).things, ['sensor-b']);

  await rejectsWithAws(iot.send(new AttachThingPrincipalCommand({ thingName: 'no-such-thing', principal: first })), 'ResourceNotFoundException');
  await rejectsWithAws(iot.send(new ListThingPrincipalsCommand({ thingName: 'no-such-thing' })), 'ResourceNotFoundException');
  await rejectsWithAws(iot.send(new AttachThingPrincipalCommand({ thingName: 'sensor-a', principal: `arn:aws:iot:us-east-1:000000000000:cert/${'d'.repeat(64)}` })), 'ResourceNotFoundException');
  await rejectsWithAws(iot.send(new AttachThingPrincipalCommand({ thingName: 'sensor-a', principal: 'not-a-principal' })), 'InvalidRequestException');
});

test('DeleteThing refuses a thing with principals attached; afterwards it is gone, and deleting a missing thing succeeds', async () => {
  const principal = await newCertificateArn();
  await iot.send(new CreateThingCommand({ thingName: 'doomed' }));
  await iot.send(new AttachThingPrincipalCommand({ thingName: 'doomed', principal }));
  await rejectsWithAws(iot.send(new DeleteThingCommand({ thingName: 'doomed' })), 'InvalidRequestException', { message: /principal/i });
  assert.equal((await iot.send(new DescribeThingCommand({ thingName: 'doomed' }))).thingName, 'doomed', 'the refused delete left the thing');
  await iot.send(new DetachThingPrincipalCommand({ thingName: 'doomed', principal }));
  await rejectsWithAws(iot.send(new DeleteThingCommand({ thingName: 'doomed', expectedVersion: 7 })), 'VersionConflictException');
  await iot.send(new DeleteThingCommand({ thingName: 'doomed', expectedVersion: 1 }));
  await rejectsWithAws(iot.send(new DescribeThingCommand({ thingName: 'doomed' })), 'ResourceNotFoundException');
  assert.ok(!((await iot.send(new ListThingsCommand({}))).things ?? []).some((t) => t.thingName === 'doomed'));
  assert.deepEqual((await iot.send(new ListPrincipalThingsCommand({ principal }))).things, []);
  await iot.send(new DeleteThingCommand({ thingName: 'doomed' })); // AWS: deleting a thing that does not exist succeeds
});

test('DescribeEndpoint answers the host hako\'s server certificate covers, for every endpoint type', async () => {
  const { DescribeEndpointCommand } = await import('@aws-sdk/client-iot');
  for (const endpointType of [undefined, 'iot:Data', 'iot:Data-ATS', 'iot:CredentialProvider', 'iot:Jobs']) {
    assert.equal((await iot.send(new DescribeEndpointCommand({ endpointType }))).endpointAddress, 'localhost', String(endpointType));
  }
  await rejectsWithAws(iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Nope' })), 'InvalidRequestException', { status: 400 });
});
