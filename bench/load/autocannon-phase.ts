/**
 * @module bench/load/autocannon-phase — load on one target of the gateway scenarios with autocannon:
 * `connections` connections, each with one request in flight, in slices whose figures add up in a tally.
 *
 * Latencies are taken from autocannon's `response` event (request written → response read, in ms with
 * sub-millisecond precision) into the bench's own histogram, because autocannon's result counts whole
 * milliseconds; only 2xx answers within a slice's window count. CPU is sampled for the process tree serving the
 * target (hako with its environments, or the bare server) at each window's edges and summed.
 */
import autocannon from 'autocannon';
import type { FunctionResult, HttpTargetFigures } from './config.js';
import { cpuBetween, cpuSnapshot, type CpuSnapshot } from './function-tally.js';
import { Histogram } from './histogram.js';

/** autocannon runs this much past a window, so the window closes while the load is still on. */
const TAIL_MS = 100;
/** A request unanswered this long counts as a timeout (autocannon's error count). */
const TIMEOUT_S = 10;

export interface PhaseTarget {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** The process whose tree serves it, for CPU per request. */
  pid: number;
}

const ZERO: CpuSnapshot = { at: 0, brokerTreeMs: 0, brokerMs: 0, loadTreeMs: 0, machineBusyMs: 0 };

/** What the slices on one target measured, summed. */
export class TargetTally {
  readonly histogram = new Histogram();
  readonly statuses = new Map<number, number>();
  answered = 0;
  errors = 0;
  timeouts = 0;
  /** Clocks summed over the windows (`at` is their total length, ms). */
  #span: CpuSnapshot = { ...ZERO };

  constructor(
    readonly name: string,
    readonly target: PhaseTarget,
  ) {}

  addWindow(before: CpuSnapshot, after: CpuSnapshot): void {
    const span = this.#span;
    this.#span = {
      at: span.at + after.at - before.at,
      brokerTreeMs: span.brokerTreeMs + after.brokerTreeMs - before.brokerTreeMs,
      brokerMs: span.brokerMs + after.brokerMs - before.brokerMs,
      loadTreeMs: span.loadTreeMs + after.loadTreeMs - before.loadTreeMs,
      machineBusyMs: span.machineBusyMs + after.machineBusyMs - before.machineBusyMs,
    };
  }

  figures(): HttpTargetFigures {
    const span = this.#span;
    return {
      requestsPerSec: span.at === 0 ? 0 : Math.round((this.answered * 1000) / span.at),
      latency: this.histogram.summarize(),
      cpuPerRequestUs: this.answered === 0 ? 0 : Math.round((span.brokerTreeMs * 1000) / this.answered),
    };
  }

  /** CPU over the windows, % of one core: the serving tree, the generator, the rest of the machine. */
  cpu(): FunctionResult['cpu'] {
    return cpuBetween(ZERO, this.#span);
  }

  problems(): string[] {
    const problems: string[] = [];
    if (this.statuses.size > 0) problems.push(`${this.name}: answers other than 2xx: ${[...this.statuses].map(([status, n]) => `${n} × ${status}`).join(', ')}`);
    if (this.errors > 0) problems.push(`${this.name}: ${this.errors} request errors (${this.timeouts} timeouts)`);
    if (this.#span.at > 0 && this.answered === 0) problems.push(`${this.name}: no 2xx answer in the window`);
    return problems;
  }
}

/** Loads the tally's target for `leadMs` unmeasured (connections open, the path is hot), then `windowMs` measured (0: a warm-up only). */
export async function runSlice(tally: TargetTally, connections: number, leadMs: number, windowMs: number): Promise<void> {
  const { target } = tally;
  let recording = false;
  const instance = autocannon({
    url: target.url,
    method: target.method,
    connections,
    duration: (leadMs + windowMs + TAIL_MS) / 1000,
    timeout: TIMEOUT_S,
    ...(target.headers === undefined ? {} : { headers: target.headers }),
    ...(target.body === undefined ? {} : { body: target.body }),
  });
  instance.on('response', (_client, status, _bytes, responseMs) => {
    if (status < 200 || status > 299) tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
    else if (recording) {
      tally.answered++;
      tally.histogram.record(responseMs * 1000);
    }
  });
  await sleep(leadMs);
  if (windowMs > 0) {
    const before = cpuSnapshot(target.pid);
    recording = true;
    await sleep(windowMs);
    recording = false;
    tally.addWindow(before, cpuSnapshot(target.pid));
  }
  const result = await instance;
  tally.errors += result.errors;
  tally.timeouts += result.timeouts;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
