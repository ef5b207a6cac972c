/**
 * @module cli/keys — `hako keys …`: access keys for hako's HTTP APIs (what AWS keeps in IAM), through
 * hako's own `/hako/access-keys` API. The secret is printed once, when the key is made.
 */
import type { Command } from 'commander';
import { addConnectionOptions, withConnection, type ConnectionFlags } from './client.js';
import { emit, formatDate, table } from './output.js';

interface AccessKeyBrief {
  accessKeyId: string;
  userName: string;
  status: string;
  createDate: number;
}

/** A profile name for the example block: the user name, in the characters every SDK reads in `[…]`. */
function profileFor(userName: string): string {
  return `hako-${userName.replace(/[^\w\-@+.]/g, '-')}`;
}

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description("access keys for hako's APIs (SigV4)");

  addConnectionOptions(keys.command('create').description('create an access key; its secret is shown once').option('--user <name>', 'who the key is for (default "user")')).action(
    (flags: ConnectionFlags & { user?: string }) =>
      withConnection('keys create', flags, async (c) => {
        const answer = await c.hakoApi('CreateAccessKey', 'POST', '/hako/access-keys', flags.user === undefined ? {} : { userName: flags.user });
        const key = answer['accessKey'] as AccessKeyBrief & { secretAccessKey: string };
        const profile = profileFor(key.userName);
        emit(flags.json, { accessKey: key }, () => [
          `access key ${key.accessKeyId} (user ${key.userName}, ${key.status})`,
          `  secret  ${key.secretAccessKey}`,
          '',
          'The secret is shown only now: hako will not show it again. Store it safely.',
          `To use the key, add a profile to a shared credentials file (~/.aws/credentials, or the file AWS_SHARED_CREDENTIALS_FILE names) and select it with AWS_PROFILE=${profile}:`,
          '',
          `[${profile}]`,
          `aws_access_key_id = ${key.accessKeyId}`,
          `aws_secret_access_key = ${key.secretAccessKey}`,
        ]);
      }),
  );

  addConnectionOptions(keys.command('list').description('list access keys (never their secrets)')).action((flags: ConnectionFlags) =>
    withConnection('keys list', flags, async (c) => {
      const answer = await c.hakoApi('ListAccessKeys', 'GET', '/hako/access-keys');
      const list = (answer['accessKeys'] ?? []) as AccessKeyBrief[];
      emit(flags.json, { accessKeys: list }, () =>
        table(['ACCESS KEY ID', 'USER', 'STATUS', 'CREATED'], list.map((k) => [k.accessKeyId, k.userName, k.status, formatDate(k.createDate)]), 'no access keys'),
      );
    }),
  );

  for (const [name, status] of [
    ['activate', 'Active'],
    ['deactivate', 'Inactive'],
  ] as const) {
    addConnectionOptions(keys.command(name).description(name === 'activate' ? 'let a key sign requests again' : 'stop a key signing requests (reversible)').argument('<id>', 'access key id')).action(
      (accessKeyId: string, flags: ConnectionFlags) =>
        withConnection(`keys ${name}`, flags, async (c) => {
          await c.hakoApi('UpdateAccessKey', 'PATCH', `/hako/access-keys/${encodeURIComponent(accessKeyId)}`, { status });
          emit(flags.json, { accessKeyId, status }, () => `access key ${accessKeyId} is now ${status}`);
        }),
    );
  }

  addConnectionOptions(keys.command('delete').description('delete an access key').argument('<id>', 'access key id')).action((accessKeyId: string, flags: ConnectionFlags) =>
    withConnection('keys delete', flags, async (c) => {
      await c.hakoApi('DeleteAccessKey', 'DELETE', `/hako/access-keys/${encodeURIComponent(accessKeyId)}`);
      emit(flags.json, { accessKeyId, deleted: true }, () => `deleted access key ${accessKeyId}`);
    }),
  );
}
