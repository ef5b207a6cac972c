/** @module bench/proc-stats — a process's resident memory and CPU time, read from Linux's /proc. */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every mainstream Linux build. */
const CLOCK_TICKS = 100;

/** VmRSS of `pid` in KiB, or 0 when the process is gone. */
export function readRssKiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] === undefined ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

/** User + system CPU time consumed by `pid` (all its threads), in milliseconds; 0 when unknown. */
export function readCpuMs(pid: number): number {
  if (pid <= 0) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 overall.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : 0;
  } catch {
    return 0;
  }
}

/** CPU time all cores spent busy since boot (everything but idle and iowait), in milliseconds. */
export function readMachineBusyMs(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return ((total - idle) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/**
 * CPU time of `pid` and of every process below it, in milliseconds: its own, its live descendants' (found
 * by scanning /proc for their parent ids), and its exited children's once reaped (the kernel adds those to
 * its cutime and cstime). hako runs each function environment as a child process whose CPU its own
 * /proc/<pid>/stat does not show; the load generator's anchors are child processes too. Without this, that
 * work would count as other processes' and mark the cell disturbed. 0 when `pid` is unknown or gone.
 */
export function readTreeCpuMs(pid: number): number {
  if (pid <= 0) return 0;
  const stats = new Map<number, { ppid: number; ms: number }>();
  for (const entry of readdirSync('/proc')) {
    const child = Number(entry);
    if (!Number.isInteger(child)) continue;
    const stat = readStat(child);
    if (stat !== undefined) stats.set(child, stat);
  }
  const children = new Map<number, number[]>();
  for (const [child, { ppid }] of stats) children.set(ppid, [...(children.get(ppid) ?? []), child]);
  let total = 0;
  const pending = [pid];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    total += stats.get(next)?.ms ?? 0;
    pending.push(...(children.get(next) ?? []));
  }
  return total;
}

/** Parent id and user + system time, own and reaped children's (fields 4 and 14–17 of /proc/<pid>/stat). */
function readStat(pid: number): { ppid: number; ms: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return { ppid: Number(fields[1]), ms: Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS : 0 };
  } catch {
    return undefined; // exited while the directory was read
  }
}
