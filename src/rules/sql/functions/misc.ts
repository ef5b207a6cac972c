/**
 * @module rules/sql/functions/misc — message metadata (`topic`, `clientid`, `principal`, …), randomness,
 * collections (`get`), encodings (`encode`/`decode`), `cast`, predicates (`isNull`, `isUndefined`,
 * `nanvl`) and the external functions served by the engine's hook [DG iot-sql-functions.md].
 */

import { randomUUID } from 'node:crypto';
import type { CastType } from '../ast.js';
import {
  isObject, makeNumber, toBoolean, toDecimal, toIntNearest, toStr, type SqlValue, type SqlVersion,
} from '../values.js';
import { fn, V2, type CallEnv, type FunctionTable, type SqlFunction } from './registry.js';

/** `topic(n)`: the n-th level, 1-based. Found by scanning, not splitting: no array per call. */
function topicLevel(topic: string, n: SqlValue): SqlValue {
  const index = toIntNearest(n);
  if (index === undefined || typeof n === 'boolean' || index < 1) return undefined;
  let start = 0;
  for (let level = 1; level < index; level++) {
    const slash = topic.indexOf('/', start);
    if (slash < 0) return undefined;
    start = slash + 1;
  }
  const end = topic.indexOf('/', start);
  return topic.slice(start, end < 0 ? topic.length : end);
}

/** `get(collection, key)`: 0-based index into an Array or String, or a String key of an Object. */
function get(args: readonly SqlValue[]): SqlValue {
  const [collection, key] = args;
  if (isObject(collection)) return typeof key === 'string' && Object.hasOwn(collection, key) ? collection[key] : undefined;
  if (!Array.isArray(collection) && typeof collection !== 'string') return undefined;
  const index = typeof key === 'boolean' ? undefined : toIntNearest(key);
  if (index === undefined || index < 0 || index >= collection.length) return undefined;
  return collection[index];
}

/** `encode(value, 'base64')`: bytes as they are (`*` is the raw payload), anything else as its string. */
function encode(args: readonly SqlValue[]): SqlValue {
  const [value, scheme] = args;
  if (typeof scheme !== 'string' || scheme.toLowerCase() !== 'base64') return undefined;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  const text = toStr(value);
  return text === undefined ? undefined : Buffer.from(text, 'utf8').toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * `decode(value, 'base64')`: JSON text becomes a value (so `decode(encode(*,'base64'),'base64') > 50`
 * works on a payload of `80`); other text stays a String; undecodable input → Null.
 */
function decode(args: readonly SqlValue[]): SqlValue {
  const [value, scheme] = args;
  if (typeof scheme !== 'string' || scheme.toLowerCase() !== 'base64') return undefined;
  if (typeof value !== 'string') return undefined;
  const unpadded = value.replace(/=+$/, '');
  if (!BASE64.test(value) || unpadded.length % 4 === 1 || (unpadded.length !== value.length && value.length % 4 !== 0)) return null;
  let text: string;
  try {
    text = strictUtf8.decode(Buffer.from(value, 'base64'));
  } catch {
    return null;
  }
  try {
    return JSON.parse(text) as SqlValue;
  } catch {
    return text;
  }
}

/**
 * `cast(v AS type)`: the standard conversions plus numbers ↔ Booleans; Decimal → Int rounds down; a
 * Null has no cast [DG cast()].
 */
export function castValue(value: SqlValue, type: CastType, version: SqlVersion): SqlValue {
  switch (type) {
    case 'String':
      return toStr(value);
    case 'Int': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      const n = toDecimal(value);
      return n === undefined ? undefined : makeNumber(Math.floor(n), false, version);
    }
    case 'Double':
    case 'Decimal': {
      if (typeof value === 'boolean') return makeNumber(value ? 1 : 0, true, version);
      const n = toDecimal(value);
      return n === undefined ? undefined : makeNumber(n, true, version);
    }
    case 'Boolean': {
      if (typeof value === 'string') return toBoolean(value);
      const n = toDecimal(value);
      return typeof value === 'boolean' ? value : n === undefined ? undefined : n !== 0;
    }
  }
}

function nanvl(args: readonly SqlValue[]): SqlValue {
  const [value, fallback] = args;
  if (value === undefined || value === null || (typeof value === 'number' && Number.isNaN(value))) return fallback;
  return value;
}

function external(name: string, minArgs: number, maxArgs: number, since?: SqlVersion): SqlFunction {
  return {
    minArgs,
    maxArgs,
    since: since ?? '2015-10-08',
    external: true,
    call: (args: readonly SqlValue[], env: CallEnv) => env.ctx.externals?.(name, args, env.ctx),
  };
}

export const miscFunctions: FunctionTable = {
  topic: fn(0, 1, (args, env) => (args.length === 0 ? env.ctx.topic : topicLevel(env.ctx.topic, args[0]))),
  clientid: fn(0, 0, (_args, env) => env.ctx.clientId ?? 'n/a'),
  principal: fn(0, 0, (_args, env) => env.ctx.principal),
  timestamp: fn(0, 0, (_args, env) => env.ctx.timestamp ?? Date.now()),
  accountid: fn(0, 0, (_args, env) => env.ctx.accountId),
  traceid: fn(0, 0, (_args, env) => env.ctx.traceId),
  newuuid: fn(0, 0, (_args, env) => (env.ctx.uuid ?? randomUUID)()),
  rand: fn(0, 0, (_args, env) => makeNumber((env.ctx.random ?? Math.random)(), true, env.version)),
  sql_version: fn(0, 0, (_args, env) => env.version),
  get: fn(2, 2, get),
  encode: fn(2, 2, encode, V2),
  decode: fn(2, 2, decode, V2),
  isnull: fn(1, 1, (args) => args[0] === null),
  isundefined: fn(1, 1, (args) => args[0] === undefined, V2),
  nanvl: fn(2, 2, nanvl),
  get_thing_shadow: external('get_thing_shadow', 2, 3, V2),
  aws_lambda: external('aws_lambda', 2, 2),
  get_dynamodb: external('get_dynamodb', 4, 6, V2),
  get_secret: external('get_secret', 3, 4),
  machinelearning_predict: external('machinelearning_predict', 3, 3),
};
