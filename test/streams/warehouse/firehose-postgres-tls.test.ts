/**
 * @module test/streams/warehouse/firehose-postgres-tls.test — PostgreSQL destinations over TLS, through a real
 * `@aws-sdk/client-firehose` and a real PostgreSQL with `ssl = on` (its certificate self-signed for `localhost`
 * only): each `sslmode` loads or fails as pgjdbc's would — `require` encrypts without checking the server,
 * `verify-ca` checks the chain against `sslrootcert`, `verify-full` (and `ssl=true`) the name too — and the
 * server's own view (`pg_stat_ssl`) says which of hako's connections were encrypted. Failures go to the error
 * output (RetryOptions 0) with the TLS reason.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { createSelfSigned } from '../../../src/iam/pki/sign.js';
import { captureLog } from '../../helpers/log-capture.js';
import { postgresForFile } from '../../helpers/postgres.js';
import { jsonRecord, readObjects, startFirehoseHako, TestClock, type FirehoseHako } from '../delivery/helpers.js';
import { createWarehouseStream, delivered, redshift } from './firehose-helpers.js';

const DATABASE = 'lake';
const PASSWORD = 'loader-pw';
const certificate = await createSelfSigned({ profile: 'server', subject: 'CN=localhost', serverNames: ['localhost'] });
const stranger = await createSelfSigned({ profile: 'server', subject: 'CN=localhost', serverNames: ['localhost'] });

const server = postgresForFile(async (started) => {
  await started.query(`CREATE ROLE loader LOGIN PASSWORD '${PASSWORD}'`);
  await started.query(`CREATE DATABASE ${DATABASE} OWNER loader`);
}, { tls: certificate });

let dir = '';
let rootCert = '';
let strangerCert = '';
let h: FirehoseHako;
const log = captureLog();
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hako-pg-tls-'));
  rootCert = path.join(dir, 'root.crt');
  strangerCert = path.join(dir, 'stranger.crt');
  writeFileSync(rootCert, certificate.certificatePem);
  writeFileSync(strangerCert, stranger.certificatePem);
  const clock = new TestClock();
  clock.freeze(Math.floor(Date.now() / 3600_000) * 3600_000);
  h = await startFirehoseHako({ clock, logger: log.logger });
});
after(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A stream loading `table` through `url`'s host and properties; failures go to the error output at once. */
async function streamTo(name: string, host: string, properties: string): Promise<void> {
  await createWarehouseStream(h.firehose, name, redshift(name, {
    ClusterJDBCURL: `jdbc:postgresql://${host}:${server().port}/${DATABASE}${properties}`,
    Username: 'loader',
    Password: PASSWORD,
    RetryOptions: { DurationInSeconds: 0 },
  }, { ErrorOutputPrefix: `failed/${name}/`, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 } }));
}

/** Puts one record; resolves once it is in the table. */
async function loads(name: string): Promise<void> {
  const landed = delivered(h.hako.delivery, name, 1);
  await h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: jsonRecord(1) }] }));
  await landed;
  assert.deepEqual(await server().query(`SELECT n::int FROM ${name}`, [], DATABASE), [{ n: 1 }]);
}

/** Puts one record; resolves with its error line once it is in the error output instead. */
async function fails(name: string): Promise<Record<string, unknown>> {
  const written = log.waitForNext(/^delivery failed for the whole retry duration: 1 record\(s\) written to the error output instead$/);
  await h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: jsonRecord(1) }] }));
  await written;
  const objects = readObjects(path.join(h.bucketDir('staging'), 'failed', name));
  assert.equal(objects.length, 1);
  return JSON.parse(objects[0]?.body.toString('utf8') ?? '') as Record<string, unknown>;
}

/** Whether hako's connections to the test database are encrypted, as the server sees them. */
async function hakoUsesTls(): Promise<boolean[]> {
  const rows = await server().query<{ ssl: boolean }>("SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'hako' AND a.datname = $1", [DATABASE]);
  return [...new Set(rows.map((row) => row.ssl))];
}

test('verify-full with the server\'s root, reached by the name in its certificate: loads, encrypted', async () => {
  await streamTo('verified', 'localhost', `?sslmode=verify-full&sslrootcert=${encodeURIComponent(rootCert)}`);
  await loads('verified');
  assert.deepEqual(await hakoUsesTls(), [true]);
});

test('verify-full reached by an address the certificate does not name: refused, the reason in the error output', async () => {
  await streamTo('wrong_name', '127.0.0.1', `?sslmode=verify-full&sslrootcert=${encodeURIComponent(rootCert)}`);
  const line = await fails('wrong_name');
  assert.equal(line.errorCode, 'Redshift.ConnectionFailed');
  assert.match(String(line.errorMessage), /cannot connect to PostgreSQL loader@127\.0\.0\.1:\d+\/lake \(table public\.wrong_name\): Hostname\/IP does not match certificate's altnames: IP: 127\.0\.0\.1 is not in the cert's list/);
});

test('verify-ca checks the chain only: the same address loads', async () => {
  await streamTo('chain_only', '127.0.0.1', `?sslmode=verify-ca&sslrootcert=${encodeURIComponent(rootCert)}`);
  await loads('chain_only');
});

test('a root that did not sign the server\'s certificate, or Node\'s own roots (ssl=true): refused', async () => {
  await streamTo('stranger', 'localhost', `?sslmode=verify-ca&sslrootcert=${encodeURIComponent(strangerCert)}`);
  assert.match(String((await fails('stranger')).errorMessage), /self[- ]signed certificate/);
  await streamTo('bundled_roots', 'localhost', '?ssl=true');
  assert.match(String((await fails('bundled_roots')).errorMessage), /self[- ]signed certificate/);
});

test('require encrypts without checking the server', async () => {
  await streamTo('unchecked', '127.0.0.1', '?sslmode=require');
  await loads('unchecked');
});

test('an sslrootcert that cannot be read fails the delivery, saying which file', async () => {
  const missing = path.join(dir, 'missing.crt');
  await streamTo('no_root', 'localhost', `?sslmode=verify-full&sslrootcert=${encodeURIComponent(missing)}`);
  assert.match(String((await fails('no_root')).errorMessage), new RegExp(`cannot read sslrootcert ${missing.replace(/[.]/g, '\\.')}: ENOENT`));
});

test('without sslmode the connection is plain', async () => {
  await h.close();
  h = await startFirehoseHako({ logger: log.logger });
  await streamTo('plain', '127.0.0.1', '');
  await loads('plain');
  assert.deepEqual(await hakoUsesTls(), [false]);
});
