/**
 * @module test/cli/keys.test — `hako keys …` run as a real child process against a real hako: a key it
 * creates signs AWS SDK requests, its secret is shown once, and deactivating or deleting it takes effect.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ListCertificatesCommand } from '@aws-sdk/client-iot';
import { iotClient } from '../helpers/aws.js';
import { cliFails, cliJson, cliOk, tempDir } from '../helpers/cli.js';
import { startTestHako, type TestHako } from '../helpers/hako.js';

let hako: TestHako;

before(async () => {
  hako = await startTestHako();
});

after(() => hako.close());

const at = (cwd: string) => ({ cwd, env: { HAKO_DATA_DIR: hako.dataDir } });

interface Key {
  accessKeyId: string;
  secretAccessKey?: string;
  userName: string;
  status: string;
  createDate: number;
}

/** Whether an IoTClient signing with this key gets an answer (`ok`) or the name of the refusal. */
async function tryKey(key: { accessKeyId: string; secretAccessKey: string }): Promise<string> {
  const iot = iotClient(hako, key);
  try {
    await iot.send(new ListCertificatesCommand({}));
    return 'ok';
  } catch (error) {
    return (error as Error).name;
  } finally {
    iot.destroy();
  }
}

async function listKeys(cwd: string): Promise<Key[]> {
  return (await cliJson<{ accessKeys: Key[] }>(['keys', 'list'], at(cwd))).accessKeys;
}

test('keys create: the new key works for an IoTClient; list shows it without its secret', async (t) => {
  const cwd = tempDir(t);
  const { accessKey } = await cliJson<{ accessKey: Key & { secretAccessKey: string } }>(['keys', 'create', '--user', 'ci'], at(cwd));
  assert.match(accessKey.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(accessKey.secretAccessKey.length, 40);
  assert.deepEqual([accessKey.userName, accessKey.status], ['ci', 'Active']);
  assert.equal(await tryKey(accessKey), 'ok');

  const listed = (await listKeys(cwd)).find((k) => k.accessKeyId === accessKey.accessKeyId);
  assert.deepEqual(listed && { ...listed, createDate: 0 }, { accessKeyId: accessKey.accessKeyId, userName: 'ci', status: 'Active', createDate: 0 });
  assert.match(await cliOk(['keys', 'list'], at(cwd)), new RegExp(`^${accessKey.accessKeyId} +ci +Active +\\d{4}-`, 'm'));
});

test('keys create prints the secret once with a warning and a ready [profile] block', async (t) => {
  const cwd = tempDir(t);
  const stdout = await cliOk(['keys', 'create', '--user', 'ops'], at(cwd));
  const id = /^access key (AKIA[A-Z2-7]{16}) \(user ops, Active\)$/m.exec(stdout)?.[1];
  const secret = /^ {2}secret {2}(\S{40})$/m.exec(stdout)?.[1];
  assert.ok(id && secret, stdout);
  assert.match(stdout, /shown only now: hako will not show it again/);
  assert.ok(stdout.includes(`[hako-ops]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n`), stdout);
  assert.equal(await tryKey({ accessKeyId: id, secretAccessKey: secret }), 'ok', 'the printed secret is the real one');
  assert.ok(!(await cliOk(['keys', 'list'], at(cwd))).includes(secret), 'never listed');
});

test('keys deactivate → the key is refused; activate → accepted again; delete → refused for good', async (t) => {
  const cwd = tempDir(t);
  const { accessKey } = await cliJson<{ accessKey: Key & { secretAccessKey: string } }>(['keys', 'create'], at(cwd));
  assert.equal(accessKey.userName, 'user', 'the default user name');

  assert.equal(await cliOk(['keys', 'deactivate', accessKey.accessKeyId], at(cwd)), `access key ${accessKey.accessKeyId} is now Inactive\n`);
  assert.equal(await tryKey(accessKey), 'UnrecognizedClientException');
  assert.equal((await listKeys(cwd)).find((k) => k.accessKeyId === accessKey.accessKeyId)?.status, 'Inactive');

  assert.deepEqual(await cliJson(['keys', 'activate', accessKey.accessKeyId], at(cwd)), { accessKeyId: accessKey.accessKeyId, status: 'Active' });
  assert.equal(await tryKey(accessKey), 'ok');

  assert.equal(await cliOk(['keys', 'delete', accessKey.accessKeyId], at(cwd)), `deleted access key ${accessKey.accessKeyId}\n`);
  assert.equal(await tryKey(accessKey), 'UnrecognizedClientException');
  assert.ok(!(await listKeys(cwd)).some((k) => k.accessKeyId === accessKey.accessKeyId));
  const again = await cliFails(['keys', 'delete', accessKey.accessKeyId], 1, at(cwd));
  assert.deepEqual(again, [`hako: keys delete: DeleteAccessKey: ResourceNotFoundException: The access key ${accessKey.accessKeyId} does not exist`]);
});
