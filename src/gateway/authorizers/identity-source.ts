/**
 * @module gateway/authorizers/identity-source — a Lambda authorizer's identity sources (spec §8.6): expressions such
 * as `$request.header.Authorization`, `$request.querystring.token`, `$context.<variable>` and
 * `$stageVariables.<name>`, read from one request. When any is missing or empty the gateway answers 401 without
 * calling the authorizer, as API Gateway does. Pure.
 */
import { groupHeaders, parseQueryString } from '../request.js';

const EXPRESSION = /^\$(?:request\.(header|querystring)\.([^\s.][^\s]*)|context\.([A-Za-z][A-Za-z0-9.]*)|stageVariables\.([A-Za-z0-9_]{1,64}))$/;

export function isIdentitySource(expression: string): boolean {
  return EXPRESSION.test(expression);
}

export interface IdentityInputs {
  headers: readonly (readonly [string, string])[];
  rawQueryString: string;
  stageVariables: Readonly<Record<string, string>>;
  /** `$context` variables by name (`requestId`, `identity.sourceIp`, …). */
  context: Readonly<Record<string, string>>;
}

/** Each source's value, in order (repeated headers or parameters joined with commas); undefined when one is missing. */
export function identityValues(sources: readonly string[], inputs: IdentityInputs): string[] | undefined {
  let headers: ReturnType<typeof groupHeaders> | undefined;
  let query: Map<string, string[]> | undefined;
  const values: string[] = [];
  for (const source of sources) {
    const match = EXPRESSION.exec(source);
    if (match === null) return undefined;
    const [, where, name, contextName, variable] = match;
    let value: string | undefined;
    if (where === 'header') value = (headers ??= groupHeaders(inputs.headers)).get((name as string).toLowerCase())?.values.join(',');
    else if (where === 'querystring') value = (query ??= parseQueryString(inputs.rawQueryString)).get(name as string)?.join(',');
    else if (contextName !== undefined) value = inputs.context[contextName];
    else value = inputs.stageVariables[variable as string];
    if (value === undefined || value === '') return undefined;
    values.push(value);
  }
  return values;
}
