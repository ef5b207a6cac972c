/**
 * @module iam/policy/evaluate — deciding whether a principal's policies allow one action on one resource.
 *
 * `compilePolicy` does all the work that does not depend on the request (parsing variables out of
 * resources, lower-casing actions, compiling conditions) once per policy version. `evaluate` then follows
 * IAM's logic: deny by default; any matching Deny wins over every Allow, whichever policy or statement it
 * is in; otherwise the first matching Allow (in policy order, then statement order) is reported.
 *
 * A statement matches when its Action matches (NotAction: when no entry matches), its Resource matches
 * (NotResource: when no entry matches) and its Condition holds. A Resource entry whose variable cannot
 * be resolved matches nothing, as AWS IoT leaves the `${…}` text in place.
 */

import { compileCondition, evaluateCondition, type CompiledCondition } from './conditions.js';
import type { Effect, PolicyDocument, PolicyStatement } from './document.js';
import { bindTemplate, parseTemplate, resolveGlob, type Template, type VariableResolver } from './variables.js';
import { matchGlob, matchWildcardIgnoreCase } from './wildcard.js';

export interface CompiledStatement {
  /** Zero-based position in the document's `Statement` array. */
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: Effect;
  /** True for `NotAction`. */
  readonly notAction: boolean;
  readonly actions: readonly string[];
  /** True for `NotResource`. */
  readonly notResource: boolean;
  readonly resources: readonly Template[];
  readonly condition: CompiledCondition | undefined;
}

export interface CompiledPolicy {
  readonly name: string;
  readonly statements: readonly CompiledStatement[];
}

export interface Decision {
  allowed: boolean;
  effect: 'Allow' | 'Deny' | 'ImplicitDeny';
  /** The policy and statement that decided (absent for ImplicitDeny). */
  policyName?: string;
  /** Zero-based index into that policy's `Statement` array (messages count from 1). */
  statementIndex?: number;
  sid?: string;
  /** The request, for `describeDecision`. */
  action?: string;
  resource?: string;
}

export function compilePolicy(name: string, document: PolicyDocument): CompiledPolicy {
  const variables = document.version === '2012-10-17';
  return { name, statements: document.statements.map((s, i) => compileStatement(s, i, variables)) };
}

function compileStatement(statement: PolicyStatement, index: number, variables: boolean): CompiledStatement {
  const actions = statement.action ?? statement.notAction ?? [];
  const resources = statement.resource ?? statement.notResource ?? [];
  return {
    index,
    sid: statement.sid,
    effect: statement.effect,
    notAction: statement.action === undefined,
    actions,
    notResource: statement.resource === undefined,
    resources: resources.map((r) => parseTemplate(r, variables)),
    condition: statement.condition === undefined ? undefined : compileCondition(statement.condition, variables),
  };
}

/**
 * Decides `action` (e.g. `iot:Publish`) on `resource` (a full ARN, see `iotArn`) for a principal holding
 * `policies`. `resolve` supplies policy variables and condition keys for this connection and request.
 */
export function evaluate(
  policies: readonly CompiledPolicy[],
  action: string,
  resource: string,
  resolve: VariableResolver,
): Decision {
  let allow: Decision | undefined;
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (statement.effect === 'Allow' && allow !== undefined) continue; // only a Deny can change the outcome now
      if (!statementMatches(statement, action, resource, resolve)) continue;
      const decision = decided(policy.name, statement, action, resource);
      if (statement.effect === 'Deny') return decision;
      allow = decision;
    }
  }
  return allow ?? { allowed: false, effect: 'ImplicitDeny', action, resource };
}

function decided(policyName: string, statement: CompiledStatement, action: string, resource: string): Decision {
  const decision: Decision = {
    allowed: statement.effect === 'Allow',
    effect: statement.effect,
    policyName,
    statementIndex: statement.index,
    action,
    resource,
  };
  if (statement.sid !== undefined) decision.sid = statement.sid;
  return decision;
}

export function statementMatches(
  statement: CompiledStatement,
  action: string,
  resource: string,
  resolve: VariableResolver,
): boolean {
  let actionHit = false;
  for (const pattern of statement.actions) {
    if (matchWildcardIgnoreCase(pattern, action)) {
      actionHit = true;
      break;
    }
  }
  if (actionHit === statement.notAction) return false;
  let resourceHit = false;
  for (const template of statement.resources) {
    const glob = resolveGlob(template, resolve);
    if (glob !== undefined && matchGlob(glob, resource)) {
      resourceHit = true;
      break;
    }
  }
  if (resourceHit === statement.notResource) return false;
  return statement.condition === undefined || evaluateCondition(statement.condition, resolve);
}

/**
 * The policies with every Resource variable already substituted from `resolve`, for one connection: its
 * variables (client id, thing, certificate fields) do not change while it lives, so evaluating the bound
 * policies skips substitution. Rebind when anything the resolver reads may have changed. Resources that
 * cannot be resolved stay as they were and keep matching nothing; conditions are still evaluated per request.
 */
export function bindVariables(policies: readonly CompiledPolicy[], resolve: VariableResolver): CompiledPolicy[] {
  return policies.map((policy) => ({
    name: policy.name,
    statements: policy.statements.map((statement) => ({ ...statement, resources: statement.resources.map((template) => bindTemplate(template, resolve)) })),
  }));
}

/** One line for the log, e.g. `denied by policy "thing-policy" statement 2 (Sid "NoSecrets") for iot:Publish on arn:…`. */
export function describeDecision(decision: Decision): string {
  const request = decision.action === undefined ? 'the request' : `${decision.action} on ${decision.resource ?? '*'}`;
  if (decision.effect === 'ImplicitDeny' || decision.policyName === undefined) return `no policy statement allows ${request}`;
  const statement = `statement ${(decision.statementIndex ?? 0) + 1}${decision.sid === undefined ? '' : ` (Sid "${decision.sid}")`}`;
  const verb = decision.effect === 'Deny' ? 'denied' : 'allowed';
  return `${verb} by policy "${decision.policyName}" ${statement} for ${request}`;
}
