/**
 * @module bench/load/histogram — a fixed-size log-linear latency histogram in microseconds.
 *
 * Values below 128 µs are exact; above, each power of two is split into 64 buckets (≈1.6 % resolution).
 * Recording is one array increment, so the subscriber hot path can afford it for every message.
 */

const LINEAR = 128;
const SUB_BUCKETS = 64;
const MAX_MSB = 30;
const SIZE = LINEAR + (MAX_MSB - 6) * SUB_BUCKETS;

export interface LatencySummary {
  /** Number of samples. */
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export class Histogram {
  #counts = new Uint32Array(SIZE);
  #count = 0;
  #sum = 0;
  #max = 0;

  /** Records one latency in microseconds (negative values count as 0). */
  record(micros: number): void {
    const v = micros > 0 ? Math.min(Math.round(micros), 2 ** MAX_MSB) : 0;
    this.#counts[bucketOf(v)]!++;
    this.#count++;
    this.#sum += v;
    if (v > this.#max) this.#max = v;
  }

  reset(): void {
    this.#counts.fill(0);
    this.#count = 0;
    this.#sum = 0;
    this.#max = 0;
  }

  /** The value (µs) at quantile `q` in [0, 1], or 0 without samples. */
  quantile(q: number): number {
    if (this.#count === 0) return 0;
    const target = Math.max(1, Math.ceil(q * this.#count));
    let seen = 0;
    for (let i = 0; i < SIZE; i++) {
      seen += this.#counts[i]!;
      if (seen >= target) return Math.min(valueOf(i), this.#max);
    }
    return this.#max;
  }

  summarize(): LatencySummary {
    const ms = (micros: number): number => Math.round(micros) / 1000;
    return {
      count: this.#count,
      p50Ms: ms(this.quantile(0.5)),
      p90Ms: ms(this.quantile(0.9)),
      p99Ms: ms(this.quantile(0.99)),
      maxMs: ms(this.#max),
      meanMs: this.#count === 0 ? 0 : ms(this.#sum / this.#count),
    };
  }
}

function bucketOf(v: number): number {
  if (v < LINEAR) return v;
  const msb = 31 - Math.clz32(v);
  const shift = msb - 6;
  return LINEAR + (msb - 7) * SUB_BUCKETS + ((v >>> shift) - SUB_BUCKETS);
}

/** Midpoint of a bucket, in µs. */
function valueOf(index: number): number {
  if (index < LINEAR) return index;
  const k = index - LINEAR;
  const msb = 7 + Math.floor(k / SUB_BUCKETS);
  const width = 2 ** (msb - 6);
  return (SUB_BUCKETS + (k % SUB_BUCKETS)) * width + width / 2;
}
