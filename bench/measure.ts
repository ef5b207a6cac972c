/**
 * @module bench/measure — one cell of the report: start a fresh broker, run one load against it in a
 * fresh worker, stop the broker; repeat `repeat` times and keep the median measurement.
 *
 * A broker that fails to start is not retried: its later cells repeat the first failure, so a broken
 * hako costs one start timeout, not one per scenario.
 */
import { BROKERS, type BrokerHandle, type StartOptions } from './brokers/index.js';
import type { LoadConfig, LoadResult } from './load/config.js';
import { runLoad } from './load/fork-load.js';

/**
 * One cell of the report. With --repeat, `samples` lists every successful measurement's key figure
 * (msg/s, p99 ms, RSS KiB, connections/s, updates/s, invocations/s, p50 ms, requests/s or acknowledged records/s) and `result` is the median one.
 */
export type Outcome = { ok: true; result: LoadResult; samples: number[] } | { ok: false; error: string };

export type Configure = (broker: BrokerHandle) => LoadConfig;
/** The figure the median is taken of. */
export type KeyFigure = (result: LoadResult) => number;

type Attempt = { ok: true; result: LoadResult } | { ok: false; error: string };

const LOAD_MARGIN_MS = 60_000;
const IDLE_BUDGET_MS = 180_000;
/** fn-cold runs for its count of cold starts, not for a window: each may take this long (hako's init timeout is 10 s). */
const COLD_START_BUDGET_MS = 3000;
/** The gateway scenarios load three targets in turn, each for a warm-up and a window. */
const GATEWAY_TARGETS = 3;
/** The Firehose scenarios wait for delivery after the warm-up and after the window (up to a minute each), then write the plain file. */
const FIREHOSE_DELIVERY_MS = 2 * 60_000;

export class Measurer {
  /** Broker name → "name version", filled in as brokers start. */
  readonly labels = new Map<string, string>();
  readonly #startFailures = new Map<string, string>();

  constructor(
    readonly repeat: number,
    /** Measurement window + warm-up of throughput loads, for the worker's time budget. */
    readonly loadMs: number,
  ) {}

  async measure(name: string, configure: Configure, key: KeyFigure, start: StartOptions = {}): Promise<Outcome> {
    const results: LoadResult[] = [];
    let failure: Attempt | null = null;
    for (let i = 0; i < this.repeat; i++) {
      const attempt = await this.#measureOnce(name, configure, start);
      if (attempt.ok) results.push(attempt.result);
      else failure ??= attempt;
    }
    if (results.length > 0) return pickMedian(results, key);
    return failure !== null && !failure.ok ? failure : { ok: false, error: 'not measured' };
  }

  async #measureOnce(name: string, configure: Configure, start: StartOptions): Promise<Attempt> {
    // A broker started with TLS is a different configuration: its failure says nothing about the plain one.
    const startKey = start.tlsClients === undefined ? name : `${name}+tls`;
    const earlier = this.#startFailures.get(startKey);
    if (earlier !== undefined) return { ok: false, error: earlier };
    let broker: BrokerHandle;
    try {
      broker = await BROKERS[name]!(start);
      this.labels.set(name, broker.label);
    } catch (err) {
      const error = (err as Error).message;
      this.#startFailures.set(startKey, error);
      return { ok: false, error };
    }
    try {
      const config = configure(broker);
      const budget =
        config.kind === 'idle'
          ? IDLE_BUDGET_MS
          : config.kind === 'function' && config.mode === 'cold'
            ? LOAD_MARGIN_MS + config.coldStarts * COLD_START_BUDGET_MS
            : config.kind === 'gateway'
              ? LOAD_MARGIN_MS + GATEWAY_TARGETS * this.loadMs
              : config.kind === 'firehose'
                ? LOAD_MARGIN_MS + FIREHOSE_DELIVERY_MS + this.loadMs
                : LOAD_MARGIN_MS + this.loadMs;
      const result = await runLoad(config, budget);
      const problems = (await broker.check?.(result)) ?? [];
      if (problems.length > 0) {
        result.problems.push(...problems);
        result.ok = false;
      }
      return { ok: true, result };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    } finally {
      await broker.stop();
    }
  }
}

/** The measurement with the median key figure, preferring those that passed verification. */
function pickMedian(results: LoadResult[], key: KeyFigure): Outcome {
  const healthy = results.filter((r) => r.ok);
  const pool = [...(healthy.length > 0 ? healthy : results)].sort((a, b) => key(a) - key(b));
  return { ok: true, result: pool[Math.floor((pool.length - 1) / 2)]!, samples: results.map(key) };
}
