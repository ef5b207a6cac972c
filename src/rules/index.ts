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
import { TopicRuleDestinations, type SendConfirmation } from './destinations.js';
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
  /** The kinesis action's PutRecord. */
  putStreamRecord: ActionServices['putStreamRecord'];
  /** The firehose action's PutRecordBatch. */
  putDeliveryRecords: ActionServices['putDeliveryRecords'];
  maxQueuedMessages?: number;
  shadowOf?: RulesEngineDeps['shadowOf'];
  /** `arn:aws:iot:<region>:<account>:`, for topic rule destinations' ARNs. */
  arnPrefix: string;
  /** hako's HTTP address, where destinations are confirmed (`<base>/confirmdestination/<token>`). */
  confirmBase: () => string;
  /** Sends a destination's confirmation request; `fetch` by default. */
  sendConfirmation?: SendConfirmation;
}

export interface Rules {
  topicRules: TopicRules;
  destinations: TopicRuleDestinations;
  engine: RulesEngine;
  metrics: RuleMetrics;
  stop(): Promise<void>;
}

export async function startRules(options: RulesOptions): Promise<Rules> {
  const destinations = await TopicRuleDestinations.open({
    records: options.records,
    clock: options.clock,
    logger: options.logger,
    arnPrefix: options.arnPrefix,
    confirmBase: options.confirmBase,
    send: options.sendConfirmation ?? postConfirmation,
  });
  const services: ActionServices = {
    publish: options.publish,
    invokeAsync: options.invokeAsync,
    putStreamRecord: options.putStreamRecord,
    putDeliveryRecords: options.putDeliveryRecords,
    destinationCovering: (url) => destinations.covering(url),
    logger: options.logger,
  };
  const topicRules = await TopicRules.open(options.records, options.clock, services, (url) => destinations.ensure(url));
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
  return { topicRules, destinations, engine, metrics, stop: () => engine.stop() };
}

/** The confirmation request, with the http action's timeout. */
const postConfirmation: SendConfirmation = async (url, headers, body) => {
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(3000), redirect: 'manual' });
  await response.arrayBuffer().catch(() => undefined);
  return response.status;
};
