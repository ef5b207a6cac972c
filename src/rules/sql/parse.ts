/**
 * @module rules/sql/parse — the entry points of the parser: whole statements, standalone expressions and
 * the expressions inside substitution templates, each checked against the SQL version.
 */

import type { Expr, Statement } from './ast.js';
import { SqlSyntaxError } from './errors.js';
import { describeToken, Lexer } from './lexer.js';
import { Parser } from './parser.js';
import { SQL_VERSIONS, type SqlVersion } from './values.js';

export function assertVersion(version: string): asserts version is SqlVersion {
  if (!(SQL_VERSIONS as readonly string[]).includes(version)) {
    throw new RangeError(`Unsupported awsIotSqlVersion '${version}'; expected one of ${SQL_VERSIONS.join(', ')}`);
  }
}

/** Parses a statement; `version` is the rule's `awsIotSqlVersion` (AWS's API default is 2015-10-08). */
export function parseStatement(sql: string, version: SqlVersion = '2015-10-08'): Statement {
  assertVersion(version);
  const parser = new Parser(new Lexer(sql), version);
  const { query, topicFilter } = parser.parseStatement();
  return { sql, version, topicFilter, query, externals: [...parser.externals] };
}

/** Parses a standalone expression (tools, tests, the console's "try an expression"). */
export function parseExpressionText(text: string, version: SqlVersion): Expr {
  assertVersion(version);
  const parser = new Parser(new Lexer(text), version);
  const expr = parser.parseExpression();
  const rest = parser.current;
  if (rest.kind !== 'eof') {
    const found = describeToken(rest);
    throw new SqlSyntaxError(`Expected end of input but found ${found}`, { line: rest.line, column: rest.column, expected: 'end of input', found });
  }
  return expr;
}

/** Parses one expression starting at `start`, up to its closing `}` (substitution templates). */
export function parseTemplateExpression(source: string, start: number, version: SqlVersion): { expr: Expr; end: number } {
  const parser = new Parser(new Lexer(source, start), version);
  const expr = parser.parseExpression();
  const close = parser.current;
  if (close.kind !== 'punct' || close.value !== '}') {
    const found = describeToken(close);
    throw new SqlSyntaxError(`Expected '}' but found ${found}`, { line: close.line, column: close.column, expected: "'}'", found });
  }
  return { expr, end: close.end };
}
