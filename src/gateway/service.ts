/**
 * @module gateway/service — the API gateway composed: HTTP APIs kept in the record store, the handler that serves
 * them (calling functions through the `InvokeFunction` it is given), access logs and metrics.
 */
import path from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { RecordStore } from '../store/records.js';
import { AccessLogWriter } from './access-log-writer.js';
import { GatewayHandler, type ApiKeyGate, type InvokeFunction } from './handler.js';
import { HttpApis } from './http-apis.js';
import { GatewayMetrics } from './metrics.js';

export interface GatewayOptions {
  records: RecordStore;
  clock: Clock;
  region: string;
  account: string;
  logger: Logger;
  invoke: InvokeFunction;
  /** Access log files go to `<dataDir>/logs/api-gateway/`. */
  dataDir: string;
  /** API keys and usage plans, when hako has them. */
  apiKeys?: ApiKeyGate;
}

export interface Gateway {
  readonly apis: HttpApis;
  readonly handler: GatewayHandler;
  readonly accessLogs: AccessLogWriter;
  readonly metrics: GatewayMetrics;
  /** Writes out pending access log lines. */
  stop(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const apis = await HttpApis.open(options.records, options.clock, options.account);
  const accessLogs = new AccessLogWriter(path.join(options.dataDir, 'logs', 'api-gateway'), options.logger);
  const metrics = new GatewayMetrics();
  const handler = new GatewayHandler({
    apis,
    invoke: options.invoke,
    clock: options.clock,
    region: options.region,
    account: options.account,
    logger: options.logger,
    accessLog: (destinationArn, line) => accessLogs.write(destinationArn, line),
    ...(options.apiKeys === undefined ? {} : { apiKeys: options.apiKeys }),
    onOutcome: (outcome, latencyMs) => metrics.record(outcome, latencyMs),
  });
  return { apis, handler, accessLogs, metrics, stop: () => accessLogs.drained() };
}
