/**
 * @module gateway/metrics — API Gateway's CloudWatch metrics for HTTP APIs (Count, 4xx, 5xx, Latency,
 * IntegrationLatency) as Prometheus metrics labelled by API and stage, in their own prom-client registry; `/metrics`
 * appends its text. Routes are not labels: an API's route count is the user's, not bounded by hako.
 */
import { Counter, Histogram, Registry } from 'prom-client';
import type { GatewayOutcome } from './handler.js';

const LATENCY_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000];

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'api' | 'stage' | 'status_class'>;
  readonly #latency: Histogram<'api' | 'stage'>;
  readonly #integrationLatency: Histogram<'api' | 'stage'>;

  constructor() {
    const registers = [this.registry];
    this.#requests = new Counter({ name: 'hako_gateway_requests_total', help: 'Requests answered by HTTP APIs, by status class (2xx, 4xx, 5xx)', labelNames: ['api', 'stage', 'status_class'], registers });
    this.#latency = new Histogram({ name: 'hako_gateway_latency_milliseconds', help: 'From receiving a request to answering it', labelNames: ['api', 'stage'], buckets: LATENCY_BUCKETS, registers });
    this.#integrationLatency = new Histogram({ name: 'hako_gateway_integration_latency_milliseconds', help: 'From calling the integration to its answer', labelNames: ['api', 'stage'], buckets: LATENCY_BUCKETS, registers });
  }

  record(outcome: GatewayOutcome, latencyMs: number): void {
    const labels = { api: outcome.apiId, stage: outcome.stage ?? '-' };
    this.#requests.inc({ ...labels, status_class: `${Math.floor(outcome.response.status / 100)}xx` });
    this.#latency.observe(labels, latencyMs);
    if (outcome.integrationLatencyMs !== undefined) this.#integrationLatency.observe(labels, outcome.integrationLatencyMs);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
