/**
 * @module rules/actions — the actions hako runs, by their key in a rule's `actions` list. The other AWS
 * actions (dynamoDB, s3, sqs, sns … have no service in hako to deliver to) are refused at rule creation
 * with what is supported.
 */
import { AwsError } from '../../core/aws-error.js';
import type { ActionBuildContext, ActionFactory, RuleAction } from './action.js';
import { firehose } from './firehose.js';
import { http } from './http.js';
import { kinesis } from './kinesis.js';
import { lambda } from './lambda.js';
import { republish } from './republish.js';

export { ActionFailure, RULE_DEPTH, type ActionInput, type ActionServices, type RuleAction, type RuleMessage } from './action.js';

const FACTORIES: Readonly<Record<string, ActionFactory>> = { republish, lambda, http, kinesis, firehose };

/** Builds one entry of `actions` (or the `errorAction`): an object with exactly one action key. */
export function buildAction(entry: unknown, context: ActionBuildContext): RuleAction {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new AwsError('InvalidRequestException', 'each action must be an object such as {"republish": {…}}');
  const keys = Object.keys(entry).filter((key) => (entry as Record<string, unknown>)[key] !== undefined && (entry as Record<string, unknown>)[key] !== null);
  if (keys.length !== 1) throw new AwsError('InvalidRequestException', `an action names exactly one kind of action, not ${keys.length === 0 ? 'none' : keys.join(' and ')}`);
  const kind = keys[0] as string;
  const factory = FACTORIES[kind];
  if (factory === undefined) throw new AwsError('InvalidRequestException', `the ${kind} action is not supported by hako; supported: ${Object.keys(FACTORIES).join(', ')}`);
  const parameters = (entry as Record<string, unknown>)[kind];
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) throw new AwsError('InvalidRequestException', `${kind} action: its parameters must be an object`);
  return factory(parameters as Record<string, unknown>, context);
}
