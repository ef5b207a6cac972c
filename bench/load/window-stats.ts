/**
 * @module bench/load/window-stats — counters and CPU clocks sampled at both edges of the measurement
 * window, and what they amount to.
 */
import { readCpuMs, readMachineBusyMs } from '../proc-stats.js';
import type { ThroughputResult } from './config.js';

export interface Snapshot {
  at: number;
  sent: number;
  delivered: number;
  brokerCpuMs: number;
  loadCpuMs: number;
  machineBusyMs: number;
}

export function takeSnapshot(sent: number, delivered: number, brokerPid: number): Snapshot {
  const cpu = process.cpuUsage();
  return {
    at: performance.now(),
    sent,
    delivered,
    brokerCpuMs: readCpuMs(brokerPid),
    loadCpuMs: (cpu.user + cpu.system) / 1000,
    machineBusyMs: readMachineBusyMs(),
  };
}

/** Per-second rates between two snapshots. */
export function ratesBetween(before: Snapshot, after: Snapshot): { deliveredPerSec: number; publishedPerSec: number } {
  const seconds = (after.at - before.at) / 1000;
  return {
    deliveredPerSec: Math.round((after.delivered - before.delivered) / seconds),
    publishedPerSec: Math.round((after.sent - before.sent) / seconds),
  };
}

/** CPU use between two snapshots in % of one core; `other` is the machine's busy time not ours. */
export function cpuBetween(before: Snapshot, after: Snapshot): ThroughputResult['cpu'] {
  const pct = (ms: number): number => Math.round((ms / (after.at - before.at)) * 1000) / 10;
  const brokerPct = pct(after.brokerCpuMs - before.brokerCpuMs);
  const loadPct = pct(after.loadCpuMs - before.loadCpuMs);
  const machinePct = pct(after.machineBusyMs - before.machineBusyMs);
  return { brokerPct, loadPct, otherPct: Math.max(0, Math.round((machinePct - brokerPct - loadPct) * 10) / 10) };
}
