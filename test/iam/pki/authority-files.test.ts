import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isHakoError } from '../../../src/core/errors.js';
import { inspectCertificate, isIssuedBy, loadOrCreateAuthority } from '../../../src/iam/pki/index.js';

const FILES = ['ca.pem', 'ca.key', 'server.pem', 'server.key'] as const;

function withDir(name: string, body: (dir: string) => Promise<void>): void {
  test(name, async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'hako-pki-'));
    try {
      await body(path.join(root, 'data'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(FILES.map((file) => [file, readFileSync(path.join(dir, file), 'utf8')]));
}

function modeOf(file: string): number {
  return statSync(file).mode & 0o777;
}

withDir('first start creates the CA and server files, keys 0600, certificates 0644', async (dir) => {
  const loaded = await loadOrCreateAuthority(dir, { serverNames: [] });
  assert.equal(loaded.createdCa, true);
  assert.equal(loaded.issuedServer, true);
  assert.deepEqual(readdirSync(dir).sort(), ['ca.key', 'ca.pem', 'server.key', 'server.pem'], 'no temporary files left behind');
  assert.deepEqual(FILES.map((file) => [file, modeOf(path.join(dir, file))]), [['ca.pem', 0o644], ['ca.key', 0o600], ['server.pem', 0o644], ['server.key', 0o600]]);
  const files = snapshot(dir);
  const ca = inspectCertificate(files['ca.pem'] as string);
  assert.equal(ca.certificateId, loaded.ca.certificateId);
  assert.equal(ca.isCA, true);
  assert.deepEqual(ca.subject['CommonName'], ['hako root CA']);
  assert.deepEqual(ca.notAfter, new Date('2049-12-31T23:59:59Z'));
  assert.equal(files['server.pem'], loaded.server.certificatePem);
  assert.equal(files['server.key'], loaded.server.privateKeyPem);
  assert.match(loaded.server.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
  const server = new X509Certificate(loaded.server.certificatePem);
  assert.equal(isIssuedBy(server, loaded.ca.certificatePem), true);
  assert.ok(server.checkHost('localhost') && server.checkIP('127.0.0.1') && server.checkIP('::1'));
  assert.deepEqual(server.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'extendedKeyUsage serverAuth');
});

withDir('the modes hold whatever the umask', async (dir) => {
  const previous = process.umask(0o077);
  try {
    await loadOrCreateAuthority(dir, { serverNames: [] });
    process.umask(0);
    unlinkSync(path.join(dir, 'server.key'));
    await loadOrCreateAuthority(dir, { serverNames: [] });
  } finally {
    process.umask(previous);
  }
  assert.equal(modeOf(path.join(dir, 'ca.pem')), 0o644);
  assert.equal(modeOf(path.join(dir, 'ca.key')), 0o600);
  assert.equal(modeOf(path.join(dir, 'server.key')), 0o600);
});

withDir('a second start reuses the CA and the server certificate', async (dir) => {
  const first = await loadOrCreateAuthority(dir, { serverNames: ['hako.lan'] });
  const before = snapshot(dir);
  const second = await loadOrCreateAuthority(dir, { serverNames: ['HAKO.lan'] });
  assert.equal(second.createdCa, false);
  assert.equal(second.issuedServer, false);
  assert.equal(second.ca.certificateId, first.ca.certificateId);
  assert.deepEqual(second.server, first.server);
  assert.deepEqual(snapshot(dir), before);
});

withDir('adding a server name re-issues only the server certificate', async (dir) => {
  await loadOrCreateAuthority(dir, { serverNames: ['hako.lan'] });
  const before = snapshot(dir);
  const again = await loadOrCreateAuthority(dir, { serverNames: ['hako.lan', '192.168.1.20', 'fd00::20'] });
  const after = snapshot(dir);
  assert.equal(again.issuedServer, true);
  assert.equal(after['ca.pem'], before['ca.pem']);
  assert.equal(after['ca.key'], before['ca.key']);
  assert.notEqual(after['server.pem'], before['server.pem']);
  assert.notEqual(after['server.key'], before['server.key']);
  const server = new X509Certificate(after['server.pem'] as string);
  assert.ok(server.checkHost('hako.lan') && server.checkIP('192.168.1.20') && server.checkIP('fd00::20') && server.checkHost('localhost'));
  assert.equal(isIssuedBy(server, again.ca.certificatePem), true);
  assert.deepEqual(inspectCertificate(server).subject['CommonName'], ['hako.lan']);
});

withDir('a server certificate expiring within 30 days is re-issued', async (dir) => {
  const first = await loadOrCreateAuthority(dir, { serverNames: [] });
  const expiresAt = inspectCertificate(first.server.certificatePem).notAfter.getTime();
  const soon = { now: () => expiresAt - 29 * 86_400_000, monotonic: () => 0 };
  const later = await loadOrCreateAuthority(dir, { serverNames: [], clock: soon });
  assert.equal(later.issuedServer, true);
  assert.ok(inspectCertificate(later.server.certificatePem).notAfter.getTime() > expiresAt);
  assert.equal(later.ca.certificateId, first.ca.certificateId);
});

withDir('a server certificate from another CA, or with the wrong key, is re-issued', async (dir) => {
  const first = await loadOrCreateAuthority(dir, { serverNames: [] });
  writeFileSync(path.join(dir, 'server.key'), generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const again = await loadOrCreateAuthority(dir, { serverNames: [] });
  assert.equal(again.issuedServer, true);
  assert.notEqual(again.server.certificatePem, first.server.certificatePem);
});

function assertUnusable(error: unknown, file: RegExp, advice: RegExp): true {
  assert.ok(isHakoError(error, 'DATA_DIR_UNUSABLE'), String(error));
  assert.match(error.message, file);
  assert.match(error.message, advice);
  return true;
}

withDir('a corrupt ca.key stops start-up with an error naming the file, and nothing is overwritten', async (dir) => {
  await loadOrCreateAuthority(dir, { serverNames: [] });
  writeFileSync(path.join(dir, 'ca.key'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
  const before = snapshot(dir);
  await assert.rejects(loadOrCreateAuthority(dir, { serverNames: ['new.name'] }), (error) => assertUnusable(error, /ca\.key: not a readable PEM private key/, /restore it from a backup, or move ca\.pem and ca\.key/));
  assert.deepEqual(snapshot(dir), before);
});

withDir('a corrupt ca.pem, a ca.key of another CA or a missing half of the pair are refused by name', async (dir) => {
  await loadOrCreateAuthority(dir, { serverNames: [] });
  const caPem = readFileSync(path.join(dir, 'ca.pem'), 'utf8');
  const caKey = readFileSync(path.join(dir, 'ca.key'), 'utf8');
  writeFileSync(path.join(dir, 'ca.pem'), 'not a certificate');
  await assert.rejects(loadOrCreateAuthority(dir, { serverNames: [] }), (error) => assertUnusable(error, /ca\.pem: expected a PEM-encoded certificate/, /restore it/));
  writeFileSync(path.join(dir, 'ca.pem'), caPem);
  writeFileSync(path.join(dir, 'ca.key'), generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await assert.rejects(loadOrCreateAuthority(dir, { serverNames: [] }), (error) => assertUnusable(error, /ca\.key: the private key does not belong to the CA certificate/, /restore it/));
  unlinkSync(path.join(dir, 'ca.key'));
  await assert.rejects(loadOrCreateAuthority(dir, { serverNames: [] }), (error) => assertUnusable(error, /ca\.key is missing although .*ca\.pem exists/, /restore it/));
  writeFileSync(path.join(dir, 'ca.key'), caKey);
  writeFileSync(path.join(dir, 'server.pem'), 'garbage');
  await assert.rejects(loadOrCreateAuthority(dir, { serverNames: [] }), (error) => assertUnusable(error, /server\.pem: expected a PEM-encoded certificate/, /delete .*server\.pem and .*server\.key/));
});

withDir('an invalid server name is a configuration error', async (dir) => {
  await assert.rejects(loadOrCreateAuthority(dir, { serverNames: ['not a host'] }), (error) => {
    assert.ok(isHakoError(error, 'CONFIG_INVALID'));
    assert.match(error.message, /"not a host" is neither a DNS name nor an IP address/);
    return true;
  });
});

withDir('two processes starting at once end up with one CA', async (dir) => {
  const results = await Promise.all([1, 2, 3].map(() => loadOrCreateAuthority(dir, { serverNames: [] })));
  const ids = new Set(results.map((result) => result.ca.certificateId));
  assert.equal(ids.size, 1);
  assert.equal(results.filter((result) => result.createdCa).length, 1);
  assert.equal(inspectCertificate(readFileSync(path.join(dir, 'ca.pem'), 'utf8')).certificateId, [...ids][0]);
});
