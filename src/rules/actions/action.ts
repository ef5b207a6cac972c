/**
 * @module rules/actions/action — what every rule action is behind one interface (spec §4.6–§4.7): built
 * once from its AWS parameters when the rule is created or replaced (bad parameters are the caller's
 * InvalidRequestException then, not a failure per message), then run per matching message. An action
 * throws `ActionFailure` when it has failed for good, after any retries of its own; the engine collects
 * the failures of one message into the error action's envelope.
 */
import type { Logger } from '../../core/logger.js';
import type { Message } from '../../mqtt/message.js';
import type { EvalContext, SqlOutput, SqlVersion } from '../sql/index.js';

/**
 * How many rules in a row published a message (absent: a device's), carried on the message object itself
 * so the engine can stop republish loops without a side table (a WeakMap entry per republished message
 * was 3 % of the broker's CPU with rules attached).
 */
export const RULE_DEPTH: unique symbol = Symbol('hako.rules.depth');
export type RuleMessage = Message & { readonly [RULE_DEPTH]?: number };

/** One message's trip through one rule, as its actions see it. */
export interface ActionInput {
  readonly ruleName: string;
  /** The SELECT's result. */
  readonly output: SqlOutput;
  /** The same, as the bytes actions send: JSON text, or the raw payload it passed through. */
  readonly payload: Buffer;
  /** The original message (substitution templates are evaluated against it, not the output). */
  readonly context: EvalContext;
  readonly message: Message;
  /** How many rules republished the message before (0 for a device's message), for loop protection. */
  readonly depth: number;
}

export interface RuleAction {
  /** The action's key in the rule: `republish`, `lambda`, `http`, … */
  readonly kind: string;
  /** What it delivers to, for the error envelope's `failedResource` (a topic, function ARN, URL). */
  readonly resource: string;
  /** The confirmation URL of the topic rule destination it posts under (the http action). */
  readonly destination?: string;
  /** Returns nothing when it finished at once (republish), a promise when it has I/O to wait for. */
  run(input: ActionInput): void | Promise<void>;
}

/** What actions may use of the rest of hako. */
export interface ActionServices {
  /** Publishes into the broker, as hako itself (no publisher client id). */
  publish(message: RuleMessage): void;
  /** Queues an asynchronous invocation (Invoke with `Event`); resolved once the event is stored. */
  invokeAsync(functionArn: string, payload: Buffer): Promise<void>;
  /** PutRecord into a hako data stream; resolved once the record is stored. */
  putStreamRecord(streamName: string, partitionKey: string, data: Buffer): Promise<void>;
  /** PutRecordBatch into a hako delivery stream; resolved once the records are buffered durably. */
  putDeliveryRecords(deliveryStreamName: string, records: readonly Buffer[]): Promise<void>;
  /** The topic rule destination whose confirmation URL prefixes `url`, if any. */
  destinationCovering(url: string): { arn: string; status: string } | undefined;
  logger: Logger;
}

export interface ActionBuildContext {
  /** The rule's SQL version, for its substitution templates. */
  sqlVersion: SqlVersion;
  services: ActionServices;
}

/** Builds an action from its parameters; throws AwsError InvalidRequestException for bad ones. */
export type ActionFactory = (parameters: Record<string, unknown>, context: ActionBuildContext) => RuleAction;

/** An action's failure, with the message the error envelope reports. */
export class ActionFailure extends Error {
  override readonly name = 'ActionFailure';
}
