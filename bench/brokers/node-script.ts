/**
 * @module bench/brokers/node-script — starts one of the bench's own compiled broker scripts
 * (aedes-server.js, forwarder-server.js) as a separate Node process on a free port.
 */
import { fileURLToPath } from 'node:url';
import type { BrokerHandle } from './broker-handle.js';
import { BrokerProcess, findFreePort, waitForPort } from './child-process.js';

const START_TIMEOUT_MS = 10_000;

export async function startNodeScript(name: string, label: string, script: string): Promise<BrokerHandle> {
  const port = await findFreePort();
  const path = fileURLToPath(new URL(script, import.meta.url));
  const proc = new BrokerProcess(process.execPath, [path, '--port', String(port)]);
  try {
    await waitForPort(port, proc, START_TIMEOUT_MS);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { name, label, port, pid: proc.pid, stop: () => proc.stop() };
}

/** The `--port N` argument every bench broker script takes. */
export function portArgument(argv: string[]): number {
  const index = argv.indexOf('--port');
  const port = Number(index >= 0 ? argv[index + 1] : NaN);
  if (!Number.isInteger(port) || port <= 0) throw new Error('usage: --port <port>');
  return port;
}
