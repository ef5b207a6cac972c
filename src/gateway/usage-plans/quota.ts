/**
 * @module gateway/usage-plans/quota — a usage plan's quota periods, pure (spec §8.7). Every period starts at 00:00
 * UTC, so a period is a run of whole UTC days and usage is counted per day ("day numbers": days since 1970-01-01).
 *
 * `offset` is read as AWS's API reference first defined it: the day a period starts. WEEK with offset 0 starts on
 * Sunday, 1 on Monday, … 6 on Saturday; MONTH with offset n starts on day n + 1 of the month (0 → the 1st), up to 27
 * so every month has that day; DAY takes offset 0 only. (The current API reference words `offset` as "the number of
 * requests subtracted from the given limit in the initial time period"; hako does not do that.)
 */

export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';

export interface QuotaSettings {
  limit: number;
  offset: number;
  period: QuotaPeriod;
}

export const QUOTA_PERIODS: readonly QuotaPeriod[] = ['DAY', 'WEEK', 'MONTH'];
/** The largest offset each period takes. */
export const MAX_OFFSET: Readonly<Record<QuotaPeriod, number>> = { DAY: 0, WEEK: 6, MONTH: 27 };

export const DAY_MS = 86_400_000;

/** A period as day numbers: `firstDay` included, `endDay` not. */
export interface PeriodSpan {
  firstDay: number;
  endDay: number;
}

/** The UTC day an instant falls on. */
export function dayNumber(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** `yyyy-MM-dd`, as GetUsage takes and answers dates. */
export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The day number of a `yyyy-MM-dd` date, or undefined when it is not one (2024-02-30 included). */
export function parseDay(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return formatDay(ms / DAY_MS) === text ? ms / DAY_MS : undefined;
}

/** The quota period that `day` falls in. */
export function quotaPeriodOf(day: number, period: QuotaPeriod, offset: number): PeriodSpan {
  switch (period) {
    case 'DAY':
      return { firstDay: day, endDay: day + 1 };
    case 'WEEK': {
      const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; Sunday is 0 (days before 1970 are not used)
      const firstDay = day - ((weekday - offset + 7) % 7);
      return { firstDay, endDay: firstDay + 7 };
    }
    case 'MONTH': {
      const date = new Date(day * DAY_MS);
      // Before this month's start day the period began last month (Date.UTC takes month -1 as last December).
      const month = date.getUTCDate() > offset ? date.getUTCMonth() : date.getUTCMonth() - 1;
      const year = date.getUTCFullYear();
      return { firstDay: Date.UTC(year, month, offset + 1) / DAY_MS, endDay: Date.UTC(year, month + 1, offset + 1) / DAY_MS };
    }
  }
}

export type QuotaVerdict = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

/**
 * Whether one more request fits a quota that has `used` requests in the period around `nowMs`; when it does not,
 * the seconds until that period ends (at least 1).
 */
export function checkQuota(used: number, quota: QuotaSettings, nowMs: number): QuotaVerdict {
  if (used < quota.limit) return { ok: true, remaining: quota.limit - used - 1 };
  const span = quotaPeriodOf(dayNumber(nowMs), quota.period, quota.offset);
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((span.endDay * DAY_MS - nowMs) / 1000)) };
}
