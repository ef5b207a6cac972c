/**
 * @module rules/sql/functions/time-parse — `time_to_epoch(text, pattern)`: parses a timestamp with a
 * java.time (JDK 11 DateTimeFormatter) pattern into epoch milliseconds [DG iot-sql-functions.md].
 *
 * Supported letters: `G y u Y M L d D E H k K h a m s S V z O X x Z` and quoted literals. Without a zone
 * in the text the time is UTC, as AWS documents; missing date fields default to 1970-01-01 and missing
 * time fields to 0 (java.time would reject a pattern without a date). Month and day names are English,
 * matched case-insensitively. Text that does not match, or out-of-range fields → Undefined.
 */

import { DAYS, MONTHS, tokenizePattern } from './time-pattern.js';
import { localToEpoch, resolveZone, type Zone } from './zones.js';

interface Fields {
  year: number;
  month: number | undefined;
  day: number | undefined;
  dayOfYear: number | undefined;
  hour: number | undefined;
  /** 1–12 or 0–11 clock hour, combined with `pm` at the end. */
  halfHour: number | undefined;
  pm: boolean | undefined;
  minute: number;
  second: number;
  millisecond: number;
  bc: boolean;
  zone: Zone | undefined;
}

type Setter = (text: string, fields: Fields) => boolean;

interface CompiledPattern {
  readonly regex: RegExp;
  readonly setters: readonly Setter[];
}

const ZONE_ID = '[A-Za-z][A-Za-z0-9_+\\-]*(?:/[A-Za-z0-9_+\\-]+)*(?::\\d{2})?|[+-]\\d{2}:?\\d{2}';
const SHORT_MONTHS = MONTHS.map((m) => m.slice(0, 3));
const SHORT_DAYS = DAYS.map((d) => d.slice(0, 3));

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function digits(count: number, max = 2): string {
  return count >= max ? `(\\d{${count}})` : `(\\d{${count},${max}})`;
}

function numberSetter(set: (fields: Fields, value: number) => void): Setter {
  return (text, fields) => {
    set(fields, Number(text));
    return true;
  };
}

function nameSetter(names: readonly string[], set: (fields: Fields, index: number) => void): Setter {
  return (text, fields) => {
    const index = names.findIndex((name) => name.toLowerCase() === text.toLowerCase());
    if (index < 0) return false;
    set(fields, index);
    return true;
  };
}

const zoneSetter: Setter = (text, fields) => {
  fields.zone = resolveZone(text === 'Z' || text === 'z' ? 'UTC' : text, true);
  return fields.zone !== undefined;
};

/** One pattern letter run → its regex source and setter; undefined when unsupported. */
function compileField(letter: string, count: number): [string, Setter] | undefined {
  switch (letter) {
    case 'y':
    case 'u':
    case 'Y':
      if (count === 2) return ['(\\d{2})', numberSetter((f, v) => { f.year = 2000 + v; })];
      return [count >= 4 ? digits(count, count) : '(\\d{1,9})', numberSetter((f, v) => { f.year = v; })];
    case 'M':
    case 'L':
      if (count >= 4) return [`(${MONTHS.join('|')})`, nameSetter(MONTHS, (f, i) => { f.month = i + 1; })];
      if (count === 3) return [`(${SHORT_MONTHS.join('|')})`, nameSetter(SHORT_MONTHS, (f, i) => { f.month = i + 1; })];
      return [digits(count), numberSetter((f, v) => { f.month = v; })];
    case 'd': return [digits(count), numberSetter((f, v) => { f.day = v; })];
    case 'D': return [digits(count, 3), numberSetter((f, v) => { f.dayOfYear = v; })];
    case 'E':
      return count >= 4 ? [`(${DAYS.join('|')})`, nameSetter(DAYS, () => {})] : [`(${SHORT_DAYS.join('|')})`, nameSetter(SHORT_DAYS, () => {})];
    case 'G': return ['(AD|BC)', (text, f) => { f.bc = text.toUpperCase() === 'BC'; return true; }];
    case 'H': return [digits(count), numberSetter((f, v) => { f.hour = v; })];
    case 'k': return [digits(count), numberSetter((f, v) => { f.hour = v === 24 ? 0 : v; })];
    case 'h':
    case 'K': return [digits(count), numberSetter((f, v) => { f.halfHour = v === 12 && letter === 'h' ? 0 : v; })];
    case 'a': return ['(AM|PM)', (text, f) => { f.pm = text.toUpperCase() === 'PM'; return true; }];
    case 'm': return [digits(count), numberSetter((f, v) => { f.minute = v; })];
    case 's': return [digits(count), numberSetter((f, v) => { f.second = v; })];
    case 'S': return [`(\\d{${count}})`, (text, f) => { f.millisecond = Number(text.padEnd(3, '0').slice(0, 3)); return true; }];
    case 'V':
    case 'z': return [`(${ZONE_ID})`, zoneSetter];
    case 'O': return ['(GMT(?:[+-]\\d{1,2}(?::\\d{2})?)?)', zoneSetter];
    case 'X': return ['(Z|[+-]\\d{2}(?::?\\d{2})?)', zoneSetter];
    case 'x': return ['([+-]\\d{2}(?::?\\d{2})?)', zoneSetter];
    case 'Z':
      if (count === 4) return ['(GMT(?:[+-]\\d{2}:\\d{2})?)', zoneSetter];
      return [count === 5 ? '(Z|[+-]\\d{2}:\\d{2})' : '([+-]\\d{4})', zoneSetter];
    default: return undefined;
  }
}

const compiled = new Map<string, CompiledPattern | null>();

function compilePattern(pattern: string): CompiledPattern | null {
  let result = compiled.get(pattern);
  if (result !== undefined) return result;
  let source = '^';
  const setters: Setter[] = [];
  result = { regex: /$^/, setters };
  for (const token of tokenizePattern(pattern)) {
    if ('literal' in token) {
      source += escapeRegex(token.literal);
      continue;
    }
    const field = compileField(token.letter, token.count);
    if (field === undefined) {
      result = null;
      break;
    }
    source += field[0];
    setters.push(field[1]);
  }
  if (result !== null) result = { regex: new RegExp(source + '$', 'i'), setters };
  if (compiled.size >= 500) compiled.clear();
  compiled.set(pattern, result);
  return result;
}

function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/** Epoch milliseconds of `text` read with `pattern`, or undefined. */
export function timeToEpoch(text: string, pattern: string): number | undefined {
  const compiledPattern = compilePattern(pattern);
  if (compiledPattern === null) return undefined;
  const match = compiledPattern.regex.exec(text);
  if (match === null) return undefined;
  const fields: Fields = {
    year: 1970, month: undefined, day: undefined, dayOfYear: undefined, hour: undefined, halfHour: undefined,
    pm: undefined, minute: 0, second: 0, millisecond: 0, bc: false, zone: undefined,
  };
  for (let i = 0; i < compiledPattern.setters.length; i++) {
    if (!(compiledPattern.setters[i] as Setter)(match[i + 1] as string, fields)) return undefined;
  }
  const year = fields.bc ? 1 - fields.year : fields.year;
  let hour = fields.hour ?? 0;
  if (fields.hour === undefined && fields.halfHour !== undefined) {
    if (fields.halfHour > 11) return undefined;
    hour = fields.halfHour + (fields.pm === true ? 12 : 0);
  }
  if (hour > 23 || fields.minute > 59 || fields.second > 59) return undefined;
  const date = new Date(0);
  if (fields.month === undefined && fields.day === undefined && fields.dayOfYear !== undefined) {
    date.setUTCFullYear(year, 0, fields.dayOfYear);
    if (fields.dayOfYear < 1 || date.getUTCFullYear() !== year) return undefined;
  } else {
    const month = fields.month ?? 1;
    const day = fields.day ?? 1;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
    date.setUTCFullYear(year, month - 1, day);
  }
  date.setUTCHours(hour, fields.minute, fields.second, fields.millisecond);
  const local = date.getTime();
  return fields.zone === undefined ? local : localToEpoch(fields.zone, local);
}
