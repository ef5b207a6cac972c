/**
 * @module gateway/metrics — API Gateway's CloudWatch metrics for HTTP APIs (Count, 4xx, 5xx, Latency,
 * IntegrationLatency) as Prometheus metrics labelled by API and stage, in their own prom-client registry; `/metrics`
 * appends its text. Routes are not labels: an API's route count is the user's, not bounded by hako.
 */
import { Registry } from 'prom-client';
import { CounterTally, HistogramTally } from '../core/metric-tallies.js';
import type { GatewayOutcome } from './handler.js';

const LATENCY_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000];

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #requests: CounterTally<'api' | 'stage' | 'status_class'>;
  readonly #latency: HistogramTally<'api' | 'stage'>;
  readonly #integrationLatency: HistogramTally<'api' | 'stage'>;

  constructor() {
    const registers = [this.registry];
    this.#requests = new CounterTally({ name: 'hako_gateway_requests_total', help: 'Requests answered by HTTP APIs, by status class (2xx, 4xx, 5xx)', labelNames: ['api', 'stage', 'status_class'], registers });
    this.#latency = new HistogramTally({ name: 'hako_gateway_latency_milliseconds', help: 'From receiving a request to answering it', labelNames: ['api', 'stage'], buckets: LATENCY_BUCKETS, registers });
    this.#integrationLatency = new HistogramTally({ name: 'hako_gateway_integration_latency_milliseconds', help: 'From calling the integration to its answer', labelNames: ['api', 'stage'], buckets: LATENCY_BUCKETS, registers });
  }

  /** Called for every request the gateway answers: tallies (core/metric-tallies), not prom-client calls. */
  record(outcome: GatewayOutcome, latencyMs: number): void {
    const api = outcome.apiId;
    const stage = outcome.stage ?? '-';
    const key = `${api}\n${stage}`;
    const labels = (): { api: string; stage: string } => ({ api, stage });
    const statusClass = `${Math.floor(outcome.response.status / 100)}xx`;
    this.#requests.add(`${key}\n${statusClass}`, () => ({ api, stage, status_class: statusClass }));
    this.#latency.record(key, labels, latencyMs);
    if (outcome.integrationLatencyMs !== undefined) this.#integrationLatency.record(key, labels, outcome.integrationLatencyMs);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
