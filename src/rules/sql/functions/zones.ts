/**
 * @module rules/sql/functions/zones — time zones for `parse_time` and `time_to_epoch`: IANA zones through
 * `Intl` (so no zone database ships with hako), fixed offsets (`+01:00`, `UTC+01:00`) and `UTC`.
 *
 * Zone names come from ICU's en-US data, which matches Joda for the Americas (`CST`, `PDT`) but writes
 * `GMT+1` where Joda writes `CET`.
 */

export type Zone =
  | { readonly kind: 'fixed'; readonly id: string; readonly offsetMinutes: number }
  | { readonly kind: 'iana'; readonly id: string; readonly parts: Intl.DateTimeFormat };

const UTC: Zone = { kind: 'fixed', id: 'UTC', offsetMinutes: 0 };
const FIXED = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?$/;
const cache = new Map<string, Zone | null>();
const nameFormats = new Map<string, Intl.DateTimeFormat>();

/** Abbreviations `time_to_epoch` accepts for `z`, mapped to the zone Java would pick. */
const ABBREVIATIONS: Record<string, string> = {
  EST: 'America/New_York', EDT: 'America/New_York', CST: 'America/Chicago', CDT: 'America/Chicago',
  MST: 'America/Denver', MDT: 'America/Denver', PST: 'America/Los_Angeles', PDT: 'America/Los_Angeles',
  AKST: 'America/Anchorage', AKDT: 'America/Anchorage', HST: 'Pacific/Honolulu', CET: 'Europe/Paris',
  CEST: 'Europe/Paris', EET: 'Europe/Athens', EEST: 'Europe/Athens', WET: 'Europe/Lisbon', BST: 'Europe/London',
  JST: 'Asia/Tokyo', IST: 'Asia/Kolkata', AEST: 'Australia/Sydney', AEDT: 'Australia/Sydney',
};

export function formatOffset(minutes: number, colon: boolean): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return colon ? `${sign}${hh}:${mm}` : `${sign}${hh}${mm}`;
}

/** Resolves a zone ID; `abbreviations` also accepts `PST`-style names (parsing only). */
export function resolveZone(id: string, abbreviations = false): Zone | undefined {
  if (id === 'UTC' || id === 'GMT' || id === 'Z' || id === 'UT' || id === 'Etc/UTC') return UTC;
  const fixed = FIXED.exec(id);
  if (fixed !== null) {
    const hours = Number(fixed[2]);
    const minutes = Number(fixed[3] ?? '0');
    if (hours > 18 || minutes > 59) return undefined;
    const offset = (fixed[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
    return { kind: 'fixed', id: formatOffset(offset, true), offsetMinutes: offset };
  }
  const mapped = abbreviations ? (ABBREVIATIONS[id.toUpperCase()] ?? id) : id;
  let zone = cache.get(mapped);
  if (zone === undefined) {
    try {
      const parts = new Intl.DateTimeFormat('en-US', {
        timeZone: mapped, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short',
      });
      zone = { kind: 'iana', id: mapped, parts };
    } catch {
      zone = null;
    }
    cache.set(mapped, zone);
  }
  return zone ?? undefined;
}

/** The zone's offset from UTC at `epochMs`, in minutes. */
export function offsetAt(zone: Zone, epochMs: number): number {
  if (zone.kind === 'fixed') return zone.offsetMinutes;
  const seconds = Math.floor(epochMs / 1000) * 1000;
  const fields: Record<string, number> = {};
  let bc = false;
  for (const part of zone.parts.formatToParts(seconds)) {
    if (part.type === 'era') bc = part.value.startsWith('B');
    else if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const date = new Date(0);
  date.setUTCFullYear(bc ? 1 - (fields['year'] ?? 0) : (fields['year'] ?? 0), (fields['month'] ?? 1) - 1, fields['day'] ?? 1);
  date.setUTCHours(fields['hour'] ?? 0, fields['minute'] ?? 0, fields['second'] ?? 0, 0);
  return Math.round((date.getTime() - seconds) / 60000);
}

/** The epoch milliseconds of a wall-clock time (given as if it were UTC) in `zone`. */
export function localToEpoch(zone: Zone, localMs: number): number {
  const first = offsetAt(zone, localMs);
  const guess = localMs - first * 60000;
  const second = offsetAt(zone, guess);
  if (second === first) return guess;
  const adjusted = localMs - second * 60000;
  return offsetAt(zone, adjusted) === second ? adjusted : guess; // a skipped (DST gap) time keeps the first offset
}

/** `z` (short) / `zzzz` (long) zone names. */
export function zoneName(zone: Zone, epochMs: number, long: boolean): string {
  if (zone.kind === 'fixed') return zone.offsetMinutes === 0 ? (long ? 'Coordinated Universal Time' : 'UTC') : zone.id;
  const key = `${zone.id}|${long ? 'long' : 'short'}`;
  let format = nameFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone.id, timeZoneName: long ? 'long' : 'short' });
    nameFormats.set(key, format);
  }
  return format.formatToParts(epochMs).find((part) => part.type === 'timeZoneName')?.value ?? zone.id;
}
