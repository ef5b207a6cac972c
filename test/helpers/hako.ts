/**
 * @module test/helpers/hako — starts a real hako in this process on free loopback ports, for tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { after, before } from 'node:test';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveConfig, type ConfigLayer, type HakoConfig } from '../../src/core/config.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import { startHako, type RunningHako } from '../../src/main.js';

export interface TestHako extends RunningHako {
  config: HakoConfig;
  dataDir: string;
  /** Stops hako and removes its data directory. */
  close(): Promise<void>;
}

/** Starts hako with a fresh data directory (SQLite store unless `store: 'memory'`) and ports 0. */
export async function startTestHako(layer: ConfigLayer = {}, dataDir?: string, logger: Logger = silentLogger()): Promise<TestHako> {
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'hako-test-'));
  const config = resolveConfig({ mqttPort: 0, httpPort: 0, mqttsPort: 0, ...layer, dataDir: dir, mqtt: { ...layer.mqtt } });
  const hako = await startHako(config, logger);
  let closed = false;
  return Object.assign(hako, {
    config,
    dataDir: dir,
    async close() {
      if (closed) return;
      closed = true;
      await hako.stop();
      if (dataDir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  });
}

/**
 * Starts a hako (fresh data dir) before this test file's tests with a client made by `makeClient` (an AWS
 * SDK client, say), hands both to `ready` (which may prepare more), and destroys both after the file's tests.
 */
export function hakoForFile<C extends { destroy(): void }>(
  makeClient: (hako: TestHako) => C,
  ready: (started: { hako: TestHako; client: C }) => void | Promise<void>,
  layer: ConfigLayer = {},
): void {
  let started: { hako: TestHako; client: C } | undefined;
  before(async () => {
    const hako = await startTestHako(layer);
    started = { hako, client: makeClient(hako) };
    await ready(started);
  });
  after(async () => {
    started?.client.destroy();
    await started?.hako.close();
  });
}
