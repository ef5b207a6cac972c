/**
 * @module test/functions/schedule-expression.test — EventBridge schedule expressions (spec §6): rates,
 * cron's six fields with `? L W #` and names, the errors for what AWS rejects, and the next run of each
 * cron expression from a given time (UTC). Expected dates were worked out on a calendar: 2026-12-01 is a
 * Tuesday, 2026-08-01 a Saturday, 2026-03-01 and 2026-02-15 Sundays, 2026-05-31 a Sunday.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextCronRun, parseScheduleExpression, ScheduleExpressionError } from '../../src/functions/schedules/expression.js';

const at = (iso: string): number => Date.parse(iso);

describe('rate expressions', () => {
  const valid: Array<[string, number]> = [
    ['rate(1 minute)', 60_000],
    ['rate(5 minutes)', 300_000],
    ['rate(1 hour)', 3_600_000],
    ['rate(2 hours)', 7_200_000],
    ['rate(1 day)', 86_400_000],
    ['rate(7 days)', 604_800_000],
  ];
  for (const [expression, everyMs] of valid) {
    it(`${expression} fires every ${everyMs} ms`, () => assert.deepEqual(parseScheduleExpression(expression), { kind: 'rate', everyMs }));
  }
});

describe('next run of a cron expression', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['cron(15 10 * * ? *)', '2026-12-01T10:00:00Z', '2026-12-01T10:15:00Z'],
    ['cron(15 10 * * ? *)', '2026-12-01T10:15:00Z', '2026-12-02T10:15:00Z'], // strictly after
    ['cron(*/20 * * * ? *)', '2026-12-01T10:00:00Z', '2026-12-01T10:20:00Z'],
    ['cron(0/5 8-17 ? * MON-FRI *)', '2026-12-05T12:00:00Z', '2026-12-07T08:00:00Z'], // Saturday → Monday
    ['cron(0/5 8-17 ? * MON-FRI *)', '2026-12-07T17:55:00Z', '2026-12-08T08:00:00Z'],
    ['cron(0 8 ? * SUN,SAT *)', '2026-12-01T10:00:00Z', '2026-12-05T08:00:00Z'],
    ['cron(0 9 ? * 2#1 *)', '2026-12-01T10:00:00Z', '2026-12-07T09:00:00Z'], // first Monday
    ['cron(0 0 ? * 6L *)', '2026-12-01T10:00:00Z', '2026-12-25T00:00:00Z'], // last Friday
    ['cron(0 12 L * ? *)', '2026-12-01T10:00:00Z', '2026-12-31T12:00:00Z'],
    ['cron(0 12 L * ? *)', '2027-02-01T00:00:00Z', '2027-02-28T12:00:00Z'],
    ['cron(0 0 L-2 * ? *)', '2026-02-01T00:00:00Z', '2026-02-26T00:00:00Z'],
    ['cron(0 0 1W * ? *)', '2026-07-15T00:00:00Z', '2026-08-03T00:00:00Z'], // the 1st is a Saturday: Monday the 3rd
    ['cron(0 0 1W * ? *)', '2026-02-15T00:00:00Z', '2026-03-02T00:00:00Z'], // the 1st is a Sunday: Monday the 2nd
    ['cron(0 0 15W * ? *)', '2026-02-01T00:00:00Z', '2026-02-16T00:00:00Z'], // a Sunday: the Monday after
    ['cron(0 0 LW * ? *)', '2026-05-01T00:00:00Z', '2026-05-29T00:00:00Z'], // the 31st is a Sunday: Friday the 29th
    ['cron(0 0 1 */3 ? *)', '2026-12-01T10:00:00Z', '2027-01-01T00:00:00Z'],
    ['cron(30 6 1 JAN ? 2027)', '2026-12-01T10:00:00Z', '2027-01-01T06:30:00Z'],
    ['cron(30 6 1 JAN ? 2027)', '2027-01-01T06:30:00Z', undefined], // its only year is over
    ['cron(0 0 29 2 ? 2026-2030)', '2026-01-01T00:00:00Z', '2028-02-29T00:00:00Z'], // the next leap day
  ];
  for (const [expression, after, expected] of cases) {
    it(`${expression} after ${after} → ${expected ?? 'never'}`, () => {
      const spec = parseScheduleExpression(expression);
      assert.equal(spec.kind, 'cron');
      if (spec.kind !== 'cron') return;
      const next = nextCronRun(spec, at(after));
      assert.equal(next === undefined ? undefined : new Date(next).toISOString().replace('.000Z', 'Z'), expected);
    });
  }
});

describe('invalid expressions are refused with the reason', () => {
  const invalid: Array<[string, RegExp]> = [
    ['rate(1 minutes)', /use the singular: rate\(1 minute\)/],
    ['rate(5 minute)', /use the plural: rate\(5 minutes\)/],
    ['rate(0 minutes)', /positive whole number/],
    ['rate(5 seconds)', /expected rate\(…\) or cron\(…\)/],
    ['every 5 minutes', /expected rate\(…\) or cron\(…\)/],
    ['cron(0 10 * *)', /cron needs 6 fields/],
    ['cron(0 10 * * * *)', /exactly one of day-of-month and day-of-week must be \?/],
    ['cron(0 10 ? * ? *)', /exactly one of day-of-month and day-of-week must be \?/],
    ['cron(60 10 * * ? *)', /minutes: 60 is not from 0 to 59/],
    ['cron(0 24 * * ? *)', /hours: 24 is not from 0 to 23/],
    ['cron(0 0 1 13 ? *)', /month: 13 is not from 1 \(JAN\) to 12 \(DEC\)/],
    ['cron(0 0 ? * 8 *)', /day-of-week: 8 is not from 1 \(SUN\) to 7 \(SAT\)/],
    ['cron(0 0 ? * 2#6 *)', /the n in d#n goes from 1 to 5/],
    ['cron(0 0 32W * ? *)', /day 32 is not from 1 to 31/],
    ['cron(0 0 1 1 ? 1969)', /year: 1969 is not from 1970 to 2199/],
    ['cron(0 0 1 5-2 ? *)', /month: 5-2 runs backwards/],
    ['cron(0/0 * * * ? *)', /minutes: bad increment/],
  ];
  for (const [expression, reason] of invalid) {
    it(expression, () => {
      assert.throws(() => parseScheduleExpression(expression), (error: unknown) => error instanceof ScheduleExpressionError && /^Parameter ScheduleExpression is not valid: /.test(error.message) && reason.test(error.message));
    });
  }
});
