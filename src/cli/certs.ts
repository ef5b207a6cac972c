/**
 * @module cli/certs — `hako certs …`: create (see certs-create), list, describe, activate, deactivate,
 * revoke and delete device certificates, through the IoT certificate APIs.
 */
import type { Command } from 'commander';
import {
  DeleteCertificateCommand,
  DescribeCertificateCommand,
  DetachThingPrincipalCommand,
  ListAttachedPoliciesCommand,
  ListCertificatesCommand,
  ListPrincipalThingsCommand,
  UpdateCertificateCommand,
  type Certificate,
  type CertificateStatus,
} from '@aws-sdk/client-iot';
import { addConnectionOptions, withConnection, type Connection, type ConnectionFlags } from './client.js';
import { createCertificate, type CreateFlags } from './certs-create.js';
import { emit, formatDate, table } from './output.js';

/** A certificate id, or the id inside a certificate ARN (`arn:aws:iot:…:cert/<id>`). */
export function certificateIdOf(idOrArn: string): string {
  const match = /^arn:[^:]+:iot:[^:]*:[^:]*:cert\/([0-9a-fA-F]+)$/.exec(idOrArn);
  return match?.[1] ?? idOrArn;
}

export function registerCertCommands(program: Command): void {
  const certs = program.command('certs').description('device certificates (X.509, issued by hako\'s CA)');

  addConnectionOptions(
    certs
      .command('create')
      .description('create a certificate and key for a thing, attach them, and write device.pem.crt, private.pem.key and root-ca.pem')
      .requiredOption('--thing <name>', 'the thing the certificate is for (created if it does not exist)')
      .option('--out <dir>', 'where to write the files (default ./certs/<thing>)')
      .option('--policy <name>', 'a policy to attach to the certificate')
      .option('--inactive', 'create the certificate INACTIVE (default ACTIVE)')
      .option('--force', 'overwrite files that exist'),
  ).action((flags: CreateFlags) => withConnection('certs create', flags, (c) => createCertificate(c, flags)));

  addConnectionOptions(certs.command('list').description('list certificates')).action((flags: ConnectionFlags) => withConnection('certs list', flags, (c) => listCertificates(c, flags)));

  addConnectionOptions(certs.command('describe').description('show a certificate, its things and its policies').argument('<id>', 'certificate id or ARN')).action(
    (id: string, flags: ConnectionFlags) => withConnection('certs describe', flags, (c) => describeCertificate(c, certificateIdOf(id), flags)),
  );

  const statuses: Array<[string, CertificateStatus, string]> = [
    ['activate', 'ACTIVE', 'let the certificate connect'],
    ['deactivate', 'INACTIVE', 'stop the certificate connecting (its live connections are closed); reversible'],
    ['revoke', 'REVOKED', 'revoke the certificate for good (its live connections are closed)'],
  ];
  for (const [name, status, description] of statuses) {
    addConnectionOptions(certs.command(name).description(description).argument('<id>', 'certificate id or ARN')).action((id: string, flags: ConnectionFlags) =>
      withConnection(`certs ${name}`, flags, (c) => setStatus(c, certificateIdOf(id), status, flags)),
    );
  }

  addConnectionOptions(
    certs
      .command('delete')
      .description('delete a certificate (it must be INACTIVE or REVOKED and attached to no thing, unless --force)')
      .argument('<id>', 'certificate id or ARN')
      .option('--force', 'deactivate it, detach it from its things and policies, then delete it'),
  ).action((id: string, flags: ConnectionFlags & { force?: boolean }) => withConnection('certs delete', flags, (c) => deleteCertificate(c, certificateIdOf(id), flags)));
}

async function listCertificates(c: Connection, flags: ConnectionFlags): Promise<void> {
  const certificates: Certificate[] = [];
  let marker: string | undefined;
  do {
    const page = await c.send(new ListCertificatesCommand({ pageSize: 250, ...(marker === undefined ? {} : { marker }) }));
    certificates.push(...(page.certificates ?? []));
    marker = page.nextMarker ?? undefined;
  } while (marker !== undefined);
  emit(flags.json, { certificates }, () =>
    table(
      ['CERTIFICATE ID', 'STATUS', 'CREATED'],
      certificates.map((cert) => [cert.certificateId ?? '', cert.status ?? '', formatDate(cert.creationDate)]),
      'no certificates (create one with `hako certs create --thing NAME`)',
    ),
  );
}

async function attachmentsOf(c: Connection, certificateArn: string): Promise<{ things: string[]; policies: string[] }> {
  const things = await c.send(new ListPrincipalThingsCommand({ principal: certificateArn, maxResults: 250 }));
  const policies = await c.send(new ListAttachedPoliciesCommand({ target: certificateArn, pageSize: 250 }));
  return { things: things.things ?? [], policies: (policies.policies ?? []).map((p) => p.policyName ?? '') };
}

async function describeCertificate(c: Connection, certificateId: string, flags: ConnectionFlags): Promise<void> {
  const { certificateDescription: d = {} } = await c.send(new DescribeCertificateCommand({ certificateId }));
  const { things, policies } = await attachmentsOf(c, d.certificateArn ?? '');
  emit(flags.json, { certificateDescription: d, things, policies }, () => [
    `certificate ${d.certificateId} (${d.status})`,
    `  arn       ${d.certificateArn}`,
    `  issuer    CA ${d.caCertificateId ?? '(none: registered without a CA)'}`,
    `  created   ${formatDate(d.creationDate)}`,
    `  valid     ${formatDate(d.validity?.notBefore)} to ${formatDate(d.validity?.notAfter)}`,
    `  things    ${things.join(', ') || '(none)'}`,
    `  policies  ${policies.join(', ') || '(none)'}`,
  ]);
}

async function setStatus(c: Connection, certificateId: string, newStatus: CertificateStatus, flags: ConnectionFlags): Promise<void> {
  await c.send(new UpdateCertificateCommand({ certificateId, newStatus }));
  emit(flags.json, { certificateId, status: newStatus }, () => `certificate ${certificateId} is now ${newStatus}`);
}

async function deleteCertificate(c: Connection, certificateId: string, flags: ConnectionFlags & { force?: boolean }): Promise<void> {
  const detached: { things: string[]; policies: string[] } = { things: [], policies: [] };
  if (flags.force === true) {
    const { certificateDescription: d = {} } = await c.send(new DescribeCertificateCommand({ certificateId }));
    if (d.status === 'ACTIVE') await c.send(new UpdateCertificateCommand({ certificateId, newStatus: 'INACTIVE' }));
    const attached = await attachmentsOf(c, d.certificateArn ?? '');
    for (const thingName of attached.things) await c.send(new DetachThingPrincipalCommand({ thingName, principal: d.certificateArn }));
    Object.assign(detached, attached); // forceDelete detaches the policies
  }
  await c.send(new DeleteCertificateCommand({ certificateId, forceDelete: flags.force === true }));
  emit(flags.json, { certificateId, deleted: true, detached }, () => {
    const lines = [`deleted certificate ${certificateId}`];
    if (detached.things.length > 0) lines.push(`  detached from things: ${detached.things.join(', ')}`);
    if (detached.policies.length > 0) lines.push(`  detached policies: ${detached.policies.join(', ')}`);
    return lines;
  });
}
