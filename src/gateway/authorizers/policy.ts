/**
 * @module gateway/authorizers/policy — does an authorizer's IAM policy allow `execute-api:Invoke` on a route's ARN
 * (spec §8.6)? Statements match by Action (`execute-api:Invoke`, `execute-api:*`, `*`) and Resource (`*` any run of
 * characters, `?` one); an explicit Deny wins, and no Allow means deny. Pure.
 */

export type PolicyVerdict = 'allow' | 'deny' | 'explicitDeny';

export interface PolicyStatement {
  Effect?: unknown;
  Action?: unknown;
  Resource?: unknown;
}

export interface PolicyDocument {
  Version?: unknown;
  Statement?: unknown;
}

/** undefined when the document is not a policy API Gateway could read. */
export function statementsOf(document: unknown): PolicyStatement[] | undefined {
  if (typeof document !== 'object' || document === null) return undefined;
  const statement = (document as PolicyDocument).Statement;
  const list = Array.isArray(statement) ? statement : statement === undefined ? undefined : [statement];
  if (list === undefined || list.some((s) => typeof s !== 'object' || s === null)) return undefined;
  for (const s of list as PolicyStatement[]) {
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return undefined;
    if (!isStringOrList(s.Action) || !isStringOrList(s.Resource)) return undefined;
  }
  return list as PolicyStatement[];
}

export function evaluatePolicy(statements: readonly PolicyStatement[], routeArn: string): PolicyVerdict {
  let allowed = false;
  for (const statement of statements) {
    if (!listOf(statement.Action).some((action) => action === '*' || globMatches(action.toLowerCase(), 'execute-api:invoke'))) continue;
    if (!listOf(statement.Resource).some((resource) => globMatches(resource, routeArn))) continue;
    if (statement.Effect === 'Deny') return 'explicitDeny';
    allowed = true;
  }
  return allowed ? 'allow' : 'deny';
}

function isStringOrList(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'));
}

function listOf(value: unknown): string[] {
  return typeof value === 'string' ? [value] : (value as string[]);
}

/** `*` matches any run of characters (slashes included), `?` exactly one. */
export function globMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
