/**
 * @module streams/delivery/jq/strftime — jq 1.6's `strftime/1` and `todate` on epoch seconds, as glibc's
 * strftime prints in the C locale and UTC (jq turns a number into a broken-down UTC time with gmtime
 * first). Conversions whose output depends on the locale or on details hako does not reproduce (`%c`,
 * `%x`, `%X`, `%Z`, `%U`, `%V`, `%W`, `%G`, `%g`, `%E…`, `%O…`) are refused when the query is compiled.
 */
import { JqSyntaxError } from './lexer.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (value: number, width: number, fill = '0'): string => String(value).padStart(width, fill);

type Conversion = (date: Date, seconds: number) => string;

const hour12 = (date: Date): number => date.getUTCHours() % 12 || 12;
const dayOfYear = (date: Date): number => Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;

const CONVERSIONS: Readonly<Record<string, Conversion>> = {
  a: (d) => (DAYS[d.getUTCDay()] as string).slice(0, 3),
  A: (d) => DAYS[d.getUTCDay()] as string,
  b: (d) => (MONTHS[d.getUTCMonth()] as string).slice(0, 3),
  h: (d) => (MONTHS[d.getUTCMonth()] as string).slice(0, 3),
  B: (d) => MONTHS[d.getUTCMonth()] as string,
  C: (d) => pad(Math.floor(d.getUTCFullYear() / 100), 2),
  d: (d) => pad(d.getUTCDate(), 2),
  D: (d) => `${pad(d.getUTCMonth() + 1, 2)}/${pad(d.getUTCDate(), 2)}/${pad(d.getUTCFullYear() % 100, 2)}`,
  e: (d) => pad(d.getUTCDate(), 2, ' '),
  F: (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`,
  H: (d) => pad(d.getUTCHours(), 2),
  I: (d) => pad(hour12(d), 2),
  j: (d) => pad(dayOfYear(d), 3),
  k: (d) => pad(d.getUTCHours(), 2, ' '),
  l: (d) => pad(hour12(d), 2, ' '),
  m: (d) => pad(d.getUTCMonth() + 1, 2),
  M: (d) => pad(d.getUTCMinutes(), 2),
  n: () => '\n',
  p: (d) => (d.getUTCHours() < 12 ? 'AM' : 'PM'),
  r: (d) => `${pad(hour12(d), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`,
  R: (d) => `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}`,
  s: (_d, seconds) => String(Math.floor(seconds)),
  S: (d) => pad(d.getUTCSeconds(), 2),
  t: () => '\t',
  T: (d) => `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`,
  u: (d) => String(d.getUTCDay() || 7),
  w: (d) => String(d.getUTCDay()),
  y: (d) => pad(d.getUTCFullYear() % 100, 2),
  Y: (d) => String(d.getUTCFullYear()),
  z: () => '+0000',
  '%': () => '%',
};

/** Refuses a format with a conversion hako does not print (at compile time; `pos` is the string's). */
export function checkStrftimeFormat(format: string, pos: number): void {
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') continue;
    const letter = format[i + 1];
    if (letter === undefined || CONVERSIONS[letter] === undefined) {
      throw new JqSyntaxError(`strftime conversion '%${letter ?? ''}' in the format at position ${pos} is not supported (supported: ${Object.keys(CONVERSIONS).map((c) => `%${c}`).join(' ')})`, pos);
    }
    i++;
  }
}

/** `format` applied to `seconds` since the epoch (fractions are dropped, as gmtime does). */
export function strftime(format: string, seconds: number): string {
  const date = new Date(Math.floor(seconds) * 1000);
  if (Number.isNaN(date.getTime())) throw new RangeError(`${seconds} is out of range for a date`);
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i] as string;
    if (c !== '%') {
      out += c;
      continue;
    }
    out += (CONVERSIONS[format[i + 1] as string] as Conversion)(date, seconds);
    i++;
  }
  return out;
}

/**
 * A broken-down time as jq's `gmtime` makes it ([year, month 0–11, day, hours, minutes, seconds, …]) back
 * to epoch seconds, for `strftime` given such an array.
 */
export function secondsOfBrokenDown(parts: readonly unknown[]): number | undefined {
  if (parts.length < 6 || !parts.slice(0, 6).every((part) => typeof part === 'number')) return undefined;
  const [year, month, day, hours, minutes, seconds] = parts as number[];
  return Date.UTC(year as number, month as number, day as number, hours as number, minutes as number, Math.floor(seconds as number)) / 1000;
}
