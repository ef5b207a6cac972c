/**
 * @module gateway/usage-plans/usage-report — GetUsage's answer for a plan: per key, one `[used, remaining]` pair per
 * day from `startDate` to `endDate` (both included). `used` is that day's requests; `remaining` is what the quota
 * left after that day in the period the day falls in (by the plan's quota as it is now), or -1 when the plan has
 * no quota (hako's choice: nothing runs out). Pure over the counts.
 */
import { badRequest } from '../checks.js';
import type { UsagePlanRecord } from './model.js';
import { parseDay, quotaPeriodOf } from './quota.js';
import type { UsageCounts } from './usage-counts.js';

/** The longest range GetUsage answers for, in days. */
export const MAX_USAGE_RANGE_DAYS = 366;

export interface UsageRange {
  firstDay: number;
  lastDay: number;
}

export function readUsageRange(startDate: string | undefined, endDate: string | undefined): UsageRange {
  if (startDate === undefined || endDate === undefined) throw badRequest('startDate and endDate are required (yyyy-MM-dd)');
  const firstDay = parseDay(startDate);
  const lastDay = parseDay(endDate);
  if (firstDay === undefined) throw badRequest(`Invalid startDate ${startDate}: use yyyy-MM-dd`);
  if (lastDay === undefined) throw badRequest(`Invalid endDate ${endDate}: use yyyy-MM-dd`);
  if (lastDay < firstDay) throw badRequest('The endDate must not be before the startDate');
  if (lastDay - firstDay + 1 > MAX_USAGE_RANGE_DAYS) throw badRequest(`The date range must be at most ${MAX_USAGE_RANGE_DAYS} days`);
  return { firstDay, lastDay };
}

export function dailyUsage(plan: UsagePlanRecord, keyId: string, range: UsageRange, counts: UsageCounts): [number, number][] {
  const days: [number, number][] = [];
  for (let day = range.firstDay; day <= range.lastDay; day++) {
    const used = counts.on(plan.id, keyId, day);
    if (plan.quota === undefined) {
      days.push([used, -1]);
      continue;
    }
    const span = quotaPeriodOf(day, plan.quota.period, plan.quota.offset);
    days.push([used, Math.max(0, plan.quota.limit - counts.sum(plan.id, keyId, span.firstDay, day + 1))]);
  }
  return days;
}
