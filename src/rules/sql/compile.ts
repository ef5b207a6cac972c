/**
 * @module rules/sql/compile — turns the AST into a tree of closures, once per statement, so evaluating a
 * message walks no syntax tree and looks nothing up by name: field keys, functions and output paths are
 * resolved at compile time.
 *
 * Semantics that live here rather than in `values.ts` [spec §4.2; DG iot-sql-*.md]:
 * - A field is a key of the current row (the payload, or the element of a nested SELECT's array); a
 *   row that is not an object (raw bytes, an array) has no fields → Undefined.
 * - AND/OR evaluate both sides and follow the documented tables: any side that is not a Boolean (or
 *   "true"/"false") makes the result Undefined, even `false AND x`.
 * - CASE compares with `=`; an Undefined subject, or no match and no ELSE → Undefined.
 * - Object and array literals drop Undefined members.
 * - `*` is the row: the parsed payload or its raw bytes; as `encode`'s argument at the top level it is
 *   always the raw payload bytes, JSON or not.
 * - A nested SELECT over an array yields the array of projected elements that pass its WHERE (Undefined
 *   results dropped); over an object it yields the projection of that one object.
 */

import type { Expr, SelectItem, SelectQuery } from './ast.js';
import type { EvalContext } from './context.js';
import { castValue, lookupFunction } from './functions/index.js';
import {
  isObject, sqlAnd, sqlArithmetic, sqlCompare, sqlEquals, sqlNegate, sqlNot, sqlOr, toBoolean, toIntNearest,
  type SqlObject, type SqlValue, type SqlVersion,
} from './values.js';

export interface Env {
  readonly ctx: EvalContext;
  readonly row: SqlValue;
  readonly version: SqlVersion;
}

export type Evaluator = (env: Env) => SqlValue;

type Scope = 'top' | 'nested';

/** Keys that plain-object indexing would resolve on `Object.prototype`: looked up with `hasOwn`. */
function readKey(key: string): (value: SqlValue) => SqlValue {
  if (key in Object.prototype) {
    return (value) => (isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined);
  }
  return (value) => (isObject(value) ? value[key] : undefined);
}

/** Sets an own key even when it is `__proto__`. */
export function setKey(target: SqlObject, key: string, value: SqlValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function copyInto(target: SqlObject, source: SqlObject): void {
  for (const key of Object.keys(source)) setKey(target, key, source[key]);
}

/** Writes `value` at a dotted output path, copying (never mutating) objects already there. */
function setPath(target: SqlObject, path: readonly string[], value: SqlValue): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const existing = Object.hasOwn(node, key) ? node[key] : undefined;
    const next: SqlObject = isObject(existing) ? { ...existing } : {};
    setKey(node, key, next);
    node = next;
  }
  setKey(node, path[path.length - 1] as string, value);
}

function compileCall(expr: Extract<Expr, { kind: 'call' }>, scope: Scope): Evaluator {
  const fn = lookupFunction(expr.name);
  if (fn === undefined) throw new Error(`unknown function ${expr.name} reached the compiler`);
  const count = expr.args.length;
  if (count < fn.minArgs || count > fn.maxArgs) return () => undefined;
  const args = expr.args.map((arg, i) =>
    expr.name === 'encode' && i === 0 && arg.kind === 'star' && scope === 'top' ? (env: Env) => env.ctx.payload : compileExpr(arg, scope));
  const call = fn.call;
  switch (count) {
    case 0: return (env) => call([], env);
    case 1: {
      const a = args[0] as Evaluator;
      return (env) => call([a(env)], env);
    }
    case 2: {
      const a = args[0] as Evaluator;
      const b = args[1] as Evaluator;
      return (env) => call([a(env), b(env)], env);
    }
    default:
      return (env) => call(args.map((arg) => arg(env)), env);
  }
}

function compileCase(expr: Extract<Expr, { kind: 'case' }>, scope: Scope): Evaluator {
  const subject = expr.subject === undefined ? undefined : compileExpr(expr.subject, scope);
  const whens = expr.whens.map(({ when, then }) => ({ when: compileExpr(when, scope), then: compileExpr(then, scope) }));
  const otherwise = expr.otherwise === undefined ? undefined : compileExpr(expr.otherwise, scope);
  return (env) => {
    let value: SqlValue;
    if (subject !== undefined) {
      value = subject(env);
      if (value === undefined) return undefined;
    }
    for (const branch of whens) {
      const test = branch.when(env);
      const hit = subject === undefined ? toBoolean(test) === true : sqlEquals(value, test) === true;
      if (hit) return branch.then(env);
    }
    return otherwise === undefined ? undefined : otherwise(env);
  };
}

function compileBinary(expr: Extract<Expr, { kind: 'binary' }>, scope: Scope): Evaluator {
  const left = compileExpr(expr.left, scope);
  const right = compileExpr(expr.right, scope);
  switch (expr.op) {
    case 'AND': return (env) => sqlAnd(left(env), right(env));
    case 'OR': return (env) => sqlOr(left(env), right(env));
    case '=': return (env) => sqlEquals(left(env), right(env));
    case '<>': return (env) => {
      const equal = sqlEquals(left(env), right(env));
      return equal === undefined ? undefined : !equal;
    };
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const op = expr.op;
      return (env) => sqlCompare(op, left(env), right(env));
    }
    default: {
      const op = expr.op;
      return (env) => sqlArithmetic(op, left(env), right(env), env.version);
    }
  }
}

function compileIndex(expr: Extract<Expr, { kind: 'index' }>, scope: Scope): Evaluator {
  const object = compileExpr(expr.object, scope);
  const index = compileExpr(expr.index, scope);
  return (env) => {
    const target = object(env);
    const key = index(env);
    if (Array.isArray(target)) {
      const i = typeof key === 'boolean' ? undefined : toIntNearest(key);
      return i === undefined || i < 0 || i >= target.length ? undefined : target[i];
    }
    return isObject(target) && typeof key === 'string' && Object.hasOwn(target, key) ? target[key] : undefined;
  };
}

export function compileExpr(expr: Expr, scope: Scope): Evaluator {
  switch (expr.kind) {
    case 'literal': {
      const value = expr.value;
      return () => value;
    }
    case 'field': {
      const read = readKey(expr.name);
      return (env) => read(env.row);
    }
    case 'star':
      return (env) => env.row;
    case 'member': {
      const object = compileExpr(expr.object, scope);
      const read = readKey(expr.name);
      return (env) => read(object(env));
    }
    case 'index':
      return compileIndex(expr, scope);
    case 'call':
      return compileCall(expr, scope);
    case 'cast': {
      const value = compileExpr(expr.value, scope);
      const type = expr.type;
      return (env) => castValue(value(env), type, env.version);
    }
    case 'unary': {
      const operand = compileExpr(expr.operand, scope);
      return expr.op === 'NOT' ? (env) => sqlNot(operand(env)) : (env) => sqlNegate(operand(env), env.version);
    }
    case 'binary':
      return compileBinary(expr, scope);
    case 'case':
      return compileCase(expr, scope);
    case 'object': {
      const entries = expr.entries.map(({ key, value }) => ({ key, value: compileExpr(value, scope) }));
      return (env) => {
        const out: SqlObject = {};
        for (const entry of entries) {
          const value = entry.value(env);
          if (value !== undefined) setKey(out, entry.key, value);
        }
        return out;
      };
    }
    case 'array': {
      const items = expr.items.map((item) => compileExpr(item, scope));
      return (env) => {
        const out: SqlValue[] = [];
        for (const item of items) {
          const value = item(env);
          if (value !== undefined) out.push(value);
        }
        return out;
      };
    }
    case 'subquery':
      return compileSubquery(expr.query);
  }
}

function compileSubquery(query: SelectQuery): Evaluator {
  const from = compileExpr(query.from as Expr, 'nested');
  const where = query.where === undefined ? undefined : compileExpr(query.where, 'nested');
  const project = compileProjection(query, 'nested');
  const run = (env: Env, row: SqlValue): SqlValue => {
    const child: Env = { ctx: env.ctx, row, version: env.version };
    if (where !== undefined && toBoolean(where(child)) !== true) return undefined;
    return project(child);
  };
  return (env) => {
    const source = from(env);
    if (isObject(source)) return run(env, source);
    if (!Array.isArray(source)) return undefined;
    const out: SqlValue[] = [];
    for (const element of source) {
      const value = run(env, element);
      if (value !== undefined) out.push(value);
    }
    return out;
  };
}

/**
 * Whether evaluating `expr` at the top level reads the row, i.e. the parsed payload. A statement or template
 * that reads only the topic, the client and functions of them needs no payload parse, and never touches the
 * payload's bytes. A nested SELECT reads the row only through its FROM: its own fields are its elements'.
 */
export function readsRow(expr: Expr): boolean {
  switch (expr.kind) {
    case 'literal':
      return false;
    case 'field':
    case 'star':
      return true;
    case 'member':
      return readsRow(expr.object);
    case 'index':
      return readsRow(expr.object) || readsRow(expr.index);
    case 'call':
      return expr.args.some(readsRow);
    case 'cast':
      return readsRow(expr.value);
    case 'unary':
      return readsRow(expr.operand);
    case 'binary':
      return readsRow(expr.left) || readsRow(expr.right);
    case 'case':
      return (expr.subject !== undefined && readsRow(expr.subject)) || expr.whens.some(({ when, then }) => readsRow(when) || readsRow(then)) || (expr.otherwise !== undefined && readsRow(expr.otherwise));
    case 'object':
      return expr.entries.some(({ value }) => readsRow(value));
    case 'array':
      return expr.items.some(readsRow);
    case 'subquery':
      return readsRow(expr.query.from as Expr);
  }
}

/** Whether a top-level query reads the row: `SELECT *`, or any of its expressions does. */
export function queryReadsRow(query: SelectQuery): boolean {
  return query.items.some((item) => item.kind === 'all' || readsRow(item.expr)) || (query.where !== undefined && readsRow(query.where));
}

type ItemWriter = (out: SqlObject, env: Env) => void;

function compileItem(item: SelectItem, scope: Scope): ItemWriter {
  if (item.kind === 'all') {
    return (out, env) => {
      if (isObject(env.row)) copyInto(out, env.row);
    };
  }
  const value = compileExpr(item.expr, scope);
  const path = item.outputPath;
  if (path.length === 1 && path[0] !== '__proto__') {
    const key = path[0] as string;
    return (out, env) => {
      const v = value(env);
      if (v !== undefined) out[key] = v;
    };
  }
  return (out, env) => {
    const v = value(env);
    if (v !== undefined) setPath(out, path, v);
  };
}

/** The SELECT list: a bare value (`VALUE`), the row itself (`*` alone) or a new object. */
export function compileProjection(query: SelectQuery, scope: Scope): Evaluator {
  const [first] = query.items;
  if (query.value && first?.kind === 'expr') return compileExpr(first.expr, scope);
  if (query.items.length === 1 && first?.kind === 'all') return (env) => env.row;
  const writers = query.items.map((item) => compileItem(item, scope));
  return (env) => {
    const out: SqlObject = {};
    for (const write of writers) write(out, env);
    return out;
  };
}
