/**
 * @module core/metric-tallies — Prometheus counters and histograms for request paths, counted in plain numbers per
 * label set and handed to prom-client only when `/metrics` is read. prom-client validates and hashes the labels on
 * every `inc` and `observe` (~1–1.5 µs each; several per gateway request and per invocation came to ~9 % of hako's
 * thread in a gateway profile, bench/RESULTS.md); here a call finds its label set by a key the caller already has
 * and adds to numbers. The text on `/metrics` is prom-client's, the same as before.
 */
import { Counter, Histogram, type LabelValues, type MetricObjectWithValues, type MetricValueWithName, type Registry } from 'prom-client';

interface MetricConfig<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  registers: Registry[];
}

/** A counter by label set: `add` on the hot path, prom-client's Counter gets the sums at each scrape. */
export class CounterTally<L extends string> {
  readonly #entries = new Map<string, { labels: LabelValues<L>; pending: number }>();

  constructor(config: MetricConfig<L>) {
    const entries = this.#entries;
    new Counter<L>({
      name: config.name,
      help: config.help,
      labelNames: [...config.labelNames],
      registers: config.registers,
      collect() {
        for (const entry of entries.values()) {
          if (entry.pending === 0) continue;
          this.inc(entry.labels, entry.pending);
          entry.pending = 0;
        }
      },
    });
  }

  /** Adds `by` to the label set `key` stands for; `labels` makes that set, the first time the key is seen. */
  add(key: string, labels: () => LabelValues<L>, by = 1): void {
    let entry = this.#entries.get(key);
    if (entry === undefined) this.#entries.set(key, (entry = { labels: labels(), pending: 0 }));
    entry.pending += by;
  }
}

/** A metric's exposition, as prom-client's registry reads it. */
interface Exposition {
  name: string;
  help: string;
  type: 'histogram';
  aggregator: 'sum';
  values: ExposedValue[];
}

interface ExposedValue {
  metricName: string;
  labels: Record<string, string | number>;
  sharedLabels: Partial<Record<string, string | number>>;
  value: number;
}

interface HistogramEntry<L extends string> {
  labels: LabelValues<L>;
  /** Observations per bucket (not cumulative), in the order of the bounds. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

/**
 * A histogram by label set. A prom-client Histogram whose exposition reads these tallies instead of its own state (its
 * own `observe` is not used): the same `_bucket` (cumulative, `le` last), `_sum` and `_count` lines.
 */
export class HistogramTally<L extends string> extends Histogram<L> {
  readonly #name: string;
  readonly #help: string;
  readonly #bounds: readonly number[];
  readonly #entries = new Map<string, HistogramEntry<L>>();

  constructor(config: MetricConfig<L> & { buckets: readonly number[] }) {
    super({ name: config.name, help: config.help, labelNames: [...config.labelNames], buckets: [...config.buckets], registers: config.registers });
    this.#name = config.name;
    this.#help = config.help;
    this.#bounds = [...config.buckets].sort((a, b) => a - b);
  }

  /** Counts `value` for the label set `key` stands for; `labels` makes that set, the first time the key is seen. */
  record(key: string, labels: () => LabelValues<L>, value: number): void {
    let entry = this.#entries.get(key);
    if (entry === undefined) this.#entries.set(key, (entry = { labels: labels(), buckets: new Float64Array(this.#bounds.length), sum: 0, count: 0 }));
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    if (i < bounds.length) (entry.buckets[i] as number)++;
    entry.sum += value;
    entry.count++;
  }

  /** What the registry prints (prom-client's registry calls this in preference to `get`). */
  async getForPromString(): Promise<Exposition> {
    // As prom-client lays them out: `le` first, the label set as shared labels after it.
    const values: ExposedValue[] = [];
    for (const { labels, buckets, sum, count } of this.#entries.values()) {
      let cumulative = 0;
      this.#bounds.forEach((bound, i) => {
        cumulative += buckets[i] as number;
        values.push({ metricName: `${this.#name}_bucket`, labels: { le: bound }, sharedLabels: labels, value: cumulative });
      });
      values.push({ metricName: `${this.#name}_bucket`, labels: { le: '+Inf' }, sharedLabels: labels, value: count });
      values.push({ metricName: `${this.#name}_sum`, labels: {}, sharedLabels: labels, value: sum });
      values.push({ metricName: `${this.#name}_count`, labels: {}, sharedLabels: labels, value: count });
    }
    return { name: this.#name, help: this.#help, type: 'histogram', aggregator: 'sum', values };
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<L>>> {
    // prom-client's type wants its `collect` member too, which its own histograms leave out of this object as well.
    return (await this.getForPromString()) as unknown as MetricObjectWithValues<MetricValueWithName<L>>;
  }

  override reset(): void {
    super.reset();
    // prom-client's constructor calls reset() before this class's fields exist.
    if (#entries in this) this.#entries.clear();
  }
}
