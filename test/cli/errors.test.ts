/**
 * @module test/cli/errors.test — how the `hako` client commands fail: one line on stderr naming what
 * failed and the AWS error, a hint where one helps, exit code 1; usage errors exit 2. Also where the CLI
 * finds hako and its credentials: ports.json and the credentials file, or --endpoint and the AWS chain.
 */
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { rootCredentials } from '../helpers/aws.js';
import { cliFails, cliJson, tempDir } from '../helpers/cli.js';
import { startTestHako, type TestHako } from '../helpers/hako.js';

let hako: TestHako;

before(async () => {
  hako = await startTestHako();
});

after(() => hako.close());

const NOT_RUNNING_HINT = 'hint: is hako running? start it with `hako start` or pass --endpoint (or --data-dir for a hako started with another data directory)';

/** A data directory that points at the test hako (its ports.json) with the given credentials file, if any. */
function dataDirWith(t: Parameters<typeof tempDir>[0], credentials: string | undefined): string {
  const dir = tempDir(t);
  copyFileSync(path.join(hako.dataDir, 'ports.json'), path.join(dir, 'ports.json'));
  if (credentials !== undefined) writeFileSync(path.join(dir, 'credentials'), credentials, { mode: 0o600 });
  return dir;
}

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('no hako running (a data directory without ports.json): exit 1, one line and the hint', async (t) => {
  const dir = tempDir(t);
  for (const args of [['certs', 'list'], ['keys', 'list'], ['policies', 'list']]) {
    const stderr = await cliFails([...args, '--data-dir', dir], 1);
    assert.deepEqual(stderr, [`hako: ${args.join(' ')}: cannot find a running hako: ${path.join(dir, 'ports.json')} does not exist`, NOT_RUNNING_HINT]);
  }
  // The same through HAKO_DATA_DIR, and the default ./.hako of the working directory.
  assert.equal((await cliFails(['certs', 'list'], 1, { env: { HAKO_DATA_DIR: dir } }))[1], NOT_RUNNING_HINT);
  assert.match((await cliFails(['certs', 'list'], 1, { cwd: dir }))[0] ?? '', /cannot find a running hako: \.hako\/ports\.json does not exist$/);
});

test('an endpoint where nothing listens: exit 1 with ECONNREFUSED and the hint, for the IoT and the hako API', async (t) => {
  const dir = tempDir(t);
  copyFileSync(path.join(hako.dataDir, 'credentials'), path.join(dir, 'credentials'));
  const endpoint = `http://127.0.0.1:${await closedPort()}`;
  assert.deepEqual(await cliFails(['certs', 'list', '--data-dir', dir, '--endpoint', endpoint], 1), [`hako: certs list: ListCertificates: ECONNREFUSED: cannot reach hako at ${endpoint}`, NOT_RUNNING_HINT]);
  assert.deepEqual(await cliFails(['keys', 'list', '--data-dir', dir, '--endpoint', endpoint], 1), [`hako: keys list: ListAccessKeys: ECONNREFUSED: cannot reach hako at ${endpoint}`, NOT_RUNNING_HINT]);
});

test('a credentials file with an unknown key: exit 1 naming the 403 error, and a hint to check the file', async (t) => {
  const dir = dataDirWith(t, '[default]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = bm90LWEtc2VjcmV0LW5vdC1hLXNlY3JldC1ub3Q\n');
  const hint = `hint: check the credentials file: ${path.join(dir, 'credentials')} (profile default) must hold an active hako access key`;
  const certs = await cliFails(['certs', 'list', '--data-dir', dir], 1);
  assert.deepEqual(certs, ['hako: certs list: ListCertificates: UnrecognizedClientException: The security token included in the request is invalid.', hint]);
  const keys = await cliFails(['keys', 'create', '--data-dir', dir], 1);
  assert.deepEqual(keys, ['hako: keys create: CreateAccessKey: UnrecognizedClientException: The security token included in the request is invalid.', hint]);
});

test('a credentials file with the right key id and a wrong secret: the signature error, with the same hint', async (t) => {
  const { accessKeyId } = rootCredentials(hako.dataDir);
  const dir = dataDirWith(t, `[default]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = bm90LWEtc2VjcmV0LW5vdC1hLXNlY3JldC1ub3Q\n`);
  for (const args of [['policies', 'list'], ['keys', 'list']]) {
    const stderr = await cliFails([...args, '--data-dir', dir], 1);
    assert.match(stderr[0] ?? '', new RegExp(`^hako: ${args.join(' ')}: \\w+: InvalidSignatureException: `));
    assert.match(stderr[1] ?? '', /^hint: check the credentials file: /);
  }
});

test('without a credentials file the AWS chain is used: AWS_ACCESS_KEY_ID, AWS_SHARED_CREDENTIALS_FILE', async (t) => {
  const dir = dataDirWith(t, undefined);
  const root = rootCredentials(hako.dataDir);
  const env = { HAKO_DATA_DIR: dir, AWS_ACCESS_KEY_ID: root.accessKeyId, AWS_SECRET_ACCESS_KEY: root.secretAccessKey };
  assert.ok(Array.isArray((await cliJson<{ certificates: unknown }>(['certs', 'list'], { env })).certificates));
  assert.ok(Array.isArray((await cliJson<{ accessKeys: unknown }>(['keys', 'list'], { env })).accessKeys), 'the hako API is signed with the same credentials');
  const shared = { HAKO_DATA_DIR: dir, AWS_SHARED_CREDENTIALS_FILE: path.join(hako.dataDir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'none') };
  assert.ok(Array.isArray((await cliJson<{ accessKeys: unknown }>(['keys', 'list'], { env: shared })).accessKeys));
  // --endpoint alone (no ports.json anywhere) works too.
  const elsewhere = tempDir(t);
  const viaEndpoint = { env: { HAKO_DATA_DIR: elsewhere, AWS_ACCESS_KEY_ID: root.accessKeyId, AWS_SECRET_ACCESS_KEY: root.secretAccessKey } };
  assert.ok(Array.isArray((await cliJson<{ policies: unknown }>(['policies', 'list', '--endpoint', `http://127.0.0.1:${hako.ports.http}`], viaEndpoint)).policies));
});

test('usage errors exit 2: a missing required option, a missing argument, an unknown command or option', async () => {
  for (const args of [['certs', 'create'], ['policies', 'attach', 'p'], ['certs', 'describe'], ['certs', 'frobnicate'], ['keys', 'list', '--bogus'], []]) {
    const stderr = await cliFails(args, 2);
    assert.ok(stderr.length > 0, `hako ${args.join(' ')} says what is wrong`);
  }
});
