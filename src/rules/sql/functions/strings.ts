/**
 * @module rules/sql/functions/strings — string functions [DG iot-sql-functions.md].
 *
 * Non-string arguments go through the standard "to String" conversion (Arrays/Objects → JSON text;
 * Null, Undefined → no string → the function is Undefined). Lengths and indexes count UTF-16 code
 * units, as Java strings do. Regular expressions are Java syntax in AWS; they run on JavaScript's
 * engine here, with a leading `(?i)`-style flag group translated. The common subset (classes,
 * quantifiers, groups, anchors, `\d\w\s`) behaves the same; possessive quantifiers and other
 * Java-only constructs make the pattern invalid, hence Undefined.
 */

import { isObject, toFlooredInt, toStr, type SqlValue, type SqlVersion } from '../values.js';
import { fn, V2, type FunctionTable, type SqlFunction } from './registry.js';

function string1(f: (s: string) => SqlValue, since?: SqlVersion): SqlFunction {
  return fn(1, 1, (args) => {
    const s = toStr(args[0]);
    return s === undefined ? undefined : f(s);
  }, since);
}

function string2(f: (a: string, b: string) => SqlValue, since?: SqlVersion): SqlFunction {
  return fn(2, 2, (args) => {
    const a = toStr(args[0]);
    const b = toStr(args[1]);
    return a === undefined || b === undefined ? undefined : f(a, b);
  }, since);
}

const LEADING_SPACE = /^[\u0000-\u0020]+/;
const TRAILING_SPACE = /[\u0000-\u0020]+$/;

function pad(left: boolean): SqlFunction {
  return fn(2, 2, (args) => {
    const s = toStr(args[0]);
    const count = toFlooredInt(args[1]);
    if (s === undefined || count === undefined || typeof args[1] === 'boolean') return undefined;
    const spaces = ' '.repeat(Math.min(1000, Math.max(0, count)));
    return left ? spaces + s : s + spaces;
  });
}

/** `concat`: any Array → one array of all arguments (arrays spliced); else a String joins them. */
function concat(args: readonly SqlValue[]): SqlValue {
  if (args.length === 0) return undefined;
  if (args.length === 1) return args[0];
  if (args.some(Array.isArray)) {
    const result: SqlValue[] = [];
    for (const arg of args) {
      if (Array.isArray(arg)) result.push(...arg);
      else if (arg !== undefined) result.push(arg);
    }
    return result;
  }
  if (!args.some((arg) => typeof arg === 'string')) return undefined;
  let text = '';
  for (const arg of args) {
    const s = toStr(arg);
    if (s === undefined) return undefined;
    text += s;
  }
  return text;
}

function clampIndex(index: number, length: number): number {
  return Math.min(length, Math.max(0, index));
}

function substring(args: readonly SqlValue[]): SqlValue {
  const s = toStr(args[0]);
  const from = toFlooredInt(args[1]);
  if (s === undefined || from === undefined) return undefined;
  const start = clampIndex(from, s.length);
  if (args.length < 3) return s.slice(start);
  const to = toFlooredInt(args[2]);
  if (to === undefined) return undefined;
  const end = clampIndex(to, s.length);
  return start >= end ? '' : s.slice(start, end);
}

const regexCache = new Map<string, RegExp | null>();

/** Compiles a Java-style pattern once; `null` when JavaScript cannot compile it. */
export function compileRegex(pattern: string): RegExp | null {
  let regex = regexCache.get(pattern);
  if (regex !== undefined) return regex;
  let source = pattern;
  let flags = 'g';
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline !== null && !(inline[1] as string).includes('x')) {
    flags += inline[1] as string; // Java's i/m/s mean what JavaScript's flags mean
    source = source.slice(inline[0].length);
  }
  try {
    regex = new RegExp(source, flags);
  } catch {
    regex = null;
  }
  if (regexCache.size >= 1000) regexCache.clear();
  regexCache.set(pattern, regex);
  return regex;
}

/**
 * Java replacement text → JavaScript: `$n` and `${name}` reference groups, `\x` is a literal `x`;
 * a `$` not followed by a group reference is invalid in Java (→ undefined).
 */
export function translateReplacement(replacement: string): string | undefined {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i] as string;
    if (ch === '\\') {
      const next = replacement[i + 1];
      if (next === undefined) return undefined;
      out += next === '$' ? '$$' : next;
      i++;
    } else if (ch === '$') {
      const rest = replacement.slice(i + 1);
      const numbered = /^\d+/.exec(rest);
      const named = /^\{([A-Za-z][A-Za-z0-9]*)\}/.exec(rest);
      if (numbered !== null) {
        out += '$' + numbered[0];
        i += numbered[0].length;
      } else if (named !== null) {
        out += `$<${named[1] as string}>`;
        i += named[0].length;
      } else {
        return undefined;
      }
    } else {
      out += ch;
    }
  }
  return out;
}

function regexpMatches(input: string, pattern: string): SqlValue {
  const regex = compileRegex(pattern);
  if (regex === null) return undefined;
  regex.lastIndex = 0;
  return regex.test(input);
}

function regexpReplace(args: readonly SqlValue[]): SqlValue {
  const input = toStr(args[0]);
  const pattern = toStr(args[1]);
  const replacement = toStr(args[2]);
  if (input === undefined || pattern === undefined || replacement === undefined) return undefined;
  const regex = compileRegex(pattern);
  const js = translateReplacement(replacement);
  if (regex === null || js === undefined) return undefined;
  regex.lastIndex = 0;
  try {
    return input.replace(regex, js);
  } catch {
    return undefined;
  }
}

/** First match of the pattern, or the empty string when there is none. */
function regexpSubstr(input: string, pattern: string): SqlValue {
  const regex = compileRegex(pattern);
  if (regex === null) return undefined;
  regex.lastIndex = 0;
  const match = regex.exec(input);
  return match === null ? '' : match[0];
}

/** `startswith`/`endswith`: Null or Undefined on either side → Undefined, else string conversion. */
function affix(test: (a: string, b: string) => boolean): SqlFunction {
  return fn(2, 2, (args) => {
    const a = args[0];
    const b = args[1];
    if (a === null || b === null || a === undefined || b === undefined) return undefined;
    const x = toStr(a);
    const y = toStr(b);
    return x === undefined || y === undefined ? undefined : test(x, y);
  });
}

function chr(args: readonly SqlValue[]): SqlValue {
  if (typeof args[0] === 'boolean') return undefined;
  const code = toFlooredInt(args[0]);
  return code === undefined || code < 0 || code > 127 ? undefined : String.fromCharCode(code);
}

/** `transform('enrichArray', object, array)`: each array element (an object) merged with the object. */
function transform(args: readonly SqlValue[]): SqlValue {
  const [mode, attributes, items] = args;
  if (mode !== 'enrichArray' || !isObject(attributes) || !Array.isArray(items)) return undefined;
  const result: SqlValue[] = [];
  for (const item of items) {
    if (!isObject(item)) return undefined;
    result.push({ ...item, ...attributes });
  }
  return result;
}

export const stringFunctions: FunctionTable = {
  concat: fn(0, Infinity, concat),
  substring: fn(2, 3, substring),
  lower: string1((s) => s.toLowerCase()),
  upper: string1((s) => s.toUpperCase()),
  trim: string1((s) => s.replace(LEADING_SPACE, '').replace(TRAILING_SPACE, '')),
  ltrim: string1((s) => s.replace(LEADING_SPACE, '')),
  rtrim: string1((s) => s.replace(TRAILING_SPACE, '')),
  lpad: pad(true),
  rpad: pad(false),
  length: string1((s) => s.length, V2),
  numbytes: string1((s) => Buffer.byteLength(s, 'utf8'), V2),
  indexof: string2((a, b) => a.indexOf(b), V2),
  startswith: affix((a, b) => a.startsWith(b)),
  endswith: affix((a, b) => a.endsWith(b)),
  replace: fn(3, 3, (args) => {
    const [s, from, to] = [toStr(args[0]), toStr(args[1]), toStr(args[2])];
    return s === undefined || from === undefined || to === undefined ? undefined : s.replaceAll(from, () => to);
  }),
  regexp_matches: string2(regexpMatches),
  regexp_replace: fn(3, 3, regexpReplace),
  regexp_substr: string2(regexpSubstr),
  chr: fn(1, 1, chr),
  transform: fn(3, 3, transform, V2),
};
