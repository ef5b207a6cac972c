/**
 * @module cli/policies — `hako policies …`: create, list, get, attach to and detach from certificates,
 * delete, and add versions of IoT policies, through the IoT policy APIs.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DescribeCertificateCommand,
  DetachPolicyCommand,
  GetPolicyCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListTargetsForPolicyCommand,
} from '@aws-sdk/client-iot';
import { addConnectionOptions, CliError, withConnection, type Connection, type ConnectionFlags } from './client.js';
import { emit, table, withoutMetadata } from './output.js';

interface DocumentFlags extends ConnectionFlags {
  document: string;
  default?: boolean;
}

/** `--document` is the JSON itself (it starts with `{`) or a file holding it (`file://` prefix allowed). */
export function readDocument(what: string, value: string): string {
  if (value.trimStart().startsWith('{')) return value;
  const file = value.startsWith('file://') ? value.slice('file://'.length) : value;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`${what}: cannot read the policy document ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'pass --document FILE or the JSON document itself', { cause: error });
  }
}

/** The ARN of a certificate given by id or ARN (the ARN's region and account are hako's, so ask it). */
async function certificateArnOf(c: Connection, idOrArn: string): Promise<string> {
  if (idOrArn.startsWith('arn:')) return idOrArn;
  const { certificateDescription } = await c.send(new DescribeCertificateCommand({ certificateId: idOrArn }));
  return certificateDescription?.certificateArn as string;
}

function prettyDocument(document: string | undefined): string {
  if (document === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(document), null, 2);
  } catch {
    return document;
  }
}

export function registerPolicyCommands(program: Command): void {
  const policies = program.command('policies').description('IoT policies: what a certificate may do over MQTT');

  addConnectionOptions(policies.command('create').description('create a policy').argument('<name>', 'policy name').requiredOption('--document <file-or-json>', 'the policy document: a file, or the JSON itself')).action(
    (policyName: string, flags: DocumentFlags) =>
      withConnection('policies create', flags, async (c) => {
        const created = await c.send(new CreatePolicyCommand({ policyName, policyDocument: readDocument('policies create', flags.document) }));
        emit(flags.json, withoutMetadata(created), () => [`created policy ${created.policyName} (version ${created.policyVersionId})`, `  arn  ${created.policyArn}`]);
      }),
  );

  addConnectionOptions(policies.command('list').description('list policies')).action((flags: ConnectionFlags) =>
    withConnection('policies list', flags, async (c) => {
      const names: Array<{ policyName?: string | undefined; policyArn?: string | undefined }> = [];
      let marker: string | undefined;
      do {
        const page = await c.send(new ListPoliciesCommand({ pageSize: 250, ...(marker === undefined ? {} : { marker }) }));
        names.push(...(page.policies ?? []));
        marker = page.nextMarker ?? undefined;
      } while (marker !== undefined);
      emit(flags.json, { policies: names }, () => table(['POLICY', 'ARN'], names.map((p) => [p.policyName ?? '', p.policyArn ?? '']), 'no policies (create one with `hako policies create NAME --document FILE`)'));
    }),
  );

  addConnectionOptions(policies.command('get').description("show a policy's default version").argument('<name>', 'policy name')).action((policyName: string, flags: ConnectionFlags) =>
    withConnection('policies get', flags, async (c) => {
      const policy = await c.send(new GetPolicyCommand({ policyName }));
      const targets = await c.send(new ListTargetsForPolicyCommand({ policyName, pageSize: 250 }));
      emit(flags.json, { ...withoutMetadata(policy), targets: targets.targets ?? [] }, () => [
        `policy ${policy.policyName} (default version ${policy.defaultVersionId})`,
        `  arn       ${policy.policyArn}`,
        `  attached  ${(targets.targets ?? []).join(', ') || '(nothing)'}`,
        prettyDocument(policy.policyDocument),
      ]);
    }),
  );

  for (const [name, Operation, verb] of [
    ['attach', AttachPolicyCommand, 'attached'],
    ['detach', DetachPolicyCommand, 'detached'],
  ] as const) {
    addConnectionOptions(
      policies
        .command(name)
        .description(`${name} a policy ${name === 'attach' ? 'to' : 'from'} a certificate`)
        .argument('<name>', 'policy name')
        .requiredOption('--cert <id-or-arn>', 'certificate id or ARN'),
    ).action((policyName: string, flags: ConnectionFlags & { cert: string }) =>
      withConnection(`policies ${name}`, flags, async (c) => {
        const target = await certificateArnOf(c, flags.cert);
        await c.send(new Operation({ policyName, target }));
        emit(flags.json, { policyName, target, [verb]: true }, () => `${verb} policy ${policyName} ${name === 'attach' ? 'to' : 'from'} ${target}`);
      }),
    );
  }

  addConnectionOptions(policies.command('delete').description('delete a policy and its non-default versions (it must be attached to nothing)').argument('<name>', 'policy name')).action(
    (policyName: string, flags: ConnectionFlags) => withConnection('policies delete', flags, (c) => deletePolicy(c, policyName, flags)),
  );

  addConnectionOptions(
    policies
      .command('version')
      .description('add a version of a policy')
      .argument('<name>', 'policy name')
      .requiredOption('--document <file-or-json>', 'the policy document: a file, or the JSON itself')
      .option('--default', 'make it the default (effective) version'),
  ).action((policyName: string, flags: DocumentFlags) =>
    withConnection('policies version', flags, async (c) => {
      const version = await c.send(new CreatePolicyVersionCommand({ policyName, policyDocument: readDocument('policies version', flags.document), setAsDefault: flags.default === true }));
      emit(flags.json, withoutMetadata(version), () => `created version ${version.policyVersionId} of policy ${policyName}${version.isDefaultVersion === true ? ' (now the default)' : ' (not the default; pass --default to make it so)'}`);
    }),
  );
}

async function deletePolicy(c: Connection, policyName: string, flags: ConnectionFlags): Promise<void> {
  const { targets = [] } = await c.send(new ListTargetsForPolicyCommand({ policyName, pageSize: 250 }));
  if (targets.length > 0) {
    throw new CliError(`policies delete: policy ${policyName} is attached to ${targets.join(', ')}`, `detach it first: hako policies detach ${policyName} --cert ID_OR_ARN`);
  }
  const { policyVersions = [] } = await c.send(new ListPolicyVersionsCommand({ policyName }));
  const removed: string[] = [];
  for (const version of policyVersions) {
    if (version.isDefaultVersion === true || version.versionId === undefined) continue;
    await c.send(new DeletePolicyVersionCommand({ policyName, policyVersionId: version.versionId }));
    removed.push(version.versionId);
  }
  await c.send(new DeletePolicyCommand({ policyName }));
  emit(flags.json, { policyName, deleted: true, deletedVersions: removed }, () => `deleted policy ${policyName}${removed.length > 0 ? ` (and its other versions: ${removed.join(', ')})` : ''}`);
}
