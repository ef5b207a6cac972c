/**
 * @module bench/brokers/node-script — starts one of the bench's own compiled broker scripts
 * (aedes-server.js, forwarder-server.js) as a separate Node process on a free port, with a TLS listener on
 * a second port when asked (bench/brokers/tls-args.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrokerHandle, StartOptions, TlsEndpoint } from './broker-handle.js';
import { BrokerProcess, findFreePort, waitForPort } from './child-process.js';

const START_TIMEOUT_MS = 10_000;

export async function startNodeScript(name: string, label: string, script: string, options: StartOptions = {}): Promise<BrokerHandle> {
  const port = await findFreePort();
  const path = fileURLToPath(new URL(script, import.meta.url));
  const args = [path, '--port', String(port)];
  let tls: TlsEndpoint | undefined;
  let dir: string | undefined;
  if (options.tlsClients !== undefined) {
    dir = mkdtempSync(join(tmpdir(), `hako-bench-${name}-tls-`));
    const { writeBenchPki } = await import('./bench-pki.js');
    const pki = await writeBenchPki(dir, options.tlsClients);
    tls = { port: await findFreePort(), caPem: pki.caPem, clients: pki.clients };
    args.push('--tls-port', String(tls.port), '--tls-dir', dir);
  }
  const proc = new BrokerProcess(process.execPath, args);
  const stop = async (): Promise<void> => {
    await proc.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, proc, START_TIMEOUT_MS);
    if (tls !== undefined) await waitForPort(tls.port, proc, START_TIMEOUT_MS);
  } catch (err) {
    await stop();
    throw err;
  }
  return { name, label, port, pid: proc.pid, tls, stop };
}

/** The `--port N` argument every bench broker script takes. */
export function portArgument(argv: string[]): number {
  const index = argv.indexOf('--port');
  const port = Number(index >= 0 ? argv[index + 1] : NaN);
  if (!Number.isInteger(port) || port <= 0) throw new Error('usage: --port <port>');
  return port;
}
