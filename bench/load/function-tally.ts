/**
 * @module bench/load/function-tally — what one function run collects, whichever mode: Invoke latencies
 * (checked against the trivial handler's answer), the anchor's latencies, cold starts' Init Duration, the
 * problem list, and CPU clocks at the edges of the measurement.
 *
 * CPU is sampled per process tree (proc-stats' readTreeCpuMs): hako's function environments are its child
 * processes and the anchors are the generator's, and either would otherwise count as other processes'.
 */
import { readCpuMs, readMachineBusyMs, readTreeCpuMs } from '../proc-stats.js';
import type { FunctionResult } from './config.js';
import { Histogram } from './histogram.js';
import type { HttpResponse } from './http-connection.js';
import { invokeProblem } from './lambda-api.js';

export class FunctionTally {
  /** Invoke → answer, of the invocations answered while `recording`. */
  readonly histogram = new Histogram();
  readonly anchor = new Histogram();
  readonly initDuration = new Histogram();
  readonly problems: string[] = [];
  /** Invocations answered (rightly or not) over the whole run, and how many were wrong. */
  invoked = 0;
  failed = 0;
  /** Right answers while `recording`: the window's count. */
  answeredInWindow = 0;
  recording = false;

  /** Checks and counts one Invoke's answer; its latency counts while `recording`, unless `record` is false. */
  answered(response: HttpResponse, record = true): void {
    const latencyMicros = (performance.now() - response.sentAt) * 1000;
    this.invoked++;
    const problem = invokeProblem(response);
    if (problem !== undefined) {
      this.failed++;
      this.report(problem);
      return;
    }
    if (!this.recording) return;
    this.answeredInWindow++;
    if (record) this.histogram.record(latencyMicros);
  }

  /** Records a problem once per distinct message (a broken run would otherwise repeat it per Invoke). */
  report(problem: string): void {
    if (!this.problems.includes(problem) && this.problems.length < 20) this.problems.push(problem);
  }

  /** The result's shared part; `invocationsPerSec` is left to the mode. */
  result(mode: FunctionResult['mode'], callers: number, before: CpuSnapshot, after: CpuSnapshot): Omit<FunctionResult, 'invocationsPerSec'> {
    const problems = [...this.problems];
    if (this.failed > 0) problems.push(`${this.failed} of ${this.invoked} invocations failed`);
    const latency = this.histogram.summarize();
    const anchor = mode === 'throughput' ? undefined : this.anchor.summarize();
    const overheadP50Ms =
      mode === 'warm' && anchor !== undefined && anchor.count > 0 && latency.count > 0
        ? Math.round((latency.p50Ms - anchor.p50Ms) * 1000) / 1000
        : undefined;
    return {
      kind: 'function',
      mode,
      callers,
      latency,
      anchor,
      overheadP50Ms,
      initDuration: mode === 'cold' ? this.initDuration.summarize() : undefined,
      invoked: this.invoked,
      failed: this.failed,
      ok: problems.length === 0,
      problems,
      cpu: cpuBetween(before, after),
    };
  }
}

export interface CpuSnapshot {
  at: number;
  /** hako and its environments. */
  brokerTreeMs: number;
  /** hako's own process. */
  brokerMs: number;
  /** This generator and its anchor processes. */
  loadTreeMs: number;
  machineBusyMs: number;
}

export function cpuSnapshot(brokerPid: number): CpuSnapshot {
  return {
    at: performance.now(),
    brokerTreeMs: readTreeCpuMs(brokerPid),
    brokerMs: readCpuMs(brokerPid),
    loadTreeMs: readTreeCpuMs(process.pid),
    machineBusyMs: readMachineBusyMs(),
  };
}

/** % of one core between two snapshots; `otherPct` is the machine's busy time outside both trees. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): FunctionResult['cpu'] {
  const pct = (ms: number): number => Math.round((ms / (after.at - before.at)) * 1000) / 10;
  const brokerPct = pct(after.brokerTreeMs - before.brokerTreeMs);
  const environmentsPct = Math.max(0, pct(after.brokerTreeMs - after.brokerMs - (before.brokerTreeMs - before.brokerMs)));
  const loadPct = pct(after.loadTreeMs - before.loadTreeMs);
  const machinePct = pct(after.machineBusyMs - before.machineBusyMs);
  return { brokerPct, loadPct, otherPct: Math.max(0, Math.round((machinePct - brokerPct - loadPct) * 10) / 10), environmentsPct };
}
