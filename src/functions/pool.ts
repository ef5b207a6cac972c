/**
 * @module functions/pool — the execution environments of every function version: an idle one is reused
 * (warm), otherwise a new one is started (cold). Environments are keyed by function, version and
 * `revisionId`, so after a code or configuration update new invocations get new environments while those
 * in flight finish on the old ones; idle environments are stopped after `idleTimeoutMs`, and at once when
 * their revision is retired.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { startEnvironment, type AwsAccess, type ExecutionEnvironment } from './environment.js';
import type { FunctionVersion } from './registry.js';

export interface PoolOptions {
  dataDir: string;
  region: string;
  logger: Logger;
  /** How long an environment may sit idle before it is stopped (AWS: unspecified, minutes). */
  idleTimeoutMs: number;
  /** Read at each environment's start: the endpoint is known only once hako listens. */
  aws?: () => AwsAccess;
}

interface Idle {
  environment: ExecutionEnvironment;
  since: number;
}

export class EnvironmentPool {
  readonly #options: PoolOptions;
  /** key → idle environments, most recently used last. */
  readonly #idle = new Map<string, Idle[]>();
  readonly #busy = new Set<ExecutionEnvironment>();
  readonly #keys = new WeakMap<ExecutionEnvironment, string>();
  readonly #reaper: NodeJS.Timeout;

  constructor(options: PoolOptions) {
    this.#options = options;
    this.#reaper = setInterval(() => void this.#reap(), Math.min(options.idleTimeoutMs, 30_000));
    this.#reaper.unref();
  }

  /** Environments running an invocation now (ConcurrentExecutions). */
  get busyCount(): number {
    return this.#busy.size;
  }

  get idleCount(): number {
    let count = 0;
    for (const list of this.#idle.values()) count += list.length;
    return count;
  }

  /** A warm environment for this version if one is idle, else a new (cold) one. */
  async acquire(functionName: string, version: FunctionVersion): Promise<ExecutionEnvironment> {
    const key = keyOf(functionName, version);
    const idle = this.#idle.get(key);
    while (idle !== undefined && idle.length > 0) {
      const { environment } = idle.pop() as Idle;
      if (environment.state === 'dead') {
        void this.#dispose(environment);
        continue;
      }
      this.#busy.add(environment);
      return environment;
    }
    const environment = await this.#start(functionName, version);
    this.#keys.set(environment, key);
    this.#busy.add(environment);
    return environment;
  }

  /** Back to the pool after an invocation; a dead environment is cleaned up instead. */
  release(environment: ExecutionEnvironment): void {
    this.#busy.delete(environment);
    const key = this.#keys.get(environment);
    if (environment.state === 'dead' || key === undefined) {
      void this.#dispose(environment);
      return;
    }
    let list = this.#idle.get(key);
    if (list === undefined) this.#idle.set(key, (list = []));
    list.push({ environment, since: Date.now() });
  }

  /** Stops the idle environments of a function (all of them, or those not of `keep`'s revision). */
  retire(functionName: string, keep?: FunctionVersion): void {
    const keepKey = keep === undefined ? undefined : keyOf(functionName, keep);
    for (const [key, list] of this.#idle) {
      if (!key.startsWith(`${functionName}\n`) || key === keepKey) continue;
      this.#idle.delete(key);
      for (const { environment } of list) void this.#dispose(environment);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#reaper);
    const all = [...this.#busy, ...[...this.#idle.values()].flat().map((idle) => idle.environment)];
    this.#idle.clear();
    this.#busy.clear();
    await Promise.all(all.map((environment) => this.#dispose(environment)));
  }

  async #start(functionName: string, version: FunctionVersion): Promise<ExecutionEnvironment> {
    const id = randomBytes(16).toString('hex');
    const tmpDir = path.join(this.#options.dataDir, 'functions', 'tmp', id);
    mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    return startEnvironment({
      functionName,
      version: version.version,
      codeDir: version.code.directory,
      handler: version.handler,
      runtime: version.runtime,
      memoryMB: version.memorySize,
      timeoutSeconds: version.timeout,
      variables: version.variables,
      region: this.#options.region,
      tmpDir,
      logStreamName: `${day}/[${version.version}]${id}`,
      ...(this.#options.aws === undefined ? {} : { aws: this.#options.aws() }),
    });
  }

  async #dispose(environment: ExecutionEnvironment): Promise<void> {
    try {
      await environment.dispose();
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'stopping an execution environment failed');
    }
    rmSync(environment.spec.tmpDir, { recursive: true, force: true });
  }

  async #reap(): Promise<void> {
    const cutoff = Date.now() - this.#options.idleTimeoutMs;
    for (const [key, list] of this.#idle) {
      const stale = list.filter((idle) => idle.since < cutoff);
      if (stale.length === 0) continue;
      const fresh = list.filter((idle) => idle.since >= cutoff);
      if (fresh.length === 0) this.#idle.delete(key);
      else this.#idle.set(key, fresh);
      await Promise.all(stale.map((idle) => this.#dispose(idle.environment)));
    }
  }
}

function keyOf(functionName: string, version: FunctionVersion): string {
  return `${functionName}\n${version.version}\n${version.revisionId}`;
}
