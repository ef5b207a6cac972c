/**
 * @module test/iam/iot-api-policies.test — the AWS IoT policy operations through the real
 * `@aws-sdk/client-iot`: policies and their versions, and attaching them to certificates.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AttachPolicyCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAttachedPoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListTargetsForPolicyCommand,
  SetDefaultPolicyVersionCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { hakoWithIotForFile } from '../helpers/aws.js';
import { rejectsWithAws } from '../helpers/iot-api.js';

const POLICY_ARN = 'arn:aws:iot:us-east-1:000000000000:policy/';

let iot: IoTClient;
hakoWithIotForFile((started) => {
  ({ iot } = started);
});

/** A valid policy document allowing publish to one topic, so versions differ visibly. */
const allowTopic = (topic: string): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `arn:aws:iot:us-east-1:000000000000:topic/${topic}` }] });

async function newCertificateArn(): Promise<string> {
  return (await iot.send(new CreateKeysAndCertificateCommand({}))).certificateArn ?? assert.fail('no certificateArn');
}

test('CreatePolicy answers version 1 and the ARN; GetPolicy returns the document and its dates', async () => {
  const before = Date.now();
  const created = await iot.send(new CreatePolicyCommand({ policyName: 'p-basic', policyDocument: allowTopic('a') }));
  assert.equal(created.policyName, 'p-basic');
  assert.equal(created.policyArn, `${POLICY_ARN}p-basic`);
  assert.equal(created.policyVersionId, '1');
  assert.equal(created.policyDocument, allowTopic('a'));
  const got = await iot.send(new GetPolicyCommand({ policyName: 'p-basic' }));
  assert.equal(got.policyName, 'p-basic');
  assert.equal(got.policyArn, `${POLICY_ARN}p-basic`);
  assert.equal(got.policyDocument, allowTopic('a'));
  assert.equal(got.defaultVersionId, '1');
  assert.match(got.generationId ?? '', /\S/);
  assert.ok(got.creationDate instanceof Date && got.lastModifiedDate instanceof Date);
  assert.ok(got.creationDate.getTime() >= before - 1000 && got.creationDate.getTime() <= Date.now() + 1000);
  await rejectsWithAws(iot.send(new GetPolicyCommand({ policyName: 'p-missing' })), 'ResourceNotFoundException');
});

test('a malformed policy document is a MalformedPolicyException that names the problem; a second policy of the same name is refused', async () => {
  const cases: Array<[string, RegExp]> = [
    ['{"Version": "2012-10-17", "Statement": [', /JSON/],
    [JSON.stringify({ Version: '2012-10-17', Statement: [{ Action: 'iot:Connect', Resource: '*' }] }), /Effect/],
    [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Perhaps', Action: 'iot:Connect', Resource: '*' }] }), /Effect.*Allow.*Deny|Perhaps/],
    [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }), /Action/],
    [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: 'topic/x' }] }), /Resource|ARN/],
    [JSON.stringify({ Version: '2001-01-01', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] }), /Version/],
    [JSON.stringify({ Version: '2012-10-17', Statement: [] }), /Statement/],
  ];
  for (const [document, problem] of cases) {
    await rejectsWithAws(iot.send(new CreatePolicyCommand({ policyName: 'p-malformed', policyDocument: document })), 'MalformedPolicyException', { message: problem });
  }
  await rejectsWithAws(iot.send(new GetPolicyCommand({ policyName: 'p-malformed' })), 'ResourceNotFoundException', { message: /p-malformed/ });

  await iot.send(new CreatePolicyCommand({ policyName: 'p-duplicate', policyDocument: allowTopic('first') }));
  await rejectsWithAws(iot.send(new CreatePolicyCommand({ policyName: 'p-duplicate', policyDocument: allowTopic('second') })), 'ResourceAlreadyExistsException');
  assert.equal((await iot.send(new GetPolicyCommand({ policyName: 'p-duplicate' }))).policyDocument, allowTopic('first'), 'the refused create changed nothing');
  await rejectsWithAws(iot.send(new CreatePolicyCommand({ policyName: 'bad name!', policyDocument: allowTopic('x') })), 'InvalidRequestException');
});

test('policy versions: CreatePolicyVersion (setAsDefault), the 6th version, GetPolicyVersion, ListPolicyVersions, SetDefaultPolicyVersion, DeletePolicyVersion', async () => {
  await iot.send(new CreatePolicyCommand({ policyName: 'p-versions', policyDocument: allowTopic('v1') }));
  const v2 = await iot.send(new CreatePolicyVersionCommand({ policyName: 'p-versions', policyDocument: allowTopic('v2'), setAsDefault: true }));
  assert.equal(v2.policyVersionId, '2');
  assert.equal(v2.isDefaultVersion, true);
  assert.equal(v2.policyArn, `${POLICY_ARN}p-versions`);
  assert.equal(v2.policyDocument, allowTopic('v2'));
  const got = await iot.send(new GetPolicyCommand({ policyName: 'p-versions' }));
  assert.equal(got.defaultVersionId, '2');
  assert.equal(got.policyDocument, allowTopic('v2'), 'GetPolicy shows the default version');
  for (const n of [3, 4, 5]) {
    const version = await iot.send(new CreatePolicyVersionCommand({ policyName: 'p-versions', policyDocument: allowTopic(`v${n}`) }));
    assert.equal(version.policyVersionId, String(n));
    assert.equal(version.isDefaultVersion, false);
  }
  await rejectsWithAws(iot.send(new CreatePolicyVersionCommand({ policyName: 'p-versions', policyDocument: allowTopic('v6'), setAsDefault: true })), 'VersionsLimitExceededException');
  assert.equal((await iot.send(new GetPolicyCommand({ policyName: 'p-versions' }))).defaultVersionId, '2', 'the refused version changed nothing');
  await rejectsWithAws(iot.send(new CreatePolicyVersionCommand({ policyName: 'p-versions', policyDocument: '{"Version":"2012-10-17"}' })), 'MalformedPolicyException', { message: /Statement/ });
  await rejectsWithAws(iot.send(new CreatePolicyVersionCommand({ policyName: 'p-nonexistent', policyDocument: allowTopic('x') })), 'ResourceNotFoundException');

  const v3 = await iot.send(new GetPolicyVersionCommand({ policyName: 'p-versions', policyVersionId: '3' }));
  assert.equal(v3.policyName, 'p-versions');
  assert.equal(v3.policyArn, `${POLICY_ARN}p-versions`);
  assert.equal(v3.policyVersionId, '3');
  assert.equal(v3.policyDocument, allowTopic('v3'));
  assert.equal(v3.isDefaultVersion, false);
  assert.ok(v3.creationDate instanceof Date);
  assert.equal((await iot.send(new GetPolicyVersionCommand({ policyName: 'p-versions', policyVersionId: '2' }))).isDefaultVersion, true);
  await rejectsWithAws(iot.send(new GetPolicyVersionCommand({ policyName: 'p-versions', policyVersionId: '9' })), 'ResourceNotFoundException');

  const listVersions = async () => (await iot.send(new ListPolicyVersionsCommand({ policyName: 'p-versions' }))).policyVersions ?? [];
  const listed = await listVersions();
  assert.deepEqual(listed.map((v) => v.versionId).sort(), ['1', '2', '3', '4', '5']);
  assert.deepEqual(listed.filter((v) => v.isDefaultVersion).map((v) => v.versionId), ['2']);
  assert.ok(listed.every((v) => v.createDate instanceof Date));

  await iot.send(new SetDefaultPolicyVersionCommand({ policyName: 'p-versions', policyVersionId: '4' }));
  assert.deepEqual((await listVersions()).filter((v) => v.isDefaultVersion).map((v) => v.versionId), ['4']);
  const afterSet = await iot.send(new GetPolicyCommand({ policyName: 'p-versions' }));
  assert.equal(afterSet.defaultVersionId, '4');
  assert.equal(afterSet.policyDocument, allowTopic('v4'));
  await rejectsWithAws(iot.send(new SetDefaultPolicyVersionCommand({ policyName: 'p-versions', policyVersionId: '42' })), 'ResourceNotFoundException');

  await rejectsWithAws(iot.send(new DeletePolicyVersionCommand({ policyName: 'p-versions', policyVersionId: '4' })), 'DeleteConflictException');
  await iot.send(new DeletePolicyVersionCommand({ policyName: 'p-versions', policyVersionId: '2' }));
  assert.deepEqual((await listVersions()).map((v) => v.versionId).sort(), ['1', '3', '4', '5']);
  await rejectsWithAws(iot.send(new GetPolicyVersionCommand({ policyName: 'p-versions', policyVersionId: '2' })), 'ResourceNotFoundException');
  // Room for one more version again, and version ids are never reused.
  const v6 = await iot.send(new CreatePolicyVersionCommand({ policyName: 'p-versions', policyDocument: allowTopic('v6') }));
  assert.equal(v6.policyVersionId, '6');
});

test('DeletePolicy: refused while attached or while it has non-default versions, then gone', async () => {
  const target = await newCertificateArn();
  await iot.send(new CreatePolicyCommand({ policyName: 'p-delete', policyDocument: allowTopic('d1') }));
  await iot.send(new CreatePolicyVersionCommand({ policyName: 'p-delete', policyDocument: allowTopic('d2'), setAsDefault: true }));
  await iot.send(new AttachPolicyCommand({ policyName: 'p-delete', target }));
  await rejectsWithAws(iot.send(new DeletePolicyCommand({ policyName: 'p-delete' })), 'DeleteConflictException');
  await iot.send(new DetachPolicyCommand({ policyName: 'p-delete', target }));
  await rejectsWithAws(iot.send(new DeletePolicyCommand({ policyName: 'p-delete' })), 'DeleteConflictException', { message: /version/ });
  await iot.send(new DeletePolicyVersionCommand({ policyName: 'p-delete', policyVersionId: '1' }));
  await iot.send(new DeletePolicyCommand({ policyName: 'p-delete' }));
  await rejectsWithAws(iot.send(new GetPolicyCommand({ policyName: 'p-delete' })), 'ResourceNotFoundException');
  await rejectsWithAws(iot.send(new ListPolicyVersionsCommand({ policyName: 'p-delete' })), 'ResourceNotFoundException');
  await rejectsWithAws(iot.send(new DeletePolicyCommand({ policyName: 'p-delete' })), 'ResourceNotFoundException');
  const names = ((await iot.send(new ListPoliciesCommand({}))).policies ?? []).map((p) => p.policyName);
  assert.ok(!names.includes('p-delete'));
  // The name is free again.
  assert.equal((await iot.send(new CreatePolicyCommand({ policyName: 'p-delete', policyDocument: allowTopic('again') }))).policyVersionId, '1');
});

test('ListPolicies pages with pageSize and marker: every policy once, in name order (reversed with ascendingOrder false)', async () => {
  const made = Array.from({ length: 7 }, (_, i) => `p-list-${i}`);
  for (const name of [...made].reverse()) await iot.send(new CreatePolicyCommand({ policyName: name, policyDocument: allowTopic(name) }));
  const everything = (await iot.send(new ListPoliciesCommand({ pageSize: 250 }))).policies ?? [];
  const pageThrough = async (ascendingOrder?: boolean) => {
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await iot.send(new ListPoliciesCommand({ pageSize: 3, marker, ascendingOrder }));
      assert.ok((page.policies ?? []).length <= 3);
      for (const p of page.policies ?? []) {
        assert.equal(p.policyArn, `${POLICY_ARN}${p.policyName}`);
        names.push(p.policyName ?? '');
      }
      marker = page.nextMarker;
      assert.ok(++pages < 100);
    } while (marker !== undefined);
    return names;
  };
  const names = await pageThrough();
  assert.deepEqual(names, everything.map((p) => p.policyName), 'the pages, joined, are the whole list');
  assert.equal(new Set(names).size, names.length, 'no policy twice');
  for (const name of made) assert.ok(names.includes(name), `${name} is listed`);
  assert.deepEqual(names, [...names].sort(), 'in name order');
  assert.deepEqual(await pageThrough(false), [...names].reverse());
});

test('AttachPolicy, DetachPolicy, ListAttachedPolicies, ListTargetsForPolicy; unknown and non-certificate targets; at most 10 policies per target', async () => {
  const [first, second] = [await newCertificateArn(), await newCertificateArn()];
  await iot.send(new CreatePolicyCommand({ policyName: 'p-attach', policyDocument: allowTopic('attach') }));
  await iot.send(new AttachPolicyCommand({ policyName: 'p-attach', target: first }));
  await iot.send(new AttachPolicyCommand({ policyName: 'p-attach', target: first })); // attaching twice is harmless
  await iot.send(new AttachPolicyCommand({ policyName: 'p-attach', target: second }));
  const attached = await iot.send(new ListAttachedPoliciesCommand({ target: first }));
  assert.deepEqual(attached.policies, [{ policyName: 'p-attach', policyArn: `${POLICY_ARN}p-attach` }]);
  assert.deepEqual((await iot.send(new ListTargetsForPolicyCommand({ policyName: 'p-attach' }))).targets?.sort(), [first, second].sort());
  const onePage = await iot.send(new ListTargetsForPolicyCommand({ policyName: 'p-attach', pageSize: 1 }));
  assert.equal(onePage.targets?.length, 1);
  const rest = await iot.send(new ListTargetsForPolicyCommand({ policyName: 'p-attach', pageSize: 1, marker: onePage.nextMarker }));
  assert.deepEqual([...(onePage.targets ?? []), ...(rest.targets ?? [])].sort(), [first, second].sort());
  assert.equal(rest.nextMarker, undefined);

  await iot.send(new DetachPolicyCommand({ policyName: 'p-attach', target: first }));
  assert.deepEqual((await iot.send(new ListAttachedPoliciesCommand({ target: first }))).policies, []);
  assert.deepEqual((await iot.send(new ListTargetsForPolicyCommand({ policyName: 'p-attach' }))).targets, [second]);

  const unknownCert = `arn:aws:iot:us-east-1:000000000000:cert/${'c'.repeat(64)}`;
  await rejectsWithAws(iot.send(new AttachPolicyCommand({ policyName: 'p-attach', target: unknownCert })), 'ResourceNotFoundException');
  for (const notACert of ['arn:aws:iot:us-east-1:000000000000:thing/some-thing', 'not-an-arn']) {
    await rejectsWithAws(iot.send(new AttachPolicyCommand({ policyName: 'p-attach', target: notACert })), 'InvalidRequestException');
  }
  await rejectsWithAws(iot.send(new AttachPolicyCommand({ policyName: 'p-unknown', target: first })), 'ResourceNotFoundException');
  await rejectsWithAws(iot.send(new ListTargetsForPolicyCommand({ policyName: 'p-unknown' })), 'ResourceNotFoundException');

  const names = Array.from({ length: 11 }, (_, i) => `p-limit-${String(i).padStart(2, '0')}`);
  for (const name of names) await iot.send(new CreatePolicyCommand({ policyName: name, policyDocument: allowTopic(name) }));
  for (const name of names.slice(0, 10)) await iot.send(new AttachPolicyCommand({ policyName: name, target: first }));
  await rejectsWithAws(iot.send(new AttachPolicyCommand({ policyName: names[10] ?? '', target: first })), 'LimitExceededException');
  const ten = await iot.send(new ListAttachedPoliciesCommand({ target: first }));
  assert.deepEqual(ten.policies?.map((p) => p.policyName), names.slice(0, 10));
  const paged = await iot.send(new ListAttachedPoliciesCommand({ target: first, pageSize: 4 }));
  const more = await iot.send(new ListAttachedPoliciesCommand({ target: first, pageSize: 4, marker: paged.nextMarker }));
  assert.deepEqual([...(paged.policies ?? []), ...(more.policies ?? [])].map((p) => p.policyName), names.slice(0, 8));
  await iot.send(new AttachPolicyCommand({ policyName: names[0] ?? '', target: first })); // already attached: not an 11th
  await iot.send(new DetachPolicyCommand({ policyName: names[0] ?? '', target: first }));
  await iot.send(new AttachPolicyCommand({ policyName: names[10] ?? '', target: first }));
  assert.equal((await iot.send(new ListAttachedPoliciesCommand({ target: first }))).policies?.length, 10);
});
