/**
 * @module functions — Lambda-compatible functions, composed: the registry of functions and versions, the
 * code store, the pool of execution environments, the invoker and the functions' logs. `startFunctions`
 * builds them over the data directory and record store; `stop` ends every environment.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { RecordStore } from '../store/records.js';
import { CodeStore } from './code-store.js';
import type { FunctionsSettings } from '../core/config.js';
import { AsyncQueue } from './async-queue.js';
import { ConcurrencyLimiter } from './concurrency.js';
import { Invoker } from './invoker.js';
import { FunctionLogs } from './logs.js';
import { FunctionMetrics } from './metrics.js';
import { functionArnsFor, type FunctionArns } from './names.js';
import type { AwsAccess } from './environment.js';
import { EnvironmentPool } from './pool.js';
import { linkSdk, sdkModulesDir } from './sdk-link.js';
import { FunctionRegistry } from './registry.js';
import { ScheduledRules } from './schedules/rules.js';

export interface FunctionsOptions {
  dataDir: string;
  settings: FunctionsSettings;
  records: RecordStore;
  region: string;
  account: string;
  clock: Clock;
  logger: Logger;
  /** The execution role's temporary credentials, given to every environment. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  /** hako's HTTP API, once it listens: functions' SDK calls go there (`AWS_ENDPOINT_URL`). */
  endpointUrl?: () => string | undefined;
}

export interface Functions {
  registry: FunctionRegistry;
  codeStore: CodeStore;
  pool: EnvironmentPool;
  concurrency: ConcurrencyLimiter;
  invoker: Invoker;
  asyncQueue: AsyncQueue;
  /** Scheduled EventBridge rules that invoke functions. */
  rules: ScheduledRules;
  logs: FunctionLogs;
  metrics: FunctionMetrics;
  arns: FunctionArns;
  /** Starts dispatching asynchronous events: once hako listens, so their functions can call it. */
  start(): void;
  stop(): Promise<void>;
}

export async function startFunctions(options: FunctionsOptions): Promise<Functions> {
  const registry = await FunctionRegistry.open(options.records, options.clock);
  const codeStore = new CodeStore(options.dataDir);
  const { settings } = options;
  linkSdk(options.dataDir, options.logger);
  const { credentials, endpointUrl } = options;
  const aws = credentials === undefined ? undefined : (): AwsAccess => ({ ...credentials, endpointUrl: endpointUrl?.(), modulesDir: sdkModulesDir(options.dataDir) });
  const pool = new EnvironmentPool({ dataDir: options.dataDir, region: options.region, logger: options.logger, idleTimeoutMs: settings.idleTimeout * 1000, ...(aws === undefined ? {} : { aws }) });
  const logs = new FunctionLogs();
  const arns = functionArnsFor(options.region, options.account);
  const concurrency = new ConcurrencyLimiter(settings.concurrency, () => registry.reservedTotal());
  const metrics = new FunctionMetrics(() => concurrency.running());
  const invoker = new Invoker({ registry, pool, concurrency, metrics, logs, arns, logger: options.logger });
  const asyncQueue = await AsyncQueue.open({
    records: options.records,
    registry,
    invoker,
    concurrency,
    metrics,
    arns,
    clock: options.clock,
    logger: options.logger,
    retryDelayMs: settings.asyncRetryDelay * 1000,
  });
  const rules = await ScheduledRules.open({ records: options.records, asyncQueue, clock: options.clock, logger: options.logger, region: options.region, account: options.account });
  const stop = async (): Promise<void> => {
    rules.stop();
    asyncQueue.pause();
    await pool.close(); // ends the invocations in flight; the queue stores their events back
    await asyncQueue.drained();
  };
  return { registry, codeStore, pool, concurrency, invoker, asyncQueue, rules, logs, metrics, arns, start: () => asyncQueue.start(), stop };
}
