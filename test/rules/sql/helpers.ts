/**
 * @module test/rules/sql/helpers — builders for IoT SQL tests: message contexts, one-expression
 * evaluation and table runners, so each test file is mostly a table of (input, expected) rows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compileExpression, evaluate, parseSql, SqlDecimal, type EvalContext, type EvalResult, type SqlValue, type SqlVersion,
} from '../../../src/rules/sql/index.js';

export const V1: SqlVersion = '2015-10-08';
export const V2: SqlVersion = '2016-03-23';

/** Marks an expected whole-number Decimal under 2015-10-08 (`10.0`). */
export function dec(value: number): SqlDecimal {
  return new SqlDecimal(value);
}

/** A payload given as bytes, text, or any other value (serialized as JSON). */
export type PayloadInput = Uint8Array | string | SqlValue | Record<string, unknown>;

export function toBytes(payload: PayloadInput): Uint8Array {
  if (payload instanceof Uint8Array) return payload;
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  return Buffer.from(JSON.stringify(payload), 'utf8');
}

export function ctxOf(payload: PayloadInput = {}, extra: Partial<EvalContext> = {}): EvalContext {
  return { payload: toBytes(payload), topic: 'sensors/kitchen/humidity', timestamp: 1_500_000_000_000, ...extra };
}

/** Evaluates one expression against a payload and returns the raw SQL value. */
export function run(expression: string, payload: PayloadInput = {}, version: SqlVersion = V2, extra: Partial<EvalContext> = {}): SqlValue {
  return compileExpression(expression, version)(ctxOf(payload, extra));
}

export function runSql(sql: string, payload: PayloadInput = {}, version: SqlVersion = V2, extra: Partial<EvalContext> = {}): EvalResult {
  return evaluate(parseSql(sql, version), ctxOf(payload, extra));
}

/** One expression per row: `[expression, expected]`, evaluated against `payload`, one test per row. */
export function expressionTable(
  title: string,
  rows: readonly (readonly [string, SqlValue])[],
  options: { payload?: PayloadInput; version?: SqlVersion; extra?: Partial<EvalContext> } = {},
): void {
  const version = options.version ?? V2;
  for (const [expression, expected] of rows) {
    test(`${title} [${version}]: ${expression}`, () => {
      assert.deepStrictEqual(run(expression, options.payload ?? {}, version, options.extra ?? {}), expected);
    });
  }
}
