/**
 * @module functions/schedules/expression — EventBridge schedule expressions (spec §6), parsed and
 * evaluated in UTC: `rate(<n> minute|minutes|hour|hours|day|days)` (singular only for 1), and
 * `cron(Minutes Hours Day-of-month Month Day-of-week Year)` with `, - * /` everywhere, `?` in one of the
 * two day fields (exactly one of them), `L` and `W` in day-of-month (`L`, `L-3`, `15W`, `LW`), and `L`
 * and `#` in day-of-week (`6L` = last Friday, `2#1` = first Monday); days of the week are 1–7 = SUN–SAT
 * or their names, months 1–12 or JAN–DEC. Pure: no clock, no timers.
 */

export type ScheduleExpression = { kind: 'rate'; everyMs: number } | ({ kind: 'cron' } & CronSpec);

interface CronSpec {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: DayOfMonth;
  months: ReadonlySet<number>;
  daysOfWeek: DayOfWeek;
  years: ReadonlySet<number>;
}

type DayOfMonth =
  | { kind: 'any' }
  | { kind: 'days'; days: ReadonlySet<number> }
  /** `L` (offset 0) or `L-n`: the last day of the month, or n days before it. */
  | { kind: 'last'; offset: number }
  /** `nW`: the weekday nearest day n, within the month; `LW`: the last weekday of the month. */
  | { kind: 'nearestWeekday'; day: number | 'last' };

type DayOfWeek =
  | { kind: 'any' }
  /** 1–7 = SUN–SAT. */
  | { kind: 'days'; days: ReadonlySet<number> }
  /** `nL`: the last such weekday of the month. */
  | { kind: 'last'; day: number }
  /** `d#n`: the n-th such weekday of the month. */
  | { kind: 'nth'; day: number; n: number };

export class ScheduleExpressionError extends Error {
  constructor(expression: string, reason: string) {
    super(`Parameter ScheduleExpression is not valid: ${expression}: ${reason}`);
    this.name = 'ScheduleExpressionError';
  }
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const UNIT_MS: Readonly<Record<string, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function parseScheduleExpression(expression: string): ScheduleExpression {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate !== null) {
    const value = Number(rate[1]);
    const unit = rate[2] as string;
    if (value < 1) throw new ScheduleExpressionError(expression, 'the rate must be a positive whole number');
    if ((value === 1) !== !unit.endsWith('s')) throw new ScheduleExpressionError(expression, value === 1 ? `use the singular: rate(1 ${unit.replace(/s$/, '')})` : `use the plural: rate(${value} ${unit}s)`);
    return { kind: 'rate', everyMs: value * (UNIT_MS[unit.replace(/s$/, '')] as number) };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron === null) throw new ScheduleExpressionError(expression, 'expected rate(…) or cron(…)');
  const fields = (cron[1] as string).trim().split(/\s+/);
  if (fields.length !== 6) throw new ScheduleExpressionError(expression, `cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`);
  const [minutes, hours, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw new ScheduleExpressionError(expression, 'exactly one of day-of-month and day-of-week must be ?');
  const fail = (reason: string): never => {
    throw new ScheduleExpressionError(expression, reason);
  };
  return {
    kind: 'cron',
    minutes: parseList(minutes, 0, 59, [], 'minutes', fail),
    hours: parseList(hours, 0, 23, [], 'hours', fail),
    daysOfMonth: parseDayOfMonth(dom, fail),
    months: parseList(month, 1, 12, MONTHS, 'month', fail),
    daysOfWeek: parseDayOfWeek(dow, fail),
    years: parseList(year, 1970, 2199, [], 'year', fail),
  };
}

/** `*`, `a`, `a-b`, `*` or `a` or `a-b` followed by `/step`, joined by commas. */
function parseList(field: string, min: number, max: number, names: readonly string[], what: string, fail: (reason: string) => never): ReadonlySet<number> {
  const values = new Set<number>();
  const allowed = names.length === 0 ? `${min} to ${max}` : `${min} (${names[0]}) to ${max} (${names[names.length - 1]})`;
  const value = (text: string): number => {
    const named = names.indexOf(text.toUpperCase());
    const number = named === -1 ? Number(text) : named + 1;
    if (text === '' || !Number.isInteger(number) || number < min || number > max) fail(`${what}: ${text} is not from ${allowed}`);
    return number;
  };
  for (const item of field.split(',')) {
    const [range, stepText] = item.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) fail(`${what}: bad increment in ${item}`);
    let from = min;
    let to = max;
    if (range !== '*') {
      const [a, b] = range.split('-') as [string, string | undefined];
      from = value(a);
      to = b === undefined ? (stepText === undefined ? from : max) : value(b);
      if (to < from) fail(`${what}: ${item} runs backwards`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function parseDayOfMonth(field: string, fail: (reason: string) => never): DayOfMonth {
  if (field === '?') return { kind: 'any' };
  if (field === 'L') return { kind: 'last', offset: 0 };
  if (field === 'LW') return { kind: 'nearestWeekday', day: 'last' };
  const lastMinus = /^L-(\d+)$/.exec(field);
  if (lastMinus !== null) {
    const offset = Number(lastMinus[1]);
    if (offset > 30) fail(`day-of-month: ${field} goes past the start of any month`);
    return { kind: 'last', offset };
  }
  const weekday = /^(\d+)W$/.exec(field);
  if (weekday !== null) {
    const day = Number(weekday[1]);
    if (day < 1 || day > 31) fail(`day-of-month: ${field}: day ${day} is not from 1 to 31`);
    return { kind: 'nearestWeekday', day };
  }
  return { kind: 'days', days: parseList(field, 1, 31, [], 'day-of-month', fail) };
}

function parseDayOfWeek(field: string, fail: (reason: string) => never): DayOfWeek {
  if (field === '?') return { kind: 'any' };
  const day = (text: string): number => {
    const named = WEEKDAYS.indexOf(text.toUpperCase());
    const number = named === -1 ? Number(text) : named + 1;
    if (text === '' || !Number.isInteger(number) || number < 1 || number > 7) fail(`day-of-week: ${text} is not from 1 (SUN) to 7 (SAT)`);
    return number;
  };
  if (field === 'L') return { kind: 'last', day: 7 };
  const last = /^(\w+)L$/.exec(field);
  if (last !== null) return { kind: 'last', day: day(last[1] as string) };
  const nth = /^(\w+)#(\d)$/.exec(field);
  if (nth !== null) {
    const n = Number(nth[2]);
    if (n < 1 || n > 5) fail(`day-of-week: ${field}: the n in d#n goes from 1 to 5`);
    return { kind: 'nth', day: day(nth[1] as string), n };
  }
  return { kind: 'days', days: parseList(field, 1, 7, WEEKDAYS, 'day-of-week', fail) };
}

/**
 * The first time strictly after `after` (epoch ms) that a cron expression fires, at a whole minute, UTC;
 * undefined when it never fires again (its years are past).
 */
export function nextCronRun(spec: Extract<ScheduleExpression, { kind: 'cron' }>, after: number): number | undefined {
  const start = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
  const lastYear = Math.max(...spec.years);
  // Day by day (a day that matches is then searched minute by minute): at most ~84,000 days to 2199.
  for (let day = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()); ; day += 86_400_000) {
    const date = new Date(day);
    const year = date.getUTCFullYear();
    if (year > lastYear) return undefined;
    if (!spec.years.has(year) || !spec.months.has(date.getUTCMonth() + 1) || !dayMatches(spec, date)) continue;
    for (const hour of [...spec.hours].sort((a, b) => a - b)) {
      for (const minute of [...spec.minutes].sort((a, b) => a - b)) {
        const time = day + hour * 3_600_000 + minute * 60_000;
        if (time > after) return time;
      }
    }
  }
}

function dayMatches(spec: CronSpec, date: Date): boolean {
  const dom = date.getUTCDate();
  const dow = date.getUTCDay() + 1; // 1 = SUN
  const daysInMonth = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  const { daysOfMonth: m, daysOfWeek: w } = spec;
  if (m.kind === 'days') return m.days.has(dom);
  if (m.kind === 'last') return dom === daysInMonth - m.offset;
  if (m.kind === 'nearestWeekday') return dom === nearestWeekday(date, m.day === 'last' ? daysInMonth : Math.min(m.day, daysInMonth), daysInMonth);
  if (w.kind === 'days') return w.days.has(dow);
  if (w.kind === 'last') return dow === w.day && dom + 7 > daysInMonth;
  if (w.kind === 'nth') return dow === w.day && Math.ceil(dom / 7) === w.n;
  return true;
}

/** The weekday (Mon–Fri) nearest `target` in the month of `date`, never crossing into another month. */
function nearestWeekday(date: Date, target: number, daysInMonth: number): number {
  const weekday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), target)).getUTCDay(); // 0 = SUN
  if (weekday === 6) return target === 1 ? 3 : target - 1; // Saturday: Friday before, or Monday the 3rd
  if (weekday === 0) return target === daysInMonth ? target - 2 : target + 1; // Sunday: Monday after, or Friday before
  return target;
}
