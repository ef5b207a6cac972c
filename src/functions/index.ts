/**
 * @module functions — Lambda-compatible functions, composed: the registry of functions and versions, the
 * code store, the pool of execution environments, the invoker and the functions' logs. `startFunctions`
 * builds them over the data directory and record store; `stop` ends every environment.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { RecordStore } from '../store/records.js';
import { CodeStore } from './code-store.js';
import { ConcurrencyLimiter, DEFAULT_ACCOUNT_CONCURRENCY } from './concurrency.js';
import { Invoker } from './invoker.js';
import { FunctionLogs } from './logs.js';
import { functionArnsFor, type FunctionArns } from './names.js';
import { EnvironmentPool } from './pool.js';
import { FunctionRegistry } from './registry.js';

/** Idle environments are stopped after ten minutes (AWS keeps them "for a while": minutes, unspecified). */
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

export interface FunctionsOptions {
  dataDir: string;
  records: RecordStore;
  region: string;
  account: string;
  clock: Clock;
  logger: Logger;
}

export interface Functions {
  registry: FunctionRegistry;
  codeStore: CodeStore;
  pool: EnvironmentPool;
  concurrency: ConcurrencyLimiter;
  invoker: Invoker;
  logs: FunctionLogs;
  arns: FunctionArns;
  stop(): Promise<void>;
}

export async function startFunctions(options: FunctionsOptions): Promise<Functions> {
  const registry = await FunctionRegistry.open(options.records, options.clock);
  const codeStore = new CodeStore(options.dataDir);
  const pool = new EnvironmentPool({ dataDir: options.dataDir, region: options.region, logger: options.logger, idleTimeoutMs: IDLE_TIMEOUT_MS });
  const logs = new FunctionLogs();
  const arns = functionArnsFor(options.region, options.account);
  const concurrency = new ConcurrencyLimiter(DEFAULT_ACCOUNT_CONCURRENCY, () => registry.reservedTotal());
  const invoker = new Invoker({ registry, pool, concurrency, logs, arns, logger: options.logger });
  return { registry, codeStore, pool, concurrency, invoker, logs, arns, stop: () => pool.close() };
}
