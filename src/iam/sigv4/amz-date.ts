/**
 * @module iam/sigv4/amz-date — the timestamps SigV4 uses: ISO-8601 basic (`20150830T123600Z`, the form
 * `X-Amz-Date` carries and the string to sign needs) and the HTTP `Date` header (RFC 7231 IMF-fixdate).
 */

const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** `2015-08-30T12:36:00.000Z` → `20150830T123600Z`. */
export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** Parses an ISO-8601 basic timestamp; `undefined` unless it is well formed and a real instant. */
export function parseAmzDate(value: string): Date | undefined {
  const match = ISO_BASIC.exec(value);
  if (match === null) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return formatAmzDate(date) === value ? date : undefined; // rejects 20150230T250000Z and the like
}

/** Parses a `Date` header: IMF-fixdate, or ISO-8601 basic (which AWS also accepts there). */
export function parseHttpDate(value: string): Date | undefined {
  if (ISO_BASIC.test(value)) return parseAmzDate(value);
  if (!IMF_FIXDATE.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** AWS's complaint about an unparseable request date. */
export function badDateMessage(value: string): string {
  return `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`;
}
