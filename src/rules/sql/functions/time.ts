/**
 * @module rules/sql/functions/time — `parse_time(pattern, ms[, zone])`, which formats epoch milliseconds
 * with a Joda-Time pattern, and `time_to_epoch(text, pattern)` (see `time-parse.ts`) [DG
 * iot-sql-functions.md; Joda DateTimeFormat].
 *
 * Supported Joda letters: `G C Y y x w e E D M d a K h H k m s S z Z` and `'quoted'` text (`''` is a
 * quote); English names only. An unknown letter, a bad zone or a non-numeric timestamp → Undefined.
 */

import { toDecimal, type SqlValue } from '../values.js';
import { fn, V2, type FunctionTable } from './registry.js';
import { timeToEpoch } from './time-parse.js';
import { DAYS, MONTHS, tokenizePattern } from './time-pattern.js';
import { formatOffset, offsetAt, resolveZone, zoneName, type Zone } from './zones.js';

function pad(n: number, width: number): string {
  const text = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${text}` : text;
}

/** ISO-8601 week-based year and week of `date` (a UTC-shifted wall-clock date). */
function isoWeek(date: Date): { weekYear: number; week: number } {
  const dow = (date.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(date.getTime() + (3 - dow) * 86400000);
  const weekYear = thursday.getUTCFullYear();
  const start = new Date(0);
  start.setUTCFullYear(weekYear, 0, 1);
  const dayOfYear = Math.floor((thursday.getTime() - start.getTime()) / 86400000);
  return { weekYear, week: Math.floor(dayOfYear / 7) + 1 };
}

function formatField(letter: string, count: number, local: Date, epochMs: number, zone: Zone, offset: number): string | undefined {
  const year = local.getUTCFullYear();
  const yearOfEra = year <= 0 ? 1 - year : year;
  const hour = local.getUTCHours();
  const dow = (local.getUTCDay() + 6) % 7;
  switch (letter) {
    case 'G': return year <= 0 ? 'BC' : 'AD';
    case 'C': return pad(Math.floor(yearOfEra / 100), count);
    case 'y':
    case 'Y': {
      const value = letter === 'y' ? year : yearOfEra;
      return count === 2 ? pad(((value % 100) + 100) % 100, 2) : pad(value, count);
    }
    case 'x': {
      const { weekYear } = isoWeek(local);
      return count === 2 ? pad(weekYear % 100, 2) : pad(weekYear, count);
    }
    case 'w': return pad(isoWeek(local).week, count);
    case 'e': return pad(dow + 1, count);
    case 'E': return count >= 4 ? DAYS[dow] : (DAYS[dow] as string).slice(0, 3);
    case 'D': {
      const start = new Date(0);
      start.setUTCFullYear(year, 0, 1);
      return pad(Math.floor((local.getTime() - start.getTime()) / 86400000) + 1, count);
    }
    case 'M': {
      const month = local.getUTCMonth();
      if (count >= 4) return MONTHS[month];
      if (count === 3) return (MONTHS[month] as string).slice(0, 3);
      return pad(month + 1, count);
    }
    case 'd': return pad(local.getUTCDate(), count);
    case 'a': return hour < 12 ? 'AM' : 'PM';
    case 'K': return pad(hour % 12, count);
    case 'h': return pad(hour % 12 === 0 ? 12 : hour % 12, count);
    case 'H': return pad(hour, count);
    case 'k': return pad(hour === 0 ? 24 : hour, count);
    case 'm': return pad(local.getUTCMinutes(), count);
    case 's': return pad(local.getUTCSeconds(), count);
    case 'S': return String(local.getUTCMilliseconds()).padStart(3, '0').padEnd(count, '0').slice(0, count);
    case 'z': return zoneName(zone, epochMs, count >= 4);
    case 'Z': return count >= 3 ? zone.id : formatOffset(offset, count === 2);
    default: return undefined;
  }
}

/** Formats `epochMs` in `zone` with a Joda pattern; undefined for an unsupported letter. */
export function formatJoda(pattern: string, epochMs: number, zone: Zone): string | undefined {
  const offset = offsetAt(zone, epochMs);
  const local = new Date(epochMs + offset * 60000);
  if (Number.isNaN(local.getTime())) return undefined;
  let out = '';
  for (const token of tokenizePattern(pattern)) {
    if ('literal' in token) {
      out += token.literal;
      continue;
    }
    const text = formatField(token.letter, token.count, local, epochMs, zone, offset);
    if (text === undefined) return undefined;
    out += text;
  }
  return out;
}

function parseTime(args: readonly SqlValue[]): SqlValue {
  const [pattern, timestamp, zoneId] = args;
  if (typeof pattern !== 'string') return undefined;
  const ms = toDecimal(timestamp);
  if (ms === undefined) return undefined;
  let zone: Zone | undefined = resolveZone('UTC');
  if (args.length === 3) zone = typeof zoneId === 'string' ? resolveZone(zoneId) : undefined;
  return zone === undefined ? undefined : formatJoda(pattern, Math.trunc(ms), zone);
}

export const timeFunctions: FunctionTable = {
  parse_time: fn(2, 3, parseTime, V2),
  time_to_epoch: fn(2, 2, (args) => {
    const [text, pattern] = args;
    return typeof text === 'string' && typeof pattern === 'string' ? timeToEpoch(text, pattern) : undefined;
  }, V2),
};
