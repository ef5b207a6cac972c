/**
 * @module gateway/authorizers/answers — what a Lambda authorizer answered, read as API Gateway reads it (spec §8.6):
 *   - simple responses (payload 2.0 with `enableSimpleResponses`): `{"isAuthorized": bool, "context": {…}}`;
 *   - otherwise an IAM policy: `{"principalId", "policyDocument", "context"}`, evaluated against the route's ARN;
 *   - a function error whose message is exactly `Unauthorized` means 401.
 * `context` values must be strings, numbers or booleans. Anything else is the authorizer failing (500). Pure.
 */
import { evaluatePolicy, statementsOf, type PolicyStatement } from './policy.js';

export type AuthorizerContext = Record<string, string | number | boolean>;

/** An answer kept for the cache's TTL: the verdict is taken per route ARN, so a cached policy applies to each route it covers. */
export type AuthorizerAnswer =
  | { kind: 'simple'; isAuthorized: boolean; context: AuthorizerContext }
  | { kind: 'policy'; principalId: string | undefined; statements: PolicyStatement[]; context: AuthorizerContext }
  | { kind: 'unauthorized' };

export type AuthorizerDecision =
  | { kind: 'allow'; principalId: string | undefined; context: AuthorizerContext }
  | { kind: 'unauthorized' }
  | { kind: 'forbidden' }
  | { kind: 'failure'; reason: string };

export type ReadAnswer = AuthorizerAnswer | { kind: 'malformed'; reason: string };

/** Reads the authorizer's payload; `functionError` when the invocation failed. */
export function readAuthorizerAnswer(payload: Buffer, functionError: boolean, simple: boolean): ReadAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    return { kind: 'malformed', reason: 'the authorizer did not return JSON' };
  }
  if (functionError) {
    const message = (parsed as { errorMessage?: unknown } | null)?.errorMessage;
    return message === 'Unauthorized' ? { kind: 'unauthorized' } : { kind: 'malformed', reason: `the authorizer failed: ${String(message)}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { kind: 'malformed', reason: 'the authorizer did not return an object' };
  const answer = parsed as Record<string, unknown>;
  const context = contextOf(answer.context);
  if (context === undefined) return { kind: 'malformed', reason: 'the authorizer\'s context must map names to strings, numbers or booleans' };
  if (simple) {
    if (typeof answer.isAuthorized !== 'boolean') return { kind: 'malformed', reason: 'a simple response needs isAuthorized: true or false' };
    return { kind: 'simple', isAuthorized: answer.isAuthorized, context };
  }
  const statements = statementsOf(answer.policyDocument);
  if (statements === undefined) return { kind: 'malformed', reason: 'the authorizer\'s policyDocument is not an IAM policy' };
  if (answer.principalId !== undefined && typeof answer.principalId !== 'string') return { kind: 'malformed', reason: 'principalId must be a string' };
  return { kind: 'policy', principalId: answer.principalId, statements, context };
}

export function decide(answer: AuthorizerAnswer, routeArn: string): AuthorizerDecision {
  if (answer.kind === 'unauthorized') return { kind: 'unauthorized' };
  if (answer.kind === 'simple') return answer.isAuthorized ? { kind: 'allow', principalId: undefined, context: answer.context } : { kind: 'forbidden' };
  return evaluatePolicy(answer.statements, routeArn) === 'allow' ? { kind: 'allow', principalId: answer.principalId, context: answer.context } : { kind: 'forbidden' };
}

function contextOf(value: unknown): AuthorizerContext | undefined {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.every(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') ? (Object.fromEntries(entries) as AuthorizerContext) : undefined;
}
