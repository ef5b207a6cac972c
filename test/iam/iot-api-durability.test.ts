/**
 * @module test/iam/iot-api-durability.test — everything the control-plane APIs create survives a restart:
 * hako is stopped and a new one started on the same data directory, and every listing and description
 * reads the same, with behaviour (version numbering, final states, access keys) carrying on.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateThingCommand,
  DeleteCertificateCommand,
  DeletePolicyVersionCommand,
  DescribeCACertificateCommand,
  DescribeCertificateCommand,
  DescribeThingCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRegistrationCodeCommand,
  IoTClient,
  ListAttachedPoliciesCommand,
  ListCACertificatesCommand,
  ListCertificatesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListPrincipalThingsCommand,
  ListTargetsForPolicyCommand,
  ListThingPrincipalsCommand,
  ListThingsCommand,
  RegisterCACertificateCommand,
  RegisterCertificateCommand,
  RegisterCertificateWithoutCACommand,
  UpdateCACertificateCommand,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { startTestHako, type TestHako } from '../helpers/hako.js';
import { iotClient } from '../helpers/aws.js';
import { makeCa, makeSelfSigned, makeVerificationCertificate } from '../helpers/pki.js';
import { rejectsWithAws, signedJson, type Credentials } from '../helpers/iot-api.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'hako-api-durability-'));
const running: Array<{ hako: TestHako; iot: IoTClient }> = [];

after(async () => {
  for (const { hako, iot } of running) {
    iot.destroy();
    await hako.close();
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ hako: TestHako; iot: IoTClient }> {
  const hako = await startTestHako({}, dataDir);
  const instance = { hako, iot: iotClient(hako) };
  running.push(instance);
  return instance;
}

async function stop(instance: { hako: TestHako; iot: IoTClient }): Promise<void> {
  instance.iot.destroy();
  await instance.hako.close();
  running.splice(running.indexOf(instance), 1);
}

/** An SDK output without its per-request `$metadata`. */
function data<T extends { $metadata?: unknown }>(output: T): Omit<T, '$metadata'> {
  const { $metadata: _ignored, ...rest } = output;
  return rest;
}

/** Everything the APIs can read back, in a form `deepEqual` compares. */
async function snapshot(hako: TestHako, iot: IoTClient): Promise<Record<string, unknown>> {
  const certificates = (await iot.send(new ListCertificatesCommand({ pageSize: 250 }))).certificates ?? [];
  const cas = (await iot.send(new ListCACertificatesCommand({ pageSize: 250 }))).certificates ?? [];
  const policies = (await iot.send(new ListPoliciesCommand({ pageSize: 250 }))).policies ?? [];
  const things = (await iot.send(new ListThingsCommand({ maxResults: 250 }))).things ?? [];
  const state: Record<string, unknown> = {
    certificates,
    cas,
    policies,
    things,
    registrationCode: (await iot.send(new GetRegistrationCodeCommand({}))).registrationCode,
    accessKeys: await signedJson(hako, 'GET', '/hako/access-keys'),
  };
  for (const { certificateId, certificateArn } of certificates) {
    state[`cert ${certificateId}`] = data(await iot.send(new DescribeCertificateCommand({ certificateId })));
    state[`cert ${certificateId} policies`] = data(await iot.send(new ListAttachedPoliciesCommand({ target: certificateArn })));
    state[`cert ${certificateId} things`] = data(await iot.send(new ListPrincipalThingsCommand({ principal: certificateArn })));
  }
  for (const { certificateId } of cas) state[`ca ${certificateId}`] = data(await iot.send(new DescribeCACertificateCommand({ certificateId })));
  for (const { policyName } of policies) {
    state[`policy ${policyName}`] = data(await iot.send(new GetPolicyCommand({ policyName })));
    state[`policy ${policyName} targets`] = data(await iot.send(new ListTargetsForPolicyCommand({ policyName })));
    const versions = (await iot.send(new ListPolicyVersionsCommand({ policyName }))).policyVersions ?? [];
    state[`policy ${policyName} versions`] = versions;
    for (const { versionId } of versions) state[`policy ${policyName} v${versionId}`] = data(await iot.send(new GetPolicyVersionCommand({ policyName, policyVersionId: versionId })));
  }
  for (const { thingName } of things) {
    state[`thing ${thingName}`] = data(await iot.send(new DescribeThingCommand({ thingName })));
    state[`thing ${thingName} principals`] = data(await iot.send(new ListThingPrincipalsCommand({ thingName })));
  }
  return state;
}

test('certificates, CAs, policies and their versions, things, attachments and access keys survive a restart', async () => {
  const first = await start();
  const { iot } = first;
  const credentialsFile = readFileSync(path.join(dataDir, 'credentials'), 'utf8');

  // A registered CA (ACTIVE, auto-registration on) and a certificate it signed.
  const ca = await makeCa('Durable CA');
  const { registrationCode } = await iot.send(new GetRegistrationCodeCommand({}));
  const verification = await makeVerificationCertificate(ca, registrationCode ?? '');
  await iot.send(new RegisterCACertificateCommand({ caCertificate: ca.certificatePem, verificationCertificate: verification.certificatePem, setAsActive: true }));
  await iot.send(new UpdateCACertificateCommand({ certificateId: ca.certificateId, newAutoRegistrationStatus: 'ENABLE' }));
  const leaf = await ca.issue('CN=durable-leaf');
  const fromCa = await iot.send(new RegisterCertificateCommand({ certificatePem: leaf.certificatePem, status: 'ACTIVE' }));
  // Certificates in every user-settable state, one registered without a CA, one deleted.
  const active = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  const revoked = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  await iot.send(new UpdateCertificateCommand({ certificateId: revoked.certificateId, newStatus: 'REVOKED' }));
  const selfSigned = await makeSelfSigned('CN=durable-self-signed');
  await iot.send(new RegisterCertificateWithoutCACommand({ certificatePem: selfSigned.certificatePem, status: 'INACTIVE' }));
  const deleted = await iot.send(new CreateKeysAndCertificateCommand({}));
  await iot.send(new DeleteCertificateCommand({ certificateId: deleted.certificateId }));
  // A policy with versions (default 2, version 3 deleted), a plain one, attachments to two certificates.
  const document = (topic: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `arn:aws:iot:us-east-1:000000000000:topic/${topic}` }] });
  await iot.send(new CreatePolicyCommand({ policyName: 'durable-versions', policyDocument: document('v1') }));
  await iot.send(new CreatePolicyVersionCommand({ policyName: 'durable-versions', policyDocument: document('v2'), setAsDefault: true }));
  await iot.send(new CreatePolicyVersionCommand({ policyName: 'durable-versions', policyDocument: document('v3') }));
  await iot.send(new DeletePolicyVersionCommand({ policyName: 'durable-versions', policyVersionId: '3' }));
  await iot.send(new CreatePolicyCommand({ policyName: 'durable-plain', policyDocument: document('plain') }));
  await iot.send(new AttachPolicyCommand({ policyName: 'durable-versions', target: active.certificateArn }));
  await iot.send(new AttachPolicyCommand({ policyName: 'durable-plain', target: active.certificateArn }));
  await iot.send(new AttachPolicyCommand({ policyName: 'durable-plain', target: fromCa.certificateArn }));
  // Things with attributes and principals.
  await iot.send(new CreateThingCommand({ thingName: 'durable-thing', attributePayload: { attributes: { site: 'berlin', rack: '7' } } }));
  await iot.send(new CreateThingCommand({ thingName: 'durable-bare' }));
  await iot.send(new AttachThingPrincipalCommand({ thingName: 'durable-thing', principal: active.certificateArn }));
  await iot.send(new AttachThingPrincipalCommand({ thingName: 'durable-thing', principal: fromCa.certificateArn }));
  // An access key that works and one that is inactive.
  type Created = { accessKey: Credentials };
  const { accessKey: working } = await signedJson<Created>(first.hako, 'POST', '/hako/access-keys', { userName: 'durable' });
  const { accessKey: disabled } = await signedJson<Created>(first.hako, 'POST', '/hako/access-keys', { userName: 'disabled' });
  await signedJson(first.hako, 'PATCH', `/hako/access-keys/${disabled.accessKeyId}`, { status: 'Inactive' });

  const before = await snapshot(first.hako, iot);
  assert.equal((before.certificates as unknown[]).length, 4, 'four certificates; the deleted one is gone');
  assert.equal((before.policies as unknown[]).length, 2);
  assert.equal((before.things as unknown[]).length, 2);
  assert.ok(`ca ${ca.certificateId}` in before && `policy durable-versions v2` in before);
  await stop(first);

  const second = await start();
  assert.equal(readFileSync(path.join(dataDir, 'credentials'), 'utf8'), credentialsFile, 'the root key is not replaced');
  const afterRestart = await snapshot(second.hako, second.iot);
  assert.deepEqual(afterRestart, before);

  // Behaviour carries on where it left off.
  await rejectsWithAws(second.iot.send(new DescribeCertificateCommand({ certificateId: deleted.certificateId })), 'ResourceNotFoundException');
  await rejectsWithAws(second.iot.send(new UpdateCertificateCommand({ certificateId: revoked.certificateId, newStatus: 'ACTIVE' })), 'CertificateStateException');
  const v4 = await second.iot.send(new CreatePolicyVersionCommand({ policyName: 'durable-versions', policyDocument: document('v4') }));
  assert.equal(v4.policyVersionId, '4', 'version ids are not reused after a restart');
  await rejectsWithAws(second.iot.send(new CreatePolicyCommand({ policyName: 'durable-plain', policyDocument: document('again') })), 'ResourceAlreadyExistsException');
  await rejectsWithAws(second.iot.send(new RegisterCACertificateCommand({ caCertificate: ca.certificatePem, verificationCertificate: verification.certificatePem })), 'ResourceAlreadyExistsException');
  const endpoint = `http://127.0.0.1:${second.hako.ports.http}`;
  const workingClient = new IoTClient({ endpoint, region: 'us-east-1', credentials: working, maxAttempts: 1 });
  const disabledClient = new IoTClient({ endpoint, region: 'us-east-1', credentials: disabled, maxAttempts: 1 });
  try {
    assert.equal((await workingClient.send(new ListThingsCommand({}))).things?.length, 2, 'a key made before the restart still works');
    await rejectsWithAws(disabledClient.send(new ListThingsCommand({})), 'UnrecognizedClientException', { status: 403 });
  } finally {
    workingClient.destroy();
    disabledClient.destroy();
  }
  await stop(second);
});
