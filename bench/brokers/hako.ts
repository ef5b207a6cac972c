/**
 * @module bench/brokers/hako — starts hako from this checkout (`node bin/hako.js start`) with every port
 * chosen by the OS, and reads its ports from `<data-dir>/ports.json` once it is listening, and the root
 * access key for its HTTP APIs from `<data-dir>/credentials` (both written by hako at start).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCredentialsFile } from '../../src/iam/sigv4/index.js';
import type { BrokerHandle, HttpEndpoint, StartOptions } from './broker-handle.js';
import { BrokerProcess, waitForPort } from './child-process.js';

/** dist/bench/brokers/hako.js → the repository root. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const START_TIMEOUT_MS = 15_000;
/**
 * Passed as `--region`, so the region requests are signed for is hako's by construction (a flag beats
 * HAKO_REGION and a hako.yaml in the checkout). hako's default; `brokers/hako-policy.ts` names it in ARNs.
 */
export const HAKO_REGION = 'us-east-1';

interface HakoPorts {
  mqtt: number;
  http: number;
}

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
  const args = [...nodeFlags(), ...profilerArgs(name), 'bin/hako.js', 'start', '--mqtt-port', '0', '--http-port', '0', '--mqtts-port', '0', '--region', HAKO_REGION, ...extraArgs];
  const proc = new BrokerProcess(process.execPath, [...args, '--data-dir', dataDir], ROOT);
  const cleanUp = async (): Promise<void> => {
    await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const ports = await readPorts(join(dataDir, 'ports.json'), proc);
    await waitForPort(ports.mqtt, proc, START_TIMEOUT_MS);
    // TLS: devices provisioned through hako's AWS IoT API (the SDK is loaded only for this).
    const tls = options.tlsClients === undefined ? undefined : await (await import('./hako-tls.js')).provisionTlsDevices(dataDir, options.tlsClients);
    return { name, label, port: ports.mqtt, pid: proc.pid, tls, http: httpEndpoint(dataDir, ports.http), stop: cleanUp };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

/**
 * `HAKO_BENCH_NODE_FLAGS="--single-threaded-gc …"`: Node and V8 options for every bench hako alone (not the bench
 * or its load generators, as NODE_OPTIONS would be; and NODE_OPTIONS refuses most V8 options).
 */
function nodeFlags(): string[] {
  return (process.env['HAKO_BENCH_NODE_FLAGS'] ?? '').split(/\s+/).filter((flag) => flag !== '');
}

/**
 * `HAKO_BENCH_CPU_PROF=<dir>` starts every bench hako under V8's sampling profiler, writing
 * `<dir>/<broker name>/CPU.*.cpuprofile` when it stops (NODE_OPTIONS refuses `--cpu-prof`).
 */
function profilerArgs(name: string): string[] {
  const dir = process.env['HAKO_BENCH_CPU_PROF'];
  return dir === undefined || dir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(dir, name)}`];
}

/**
 * A hako started by hand (under a profiler, say), found through its data directory. Its pid is unknown,
 * so its CPU is not sampled; `stop` leaves it running.
 */
export function attachHako(dataDir: string, region: string): BrokerHandle {
  const ports = parsePorts(readFileSync(join(dataDir, 'ports.json'), 'utf8'));
  if (ports === undefined) throw new Error(`${dataDir}/ports.json has no mqtt and http ports`);
  const label = `hako ${hakoVersion()} (${dataDir})`;
  return { name: 'hako', label, port: ports.mqtt, pid: 0, http: httpEndpoint(dataDir, ports.http, region), stop: async () => undefined };
}

/** Polls for `ports.json` (written once hako listens) and returns its ports. */
async function readPorts(path: string, proc: BrokerProcess): Promise<HakoPorts> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exit !== null) throw proc.failure(`exited (${proc.exit}) before writing ports.json`);
    if (existsSync(path)) {
      try {
        const ports = parsePorts(readFileSync(path, 'utf8'));
        if (ports !== undefined) return ports;
      } catch {
        // Half-written file: read it again on the next poll.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw proc.failure(`no ports.json after ${START_TIMEOUT_MS} ms`);
}

function parsePorts(text: string): HakoPorts | undefined {
  const { mqtt, http } = JSON.parse(text) as { mqtt?: unknown; http?: unknown };
  const valid = (port: unknown): port is number => typeof port === 'number' && port > 0;
  return valid(mqtt) && valid(http) ? { mqtt, http } : undefined;
}

/** The HTTP port with the root access key hako wrote before ports.json (profile `default`). */
function httpEndpoint(dataDir: string, port: number, region = HAKO_REGION): HttpEndpoint {
  const path = join(dataDir, 'credentials');
  const profile = parseCredentialsFile(readFileSync(path, 'utf8')).get('default');
  if (profile === undefined) throw new Error(`no [default] profile in ${path}`);
  return { port, accessKeyId: profile.accessKeyId, secretAccessKey: profile.secretAccessKey, region };
}
