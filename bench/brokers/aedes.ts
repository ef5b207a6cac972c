/** @module bench/brokers/aedes — starts Aedes (the npm dev dependency) in its own Node process. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BrokerHandle, StartOptions } from './broker-handle.js';
import { startNodeScript } from './node-script.js';

function aedesVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const path = join(dirname(require.resolve('aedes')), 'package.json');
    return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}

export function startAedes(options: StartOptions = {}): Promise<BrokerHandle> {
  return startNodeScript('aedes', `aedes ${aedesVersion()}`, './aedes-server.js', options);
}
