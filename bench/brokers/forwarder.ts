/** @module bench/brokers/forwarder — starts the byte-forwarding physical-limit baseline in its own process. */
import type { BrokerHandle, StartOptions } from './broker-handle.js';
import { startNodeScript } from './node-script.js';

export function startForwarder(options: StartOptions = {}): Promise<BrokerHandle> {
  return startNodeScript('forwarder', 'forwarder', './forwarder-server.js', options);
}
