/**
 * @module rules — the rules engine, composed: the topic rules (registry, with the actions they build)
 * and the engine that runs them on the broker's messages. `startRules` loads the stored rules and
 * attaches to the `message.publish` hook; `stop` lets queued messages and running actions finish.
 */
import type { Clock } from '../core/clock.js';
import type { Hooks } from '../core/hooks.js';
import type { Logger } from '../core/logger.js';
import type { Message } from '../mqtt/message.js';
import type { RecordStore } from '../store/records.js';
import type { ActionServices } from './actions/index.js';
import { RulesEngine, type RulesEngineDeps } from './engine.js';
import { RuleMetrics } from './metrics.js';
import { TopicRules } from './registry.js';

export interface RulesOptions {
  records: RecordStore;
  hooks: Hooks;
  clock: Clock;
  logger: Logger;
  accountId: string;
  /** The broker's publish. */
  publish: (message: Message) => void;
  principalOf: (clientId: string) => string | undefined;
  /** Invoke with `InvocationType: Event` of a function ARN (the lambda action). */
  invokeAsync: (functionArn: string, payload: Buffer) => Promise<void>;
  maxQueuedMessages?: number;
  shadowOf?: RulesEngineDeps['shadowOf'];
}

export interface Rules {
  topicRules: TopicRules;
  engine: RulesEngine;
  metrics: RuleMetrics;
  stop(): Promise<void>;
}

export async function startRules(options: RulesOptions): Promise<Rules> {
  const services: ActionServices = {
    publish: options.publish,
    invokeAsync: options.invokeAsync,
    logger: options.logger,
  };
  const topicRules = await TopicRules.open(options.records, options.clock, services);
  const metrics = new RuleMetrics();
  const engine = new RulesEngine({
    rules: topicRules,
    hooks: options.hooks,
    clock: options.clock,
    logger: options.logger,
    metrics,
    accountId: options.accountId,
    principalOf: options.principalOf,
    ...(options.maxQueuedMessages === undefined ? {} : { maxQueuedMessages: options.maxQueuedMessages }),
    ...(options.shadowOf === undefined ? {} : { shadowOf: options.shadowOf }),
  });
  engine.start();
  return { topicRules, engine, metrics, stop: () => engine.stop() };
}
