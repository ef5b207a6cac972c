/**
 * @module rules/sql/functions — the one registry of IoT SQL built-in functions, merged from the family
 * tables. Names are lower-case; lookups lower-case the called name (the dialect is case-insensitive).
 * `cast(v AS type)` is syntax, handled by the parser and `misc.castValue`.
 */

import { hashingFunctions } from './hashing.js';
import { mathFunctions } from './math.js';
import { miscFunctions } from './misc.js';
import type { SqlFunction } from './registry.js';
import { stringFunctions } from './strings.js';
import { timeFunctions } from './time.js';

export type { CallEnv, SqlFunction } from './registry.js';
export { castValue } from './misc.js';

export const FUNCTIONS: ReadonlyMap<string, SqlFunction> = new Map(
  Object.entries({ ...mathFunctions, ...stringFunctions, ...hashingFunctions, ...timeFunctions, ...miscFunctions }),
);

export function lookupFunction(name: string): SqlFunction | undefined {
  return FUNCTIONS.get(name.toLowerCase());
}
