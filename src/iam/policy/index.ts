/**
 * @module iam/policy — public surface of the AWS IoT policy engine: parse a policy document, compile it,
 * evaluate requests against a principal's compiled policies, and explain the decision.
 *
 * Typical use: `parsePolicyDocument(text)` when a policy is created (reject with its message), then
 * `compilePolicy(name, document)` once per policy version, then `evaluate(policies, 'iot:Publish',
 * iotArn(region, account, 'topic', topic), resolve)` per request, logging `describeDecision(d)` on denial.
 */

export { iotArn, type IotResourceKind } from './arn.js';
export type { CompiledCondition, ConditionBlock, ConditionScalar } from './conditions.js';
export {
  MAX_POLICY_CHARACTERS,
  countPolicyCharacters,
  parsePolicyDocument,
  type Effect,
  type ParsePolicyResult,
  type PolicyDocument,
  type PolicyStatement,
  type PolicyVersion,
} from './document.js';
export {
  bindVariables,
  compilePolicy,
  describeDecision,
  evaluate,
  type CompiledPolicy,
  type CompiledStatement,
  type Decision,
} from './evaluate.js';
export { BASIC_KEYS, CERTIFICATE_NAME_ATTRIBUTES, SET_KEYS, THING_ATTRIBUTE_PREFIX, canonicalKey } from './keys.js';
export type { VariableResolver, VariableValue } from './variables.js';
export { matchWildcard, matchWildcardIgnoreCase } from './wildcard.js';
