/**
 * @module streams/delivery/time-format — the part of Java's `DateTimeFormatter` pattern language that
 * Firehose's `!{timestamp:…}` prefix expressions use, always in UTC (spec §10; AWS's docs point at the
 * Java class). Patterns are compiled once, when a delivery stream is created, so a bad one is refused
 * by CreateDeliveryStream rather than at the first delivery.
 *
 * Supported letters: y u (year), M L (month, 1–4 letters), d, D (day of year), H k h K (hours), m, s,
 * S (fraction of a second), a (AM/PM), E (day name). Text in single quotes is literal (`''` is a quote);
 * every other non-letter is literal. Other letters and Java's reserved `[ ] { } #` are refused.
 */

export type TimeFormat = (ms: number) => string;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Field = (date: Date) => string;

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

function dayOfYear(date: Date): number {
  return Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

/** The field one run of `count` copies of `letter` prints, or undefined for a letter hako does not know. */
function fieldOf(letter: string, count: number): Field | undefined {
  switch (letter) {
    case 'y':
    case 'u':
      // Java: exactly two letters is the two-digit "reduced" year; otherwise at least `count` digits.
      return count === 2 ? (d) => pad(d.getUTCFullYear() % 100, 2) : (d) => pad(d.getUTCFullYear(), count);
    case 'M':
    case 'L':
      if (count >= 4) return (d) => MONTHS[d.getUTCMonth()] as string;
      if (count === 3) return (d) => (MONTHS[d.getUTCMonth()] as string).slice(0, 3);
      return (d) => pad(d.getUTCMonth() + 1, count);
    case 'd':
      return count <= 2 ? (d) => pad(d.getUTCDate(), count) : undefined;
    case 'D':
      return count <= 3 ? (d) => pad(dayOfYear(d), count) : undefined;
    case 'H':
      return count <= 2 ? (d) => pad(d.getUTCHours(), count) : undefined;
    case 'k':
      return count <= 2 ? (d) => pad(d.getUTCHours() === 0 ? 24 : d.getUTCHours(), count) : undefined;
    case 'h':
      return count <= 2 ? (d) => pad(d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12, count) : undefined;
    case 'K':
      return count <= 2 ? (d) => pad(d.getUTCHours() % 12, count) : undefined;
    case 'm':
      return count <= 2 ? (d) => pad(d.getUTCMinutes(), count) : undefined;
    case 's':
      return count <= 2 ? (d) => pad(d.getUTCSeconds(), count) : undefined;
    case 'S':
      // Fraction of a second, truncated to `count` digits (milliseconds are all hako has; more digits are zeros).
      return count <= 9 ? (d) => pad(d.getUTCMilliseconds(), 3).padEnd(count, '0').slice(0, count) : undefined;
    case 'a':
      return count === 1 ? (d) => (d.getUTCHours() < 12 ? 'AM' : 'PM') : undefined;
    case 'E':
      if (count <= 3) return (d) => (DAYS[d.getUTCDay()] as string).slice(0, 3);
      return count === 4 ? (d) => DAYS[d.getUTCDay()] as string : undefined;
    default:
      return undefined;
  }
}

export class TimeFormatError extends Error {}

/** Compiles a pattern; throws `TimeFormatError` naming what is wrong with it. */
export function compileTimeFormat(pattern: string): TimeFormat {
  const parts: Array<string | Field> = [];
  let i = 0;
  while (i < pattern.length) {
    const char = pattern.charAt(i);
    if (char === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === -1) throw new TimeFormatError(`unterminated quote in '${pattern}'`);
      parts.push(end === i + 1 ? "'" : pattern.slice(i + 1, end));
      i = end + 1;
    } else if (/[A-Za-z]/.test(char)) {
      let count = 1;
      while (pattern.charAt(i + count) === char) count++;
      const field = fieldOf(char, count);
      if (field === undefined) throw new TimeFormatError(`unsupported pattern letters '${char.repeat(count)}' in '${pattern}'`);
      parts.push(field);
      i += count;
    } else if ('[]{}#'.includes(char)) {
      throw new TimeFormatError(`reserved character '${char}' in '${pattern}'`);
    } else {
      parts.push(char);
      i++;
    }
  }
  return (ms) => {
    const date = new Date(ms);
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : part(date);
    return out;
  };
}
