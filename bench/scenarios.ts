/**
 * @module bench/scenarios — the scenarios the bench runs, in report order.
 *
 * Throughput scenarios saturate the broker (windows full) and report deliveries per second at the
 * subscribers. The latency scenario paces QoS 1 pairs at a fixed rate (half the slowest broker's QoS 1
 * pairs throughput from the same run). The idle scenario measures broker memory per open connection.
 * The tls-connect scenario measures how many MQTT-over-TLS connections (client certificates, ECDSA P-256)
 * a broker sets up per second. The shadow scenarios measure Device Shadow updates per second over MQTT
 * and over the HTTP data plane; only hako has a Device Shadow, so they run only the hako family.
 */
import type { QoS } from './load/packets.js';
import type { Topology } from './load/config.js';

export interface ThroughputScenario {
  kind: 'throughput';
  id: string;
  title: string;
  qos: QoS;
  topology: Topology;
  publishers: number;
  subscribers: number;
}

export interface LatencyScenario {
  kind: 'latency';
  id: string;
  title: string;
  /** The throughput scenario whose slowest result sets the rate, and whose shape this one reuses. */
  basis: ThroughputScenario;
}

export interface IdleScenario {
  kind: 'idle';
  id: string;
  title: string;
}

export interface TlsConnectScenario {
  kind: 'tls-connect';
  id: string;
  title: string;
  /** Connections in setup at any moment; each slot has its own client id and certificate. */
  concurrency: number;
}

export interface ShadowScenario {
  kind: 'shadow';
  id: string;
  /** Without the shape: things and updates in flight come from the command line (runner.ts adds them). */
  title: string;
  transport: 'mqtt' | 'http';
}

export type Scenario = ThroughputScenario | LatencyScenario | IdleScenario | TlsConnectScenario | ShadowScenario;

const PAIRS = 4;
const TLS_SLOTS = 16;

function throughput(qos: QoS, topology: Topology, publishers: number, subscribers: number): ThroughputScenario {
  const [kind, shape] =
    topology === 'pairs'
      ? ['pairs', `one-to-one, ${publishers} pairs`]
      : publishers > 1
        ? ['fanin', `fan-in ${publishers}→1`]
        : ['fanout', `fan-out 1→${subscribers}`];
  const title = `QoS ${qos} ${shape}`;
  return { kind: 'throughput', id: `qos${qos}-${kind}`, title, qos, topology, publishers, subscribers };
}

const qos1Pairs = throughput(1, 'pairs', PAIRS, PAIRS);

export const SCENARIOS: readonly Scenario[] = [
  throughput(0, 'shared', 4, 1),
  throughput(1, 'shared', 4, 1),
  throughput(0, 'shared', 1, 4),
  throughput(1, 'shared', 1, 4),
  throughput(0, 'pairs', PAIRS, PAIRS),
  qos1Pairs,
  { kind: 'latency', id: 'latency', title: `QoS 1 latency, ${PAIRS} pairs at a fixed rate`, basis: qos1Pairs },
  { kind: 'idle', id: 'idle', title: 'broker RSS with idle connections' },
  { kind: 'tls-connect', id: 'tls-connect', title: `TLS connection setup, ${TLS_SLOTS} in flight`, concurrency: TLS_SLOTS },
  { kind: 'shadow', id: 'shadow-mqtt', title: 'Device Shadow updates over MQTT', transport: 'mqtt' },
  { kind: 'shadow', id: 'shadow-http', title: 'Device Shadow updates over HTTP', transport: 'http' },
];

export const SCENARIO_IDS = SCENARIOS.map((s) => s.id);
