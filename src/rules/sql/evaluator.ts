/**
 * @module rules/sql/evaluator — runs a parsed statement against one message: WHERE first (false or
 * Undefined → no match, SELECT not evaluated), then the SELECT list [spec §4.2, §4.4].
 *
 * The statement is compiled to closures on first use and the result cached per statement object. The
 * payload is parsed at most once per context (`EvalContext.parsed`), however many rules share it.
 *
 * Output: a JSON value (plain JavaScript, no Undefined inside), or raw bytes — `SELECT *` over a
 * non-JSON payload passes it through unchanged, and a bare Undefined (`SELECT VALUE missing`) is the
 * empty payload, since Undefined "is converted to an empty string when serialized by itself". A
 * `SELECT *` output may be the parsed payload object itself: treat outputs as read-only.
 */

import type { Expr, Statement } from './ast.js';
import { compileExpr, compileProjection, queryReadsRow, type Env, type Evaluator } from './compile.js';
import { parsePayload, type EvalContext } from './context.js';
import { jsonBytes } from './json-bytes.js';
import { toBoolean, toJsonValue, type JsonValue, type SqlValue, type SqlVersion } from './values.js';

export type SqlOutput = JsonValue | Uint8Array;

export type EvalResult = { readonly matched: false } | { readonly matched: true; readonly output: SqlOutput };

/** A statement compiled to closures; `evaluateProgram` runs it without the lookup `evaluate` does. */
export interface Program {
  readonly version: SqlVersion;
  readonly where: Evaluator | undefined;
  readonly project: Evaluator;
  /** Whether the output may hold boxed 2015 Decimals and must be walked to unwrap them. */
  readonly unwrap: boolean;
  /** Whether it reads the payload at all: a rule on the topic and client alone never parses it. */
  readonly readsRow: boolean;
}

const programs = new WeakMap<Statement, Program>();
const NOT_MATCHED: EvalResult = Object.freeze({ matched: false });
const EMPTY = new Uint8Array(0);

export function compileStatement(statement: Statement): Program {
  let program = programs.get(statement);
  if (program === undefined) {
    const { query } = statement;
    program = {
      version: statement.version,
      where: query.where === undefined ? undefined : compileExpr(query.where, 'top'),
      project: compileProjection(query, 'top'),
      unwrap: statement.version === '2015-10-08' && !query.items.every((item) => item.kind === 'all' || readsPayloadOnly(item.expr)),
      readsRow: queryReadsRow(query),
    };
    programs.set(statement, program);
  }
  return program;
}

/** Payload values never hold boxed Decimals, so outputs made only of them need no unwrapping walk. */
function readsPayloadOnly(expr: Expr): boolean {
  switch (expr.kind) {
    case 'field':
    case 'star':
      return true;
    case 'member':
      return readsPayloadOnly(expr.object);
    case 'index':
      return readsPayloadOnly(expr.object);
    default:
      return false;
  }
}

/** A SQL value as rule output: boxed 2015 Decimals become numbers; Undefined is the empty payload. */
export function toOutput(value: SqlValue, unwrap: boolean): SqlOutput {
  if (value === undefined) return EMPTY;
  if (value instanceof Uint8Array) return value;
  if (!unwrap) return value as JsonValue;
  return toJsonValue(value) ?? EMPTY;
}

/** The row every top-level expression reads: the payload parsed once per context. */
export function rowOf(ctx: EvalContext): SqlValue {
  if (ctx.parsed === undefined) ctx.parsed = parsePayload(ctx.payload);
  return ctx.parsed;
}

export function evaluate(statement: Statement, ctx: EvalContext): EvalResult {
  return evaluateProgram(programs.get(statement) ?? compileStatement(statement), ctx);
}

export function evaluateProgram(program: Program, ctx: EvalContext): EvalResult {
  const env: Env = { ctx, row: program.readsRow ? rowOf(ctx) : undefined, version: program.version };
  if (program.where !== undefined && toBoolean(program.where(env)) !== true) return NOT_MATCHED;
  return { matched: true, output: toOutput(program.project(env), program.unwrap) };
}

/** Serializes an output as a message payload: JSON text, or the bytes as they are. */
export function serializeOutput(output: SqlOutput): Uint8Array {
  return output instanceof Uint8Array ? output : jsonBytes(output);
}
