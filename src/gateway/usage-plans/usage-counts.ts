/**
 * @module gateway/usage-plans/usage-counts — requests per usage plan, API key and UTC day, in memory, pure: the
 * gate adds to them and reads a quota period's sum; GetUsage reads them by day. It remembers which (plan, key)
 * pairs changed since `takeChanges`, so the ledger writes only those.
 */
import { formatDay, parseDay } from './quota.js';

/** What the store keeps for one plan and key: requests by `yyyy-MM-dd`. */
export type DayCounts = Record<string, number>;

export interface CountsChange {
  usagePlanId: string;
  keyId: string;
  /** Undefined when the pair is gone (plan or key deleted): its record is to be deleted. */
  days: DayCounts | undefined;
}

const pairKey = (usagePlanId: string, keyId: string): string => `${usagePlanId}/${keyId}`;

export class UsageCounts {
  /** `plan/key` → day number → requests. */
  readonly #counts = new Map<string, Map<number, number>>();
  readonly #changed = new Set<string>();

  /** Puts back what the store kept (days it cannot read are skipped). */
  load(usagePlanId: string, keyId: string, days: DayCounts): void {
    const byDay = new Map<number, number>();
    for (const [text, count] of Object.entries(days)) {
      const day = parseDay(text);
      if (day !== undefined && Number.isInteger(count) && count > 0) byDay.set(day, count);
    }
    this.#counts.set(pairKey(usagePlanId, keyId), byDay);
  }

  add(usagePlanId: string, keyId: string, day: number): void {
    const key = pairKey(usagePlanId, keyId);
    let byDay = this.#counts.get(key);
    if (byDay === undefined) this.#counts.set(key, (byDay = new Map()));
    byDay.set(day, (byDay.get(day) ?? 0) + 1);
    this.#changed.add(key);
  }

  on(usagePlanId: string, keyId: string, day: number): number {
    return this.#counts.get(pairKey(usagePlanId, keyId))?.get(day) ?? 0;
  }

  /** Requests from `firstDay` up to, not including, `endDay`. */
  sum(usagePlanId: string, keyId: string, firstDay: number, endDay: number): number {
    const byDay = this.#counts.get(pairKey(usagePlanId, keyId));
    if (byDay === undefined) return 0;
    let total = 0;
    for (let day = firstDay; day < endDay; day++) total += byDay.get(day) ?? 0;
    return total;
  }

  /** Forgets every pair `matches` picks (a deleted plan's, a deleted key's). */
  forget(matches: (usagePlanId: string, keyId: string) => boolean): void {
    for (const key of this.#counts.keys()) {
      const [usagePlanId = '', keyId = ''] = key.split('/');
      if (!matches(usagePlanId, keyId)) continue;
      this.#counts.delete(key);
      this.#changed.add(key);
    }
  }

  /** Days before `firstKeptDay` are dropped from every pair (they are reported as no use). */
  prune(firstKeptDay: number): void {
    for (const [key, byDay] of this.#counts) {
      let dropped = false;
      for (const day of byDay.keys()) {
        if (day >= firstKeptDay) continue;
        byDay.delete(day);
        dropped = true;
      }
      if (dropped) this.#changed.add(key);
    }
  }

  /** What changed since the last call, and forgets that it changed. */
  takeChanges(): CountsChange[] {
    const changes: CountsChange[] = [];
    for (const key of this.#changed) {
      const [usagePlanId = '', keyId = ''] = key.split('/');
      const byDay = this.#counts.get(key);
      const days = byDay === undefined || byDay.size === 0 ? undefined : Object.fromEntries([...byDay].sort((a, b) => a[0] - b[0]).map(([day, count]) => [formatDay(day), count]));
      changes.push({ usagePlanId, keyId, days });
    }
    this.#changed.clear();
    return changes;
  }

  /** Marks pairs as changed again (a write that failed is retried at the next flush). */
  markChanged(changes: readonly CountsChange[]): void {
    for (const change of changes) this.#changed.add(pairKey(change.usagePlanId, change.keyId));
  }
}
