/**
 * @module bench/runner — runs the selected scenarios against the selected brokers and collects results.
 *
 * Brokers take turns within a scenario, each measurement on a fresh broker and a fresh load-generator
 * process (bench/measure.ts), so no run inherits another's heap, queues or sockets.
 */
import os from 'node:os';
import { FUNCTION_BROKER_NAMES, RULES_BROKER_NAMES, SHADOW_BROKER_NAMES, STREAM_BROKER_NAMES, TLS_BROKER_NAMES, type BrokerHandle } from './brokers/index.js';
import type { BenchOptions } from './cli-args.js';
import { ensureOpenFileLimit } from './fd-limit.js';
import type { FirehoseLoad, FunctionEndpoint, FunctionLoad, GatewayLoad, IdleLoad, LoadConfig, ShadowEndpoint, ShadowLoad, StreamFunctionLoad, ThroughputLoad, TlsConnectLoad } from './load/config.js';
import { Measurer, type KeyFigure, type Outcome } from './measure.js';
import {
  SCENARIOS,
  type FirehoseScenario,
  type FirehoseTargets,
  type FunctionScenario,
  type FunctionTarget,
  type GatewayScenario,
  type GatewayTargets,
  type Scenario,
  type ShadowScenario,
  type StreamFunctionScenario,
  type ThroughputScenario,
  type TlsConnectScenario,
} from './scenarios.js';

export type { Outcome } from './measure.js';

export interface ScenarioReport {
  id: string;
  title: string;
  kind: Scenario['kind'];
  /** Latency scenario: the fixed total publish rate used, msg/s. */
  rate?: number;
  /** Function scenarios: the target for this scenario's figure. */
  target?: FunctionTarget;
  /** Gateway scenarios: the API gateway issue's targets. */
  gatewayTargets?: GatewayTargets;
  /** Firehose scenarios: the streams issue's ingest targets. */
  firehoseTargets?: FirehoseTargets;
  outcomes: Record<string, Outcome>;
  /** Brokers in the run that this scenario does not apply to, and why (their cells read —). */
  skipped: Record<string, string>;
}

export interface BenchReport {
  startedAt: string;
  elapsedSeconds: number;
  machine: { cpus: number; model: string; node: string };
  options: BenchOptions;
  brokers: { name: string; label: string }[];
  scenarios: ScenarioReport[];
}

const FALLBACK_LATENCY_RATE = 10_000;
/** Mosquitto listens with a backlog of 100; bigger batches overflow it and cost SYN retransmits. */
const IDLE_BATCH = 100;
const IDLE_SETTLE_MS = 1500;
/** Descriptors besides the idle connections themselves: listeners, pipes, files. */
const FD_HEADROOM = 256;

export async function runBench(opts: BenchOptions, log: (line: string) => void): Promise<BenchReport> {
  const started = Date.now();
  const measurer = new Measurer(opts.repeat, (opts.seconds + opts.warmupSeconds) * 1000);
  const reports: ScenarioReport[] = [];
  if (opts.scenarios.includes('idle')) {
    const limit = ensureOpenFileLimit(opts.connections + FD_HEADROOM);
    if (limit < opts.connections + FD_HEADROOM) {
      log(`warning: open-files limit ${limit} is too low for ${opts.connections} idle connections (ulimit -n)`);
    }
  }

  for (const scenario of SCENARIOS.filter((s) => opts.scenarios.includes(s.id))) {
    const report: ScenarioReport = { id: scenario.id, title: titleOf(scenario, opts), kind: scenario.kind, outcomes: {}, skipped: {} };
    if (scenario.kind === 'function' && scenario.target !== undefined) report.target = scenario.target;
    if (scenario.kind === 'gateway') report.gatewayTargets = scenario.targets;
    if (scenario.kind === 'firehose') report.firehoseTargets = scenario.targets;
    let rate = 0;
    if (scenario.kind === 'latency') {
      const basis = reports.find((r) => r.id === scenario.basis.id);
      rate = opts.rate > 0 ? opts.rate : latencyRate(basis);
      report.rate = rate;
      const why =
        opts.rate > 0 ? '--rate' : basis === undefined ? `${scenario.basis.id} not run: default` : 'half the slowest';
      log(`[${scenario.id}] fixed rate ${rate} msg/s (${why})`);
    }
    for (const name of opts.brokers) {
      const skip = skipReason(scenario, name);
      if (skip !== undefined) {
        report.skipped[name] = skip;
        log(`[${scenario.id}] ${name}: skipped (${skip})`);
        continue;
      }
      const configure = (broker: BrokerHandle): LoadConfig => {
        if (scenario.kind === 'idle') return idleConfig(opts, broker);
        if (scenario.kind === 'tls-connect') return tlsConnectConfig(opts, scenario, broker);
        if (scenario.kind === 'shadow') return shadowConfig(opts, scenario, broker);
        if (scenario.kind === 'function') return functionConfig(opts, scenario, broker);
        if (scenario.kind === 'gateway') return gatewayConfig(opts, scenario, broker);
        if (scenario.kind === 'firehose') return firehoseConfig(opts, scenario, broker);
        if (scenario.kind === 'stream-function') return streamFunctionConfig(opts, scenario, broker);
        return throughputConfig(opts, scenario.kind === 'latency' ? scenario.basis : scenario, broker, rate);
      };
      const start = scenario.kind === 'tls-connect' ? { tlsClients: scenario.concurrency } : {};
      const outcome = await measurer.measure(name, configure, keyOf(scenario), start);
      report.outcomes[name] = outcome;
      log(`[${scenario.id}] ${name}: ${describeOutcome(outcome)}`);
    }
    reports.push(report);
  }

  const cpus = os.cpus();
  return {
    startedAt: new Date(started).toISOString(),
    elapsedSeconds: Math.round((Date.now() - started) / 1000),
    machine: { cpus: cpus.length, model: cpus[0]?.model ?? '?', node: process.version },
    options: opts,
    brokers: opts.brokers.map((name) => ({ name, label: measurer.labels.get(name) ?? name })),
    scenarios: reports,
  };
}

/** Why `name` has no cell in `scenario`'s rows, or undefined when it has one. */
function skipReason(scenario: Scenario, name: string): string | undefined {
  if (RULES_BROKER_NAMES.includes(name) && scenario.kind !== 'throughput' && scenario.kind !== 'latency') {
    return 'its rules see only the publish/subscribe scenarios\' hako-bench/ messages: here it is hako again';
  }
  if (scenario.kind === 'tls-connect' && !TLS_BROKER_NAMES.includes(name)) return 'no TLS setup in the bench';
  if (scenario.kind === 'shadow' && !SHADOW_BROKER_NAMES.includes(name)) return 'no Device Shadow';
  if ((scenario.kind === 'function' || scenario.kind === 'gateway') && !FUNCTION_BROKER_NAMES.includes(name)) {
    if (name === 'hako-policy') return "hako's function path again: its MQTT policy does not apply to the Lambda API or HTTP APIs";
    return scenario.kind === 'gateway' ? 'no API gateway' : 'no Lambda functions';
  }
  if ((scenario.kind === 'firehose' || scenario.kind === 'stream-function') && !STREAM_BROKER_NAMES.includes(name)) {
    if (name === 'hako-policy') return "hako's streams again: its MQTT policy does not apply to the Firehose, Kinesis or Lambda APIs";
    return scenario.kind === 'firehose' ? 'no Firehose delivery streams' : 'no Kinesis streams or event source mappings';
  }
  return undefined;
}

export function titleOf(scenario: Scenario, opts: BenchOptions): string {
  if (scenario.kind === 'function' && scenario.mode === 'cold') return `${scenario.title} (${opts.fnColdStarts} starts)`;
  if (scenario.kind !== 'shadow') return scenario.title;
  return `${scenario.title}, ${opts.shadowThings} things × ${opts.shadowInFlight} in flight`;
}

function throughputConfig(
  opts: BenchOptions,
  s: ThroughputScenario,
  broker: BrokerHandle,
  rate: number,
): ThroughputLoad {
  return {
    kind: 'throughput',
    port: broker.port,
    brokerPid: broker.pid,
    protocol: opts.protocol,
    qos: s.qos,
    topology: s.topology,
    publishers: s.publishers,
    subscribers: s.subscribers,
    payloadSize: opts.payload,
    window: opts.window,
    endToEndWindow: opts.endToEndWindow,
    rate,
    warmupMs: opts.warmupSeconds * 1000,
    durationMs: opts.seconds * 1000,
    drainMs: 5000,
  };
}

function idleConfig(opts: BenchOptions, broker: BrokerHandle): IdleLoad {
  return {
    kind: 'idle',
    port: broker.port,
    brokerPid: broker.pid,
    protocol: opts.protocol,
    connections: opts.connections,
    batchSize: IDLE_BATCH,
    settleMs: IDLE_SETTLE_MS,
  };
}

function tlsConnectConfig(opts: BenchOptions, s: TlsConnectScenario, broker: BrokerHandle): TlsConnectLoad {
  const { tls } = broker;
  if (tls === undefined) throw new Error(`${broker.name} was started without a TLS listener`);
  return {
    kind: 'tls-connect',
    port: tls.port,
    brokerPid: broker.pid,
    protocol: opts.protocol,
    caPem: tls.caPem,
    clients: tls.clients.map((c) => ({ clientId: c.clientId, certificatePem: c.certificatePem, privateKeyPem: c.privateKeyPem })),
    concurrency: s.concurrency,
    warmupMs: opts.warmupSeconds * 1000,
    durationMs: opts.seconds * 1000,
  };
}

export function shadowConfig(opts: BenchOptions, s: ShadowScenario, broker: BrokerHandle): ShadowLoad {
  return {
    kind: 'shadow',
    endpoint: shadowEndpoint(opts, s, broker),
    brokerPid: broker.pid,
    things: opts.shadowThings,
    inFlight: opts.shadowInFlight,
    warmupMs: opts.warmupSeconds * 1000,
    durationMs: opts.seconds * 1000,
    drainMs: 5000,
  };
}

export function functionConfig(opts: BenchOptions, s: FunctionScenario, broker: BrokerHandle): FunctionLoad {
  return {
    kind: 'function',
    mode: s.mode,
    endpoint: endpointOf(broker),
    brokerPid: broker.pid,
    callers: s.callers,
    coldStarts: opts.fnColdStarts,
    warmupMs: opts.warmupSeconds * 1000,
    durationMs: opts.seconds * 1000,
  };
}

export function gatewayConfig(opts: BenchOptions, s: GatewayScenario, broker: BrokerHandle): GatewayLoad {
  return {
    kind: 'gateway',
    endpoint: endpointOf(broker),
    brokerPid: broker.pid,
    connections: s.connections,
    isolation: s.isolation,
    warmupMs: opts.warmupSeconds * 1000,
    durationMs: opts.seconds * 1000,
  };
}

export function firehoseConfig(opts: BenchOptions, s: FirehoseScenario, broker: BrokerHandle): FirehoseLoad {
  return {
    kind: 'firehose',
    endpoint: endpointOf(broker),
    brokerPid: broker.pid,
    format: s.format,
    callers: s.callers,
    warmupMs: opts.warmupSeconds * 1000,
    durationMs: opts.seconds * 1000,
  };
}

export function streamFunctionConfig(opts: BenchOptions, s: StreamFunctionScenario, broker: BrokerHandle): StreamFunctionLoad {
  return { kind: 'stream-function', endpoint: endpointOf(broker), brokerPid: broker.pid, rate: s.rate, warmupMs: opts.warmupSeconds * 1000, durationMs: opts.seconds * 1000 };
}

function endpointOf(broker: BrokerHandle): FunctionEndpoint {
  const { http } = broker;
  if (http === undefined) throw new Error(`${broker.name} was started without an HTTP API port`);
  return { port: http.port, accessKeyId: http.accessKeyId, secretAccessKey: http.secretAccessKey, region: http.region };
}

function shadowEndpoint(opts: BenchOptions, s: ShadowScenario, broker: BrokerHandle): ShadowEndpoint {
  if (s.transport === 'mqtt') return { kind: 'mqtt', port: broker.port, protocol: opts.protocol };
  if (broker.http === undefined) throw new Error(`${broker.name} was started without an HTTP data plane`);
  return { kind: 'http', ...broker.http };
}

/**
 * What --repeat takes the median of: msg/s, p99 latency, RSS, connections/s, updates/s, invocations/s, p50 latency,
 * requests/s, acknowledged records/s (Firehose) or p50 PutRecord → function latency.
 */
function keyOf(scenario: Scenario): KeyFigure {
  return (r) => {
    if (r.kind === 'idle') return r.rssAfterKiB;
    if (r.kind === 'tls-connect') return r.connectsPerSec;
    if (r.kind === 'shadow') return r.updatesPerSec;
    if (r.kind === 'function') return r.mode === 'throughput' ? r.invocationsPerSec : r.latency.p50Ms;
    if (r.kind === 'gateway') return r.requestsPerSec;
    if (r.kind === 'firehose') return r.acked.recordsPerSec;
    if (r.kind === 'stream-function') return r.latency.p50Ms;
    return scenario.kind === 'latency' ? r.latency.p99Ms : r.deliveredPerSec;
  };
}

/** Half the slowest verified throughput of the basis scenario. */
function latencyRate(basis: ScenarioReport | undefined): number {
  const rates = Object.values(basis?.outcomes ?? {}).flatMap((o) =>
    o.ok && o.result.kind === 'throughput' && o.result.ok ? [o.result.deliveredPerSec] : [],
  );
  return rates.length === 0 ? FALLBACK_LATENCY_RATE : Math.round(Math.min(...rates) / 2);
}

/** One progress line for stderr. */
export function describeOutcome(outcome: Outcome): string {
  if (!outcome.ok) return `failed: ${outcome.error}`;
  const r = outcome.result;
  const samples = outcome.samples.length > 1 ? ` (median of ${outcome.samples.join(', ')})` : '';
  if (r.kind === 'idle') {
    const mib = (r.rssAfterKiB / 1024).toFixed(1);
    return `${r.connections} connections, RSS ${mib} MiB (${r.perConnectionKiB} KiB each), ${r.connectMs} ms${samples}`;
  }
  if (r.kind === 'tls-connect') {
    const verdict = r.ok ? 'ok' : `PROBLEMS: ${r.problems.join('; ')}`;
    return (
      `${r.connectsPerSec} connections/s, setup p50 ${r.latency.p50Ms} ms, p99 ${r.latency.p99Ms} ms, cpu broker ` +
      `${r.cpu.brokerPct}% load ${r.cpu.loadPct}% other ${r.cpu.otherPct}%, ${r.negotiated} — ${verdict}${samples}`
    );
  }
  if (r.kind === 'shadow') {
    const verdict = r.ok ? 'ok' : `PROBLEMS: ${r.problems.join('; ')}`;
    const { p50Ms, p90Ms, p99Ms, maxMs } = r.latency;
    return (
      `${r.updatesPerSec} updates/s accepted, latency p50 ${p50Ms} ms, p90 ${p90Ms} ms, p99 ${p99Ms} ms, max ${maxMs} ms, ` +
      `rejected ${r.rejected}, cpu broker ${r.cpu.brokerPct}% load ${r.cpu.loadPct}% other ${r.cpu.otherPct}% — ${verdict}${samples}`
    );
  }
  if (r.kind === 'function') {
    const verdict = r.ok ? 'ok' : `PROBLEMS: ${r.problems.join('; ')}`;
    const pair = (l: { p50Ms: number; p99Ms: number }): string => `p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms`;
    const rate = r.mode === 'throughput' ? `${r.invocationsPerSec} invocations/s, ` : '';
    const init = r.initDuration === undefined ? '' : `, Init Duration ${pair(r.initDuration)}`;
    const anchor = r.anchor === undefined ? '' : `, anchor ${pair(r.anchor)}`;
    const overhead = r.overheadP50Ms === undefined ? '' : `, overhead p50 ${r.overheadP50Ms} ms`;
    return (
      `${rate}${pair(r.latency)} (${r.latency.count} measured)${init}${anchor}${overhead}, cpu hako ${r.cpu.brokerPct}% (environments ` +
      `${r.cpu.environmentsPct}%) load ${r.cpu.loadPct}% other ${r.cpu.otherPct}% — ${verdict}${samples}`
    );
  }
  if (r.kind === 'gateway') {
    const verdict = r.ok ? 'ok' : `PROBLEMS: ${r.problems.join('; ')}`;
    const figures = (f: { requestsPerSec: number; latency: { p50Ms: number; p99Ms: number } }): string => `${f.requestsPerSec} req/s, p50 ${f.latency.p50Ms} ms, p99 ${f.latency.p99Ms} ms`;
    return (
      `gateway ${figures(r)}; Invoke ${figures(r.invoke)}; bare route ${figures(r.bare)}; overhead p50 ${r.overheadP50Ms} ms, ` +
      `${Math.round(r.bareShare * 100)} % of the bare route's req/s, cpu hako ${r.cpu.brokerPct}% (environments ${r.cpu.environmentsPct}%) ` +
      `load ${r.cpu.loadPct}% other ${r.cpu.otherPct}% — ${verdict}${samples}`
    );
  }
  if (r.kind === 'firehose') {
    const verdict = r.ok ? 'ok' : `PROBLEMS: ${r.problems.join('; ')}`;
    const rate = (x: { recordsPerSec: number; mbPerSec: number }): string => `${x.recordsPerSec} records/s (${x.mbPerSec} MB/s)`;
    return (
      `acked ${rate(r.acked)}, delivered ${rate(r.delivered)} (tail ${r.deliveryTailMs} ms, ${r.objects} objects), call p50 ${r.latency.p50Ms} ms ` +
      `p99 ${r.latency.p99Ms} ms max ${r.latency.maxMs} ms; plain write ${rate(r.plain)}, ${r.plainRatio}× hako; ` +
      (r.plainParquet === undefined ? '' : `DuckDB alone ${rate(r.plainParquet)}, ${r.plainParquetRatio}× hako; `) +
      `hako CPU ${r.cpuPerRecordUs} µs/record, cpu hako ` +
      `${r.cpu.brokerPct}% load ${r.cpu.loadPct}% other ${r.cpu.otherPct}% — ${verdict}${samples}`
    );
  }
  if (r.kind === 'stream-function') {
    const verdict = r.ok ? 'ok' : `PROBLEMS: ${r.problems.join('; ')}`;
    return (
      `${r.rate} records/s, PutRecord → function ran p50 ${r.latency.p50Ms} ms, p99 ${r.latency.p99Ms} ms (${r.latency.count} measured); ` +
      `PutRecord answer p50 ${r.putLatency.p50Ms} ms, p99 ${r.putLatency.p99Ms} ms; cpu hako ${r.cpu.brokerPct}% (environment ` +
      `${r.cpu.environmentsPct}%) load ${r.cpu.loadPct}% other ${r.cpu.otherPct}% — ${verdict}${samples}`
    );
  }
  const verdict = r.ok ? (r.lost > 0 ? `lost ${r.lost}` : 'ok') : `PROBLEMS: ${r.problems.join('; ')}`;
  return (
    `${r.deliveredPerSec} msg/s, p50 ${r.latency.p50Ms} ms, p99 ${r.latency.p99Ms} ms, cpu broker ` +
    `${r.cpu.brokerPct}% load ${r.cpu.loadPct}% other ${r.cpu.otherPct}% — ${verdict}${samples}`
  );
}
