/**
 * @module rules/sql — the AWS IoT SQL dialect: parse a rule's statement once (`parseSql`), evaluate it
 * per message (`evaluate`), and render action substitution templates (`compileTemplate`). Pure: no I/O;
 * external functions (`get_thing_shadow`, …) go through `EvalContext.externals`.
 *
 * ```ts
 * const rule = parseSql("SELECT humidity, topic(2) AS room FROM 'sensors/+/humidity' WHERE humidity > 70", '2016-03-23');
 * const ctx = { payload, topic: 'sensors/kitchen/humidity', clientId: 'dev-1' };
 * const result = evaluate(rule, ctx); // { matched: true, output: { humidity: 74, room: 'kitchen' } }
 * ```
 */

import type { Statement } from './ast.js';
import { compileExpr } from './compile.js';
import type { EvalContext } from './context.js';
import { compileStatement, rowOf } from './evaluator.js';
import { parseExpressionText, parseStatement } from './parse.js';
import type { SqlValue, SqlVersion } from './values.js';

export type { BinaryOp, CastType, Expr, Position, SelectItem, SelectQuery, Statement } from './ast.js';
export { parsePayload, stripBasicIngestPrefix, type EvalContext, type ExternalFunctionHook } from './context.js';
export { SqlSyntaxError, type SqlErrorReason } from './errors.js';
export { compileStatement, evaluate, evaluateProgram, serializeOutput, type EvalResult, type Program, type SqlOutput } from './evaluator.js';
export { FUNCTIONS } from './functions/index.js';
export { tokenize, type Token, type TokenKind } from './lexer.js';
export { compileTemplate, renderTemplate, type CompiledTemplate } from './template.js';
export {
  SQL_VERSIONS, SqlDecimal, isObject, sqlEquals, stringifyValue, toBoolean, toDecimal, toJsonValue, toStr, typeOf,
  type JsonValue, type SqlObject, type SqlType, type SqlValue, type SqlVersion,
} from './values.js';

/**
 * Parses (and compiles) an IoT SQL statement. `version` is the rule's `awsIotSqlVersion`; AWS's API
 * default when it is omitted is `2015-10-08`. Throws `SqlSyntaxError` with line/column.
 */
export function parseSql(sql: string, version: SqlVersion = '2015-10-08'): Statement {
  const statement = parseStatement(sql, version);
  compileStatement(statement);
  return statement;
}

/**
 * Compiles one expression (no SELECT) into a function of a message, returning the raw SQL value —
 * Undefined included, whole 2015 Decimals still boxed. For tools and tests; rules use `parseSql`.
 */
export function compileExpression(text: string, version: SqlVersion = '2015-10-08'): (ctx: EvalContext) => SqlValue {
  const evaluator = compileExpr(parseExpressionText(text, version), 'top');
  return (ctx) => evaluator({ ctx, row: rowOf(ctx), version });
}
