/**
 * @module functions — Lambda-compatible functions, composed: the registry of functions and versions, the
 * code store, the pool of execution environments, the invoker, the asynchronous queue, event source
 * mappings and the functions' logs. `startFunctions` builds them over the data directory and record
 * store; `stop` ends every environment.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { RecordStore } from '../store/records.js';
import { CodeStore } from './code-store.js';
import type { FunctionsSettings } from '../core/config.js';
import { AsyncQueue } from './async-queue.js';
import { EventSourceMappings, type StreamSource } from './event-sources/index.js';
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
  /** hako's Kinesis-compatible streams, as event source mappings read them. */
  streamSource: StreamSource;
}

export interface Functions {
  registry: FunctionRegistry;
  codeStore: CodeStore;
  pool: EnvironmentPool;
  concurrency: ConcurrencyLimiter;
  invoker: Invoker;
  asyncQueue: AsyncQueue;
  /** Event source mappings: Kinesis streams polled into functions. */
  eventSources: EventSourceMappings;
  /** Scheduled EventBridge rules that invoke functions. */
  rules: ScheduledRules;
  logs: FunctionLogs;
  metrics: FunctionMetrics;
  arns: FunctionArns;
  /** Starts dispatching asynchronous events and polling streams: once hako listens, so functions can call it. */
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
  const eventSources = await EventSourceMappings.open({
    records: options.records,
    registry,
    invoker,
    concurrency,
    functionMetrics: metrics,
    asyncQueue,
    arns,
    source: options.streamSource,
    region: options.region,
    account: options.account,
    clock: options.clock,
    logger: options.logger,
  });
  const rules = await ScheduledRules.open({ records: options.records, asyncQueue, clock: options.clock, logger: options.logger, region: options.region, account: options.account });
  const stop = async (): Promise<void> => {
    rules.stop();
    asyncQueue.pause();
    const polling = eventSources.stop(); // its batches in flight are dropped unfinished: they run again after a restart
    await pool.close(); // ends the invocations in flight; the queue stores their events back
    await asyncQueue.drained();
    await polling;
  };
  const start = (): void => {
    asyncQueue.start();
    eventSources.start();
  };
  return { registry, codeStore, pool, concurrency, invoker, asyncQueue, eventSources, rules, logs, metrics, arns, start, stop };
}
