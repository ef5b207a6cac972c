/**
 * @module rules/sql/functions/registry — the shape of a built-in function and the helpers the families
 * share. Each family file exports a table; `functions/index.ts` merges them into the one registry.
 *
 * Arity is checked at call time, not parse time: AWS documents that a function called with the wrong
 * number or types of arguments returns Undefined [DG iot-sql-data-types.md].
 */

import type { EvalContext } from '../context.js';
import type { SqlValue, SqlVersion } from '../values.js';

export interface CallEnv {
  readonly ctx: EvalContext;
  readonly version: SqlVersion;
}

export interface SqlFunction {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** The first SQL version that has the function; using it under an earlier one is a parse error. */
  readonly since: SqlVersion;
  /** Served by `EvalContext.externals` rather than computed here. */
  readonly external?: boolean;
  readonly call: (args: readonly SqlValue[], env: CallEnv) => SqlValue;
}

export type FunctionTable = Readonly<Record<string, SqlFunction>>;

export const V1: SqlVersion = '2015-10-08';
export const V2: SqlVersion = '2016-03-23';

export function fn(minArgs: number, maxArgs: number, call: SqlFunction['call'], since: SqlVersion = V1): SqlFunction {
  return { minArgs, maxArgs, since, call };
}

/** Version order: is `version` at least `since`? */
export function supports(version: SqlVersion, since: SqlVersion): boolean {
  return version >= since; // ISO dates compare as strings
}
