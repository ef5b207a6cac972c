/**
 * @module iam/pki/authority-files — the CA and server certificate in the data directory: created on first
 * start, loaded afterwards, the server certificate re-issued when it no longer fits.
 *
 * Files: `ca.pem`, `ca.key` (0600), `server.pem`, `server.key` (0600). Each is written to a temporary file
 * with its final mode and moved into place, so a crash never leaves half a key. The CA is never replaced
 * behind the user's back: if its files are damaged hako stops and says which file and what to do.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdir, readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { systemClock, type Clock } from '../../core/clock.js';
import { HakoError } from '../../core/errors.js';
import { createAuthority, createRootCa, serverNamesFor, type Authority, type SigningAuthority } from './authority.js';
import { isCertificateError } from './certificate-error.js';
import { installNewFile, replaceFile } from './atomic-file.js';
import { isIssuedBy, parseCertificate } from './inspect.js';
import { importSigningKey, spkiDer } from './keys.js';
import type { CertificateAndKey } from './sign.js';

export interface AuthorityFilesOptions {
  /** DNS names and IP addresses the server certificate must cover besides localhost, 127.0.0.1 and ::1. */
  readonly serverNames: readonly string[];
  readonly clock?: Clock;
}

export interface LoadedAuthority {
  readonly ca: Authority;
  /** hako's TLS server certificate (signed by `ca`) and its PKCS#8 key. */
  readonly server: CertificateAndKey;
  /** True when this call created the CA (first start). */
  readonly createdCa: boolean;
  /** True when this call issued a new server certificate. */
  readonly issuedServer: boolean;
}

const RENEW_BEFORE_MS = 30 * 24 * 3600_000;

export async function loadOrCreateAuthority(dir: string, options: AuthorityFilesOptions): Promise<LoadedAuthority> {
  let names: string[];
  try {
    names = serverNamesFor(options.serverNames);
  } catch (cause) {
    throw new HakoError('CONFIG_INVALID', [(cause as Error).message], { cause });
  }
  const files = new DataDir(dir);
  await files.create();
  const clock = options.clock ?? systemClock;
  const { ca, createdCa } = await loadOrCreateCa(files, clock);
  let server = await loadServer(files, ca, names, clock);
  const issuedServer = server === undefined;
  if (server === undefined) {
    server = await ca.issueServerCertificate(options.serverNames);
    await replaceFile(files.path('server.key'), server.privateKeyPem, 0o600).catch(files.writeFailed);
    await replaceFile(files.path('server.pem'), server.certificatePem, 0o644).catch(files.writeFailed);
  }
  return { ca, server, createdCa, issuedServer };
}

async function loadOrCreateCa(files: DataDir, clock: Clock, attempt = 0): Promise<{ ca: SigningAuthority; createdCa: boolean }> {
  let caPem = await files.read('ca.pem');
  let caKey = await files.read('ca.key');
  let createdCa = false;
  if (caPem === undefined && caKey === undefined) {
    const created = await createRootCa({ clock });
    const won = await installNewFile(files.path('ca.key'), created.privateKeyPem, 0o600).catch(files.writeFailed)
      && await installNewFile(files.path('ca.pem'), created.certificatePem, 0o644).catch(files.writeFailed);
    if (!won) return loadOrCreateCa(files, clock, attempt + 1); // another hako process created the CA just now
    ({ certificatePem: caPem, privateKeyPem: caKey } = created);
    createdCa = true;
  }
  const restore = `restore it from a backup, or move ca.pem and ca.key out of ${files.dir} to have hako create a new CA (devices holding certificates from the old CA will then need new ones)`;
  if (caPem === undefined || caKey === undefined) {
    if (attempt > 0 && attempt < 5) return sleep(100).then(() => loadOrCreateCa(files, clock, attempt + 1)); // the other process is still writing
    const [missing, present] = caPem === undefined ? ['ca.pem', 'ca.key'] : ['ca.key', 'ca.pem'];
    throw files.unusable(`${files.path(missing)} is missing although ${files.path(present)} exists; ${restore}`);
  }
  try {
    const ca = await createAuthority(caPem, caKey, { clock });
    if (new Date(parseCertificate(caPem).validTo).getTime() <= clock.now()) {
      throw files.unusable(`the CA certificate ${files.path('ca.pem')} has expired; ${restore}`);
    }
    return { ca, createdCa };
  } catch (cause) {
    if (!isCertificateError(cause)) throw cause;
    const culprit = cause.reason === 'KEY_INVALID' ? 'ca.key' : 'ca.pem';
    throw files.unusable(`${files.path(culprit)}: ${cause.message}; ${restore}`, cause);
  }
}

/** The stored server certificate and key if they are readable, ours, cover `names` and are not about to expire. */
async function loadServer(files: DataDir, ca: Authority, names: readonly string[], clock: Clock): Promise<CertificateAndKey | undefined> {
  const certificatePem = await files.read('server.pem');
  const privateKeyPem = await files.read('server.key');
  if (certificatePem === undefined || privateKeyPem === undefined) return undefined;
  const reissue = `delete ${files.path('server.pem')} and ${files.path('server.key')} to have hako issue a new server certificate`;
  try {
    const cert = parseCertificate(certificatePem);
    const key = await importSigningKey(privateKeyPem).catch((cause: unknown) => {
      throw files.unusable(`${files.path('server.key')}: ${(cause as Error).message}; ${reissue}`, cause);
    });
    const fits = isIssuedBy(cert, ca.certificatePem)
      && spkiDer(key.publicKey).equals(spkiDer(cert.publicKey))
      && names.every((name) => (isIP(name) ? cert.checkIP(name) : cert.checkHost(name, { wildcards: false })) !== undefined)
      && new Date(cert.validTo).getTime() - clock.now() > RENEW_BEFORE_MS;
    return fits ? { certificatePem, privateKeyPem } : undefined;
  } catch (cause) {
    if (!isCertificateError(cause)) throw cause;
    throw files.unusable(`${files.path('server.pem')}: ${cause.message}; ${reissue}`, cause);
  }
}

/** The data directory, with errors that name the file and the directory. */
class DataDir {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  path(name: string): string {
    return path.join(this.dir, name);
  }

  unusable = (detail: string, cause?: unknown): HakoError => new HakoError('DATA_DIR_UNUSABLE', [this.dir, detail], { cause });

  writeFailed = (cause: unknown): never => {
    throw this.unusable((cause as Error).message, cause);
  };

  async create(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 }).catch((cause: unknown) => {
      throw this.unusable(`cannot create it (${(cause as Error).message})`, cause);
    });
  }

  async read(name: string): Promise<string | undefined> {
    try {
      return await readFile(this.path(name), 'utf8');
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw this.unusable(`cannot read ${this.path(name)} (${(cause as Error).message}); check its owner and permissions`, cause);
    }
  }
}
