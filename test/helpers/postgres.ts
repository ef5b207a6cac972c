/**
 * @module test/helpers/postgres — a real PostgreSQL server for one test file, on loopback: Debian's
 * binaries (the newest `/usr/lib/postgresql/<version>/bin`), a fresh cluster in a temporary folder made by
 * `initdb` with password authentication only (scram-sha-256 for TCP and the socket), listening on
 * `127.0.0.1:<free port>` with its socket in the same folder. PostgreSQL refuses to run as root, so as
 * root (CI) the folder is given to the `postgres` user and `initdb`/`postgres` run through
 * `runuser -u postgres --`.
 *
 * Readiness is a successful connection, polled with a bounded loop (the one way to see a server accept);
 * `stop` is a fast shutdown (SIGINT to the postmaster, whose pid `postmaster.pid` holds) and waits for the
 * exit; `start` brings the same cluster back on the same port. The durability settings are off (fsync,
 * full-page writes): the cluster is thrown away. With `tls` the server also takes TLS connections
 * (`ssl = on`) with that certificate and key; plain ones still work, as with PostgreSQL's default pg_hba.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before } from 'node:test';
import pg from 'pg';

const ROOT = '/usr/lib/postgresql';
const READY_TIMEOUT_MS = 30_000;

export interface TestPostgres {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The superuser, `postgres`, and its password. */
  readonly user: string;
  readonly password: string;
  /** `jdbc:postgresql://127.0.0.1:<port>/<database>`. */
  jdbcUrl(database: string): string;
  /** Runs one statement as the superuser (in `database`, `postgres` by default) and returns its rows. */
  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<R[]>;
  /** Fast shutdown; resolves once the server has exited. */
  stop(): Promise<void>;
  /** Starts the same cluster again on the same port; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Whether the server is running. */
  readonly running: boolean;
  /** Stops the server and removes its folder. */
  close(): Promise<void>;
}

/** The newest installed PostgreSQL's bin folder; fails saying how to install one. */
export function postgresBin(): string {
  const versions = existsSync(ROOT) ? readdirSync(ROOT).filter((name) => /^\d+$/.test(name) && existsSync(path.join(ROOT, name, 'bin', 'postgres'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error(`PostgreSQL is not installed (no ${ROOT}/<version>/bin/postgres): apt-get install postgresql (.ci/run does)`);
  return path.join(ROOT, newest, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** The command line that runs `bin/<program>` as the postgres user when this process is root. */
function commandFor(bin: string, program: string, args: string[]): [string, string[]] {
  const file = path.join(bin, program);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

export interface PostgresOptions {
  /** The server's TLS certificate and key (PEM). */
  readonly tls?: { readonly certificatePem: string; readonly privateKeyPem: string };
}

/** The `postgres` user's ids, to give it what it must own when tests run as root. */
function postgresIds(): { uid: number; gid: number } {
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPostgres(options: PostgresOptions = {}): Promise<TestPostgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'hako-pg-'));
  const data = path.join(dir, 'data');
  const password = 'hako-test-superuser';
  const pwfile = path.join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  const [initdb, initArgs] = commandFor(bin, 'initdb', ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C', '--no-sync']);
  try {
    execFileSync(initdb, initArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`initdb failed: ${String(stderr ?? '')}${String(stdout ?? '')}`);
  }
  rmSync(pwfile);
  const tlsSettings: string[] = [];
  if (options.tls !== undefined) {
    const certFile = path.join(dir, 'server.crt');
    const keyFile = path.join(dir, 'server.key');
    writeFileSync(certFile, options.tls.certificatePem);
    writeFileSync(keyFile, options.tls.privateKeyPem, { mode: 0o600 }); // PostgreSQL refuses a key others can read
    if (asRoot) for (const file of [certFile, keyFile]) chownSync(file, postgresIds().uid, postgresIds().gid);
    tlsSettings.push('-c', 'ssl=on', '-c', `ssl_cert_file=${certFile}`, '-c', `ssl_key_file=${keyFile}`);
  }
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let log = '';

  const killOnExit = (): void => {
    const pid = postmasterPid();
    if (pid !== undefined) process.kill(pid, 'SIGQUIT');
  };
  const postmasterPid = (): number | undefined => {
    try {
      return Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return undefined;
    }
  };

  const connect = async (database = 'postgres'): Promise<pg.Client> => {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database });
    client.on('error', () => undefined); // a server stopped under an open client: the query fails instead
    await client.connect();
    return client;
  };

  const start = async (): Promise<void> => {
    if (child !== undefined) return;
    const settings = ['-c', 'listen_addresses=127.0.0.1', '-c', `port=${port}`, '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off', ...tlsSettings];
    const [command, args] = commandFor(bin, 'postgres', ['-D', data, ...settings]);
    const started = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    started.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log = (log + chunk).slice(-20_000)));
    exited = new Promise((resolve) => started.once('close', () => {
      if (child === started) child = undefined;
      resolve();
    }));
    process.once('exit', killOnExit);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (child !== started) throw new Error(`postgres exited while starting:\n${log}`);
      try {
        await (await connect()).end();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`postgres did not accept connections within ${READY_TIMEOUT_MS} ms (${(error as Error).message}):\n${log}`);
      }
      await delay(50);
    }
  };

  const stop = async (): Promise<void> => {
    if (child === undefined) return;
    const pid = postmasterPid();
    if (pid !== undefined) process.kill(pid, 'SIGINT');
    else child.kill('SIGINT');
    await exited;
    process.removeListener('exit', killOnExit);
  };

  try {
    await start();
  } catch (error) {
    await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    jdbcUrl: (database) => `jdbc:postgresql://127.0.0.1:${port}/${database}`,
    query: async <R extends object>(sql: string, params: unknown[] = [], database = 'postgres'): Promise<R[]> => {
      const client = await connect(database);
      try {
        return (await client.query<R>(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    stop,
    start,
    get running() {
      return child !== undefined;
    },
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One server for this test file: started before its tests (then `prepare`d: roles, databases), stopped and
 * removed after them. Preparation belongs here rather than in a `before` of the file's own, which node:test
 * (20) may run before this one has finished.
 */
export function postgresForFile(prepare?: (server: TestPostgres) => Promise<void>, options: PostgresOptions = {}): () => TestPostgres {
  let server: TestPostgres | undefined;
  before(async () => {
    server = await startPostgres(options);
    await prepare?.(server);
  });
  after(async () => {
    await server?.close();
  });
  return () => {
    if (server === undefined) throw new Error('the PostgreSQL server is not started yet (use it inside a test)');
    return server;
  };
}
