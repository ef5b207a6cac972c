/**
 * @module bench/runner — runs the selected scenarios against the selected brokers and collects results.
 *
 * Brokers take turns within a scenario, each measurement on a fresh broker and a fresh load-generator
 * process (bench/measure.ts), so no run inherits another's heap, queues or sockets.
 */
import os from 'node:os';
import { TLS_BROKER_NAMES, type BrokerHandle } from './brokers/index.js';
import type { BenchOptions } from './cli-args.js';
import { ensureOpenFileLimit } from './fd-limit.js';
import type { IdleLoad, LoadConfig, ThroughputLoad, TlsConnectLoad } from './load/config.js';
import { Measurer, type KeyFigure, type Outcome } from './measure.js';
import { SCENARIOS, type Scenario, type ThroughputScenario, type TlsConnectScenario } from './scenarios.js';

export type { Outcome } from './measure.js';

export interface ScenarioReport {
  id: string;
  title: string;
  kind: Scenario['kind'];
  /** Latency scenario: the fixed total publish rate used, msg/s. */
  rate?: number;
  outcomes: Record<string, Outcome>;
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
    const report: ScenarioReport = { id: scenario.id, title: scenario.title, kind: scenario.kind, outcomes: {} };
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
      // Brokers without a TLS setup in the bench (hako-policy) have no cell in the TLS row.
      if (scenario.kind === 'tls-connect' && !TLS_BROKER_NAMES.includes(name)) continue;
      const configure = (broker: BrokerHandle): LoadConfig => {
        if (scenario.kind === 'idle') return idleConfig(opts, broker);
        if (scenario.kind === 'tls-connect') return tlsConnectConfig(opts, scenario, broker);
        return throughputConfig(opts, scenario.kind === 'latency' ? scenario.basis : scenario, broker, rate);
      };
      const start = scenario.kind === 'tls-connect' ? { tlsClients: scenario.concurrency } : {};
      const outcome = await measurer.measure(name, configure, keyOf(scenario), start);
      report.outcomes[name] = outcome;
      log(`[${scenario.id}] ${name}: ${describe(outcome)}`);
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

/** What --repeat takes the median of: msg/s, p99 latency, RSS, or connections/s. */
function keyOf(scenario: Scenario): KeyFigure {
  return (r) => {
    if (r.kind === 'idle') return r.rssAfterKiB;
    if (r.kind === 'tls-connect') return r.connectsPerSec;
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
function describe(outcome: Outcome): string {
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
  const verdict = r.ok ? (r.lost > 0 ? `lost ${r.lost}` : 'ok') : `PROBLEMS: ${r.problems.join('; ')}`;
  return (
    `${r.deliveredPerSec} msg/s, p50 ${r.latency.p50Ms} ms, p99 ${r.latency.p99Ms} ms, cpu broker ` +
    `${r.cpu.brokerPct}% load ${r.cpu.loadPct}% other ${r.cpu.otherPct}% — ${verdict}${samples}`
  );
}
