/**
 * @module bench/scenarios — the scenarios the bench runs, in report order.
 *
 * Throughput scenarios saturate the broker (windows full) and report deliveries per second at the
 * subscribers. The latency scenario paces QoS 1 pairs at a fixed rate (half the slowest broker's QoS 1
 * pairs throughput from the same run). The idle scenario measures broker memory per open connection.
 * The tls-connect scenario measures how many MQTT-over-TLS connections (client certificates, ECDSA P-256)
 * a broker sets up per second. The shadow scenarios measure Device Shadow updates per second over MQTT
 * and over the HTTP data plane; only hako has a Device Shadow, so they run only the hako family. The
 * function scenarios measure hako's Lambda-compatible functions (cold start, warm Invoke latency, sync
 * Invokes per second) next to plain-Node anchors: only hako has functions, so they run only `hako`. The
 * gateway scenarios measure requests through an HTTP API to a function (autocannon), next to a bare fastify
 * route (the limit) and to direct Lambda Invokes of the same function; they too run only `hako`. The Firehose
 * scenarios measure PutRecordBatch ingest into a delivery stream writing NDJSON, gzip or Parquet into a bucket
 * folder, next to a plain Node write stream of the same bytes (the limit); the stream-to-function scenario the
 * latency from a Kinesis PutRecord to an event source mapping's function having run. Only `hako`.
 */
import type { QoS } from './load/packets.js';
import type { FirehoseFormat, FunctionMode, Topology } from './load/config.js';

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

/** An issue's target, printed beside the figure: `figure` must stay under `underMs`. */
export interface FunctionTarget {
  /** `p50`: hako's p50 latency; `overhead`: hako's p50 minus the anchor's p50. */
  figure: 'p50' | 'overhead';
  underMs: number;
  /** What the target is called in the report, e.g. `cold start p50`. */
  name: string;
}

export interface FunctionScenario {
  kind: 'function';
  id: string;
  /** Without the cold-start count, which comes from the command line (runner.ts adds it). */
  title: string;
  mode: FunctionMode;
  /** Callers, each with one Invoke in flight. */
  callers: number;
  target?: FunctionTarget;
}

/** The API gateway issue's targets, each judged where it means something (see SCENARIOS). */
export interface GatewayTargets {
  /** Gateway p50 − direct Invoke p50 must stay under this. */
  overheadUnderMs?: number;
  /** Gateway requests/s must be at least this share of the bare fastify route's. */
  bareShareAtLeast?: number;
}

export interface GatewayScenario {
  kind: 'gateway';
  id: string;
  title: string;
  /** autocannon connections, each with one request in flight. */
  connections: number;
  /** Where the function runs: a process of its own (the default), or a thread of hako (`HAKO_FUNCTION_ISOLATION`). */
  isolation: 'process' | 'thread';
  targets: GatewayTargets;
}

/** The streams issue's ingest targets: records/s acknowledged, and how far below the plain write it may be. */
export interface FirehoseTargets {
  /** Acknowledged records/s must be at least this. */
  recordsPerSecAtLeast: number;
  /** The plain write's records/s ÷ hako's acknowledged records/s must be at most this. */
  plainRatioAtMost: number;
}

export interface FirehoseScenario {
  kind: 'firehose';
  id: string;
  title: string;
  format: FirehoseFormat;
  /** Connections, each with one PutRecordBatch of 500 records in flight. */
  callers: number;
  targets: FirehoseTargets;
}

export interface StreamFunctionScenario {
  kind: 'stream-function';
  id: string;
  title: string;
  /** PutRecord calls per second. */
  rate: number;
}

export type Scenario = ThroughputScenario | LatencyScenario | IdleScenario | TlsConnectScenario | ShadowScenario | FunctionScenario | GatewayScenario | FirehoseScenario | StreamFunctionScenario;

const PAIRS = 4;
/** From the API gateway issue: overhead under 1 ms p50, at least half the bare route's requests/s. */
const GATEWAY_OVERHEAD_MS = 1;
const GATEWAY_BARE_SHARE = 0.5;
const TLS_SLOTS = 16;
/** From the streams issue: at least 100,000 records/s of 200-byte JSON, within 3× of a plain write of the same bytes. */
const FIREHOSE_TARGETS: FirehoseTargets = { recordsPerSecAtLeast: 100_000, plainRatioAtMost: 3 };
/**
 * Calls in flight: enough to keep hako busy. With 4, hako's main thread sat idle 28 % of the window (a
 * profile, 2026-12-02) and acknowledged ~15 % fewer records than with 8; 16 gave no more.
 */
const FIREHOSE_CALLERS = 8;
/** A modest rate: about a tenth of what one warm environment answers in sequence here (fn-throughput-1). */
const STREAM_FUNCTION_RATE = 100;

function firehose(format: FirehoseFormat, what: string): FirehoseScenario {
  const title = `Firehose PutRecordBatch → folder, ${what}, ${FIREHOSE_CALLERS} callers × 500 records of 200 B`;
  return { kind: 'firehose', id: `firehose-${format}`, title, format, callers: FIREHOSE_CALLERS, targets: FIREHOSE_TARGETS };
}

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
  {
    kind: 'function',
    id: 'fn-cold',
    title: 'Lambda cold start',
    mode: 'cold',
    callers: 1,
    target: { figure: 'p50', underMs: 100, name: 'cold start p50' },
  },
  {
    kind: 'function',
    id: 'fn-warm',
    title: 'Lambda warm Invoke, 1 caller',
    mode: 'warm',
    callers: 1,
    target: { figure: 'overhead', underMs: 1, name: 'warm overhead p50' },
  },
  { kind: 'function', id: 'fn-throughput-1', title: 'Lambda sync Invokes, 1 caller', mode: 'throughput', callers: 1 },
  { kind: 'function', id: 'fn-throughput-4', title: 'Lambda sync Invokes, 4 callers', mode: 'throughput', callers: 4 },
  // One connection: latency without queueing, where a p50 difference is what a request costs more. Ten: the
  // throughput, where p50s are mostly queueing (connections ÷ rate).
  { kind: 'gateway', id: 'gateway-1', title: 'HTTP API → function, 1 connection', connections: 1, isolation: 'process', targets: { overheadUnderMs: GATEWAY_OVERHEAD_MS } },
  { kind: 'gateway', id: 'gateway-10', title: 'HTTP API → function, 10 connections', connections: 10, isolation: 'process', targets: { bareShareAtLeast: GATEWAY_BARE_SHARE } },
  // The same with the function on a thread of hako (HAKO_FUNCTION_ISOLATION=thread), judged by the same targets.
  { kind: 'gateway', id: 'gateway-thread-1', title: 'HTTP API → thread-isolated function, 1 connection', connections: 1, isolation: 'thread', targets: { overheadUnderMs: GATEWAY_OVERHEAD_MS } },
  { kind: 'gateway', id: 'gateway-thread-10', title: 'HTTP API → thread-isolated function, 10 connections', connections: 10, isolation: 'thread', targets: { bareShareAtLeast: GATEWAY_BARE_SHARE } },
  firehose('ndjson', 'NDJSON'),
  firehose('gzip', 'gzip NDJSON'),
  firehose('parquet', 'Parquet'),
  {
    kind: 'stream-function',
    id: 'stream-to-function',
    title: `Kinesis PutRecord → mapping (BatchSize 1) → function, ${STREAM_FUNCTION_RATE} records/s`,
    rate: STREAM_FUNCTION_RATE,
  },
];

export const SCENARIO_IDS = SCENARIOS.map((s) => s.id);
