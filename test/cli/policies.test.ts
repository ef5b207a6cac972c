/**
 * @module test/cli/policies.test — `hako policies …` run as a real child process against a real hako:
 * create (from a file and inline), list, get, attach, detach, version and delete, checked through the
 * AWS SDK as well as through the CLI's own output.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CreateKeysAndCertificateCommand, GetPolicyCommand, ListTargetsForPolicyCommand, type IoTClient } from '@aws-sdk/client-iot';
import { thingPolicy, hakoWithIotForFile } from '../helpers/aws.js';
import { cliFails, cliJson, cliOk, tempDir } from '../helpers/cli.js';
import type { TestHako } from '../helpers/hako.js';

let hako: TestHako;
let iot: IoTClient;
hakoWithIotForFile((started) => {
  ({ hako, iot } = started);
});

const at = (cwd: string) => ({ cwd, env: { HAKO_DATA_DIR: hako.dataDir } });

async function targetsOf(policyName: string): Promise<string[]> {
  return (await iot.send(new ListTargetsForPolicyCommand({ policyName }))).targets ?? [];
}

const publishOnly = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: '*' }] });

test('policies create (file and inline JSON) → list → get → attach → detach → delete', async (t) => {
  const cwd = tempDir(t);
  writeFileSync(path.join(cwd, 'thing-policy.json'), thingPolicy());
  const created = await cliJson<{ policyName: string; policyArn: string; policyVersionId: string }>(['policies', 'create', 'cli-things', '--document', 'thing-policy.json'], at(cwd));
  assert.deepEqual([created.policyName, created.policyVersionId], ['cli-things', '1']);
  assert.match(created.policyArn, /^arn:aws:iot:us-east-1:000000000000:policy\/cli-things$/);
  assert.equal(await cliOk(['policies', 'create', 'cli-publish', '--document', publishOnly], at(cwd)), `created policy cli-publish (version 1)\n  arn  arn:aws:iot:us-east-1:000000000000:policy/cli-publish\n`);

  const listed = await cliJson<{ policies: Array<{ policyName: string }> }>(['policies', 'list'], at(cwd));
  assert.deepEqual(listed.policies.map((p) => p.policyName).sort(), ['cli-publish', 'cli-things']);
  assert.match(await cliOk(['policies', 'list'], at(cwd)), /^cli-things +arn:aws:iot:us-east-1:000000000000:policy\/cli-things$/m);

  const got = await cliJson<{ policyDocument: string; defaultVersionId: string; targets: string[] }>(['policies', 'get', 'cli-things'], at(cwd));
  assert.deepEqual(JSON.parse(got.policyDocument), JSON.parse(thingPolicy()));
  assert.equal(got.defaultVersionId, '1');
  assert.deepEqual(got.targets, []);
  assert.ok((await cliOk(['policies', 'get', 'cli-things'], at(cwd))).includes(JSON.stringify(JSON.parse(thingPolicy()), null, 2)), 'the document is pretty-printed');

  const cert = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  await cliOk(['policies', 'attach', 'cli-things', '--cert', cert.certificateId as string], at(cwd)); // by id
  await cliOk(['policies', 'attach', 'cli-publish', '--cert', cert.certificateArn as string], at(cwd)); // by ARN
  assert.deepEqual(await targetsOf('cli-things'), [cert.certificateArn]);
  assert.deepEqual(await targetsOf('cli-publish'), [cert.certificateArn]);
  assert.deepEqual((await cliJson<{ targets: string[] }>(['policies', 'get', 'cli-things'], at(cwd))).targets, [cert.certificateArn]);

  const refused = await cliFails(['policies', 'delete', 'cli-things'], 1, at(cwd));
  assert.equal(refused[0], `hako: policies delete: policy cli-things is attached to ${cert.certificateArn}`);
  assert.match(refused[1] ?? '', /hako policies detach cli-things --cert/);

  assert.equal(await cliOk(['policies', 'detach', 'cli-things', '--cert', cert.certificateId as string], at(cwd)), `detached policy cli-things from ${cert.certificateArn}\n`);
  assert.deepEqual(await targetsOf('cli-things'), []);
  assert.deepEqual(await targetsOf('cli-publish'), [cert.certificateArn], 'the other attachment stays');

  assert.deepEqual(await cliJson(['policies', 'delete', 'cli-things'], at(cwd)), { policyName: 'cli-things', deleted: true, deletedVersions: [] });
  await assert.rejects(iot.send(new GetPolicyCommand({ policyName: 'cli-things' })), { name: 'ResourceNotFoundException' });
  const left = await cliJson<{ policies: Array<{ policyName: string }> }>(['policies', 'list'], at(cwd));
  assert.deepEqual(left.policies.map((p) => p.policyName), ['cli-publish']);
});

test('policies version adds a version, the default only with --default; delete removes the other versions too', async (t) => {
  const cwd = tempDir(t);
  await cliOk(['policies', 'create', 'cli-versions', '--document', publishOnly], at(cwd));
  const connectOnly = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] });

  const second = await cliJson<{ policyVersionId: string; isDefaultVersion: boolean }>(['policies', 'version', 'cli-versions', '--document', connectOnly], at(cwd));
  assert.deepEqual(second, { policyArn: 'arn:aws:iot:us-east-1:000000000000:policy/cli-versions', policyDocument: connectOnly, policyVersionId: '2', isDefaultVersion: false });
  assert.equal((await iot.send(new GetPolicyCommand({ policyName: 'cli-versions' }))).defaultVersionId, '1');

  assert.equal(await cliOk(['policies', 'version', 'cli-versions', '--document', connectOnly, '--default'], at(cwd)), 'created version 3 of policy cli-versions (now the default)\n');
  const policy = await iot.send(new GetPolicyCommand({ policyName: 'cli-versions' }));
  assert.equal(policy.defaultVersionId, '3');
  assert.equal(policy.policyDocument, connectOnly);

  assert.equal(await cliOk(['policies', 'delete', 'cli-versions'], at(cwd)), 'deleted policy cli-versions (and its other versions: 2, 1)\n');
  await assert.rejects(iot.send(new GetPolicyCommand({ policyName: 'cli-versions' })), { name: 'ResourceNotFoundException' });
});

test('a malformed document and a missing file are refused with one line each', async (t) => {
  const cwd = tempDir(t);
  const malformed = await cliFails(['policies', 'create', 'cli-bad', '--document', '{"Version":"2012-10-17","Statement":[]}'], 1, at(cwd));
  assert.match(malformed[0] ?? '', /^hako: policies create: CreatePolicy: MalformedPolicyException: .+/);
  assert.equal(malformed.length, 1);
  const missing = await cliFails(['policies', 'create', 'cli-bad', '--document', 'no-such-file.json'], 1, at(cwd));
  assert.deepEqual(missing, ['hako: policies create: cannot read the policy document no-such-file.json: ENOENT', 'hint: pass --document FILE or the JSON document itself']);
  const notFound = await cliFails(['policies', 'get', 'cli-nope'], 1, at(cwd));
  assert.match(notFound[0] ?? '', /^hako: policies get: GetPolicy: ResourceNotFoundException: /);
});
