/**
 * @module bench/brokers/hako — starts hako from this checkout (`node bin/hako.js start`) with every port
 * chosen by the OS, and reads the MQTT port from `<data-dir>/ports.json` once it is listening.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrokerHandle, StartOptions } from './broker-handle.js';
import { BrokerProcess, waitForPort } from './child-process.js';

/** dist/bench/brokers/hako.js → the repository root. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const START_TIMEOUT_MS = 15_000;

export function hakoVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}

export function startHako(options: StartOptions = {}): Promise<BrokerHandle> {
  return startHakoVariant('hako', `hako ${hakoVersion()}`, [], options);
}

/** hako with extra `hako start` arguments (a project file, say), reported under its own name. */
export async function startHakoVariant(name: string, label: string, extraArgs: readonly string[], options: StartOptions = {}): Promise<BrokerHandle> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hako-bench-data-'));
  const args = ['bin/hako.js', 'start', '--mqtt-port', '0', '--http-port', '0', '--mqtts-port', '0', ...extraArgs];
  const proc = new BrokerProcess(process.execPath, [...args, '--data-dir', dataDir], ROOT);
  const cleanUp = async (): Promise<void> => {
    await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const port = await readMqttPort(join(dataDir, 'ports.json'), proc);
    await waitForPort(port, proc, START_TIMEOUT_MS);
    // TLS: devices provisioned through hako's AWS IoT API (the SDK is loaded only for this).
    const tls = options.tlsClients === undefined ? undefined : await (await import('./hako-tls.js')).provisionTlsDevices(dataDir, options.tlsClients);
    return { name, label, port, pid: proc.pid, tls, stop: cleanUp };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

/** Polls for `ports.json` (written once hako listens) and returns its `mqtt` port. */
async function readMqttPort(path: string, proc: BrokerProcess): Promise<number> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exit !== null) throw proc.failure(`exited (${proc.exit}) before writing ports.json`);
    if (existsSync(path)) {
      try {
        const port = (JSON.parse(readFileSync(path, 'utf8')) as { mqtt?: unknown }).mqtt;
        if (typeof port === 'number' && port > 0) return port;
      } catch {
        // Half-written file: read it again on the next poll.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw proc.failure(`no ports.json after ${START_TIMEOUT_MS} ms`);
}
