/**
 * @module bench/brokers/mosquitto — Mosquitto (Debian package) with a temporary config tuned not to drop.
 *
 * Mosquitto 2.0 drops messages by default under load: outgoing QoS 1 beyond `max_inflight_messages` (20)
 * wait in a per-client queue capped by `max_queued_messages` (1000), and QoS 0 to an online client is
 * dropped once that client has `max_queued_messages` packets waiting to be written. Both limits are
 * lifted here (see bench/README.md), as Aedes has neither.
 *
 * Asked for TLS, it gets a second listener with client certificates required, from a throw-away PKI
 * (bench/brokers/bench-pki.ts), and OpenSSL's default protocol range.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerHandle, StartOptions, TlsEndpoint } from './broker-handle.js';
import { BrokerProcess, findFreePort, waitForPort } from './child-process.js';

const START_TIMEOUT_MS = 5000;

/** Paths of the CA, the server certificate and its key, for a mutual-TLS listener. */
export interface MosquittoTls {
  port: number;
  files: { ca: string; cert: string; key: string };
}

export function mosquittoConfig(port: number, tls?: MosquittoTls): string {
  const tlsListener = tls === undefined ? [] : [
    `listener ${tls.port} 127.0.0.1`,
    `cafile ${tls.files.ca}`,
    `certfile ${tls.files.cert}`,
    `keyfile ${tls.files.key}`,
    'require_certificate true',
  ];
  return [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence false',
    // 0 = no limit on unacknowledged outgoing QoS 1/2 messages per client (default 20); with no inflight
    // limit Mosquitto also never drops QoS 0 (db__ready_for_flight returns true).
    'max_inflight_messages 0',
    'max_inflight_bytes 0',
    // Belt and braces should the inflight limit come back: queue, don't drop (defaults 1000 / 0 = none).
    'max_queued_messages 1000000',
    'max_queued_bytes 0',
    // set_tcp_nodelay stays at its default (false): Nagle's algorithm coalesces Mosquitto's one-write-per-
    // packet output, worth up to +50 % throughput here (see bench/README.md).
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'connection_messages false',
    ...tlsListener,
    '',
  ].join('\n');
}

export function mosquittoVersion(): string {
  try {
    const help = execFileSync('mosquitto', ['-h'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return /version (\S+)/.exec(help)?.[1] ?? '?';
  } catch (err) {
    // `mosquitto -h` exits with status 3 after printing its usage.
    const out = String((err as { stdout?: unknown }).stdout ?? '');
    return /version (\S+)/.exec(out)?.[1] ?? '?';
  }
}

export async function startMosquitto(options: StartOptions = {}): Promise<BrokerHandle> {
  const port = await findFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'hako-bench-mosquitto-'));
  const configPath = join(dir, 'mosquitto.conf');
  let tls: TlsEndpoint | undefined;
  let tlsConfig: MosquittoTls | undefined;
  if (options.tlsClients !== undefined) {
    const { writeBenchPki } = await import('./bench-pki.js');
    chmodSync(dir, 0o755); // Mosquitto started as root reads the TLS files as user mosquitto
    const pki = await writeBenchPki(dir, options.tlsClients);
    tls = { port: await findFreePort(), caPem: pki.caPem, clients: pki.clients };
    tlsConfig = { port: tls.port, files: pki.files };
  }
  writeFileSync(configPath, mosquittoConfig(port, tlsConfig));
  const proc = new BrokerProcess('mosquitto', ['-c', configPath]);
  const cleanUp = async (): Promise<void> => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, proc, START_TIMEOUT_MS);
    if (tls !== undefined) await waitForPort(tls.port, proc, START_TIMEOUT_MS);
  } catch (err) {
    await cleanUp();
    throw err;
  }
  return { name: 'mosquitto', label: `mosquitto ${mosquittoVersion()}`, port, pid: proc.pid, tls, stop: cleanUp };
}
