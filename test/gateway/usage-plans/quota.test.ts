/**
 * @module test/gateway/usage-plans/quota.test — quota periods (DAY, WEEK and MONTH with their offsets: the day a
 * period starts), their boundaries and resets, and `checkQuota`'s Retry-After: tables, no hako.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkQuota, dayNumber, formatDay, parseDay, quotaPeriodOf, type QuotaPeriod } from '../../../src/gateway/usage-plans/quota.js';

const day = (date: string): number => parseDay(date) ?? assert.fail(`bad date ${date}`);
const at = (iso: string): number => Date.parse(iso);

test('quotaPeriodOf: the period a day falls in, first day included and end day not, by period and offset', () => {
  const cases: [string, QuotaPeriod, number, string, string][] = [
    // day,        period,  offset, first day,    end day (exclusive)
    ['2024-03-10', 'DAY', 0, '2024-03-10', '2024-03-11'],
    ['1970-01-01', 'DAY', 0, '1970-01-01', '1970-01-02'],
    // 2024-03-10 is a Sunday. WEEK offset 0 starts on Sunday, 1 on Monday, … 6 on Saturday.
    ['2024-03-10', 'WEEK', 0, '2024-03-10', '2024-03-17'],
    ['2024-03-16', 'WEEK', 0, '2024-03-10', '2024-03-17'],
    ['2024-03-17', 'WEEK', 0, '2024-03-17', '2024-03-24'],
    ['2024-03-10', 'WEEK', 1, '2024-03-04', '2024-03-11'],
    ['2024-03-11', 'WEEK', 1, '2024-03-11', '2024-03-18'],
    ['2024-03-13', 'WEEK', 6, '2024-03-09', '2024-03-16'],
    ['2024-03-09', 'WEEK', 6, '2024-03-09', '2024-03-16'],
    ['1970-01-01', 'WEEK', 4, '1970-01-01', '1970-01-08'],
    ['2025-01-01', 'WEEK', 0, '2024-12-29', '2025-01-05'],
    // MONTH offset n starts on day n + 1.
    ['2024-03-01', 'MONTH', 0, '2024-03-01', '2024-04-01'],
    ['2024-03-31', 'MONTH', 0, '2024-03-01', '2024-04-01'],
    ['2024-02-29', 'MONTH', 0, '2024-02-01', '2024-03-01'],
    ['2024-03-14', 'MONTH', 14, '2024-02-15', '2024-03-15'],
    ['2024-03-15', 'MONTH', 14, '2024-03-15', '2024-04-15'],
    ['2024-01-10', 'MONTH', 14, '2023-12-15', '2024-01-15'],
    ['2024-12-31', 'MONTH', 27, '2024-12-28', '2025-01-28'],
    ['2024-02-29', 'MONTH', 27, '2024-02-28', '2024-03-28'],
    ['2023-02-27', 'MONTH', 27, '2023-01-28', '2023-02-28'],
    ['2023-02-28', 'MONTH', 27, '2023-02-28', '2023-03-28'],
  ];
  for (const [date, period, offset, first, end] of cases) {
    const span = quotaPeriodOf(day(date), period, offset);
    assert.deepEqual([formatDay(span.firstDay), formatDay(span.endDay)], [first, end], `${date} ${period} offset ${offset}`);
  }
});

test('quotaPeriodOf: every day of a year is in exactly one period of each kind, and periods tile without gaps', () => {
  for (const [period, offsets] of [['DAY', [0]], ['WEEK', [0, 3, 6]], ['MONTH', [0, 13, 27]]] as const) {
    for (const offset of offsets) {
      let previous = quotaPeriodOf(day('2023-12-01'), period, offset);
      for (let d = day('2023-12-02'); d < day('2025-01-31'); d++) {
        const span = quotaPeriodOf(d, period, offset);
        assert.ok(span.firstDay <= d && d < span.endDay, `${formatDay(d)} ${period}/${offset}`);
        if (span.firstDay !== previous.firstDay) assert.equal(span.firstDay, previous.endDay, `${formatDay(d)} ${period}/${offset}: a new period starts where the last ended`);
        previous = span;
      }
    }
  }
});

test('checkQuota: under the limit passes (with what remains after this request); at it, Retry-After is the seconds until the period ends', () => {
  const cases: [string, number, number, QuotaPeriod, number, string, ReturnType<typeof checkQuota>][] = [
    // name,                          used, limit, period, offset, now,                          verdict
    ['room left', 2, 3, 'DAY', 0, '2024-03-10T12:00:00Z', { ok: true, remaining: 0 }],
    ['first request', 0, 3, 'DAY', 0, '2024-03-10T12:00:00Z', { ok: true, remaining: 2 }],
    ['used up at noon', 3, 3, 'DAY', 0, '2024-03-10T12:00:00Z', { ok: false, retryAfterSeconds: 43_200 }],
    ['used up at midnight', 3, 3, 'DAY', 0, '2024-03-10T00:00:00Z', { ok: false, retryAfterSeconds: 86_400 }],
    ['half a second left', 3, 3, 'DAY', 0, '2024-03-10T23:59:59.500Z', { ok: false, retryAfterSeconds: 1 }],
    ['limit 0 refuses all', 0, 0, 'DAY', 0, '2024-03-10T12:00:00Z', { ok: false, retryAfterSeconds: 43_200 }],
    ['week from Monday, on Sunday noon', 5, 5, 'WEEK', 1, '2024-03-10T12:00:00Z', { ok: false, retryAfterSeconds: 43_200 }],
    ['week from Sunday, on Sunday noon', 5, 5, 'WEEK', 0, '2024-03-10T12:00:00Z', { ok: false, retryAfterSeconds: 6 * 86_400 + 43_200 }],
    ['month, last day of February', 9, 9, 'MONTH', 0, '2024-02-29T00:00:00Z', { ok: false, retryAfterSeconds: 86_400 }],
    ['month from the 15th, on the 14th', 9, 9, 'MONTH', 14, '2024-03-14T18:00:00Z', { ok: false, retryAfterSeconds: 6 * 3600 }],
  ];
  for (const [name, used, limit, period, offset, now, verdict] of cases) assert.deepEqual(checkQuota(used, { limit, period, offset }, at(now)), verdict, name);
});

test('parseDay and formatDay: yyyy-MM-dd only, real dates only, round trip; dayNumber is the UTC day', () => {
  assert.equal(formatDay(day('2024-02-29')), '2024-02-29');
  for (const bad of ['2023-02-29', '2024-2-01', '2024-02-1', '20240201', '2024-13-01', '', 'today']) assert.equal(parseDay(bad), undefined, bad);
  assert.equal(dayNumber(at('2024-03-10T23:59:59.999Z')), day('2024-03-10'));
  assert.equal(dayNumber(at('2024-03-11T00:00:00Z')), day('2024-03-11'));
});
