/**
 * @module gateway/service — the API gateway composed: HTTP APIs kept in the record store and the handler that
 * serves them, calling functions through the `InvokeFunction` it is given.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { RecordStore } from '../store/records.js';
import { GatewayHandler, type InvokeFunction } from './handler.js';
import { HttpApis } from './http-apis.js';

export interface GatewayOptions {
  records: RecordStore;
  clock: Clock;
  account: string;
  logger: Logger;
  invoke: InvokeFunction;
}

export interface Gateway {
  readonly apis: HttpApis;
  readonly handler: GatewayHandler;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const apis = await HttpApis.open(options.records, options.clock, options.account);
  const handler = new GatewayHandler({ apis, invoke: options.invoke, clock: options.clock, account: options.account, logger: options.logger });
  return { apis, handler };
}
