/**
 * @module cli/certs-create — `hako certs create --thing NAME`: a device's certificate, key and root CA in
 * one step, as named steps: check the files → check the policy → create the thing (idempotent) → create
 * the keys and certificate → attach it to the thing → attach the policy → fetch the issuing CA → write
 * the files → print how to connect.
 */
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DescribeCACertificateCommand,
  DescribeCertificateCommand,
  GetPolicyCommand,
} from '@aws-sdk/client-iot';
import { CliError, type Connection, type ConnectionFlags } from './client.js';
import { emit, shellQuote } from './output.js';

export interface CreateFlags extends ConnectionFlags {
  thing: string;
  out?: string;
  policy?: string;
  inactive?: boolean;
  force?: boolean;
}

/** The files, in the names AWS IoT's console downloads use; the key is for the device's eyes only. */
const FILES = [
  { key: 'certificate', name: 'device.pem.crt', mode: 0o644 },
  { key: 'privateKey', name: 'private.pem.key', mode: 0o600 },
  { key: 'rootCa', name: 'root-ca.pem', mode: 0o644 },
] as const;

type FileKey = (typeof FILES)[number]['key'];

const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;

/** Refuses before anything is created: a bad thing name, or files that are there already (without --force). */
export function checkTarget(flags: CreateFlags): { outDir: string; paths: Record<FileKey, string> } {
  if (!THING_NAME.test(flags.thing)) throw new CliError(`certs create: --thing "${flags.thing}" must be 1 to 128 characters of [a-zA-Z0-9:_-]`);
  const outDir = flags.out ?? path.join('certs', flags.thing);
  const paths = Object.fromEntries(FILES.map((file) => [file.key, path.join(outDir, file.name)])) as Record<FileKey, string>;
  const existing = Object.values(paths).filter((file) => existsSync(file));
  if (existing.length > 0 && flags.force !== true) {
    throw new CliError(`certs create: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was created`, 'pass --force to overwrite them, or --out DIR for another directory');
  }
  return { outDir, paths };
}

/** Creates a file with `mode` from the start (an old one is removed first, so a key never sits in a wider mode). */
function writeNew(file: string, contents: string, mode: number): void {
  rmSync(file, { force: true });
  const fd = openSync(file, 'wx', mode);
  try {
    writeSync(fd, contents);
  } finally {
    closeSync(fd);
  }
}

export async function createCertificate(connection: Connection, flags: CreateFlags): Promise<void> {
  const { send } = connection;
  const { outDir, paths } = checkTarget(flags);
  if (flags.policy !== undefined) await send(new GetPolicyCommand({ policyName: flags.policy })); // a missing policy stops us before a certificate exists
  try {
    await send(new CreateThingCommand({ thingName: flags.thing }));
  } catch (error) {
    // A thing that exists (with attributes of its own) is the one to attach to.
    if (!(error instanceof CliError && /ResourceAlreadyExistsException/.test(error.message))) throw error;
  }
  const created = await send(new CreateKeysAndCertificateCommand({ setAsActive: flags.inactive !== true }));
  const certificateId = created.certificateId as string;
  const certificateArn = created.certificateArn as string;
  try {
    await send(new AttachThingPrincipalCommand({ thingName: flags.thing, principal: certificateArn }));
    if (flags.policy !== undefined) await send(new AttachPolicyCommand({ policyName: flags.policy, target: certificateArn }));
    const described = await send(new DescribeCertificateCommand({ certificateId }));
    const caCertificateId = described.certificateDescription?.caCertificateId;
    if (caCertificateId === undefined) throw new CliError(`certs create: certificate ${certificateId} names no issuing CA`);
    const ca = await send(new DescribeCACertificateCommand({ certificateId: caCertificateId }));
    const contents: Record<FileKey, string> = {
      certificate: created.certificatePem as string,
      privateKey: created.keyPair?.PrivateKey as string,
      rootCa: ca.certificateDescription?.certificatePem as string,
    };
    mkdirSync(outDir, { recursive: true, mode: 0o700 }); // an existing directory keeps its mode
    for (const file of FILES) writeNew(paths[file.key], contents[file.key], file.mode);
  } catch (error) {
    const hint = `certificate ${certificateId} was created but not finished; remove it with \`hako certs delete ${certificateId} --force\``;
    if (error instanceof CliError) throw new CliError(error.message, hint, { cause: error });
    throw new CliError(`certs create: writing the files: ${(error as Error).message}`, hint, { cause: error });
  }
  printCreated(connection, flags, { certificateId, certificateArn, outDir, paths });
}

function printCreated(connection: Connection, flags: CreateFlags, result: { certificateId: string; certificateArn: string; outDir: string; paths: Record<FileKey, string> }): void {
  const status = flags.inactive === true ? 'INACTIVE' : 'ACTIVE';
  const mqttsPort = connection.ports?.mqtts ?? 8883;
  const host = mqttHost(connection.endpoint);
  const mosquitto = [
    'mosquitto_pub',
    ...['--cafile', result.paths.rootCa, '--cert', result.paths.certificate, '--key', result.paths.privateKey],
    ...['-h', host, '-p', String(mqttsPort), '-i', flags.thing, '-t', `${flags.thing}/hello`, '-m', 'hello', '-q', '1'],
  ];
  const mosquittoLine = mosquitto.map(shellQuote).join(' ');
  const absolute = (file: string): string => path.resolve(file);
  emit(
    flags.json,
    {
      certificateId: result.certificateId,
      certificateArn: result.certificateArn,
      status,
      thingName: flags.thing,
      policyName: flags.policy ?? null,
      files: { certificate: absolute(result.paths.certificate), privateKey: absolute(result.paths.privateKey), rootCa: absolute(result.paths.rootCa) },
      mqtts: { host, port: mqttsPort },
      mosquittoPub: mosquittoLine,
    },
    () => [
      `certificate ${result.certificateId} (${status})`,
      `  arn     ${result.certificateArn}`,
      `  thing   ${flags.thing}`,
      `  policy  ${flags.policy ?? '(none: attach one with `hako policies attach NAME --cert ' + result.certificateId + '` before the device can connect)'}`,
      `files in ${result.outDir}:`,
      `  ${result.paths.certificate}`,
      `  ${result.paths.privateKey}  (mode 0600: keep it on the device)`,
      `  ${result.paths.rootCa}`,
      'try it:',
      `  ${mosquittoLine}`,
    ],
  );
}

/** hako's server certificate names localhost; a remote endpoint's host is where its mqtts port is too. */
function mqttHost(endpoint: string): string {
  const { hostname } = new URL(endpoint);
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]' ? 'localhost' : hostname;
}
