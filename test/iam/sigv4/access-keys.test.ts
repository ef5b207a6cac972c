import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { IoTClient, ListThingsCommand } from '@aws-sdk/client-iot';
import { formatCredentialsFile, generateAccessKey, parseCredentialsFile } from '../../../src/iam/sigv4/index.js';
import { startVerifyingServer } from './verifying-server.js';

const verified = (accessKeyId: string) => ({ ok: true, accessKeyId, region: 'us-east-1', service: 'iot' });

test('generateAccessKey: AKIA + 16 base32 characters, 40-character base64 secret, all distinct', () => {
  const keys = Array.from({ length: 300 }, generateAccessKey);
  for (const { accessKeyId, secretAccessKey } of keys) {
    assert.match(accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.match(secretAccessKey, /^[A-Za-z0-9+/]{40}$/);
  }
  assert.equal(new Set(keys.map((k) => k.accessKeyId)).size, keys.length);
  assert.equal(new Set(keys.map((k) => k.secretAccessKey)).size, keys.length);
  const used = new Set(keys.flatMap((k) => [...k.accessKeyId.slice(4)]));
  assert.equal(used.size, 32, 'every base32 symbol turns up');
});

test('formatCredentialsFile writes the shared-credentials INI format', () => {
  const text = formatCredentialsFile([
    { profile: 'default', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'abc/def+ghi' },
    { profile: 'hako-dev', accessKeyId: 'AKIABBBBBBBBBBBBBBBB', secretAccessKey: 'xyz' },
  ]);
  assert.equal(
    text,
    '[default]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = abc/def+ghi\n\n' +
      '[hako-dev]\naws_access_key_id = AKIABBBBBBBBBBBBBBBB\naws_secret_access_key = xyz\n',
  );
});

test('formatCredentialsFile → parseCredentialsFile round trip', () => {
  const entries = ['default', 'ci', 'user@example.com', 'a.b:c/d%'].map((profile) => ({ profile, ...generateAccessKey() }));
  const parsed = parseCredentialsFile(formatCredentialsFile(entries));
  assert.deepEqual(
    [...parsed],
    entries.map(({ profile, accessKeyId, secretAccessKey }) => [profile, { accessKeyId, secretAccessKey }]),
  );
});

test('formatCredentialsFile refuses names and values the SDKs would misread', () => {
  const ok = { profile: 'p', accessKeyId: 'AKIA', secretAccessKey: 's' };
  for (const bad of [
    { ...ok, profile: 'has space' },
    { ...ok, profile: 'x]\n[y' },
    { ...ok, profile: '' },
    { ...ok, profile: '__proto__' },
    { ...ok, accessKeyId: 'AKIA\naws_secret_access_key = stolen' },
    { ...ok, secretAccessKey: ';starts-a-comment' },
    { ...ok, secretAccessKey: '' },
  ]) {
    assert.throws(() => formatCredentialsFile([bad]), RangeError, JSON.stringify(bad));
  }
  assert.throws(() => formatCredentialsFile([ok, ok]), /duplicate profile/);
});

test('parseCredentialsFile reads what SDK v3 reads: comments, CRLF, spacing, sub-sections, other keys', () => {
  const text = [
    '# hako credentials',
    '[default]',
    'aws_access_key_id=AKIA1 ; trailing comment',
    '  aws_secret_access_key   =   s1  ',
    'aws_session_token = tok',
    '',
    '[nested]',
    'aws_access_key_id = AKIA2',
    's3 =',
    '  aws_secret_access_key = not-top-level',
    '[incomplete]',
    'aws_access_key_id = AKIA3',
    '[default]',
    'aws_secret_access_key = s1-override',
    'orphan = before any section is ignored',
  ].join('\r\n');
  const parsed = parseCredentialsFile(`stray = 1\r\n${text}`);
  assert.deepEqual([...parsed], [['default', { accessKeyId: 'AKIA1', secretAccessKey: 's1-override' }]]);
});

test('a real SDK reads the file via AWS_SHARED_CREDENTIALS_FILE (fromIni) and its requests verify', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hako-sigv4-'));
  const saved = { file: process.env['AWS_SHARED_CREDENTIALS_FILE'], config: process.env['AWS_CONFIG_FILE'] };
  const key = generateAccessKey();
  const file = path.join(dir, 'credentials');
  const text = formatCredentialsFile([{ profile: 'hako', ...key }, { profile: 'default', ...generateAccessKey() }]);
  writeFileSync(file, text, { mode: 0o600 });
  const keys = parseCredentialsFile(readFileSync(file, 'utf8'));
  const server = await startVerifyingServer((id) => [...keys.values()].find((k) => k.accessKeyId === id)?.secretAccessKey);
  try {
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = file;
    process.env['AWS_CONFIG_FILE'] = path.join(dir, 'no-config');
    const credentials = await fromIni({ profile: 'hako', ignoreCache: true })();
    assert.equal(credentials.accessKeyId, key.accessKeyId);
    assert.equal(credentials.secretAccessKey, key.secretAccessKey);
    const client = new IoTClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: fromIni({ profile: 'hako', ignoreCache: true }),
      maxAttempts: 1,
    });
    await client.send(new ListThingsCommand({ maxResults: 1 }));
    assert.deepEqual(server.seen.at(-1)?.result, verified(key.accessKeyId));
  } finally {
    for (const [name, value] of [['AWS_SHARED_CREDENTIALS_FILE', saved.file], ['AWS_CONFIG_FILE', saved.config]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a real SDK in a child process finds the file through the default provider chain', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hako-sigv4-'));
  const key = generateAccessKey();
  const file = path.join(dir, 'credentials');
  writeFileSync(file, formatCredentialsFile([{ profile: 'default', ...key }]), { mode: 0o600 });
  const server = await startVerifyingServer((id) => {
    const stored = parseCredentialsFile(readFileSync(file, 'utf8')).get('default');
    return stored?.accessKeyId === id ? stored.secretAccessKey : undefined;
  });
  const script = [
    "import { IoTClient, ListThingsCommand } from '@aws-sdk/client-iot';",
    "const client = new IoTClient({ endpoint: process.env.HAKO_ENDPOINT, region: 'us-east-1', maxAttempts: 1 });",
    'const out = await client.send(new ListThingsCommand({}));',
    'console.log(out.$metadata.httpStatusCode);',
  ].join('\n');
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: dir, HAKO_ENDPOINT: server.endpoint };
  env['AWS_SHARED_CREDENTIALS_FILE'] = file;
  env['AWS_CONFIG_FILE'] = path.join(dir, 'no-config');
  env['AWS_EC2_METADATA_DISABLED'] = 'true';
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], {
      cwd: path.dirname(fileURLToPath(import.meta.url)), // resolves @aws-sdk/client-iot from this checkout
      env,
      timeout: 30_000,
    });
    assert.equal(stdout.trim(), '200');
    assert.deepEqual(server.seen.at(-1)?.result, verified(key.accessKeyId));
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
