/**
 * @module test/core/metric-tallies.test — the tallies print exactly what prom-client's own Counter and Histogram print
 * for the same observations (bounds hit exactly, values past the last bound and below the first, several label sets),
 * across scrapes with more observations in between.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { CounterTally, HistogramTally } from '../../src/core/metric-tallies.js';

const BUCKETS = [1, 5, 10, 250, 30_000];

test('CounterTally and HistogramTally: the same /metrics text as prom-client\'s Counter and Histogram, scrape after scrape', async () => {
  const reference = new Registry();
  const tallied = new Registry();
  const counter = new Counter({ name: 'requests_total', help: 'Requests', labelNames: ['api', 'status_class'], registers: [reference] });
  const histogram = new Histogram({ name: 'latency_ms', help: 'Latency', labelNames: ['api', 'stage'], buckets: BUCKETS, registers: [reference] });
  const counterTally = new CounterTally({ name: 'requests_total', help: 'Requests', labelNames: ['api', 'status_class'], registers: [tallied] });
  const histogramTally = new HistogramTally({ name: 'latency_ms', help: 'Latency', labelNames: ['api', 'stage'], buckets: BUCKETS, registers: [tallied] });

  const observe = (observations: Array<[string, string, string, number]>): void => {
    for (const [api, stage, statusClass, value] of observations) {
      counter.inc({ api, status_class: statusClass });
      counterTally.add(`${api}\n${statusClass}`, () => ({ api, status_class: statusClass }));
      histogram.observe({ api, stage }, value);
      histogramTally.record(`${api}\n${stage}`, () => ({ api, stage }), value);
    }
  };
  observe([
    ['a1', '$default', '2xx', 0.2],
    ['a1', '$default', '2xx', 1],
    ['a1', '$default', '5xx', 5],
    ['a1', 'prod', '2xx', 7.5],
    ['b2', '$default', '4xx', 250],
    ['b2', '$default', '2xx', 31_000],
    ['a1', '$default', '2xx', 0],
  ]);
  assert.equal(await tallied.metrics(), await reference.metrics());
  observe([
    ['a1', '$default', '2xx', 10],
    ['c3', 'dev', '2xx', 29_999.5],
  ]);
  const text = await tallied.metrics();
  assert.equal(text, await reference.metrics());
  assert.match(text, /^requests_total\{api="a1",status_class="2xx"\} 5$/m);
  assert.match(text, /^latency_ms_bucket\{le="30000",api="b2",stage="\$default"\} 1$/m);
  assert.match(text, /^latency_ms_bucket\{le="\+Inf",api="b2",stage="\$default"\} 2$/m);
});
