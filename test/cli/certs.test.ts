/**
 * @module test/cli/certs.test — `hako certs …` run as a real child process against a real hako: the files
 * `certs create` writes open an MQTT/TLS connection, it refuses to overwrite them, and deactivating,
 * activating, revoking and deleting through the CLI act on the device at once.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type tls from 'node:tls';
import { ListCertificatesCommand, type IoTClient } from '@aws-sdk/client-iot';
import { createPolicy, thingPolicy, hakoWithIotForFile } from '../helpers/aws.js';
import { cliFails, cliJson, cliOk, tempDir } from '../helpers/cli.js';
import type { TestHako } from '../helpers/hako.js';
import { RawClient } from '../helpers/raw-client.js';

let hako: TestHako;
let iot: IoTClient;
hakoWithIotForFile(async (started) => {
  ({ hako, iot } = started);
  await createPolicy(iot, 'thing-policy', thingPolicy());
});

/** The CLI finds the test hako through its data directory (ports.json and credentials). */
const at = (cwd: string) => ({ cwd, env: { HAKO_DATA_DIR: hako.dataDir } });

interface Created {
  certificateId: string;
  certificateArn: string;
  status: string;
  files: { certificate: string; privateKey: string; rootCa: string };
  mosquittoPub: string;
}

function tlsFiles(files: Created['files']): tls.ConnectionOptions {
  return { ca: readFileSync(files.rootCa, 'utf8'), cert: readFileSync(files.certificate, 'utf8'), key: readFileSync(files.privateKey, 'utf8') };
}

const mode = (file: string): number => statSync(file).mode & 0o777;

/** The server must close a refused device's connection without a CONNACK (TLS 1.2 may fail the handshake instead). */
async function expectRefused(options: tls.ConnectionOptions, clientId: string): Promise<void> {
  let client: RawClient | undefined;
  try {
    client = await RawClient.openTls(hako.ports.mqtts, options);
  } catch {
    return;
  }
  client.send({ cmd: 'connect', protocolVersion: 5, protocolId: 'MQTT', clean: true, keepalive: 0, clientId });
  await client.closed;
  assert.deepEqual(client.received, [], 'no CONNACK for a refused certificate');
}

async function certificateCount(): Promise<number> {
  return ((await iot.send(new ListCertificatesCommand({ pageSize: 250 }))).certificates ?? []).length;
}

test('certs create --thing --policy writes the three files (key 0600, directory 0700) and they connect over MQTT/TLS', async (t) => {
  const cwd = tempDir(t);
  const stdout = await cliOk(['certs', 'create', '--thing', 'cli-dev-1', '--policy', 'thing-policy'], at(cwd));
  const id = /^certificate ([0-9a-f]{64}) \(ACTIVE\)$/m.exec(stdout)?.[1];
  assert.ok(id, `the certificate id is printed: ${stdout}`);
  const dir = path.join(cwd, 'certs', 'cli-dev-1');
  const files = { certificate: path.join(dir, 'device.pem.crt'), privateKey: path.join(dir, 'private.pem.key'), rootCa: path.join(dir, 'root-ca.pem') };
  assert.equal(mode(dir), 0o700);
  assert.equal(mode(files.privateKey), 0o600);
  assert.equal(mode(files.certificate), 0o644);
  assert.equal(mode(files.rootCa), 0o644);
  assert.equal(readFileSync(files.rootCa, 'utf8'), hako.identity.tls.caPem, 'root-ca.pem is the CA that issued the certificate');
  assert.match(readFileSync(files.privateKey, 'utf8'), /^-----BEGIN (RSA |EC )?PRIVATE KEY-----/);
  for (const file of Object.values(files)) assert.ok(stdout.includes(path.relative(cwd, file)), `${file} is printed`);
  assert.match(stdout, new RegExp(`^ {2}mosquitto_pub --cafile certs/cli-dev-1/root-ca.pem --cert certs/cli-dev-1/device.pem.crt --key certs/cli-dev-1/private.pem.key -h localhost -p ${hako.ports.mqtts} -i cli-dev-1 `, 'm'));

  const { client, connack } = await RawClient.connectTls(hako.ports.mqtts, tlsFiles(files), { clientId: 'cli-dev-1' });
  assert.equal(connack.reasonCode, 0, 'CONNECT accepted');
  await client.disconnect();
});

test('the mosquitto_pub line certs create prints runs as printed and the message arrives', async (t) => {
  const cwd = tempDir(t);
  const created = await cliJson<Created>(['certs', 'create', '--thing', 'cli-dev-mosquitto', '--policy', 'thing-policy'], at(cwd));
  const subscriber = await RawClient.connectForTest(t, hako.ports.mqtt, 'cli-watcher');
  assert.deepEqual(await subscriber.subscribe('cli-dev-mosquitto/hello'), [1]);
  const exit = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn('sh', ['-c', created.mosquittoPub], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
  assert.equal(exit.code, 0, `${created.mosquittoPub}: ${exit.stderr} (mosquitto_pub comes with apt-get install mosquitto-clients)`);
  const message = await subscriber.receive();
  assert.equal(message.topic, 'cli-dev-mosquitto/hello');
  assert.equal(message.payload.toString(), 'hello');
});

test('certs create refuses to overwrite existing files and creates nothing; --force replaces them', async (t) => {
  const cwd = tempDir(t);
  const out = path.join(cwd, 'device');
  const first = await cliJson<Created>(['certs', 'create', '--thing', 'cli-dev-2', '--out', out], at(cwd));
  const before = readFileSync(first.files.privateKey, 'utf8');
  const count = await certificateCount();

  const stderr = await cliFails(['certs', 'create', '--thing', 'cli-dev-2', '--out', out], 1, at(cwd));
  assert.match(stderr[0] ?? '', /^hako: certs create: .*device\.pem\.crt, .*private\.pem\.key, .*root-ca\.pem already exist; nothing was created$/);
  assert.match(stderr[1] ?? '', /--force/);
  assert.equal(stderr.length, 2);
  assert.equal(readFileSync(first.files.privateKey, 'utf8'), before, 'the key was not touched');
  assert.equal(await certificateCount(), count, 'no certificate was created');

  const second = await cliJson<Created>(['certs', 'create', '--thing', 'cli-dev-2', '--out', out, '--force'], at(cwd));
  assert.notEqual(second.certificateId, first.certificateId);
  assert.notEqual(readFileSync(second.files.privateKey, 'utf8'), before);
  assert.equal(mode(second.files.privateKey), 0o600);
  assert.equal(readFileSync(second.files.certificate, 'utf8'), (await cliJson<{ certificateDescription: { certificatePem: string } }>(['certs', 'describe', second.certificateId], at(cwd))).certificateDescription.certificatePem);
});

test('certs deactivate closes the device\'s connection and refuses it; certs activate lets it back', async (t) => {
  const cwd = tempDir(t);
  const created = await cliJson<Created>(['certs', 'create', '--thing', 'cli-dev-3', '--policy', 'thing-policy'], at(cwd));
  const options = tlsFiles(created.files);
  const { client, connack } = await RawClient.connectTls(hako.ports.mqtts, options, { clientId: 'cli-dev-3' });
  assert.equal(connack.reasonCode, 0);

  assert.equal(await cliOk(['certs', 'deactivate', created.certificateId], at(cwd)), `certificate ${created.certificateId} is now INACTIVE\n`);
  await client.closed;
  await expectRefused(options, 'cli-dev-3');

  assert.deepEqual(await cliJson(['certs', 'activate', created.certificateArn], at(cwd)), { certificateId: created.certificateId, status: 'ACTIVE' });
  const again = await RawClient.connectTls(hako.ports.mqtts, options, { clientId: 'cli-dev-3' });
  assert.equal(again.connack.reasonCode, 0);
  await again.client.disconnect();
});

test('certs create --inactive; describe shows status, thing and policies; revoke; delete needs --force while attached', async (t) => {
  const cwd = tempDir(t);
  const created = await cliJson<Created>(['certs', 'create', '--thing', 'cli-dev-4', '--inactive', '--policy', 'thing-policy'], at(cwd));
  assert.equal(created.status, 'INACTIVE');
  await expectRefused(tlsFiles(created.files), 'cli-dev-4');

  const described = await cliJson<{ certificateDescription: { status: string; certificateId: string }; things: string[]; policies: string[] }>(['certs', 'describe', created.certificateId], at(cwd));
  assert.equal(described.certificateDescription.status, 'INACTIVE');
  assert.deepEqual(described.things, ['cli-dev-4']);
  assert.deepEqual(described.policies, ['thing-policy']);
  const human = await cliOk(['certs', 'describe', created.certificateId], at(cwd));
  assert.match(human, /^ {2}things +cli-dev-4$/m);
  assert.match(human, /^ {2}policies +thing-policy$/m);

  const listed = await cliJson<{ certificates: Array<{ certificateId: string; status: string }> }>(['certs', 'list'], at(cwd));
  assert.deepEqual(listed.certificates.find((c) => c.certificateId === created.certificateId)?.status, 'INACTIVE');
  assert.match(await cliOk(['certs', 'list'], at(cwd)), new RegExp(`^${created.certificateId} +INACTIVE +\\d{4}-`, 'm'));

  await cliOk(['certs', 'revoke', created.certificateId], at(cwd));
  const refused = await cliFails(['certs', 'delete', created.certificateId], 1, at(cwd));
  assert.match(refused[0] ?? '', /^hako: certs delete: DeleteCertificate: DeleteConflictException: .*cli-dev-4/);

  const deleted = await cliJson<{ detached: { things: string[]; policies: string[] } }>(['certs', 'delete', created.certificateId, '--force'], at(cwd));
  assert.deepEqual(deleted.detached, { things: ['cli-dev-4'], policies: ['thing-policy'] });
  const after = await cliJson<{ certificates: Array<{ certificateId: string }> }>(['certs', 'list'], at(cwd));
  assert.ok(!after.certificates.some((c) => c.certificateId === created.certificateId), 'deleted');
});
