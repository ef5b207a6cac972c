/**
 * @module functions/metrics — Lambda's CloudWatch metrics (spec §12) as Prometheus metrics, labelled by
 * function: Invocations, Errors, Throttles, Duration, ConcurrentExecutions, AsyncEventsReceived,
 * AsyncEventAge and AsyncEventsDropped. Kept in their own prom-client registry; `/metrics` appends its text.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CounterTally, HistogramTally } from '../core/metric-tallies.js';

/** Milliseconds: 1 ms to 15 min, Lambda's range of durations and timeouts. */
const DURATION_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000, 900_000];

export class FunctionMetrics {
  readonly registry = new Registry();
  readonly #invocations: CounterTally<'function' | 'version'>;
  readonly #errors: CounterTally<'function' | 'version'>;
  readonly throttles: Counter<'function'>;
  readonly #duration: HistogramTally<'function' | 'version'>;
  readonly asyncEventsReceived: Counter<'function'>;
  readonly asyncEventAge: Histogram<'function'>;
  readonly asyncEventsDropped: Counter<'function'>;

  constructor(concurrentExecutions: () => number) {
    const registers = [this.registry];
    // Counted on every invocation: tallies (core/metric-tallies), handed to prom-client when scraped.
    this.#invocations = new CounterTally({ name: 'hako_function_invocations_total', help: 'Invocations that ran (successful or not), as Lambda counts Invocations', labelNames: ['function', 'version'], registers });
    this.#errors = new CounterTally({ name: 'hako_function_errors_total', help: 'Invocations that ended in a function error', labelNames: ['function', 'version'], registers });
    this.throttles = new Counter({ name: 'hako_function_throttles_total', help: 'Invocation requests refused for want of concurrency', labelNames: ['function'], registers });
    this.#duration = new HistogramTally({ name: 'hako_function_duration_milliseconds', help: 'Time the function code ran per invocation', labelNames: ['function', 'version'], buckets: DURATION_BUCKETS, registers });
    new Gauge({ name: 'hako_function_concurrent_executions', help: 'Invocations running now, all functions', registers, collect() {
      this.set(concurrentExecutions());
    } });
    this.asyncEventsReceived = new Counter({ name: 'hako_function_async_events_received_total', help: 'Asynchronous events accepted (202)', labelNames: ['function'], registers });
    this.asyncEventAge = new Histogram({ name: 'hako_function_async_event_age_milliseconds', help: 'Time from accepting an asynchronous event to each attempt to run it', labelNames: ['function'], buckets: DURATION_BUCKETS, registers });
    this.asyncEventsDropped = new Counter({ name: 'hako_function_async_events_dropped_total', help: 'Asynchronous events that failed for good with no destination to take them', labelNames: ['function'], registers });
  }

  /** An invocation that ran: Invocations, Errors if it failed, and its Duration. */
  ran(functionName: string, version: string, failed: boolean, durationMs: number): void {
    const key = `${functionName}\n${version}`;
    const labels = (): { function: string; version: string } => ({ function: functionName, version });
    this.#invocations.add(key, labels);
    if (failed) this.#errors.add(key, labels);
    this.#duration.record(key, labels, durationMs);
  }

  /** Prometheus text of every function metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
