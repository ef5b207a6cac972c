/**
 * @module rules/sql/functions/math — numeric and bitwise functions [DG iot-sql-functions.md].
 *
 * Arguments go through the "to Decimal" conversion (numbers and numeric strings; Booleans, Null,
 * collections → Undefined). Trigonometric and logarithmic functions compute in double precision as AWS
 * documents; non-finite or imaginary results are Undefined. Bitwise functions floor their arguments and
 * work on 64-bit two's complement integers (Java `long`).
 */

import { makeNumber, sqlArithmetic, toDecimal, toFlooredInt, type SqlValue, type SqlVersion } from '../values.js';
import { fn, type CallEnv, type FunctionTable, type SqlFunction } from './registry.js';

/** A one-argument function of a double returning a double-precision Decimal. */
function double1(f: (x: number) => number): SqlFunction {
  return fn(1, 1, (args, env) => {
    const x = toDecimal(args[0]);
    return x === undefined ? undefined : makeNumber(f(x), true, env.version);
  });
}

function double2(f: (x: number, y: number) => number): SqlFunction {
  return fn(2, 2, (args, env) => {
    const x = toDecimal(args[0]);
    const y = toDecimal(args[1]);
    return x === undefined || y === undefined ? undefined : makeNumber(f(x, y), true, env.version);
  });
}

/** Int in, Int out; Decimal (or numeric string) in, Int out through `f`. */
function toInt1(f: (x: number) => number): SqlFunction {
  return fn(1, 1, (args) => {
    const x = toDecimal(args[0]);
    return x === undefined ? undefined : f(x) + 0; // + 0 turns -0 into 0
  });
}

/** Half away from zero: `round(1.5)` = 2, `round(-1.5)` = -2 (the documented examples). */
function roundHalfAwayFromZero(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

function bitwise2(f: (a: bigint, b: bigint) => bigint): SqlFunction {
  return fn(2, 2, (args) => {
    const a = toFlooredInt(args[0]);
    const b = toFlooredInt(args[1]);
    if (a === undefined || b === undefined) return undefined;
    return Number(BigInt.asIntN(64, f(BigInt(a), BigInt(b))));
  });
}

/** Truncates `x` to `places` decimals on its decimal text, so `trunc(0.29, 2)` is 0.29, not 0.28. */
function truncateDecimal(x: number, places: number): number {
  const text = String(x);
  if (text.includes('e')) return Math.abs(x) < 1 && places < 7 ? 0 : x;
  const dot = text.indexOf('.');
  if (dot < 0) return x;
  return Number(text.slice(0, places === 0 ? dot : dot + 1 + places));
}

function modulo(args: readonly SqlValue[], env: CallEnv): SqlValue {
  return sqlArithmetic('%', args[0], args[1], env.version);
}

function abs(args: readonly SqlValue[], env: CallEnv): SqlValue {
  const value = args[0];
  const x = toDecimal(value);
  if (x === undefined) return undefined;
  const intArg = typeof value === 'number' && Number.isInteger(value);
  return makeNumber(Math.abs(x), !intArg, env.version);
}

function trunc(args: readonly SqlValue[], version: SqlVersion): SqlValue {
  const value = args[0];
  const places = args[1];
  if (typeof places === 'string') return undefined; // the table allows only Int/Decimal places
  const x = toDecimal(value);
  const p = toFlooredInt(places);
  if (x === undefined || p === undefined) return undefined;
  const result = truncateDecimal(x, Math.min(34, Math.max(0, p)));
  // "Trailing zeroes are stripped": a whole result is an Int (trunc(2.00, 5) = 2).
  return makeNumber(result, !Number.isInteger(result), version);
}

export const mathFunctions: FunctionTable = {
  abs: fn(1, 1, abs),
  ceil: toInt1(Math.ceil),
  floor: toInt1(Math.floor),
  round: toInt1(roundHalfAwayFromZero),
  sign: toInt1(Math.sign),
  trunc: fn(2, 2, (args, env) => trunc(args, env.version)),
  mod: fn(2, 2, modulo),
  remainder: fn(2, 2, modulo),
  sqrt: double1(Math.sqrt),
  power: double2(Math.pow),
  exp: double1(Math.exp),
  ln: double1(Math.log),
  log: double1(Math.log10),
  sin: double1(Math.sin),
  cos: double1(Math.cos),
  tan: double1(Math.tan),
  asin: double1(Math.asin),
  acos: double1(Math.acos),
  atan: double1(Math.atan),
  atan2: double2(Math.atan2),
  sinh: double1(Math.sinh),
  cosh: double1(Math.cosh),
  tanh: double1(Math.tanh),
  bitand: bitwise2((a, b) => a & b),
  bitor: bitwise2((a, b) => a | b),
  bitxor: bitwise2((a, b) => a ^ b),
  bitnot: fn(1, 1, (args) => {
    const a = toFlooredInt(args[0]);
    return a === undefined ? undefined : Number(BigInt.asIntN(64, ~BigInt(a)));
  }),
};
