/**
 * @module bench/load/config — what the parent asks the load worker to do, and what it reports back.
 *
 * Both ends of the `child_process.fork` IPC channel import these types; the messages are plain JSON.
 */
import type { LatencySummary } from './histogram.js';
import type { ProtocolLevel, QoS } from './packets.js';

/**
 * `shared`: every publisher publishes to one topic that every subscriber subscribes to (fan-in N→1,
 * fan-out 1→M). `pairs`: publisher i publishes to a topic only subscriber i subscribes to.
 */
export type Topology = 'shared' | 'pairs';

export interface ThroughputLoad {
  kind: 'throughput';
  port: number;
  /** Broker process id, to sample its CPU time during the measurement window (0 = don't). */
  brokerPid: number;
  protocol: ProtocolLevel;
  qos: QoS;
  topology: Topology;
  publishers: number;
  subscribers: number;
  payloadSize: number;
  /** QoS 1: PUBLISH packets awaiting PUBACK per publisher. */
  window: number;
  /**
   * Messages per publisher sent but not yet delivered to every subscriber (0 = unbounded). Keeps QoS 0
   * (which has no acknowledgement) from piling up unbounded queues in the broker or the kernel.
   */
  endToEndWindow: number;
  /** Total publish rate in msg/s across all publishers; 0 = as fast as the windows allow. */
  rate: number;
  warmupMs: number;
  durationMs: number;
  /** How long to wait after publishing stops for in-flight messages to arrive. */
  drainMs: number;
}

export interface IdleLoad {
  kind: 'idle';
  port: number;
  brokerPid: number;
  protocol: ProtocolLevel;
  connections: number;
  /** Connections opened concurrently; the next batch starts when this one has its CONNACKs. */
  batchSize: number;
  /** Wait after the last CONNACK before sampling the broker's RSS. */
  settleMs: number;
}

/** One identity the tls-connect load connects with (PEM strings: the IPC channel carries JSON). */
export interface TlsClient {
  clientId: string;
  certificatePem: string;
  privateKeyPem: string;
}

export interface TlsConnectLoad {
  kind: 'tls-connect';
  /** The broker's TLS listener. */
  port: number;
  brokerPid: number;
  protocol: ProtocolLevel;
  /** Trusted CA for the server certificate. */
  caPem: string;
  /** One identity per slot; slot i always connects as clients[i]. */
  clients: TlsClient[];
  /** Connections being set up at any moment (one per slot, each closed once its CONNACK arrives). */
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

/** Where shadow updates go: hako's MQTT port, or its HTTP data plane with a key to sign with. */
export type ShadowEndpoint =
  | { kind: 'mqtt'; port: number; protocol: ProtocolLevel }
  | { kind: 'http'; port: number; accessKeyId: string; secretAccessKey: string; region: string };

export interface ShadowLoad {
  kind: 'shadow';
  endpoint: ShadowEndpoint;
  brokerPid: number;
  /** Things `bench-0` … `bench-<things − 1>`, one connection (MQTT) or request stream (HTTP) each. */
  things: number;
  /** Updates per thing sent and not yet answered; the next goes out when one is answered. */
  inFlight: number;
  warmupMs: number;
  durationMs: number;
  /** How long to wait after sending stops for the updates still in flight to be answered. */
  drainMs: number;
}

/** hako's Lambda API (on its HTTP port) and the access key its requests are signed with (SigV4, `lambda`). */
export type FunctionEndpoint = Omit<Extract<ShadowEndpoint, { kind: 'http' }>, 'kind'>;

/**
 * `cold`: one Invoke after each configuration update (a new environment each time), and as many plain
 * `node -e` spawns. `warm`: one caller's sequential Invokes of a warm environment, alternating in blocks
 * with about as many round trips to a plain Node HTTP echo server. `throughput`: `callers` Invokes in
 * flight, no anchor.
 */
export type FunctionMode = 'cold' | 'warm' | 'throughput';

export interface FunctionLoad {
  kind: 'function';
  mode: FunctionMode;
  endpoint: FunctionEndpoint;
  brokerPid: number;
  /** Callers, each with its own connection and one Invoke in flight (`warm`: 1). */
  callers: number;
  /** `cold`: cold starts measured (each followed by one anchor spawn). */
  coldStarts: number;
  warmupMs: number;
  durationMs: number;
}

/**
 * Requests through an HTTP API (API Gateway, payload 2.0) to a warm trivial function, driven by autocannon with
 * `connections` connections; then the same load on a bare fastify route answering the same body in a process of
 * its own (the limit), and on the function's Lambda Invoke (the same function without the gateway).
 */
export interface GatewayLoad {
  kind: 'gateway';
  endpoint: FunctionEndpoint;
  brokerPid: number;
  connections: number;
  /** `thread`: the function runs with HAKO_FUNCTION_ISOLATION=thread. */
  isolation: 'process' | 'thread';
  warmupMs: number;
  durationMs: number;
}

/** What a Firehose delivery stream writes into its bucket folder: NDJSON as sent, gzipped, or converted to Parquet. */
export type FirehoseFormat = 'ndjson' | 'gzip' | 'parquet';

/**
 * PutRecordBatch calls of 500 200-byte JSON records from `callers` keep-alive connections, one call in flight
 * each, into a delivery stream with the folder destination; then the same bytes through a plain Node write
 * stream in the generator (through zlib for `gzip`): the limit.
 */
export interface FirehoseLoad {
  kind: 'firehose';
  endpoint: FunctionEndpoint;
  brokerPid: number;
  format: FirehoseFormat;
  callers: number;
  warmupMs: number;
  durationMs: number;
}

/**
 * Records put into a Kinesis stream one PutRecord at a time at `rate` records/s, each delivered by an event
 * source mapping (BatchSize 1, no batching window) to a function that sends the record's data back to the
 * generator in a UDP datagram as its handler runs.
 */
export interface StreamFunctionLoad {
  kind: 'stream-function';
  endpoint: FunctionEndpoint;
  brokerPid: number;
  rate: number;
  warmupMs: number;
  durationMs: number;
}

export type LoadConfig = ThroughputLoad | IdleLoad | TlsConnectLoad | ShadowLoad | FunctionLoad | GatewayLoad | FirehoseLoad | StreamFunctionLoad;

export interface ThroughputResult {
  kind: 'throughput';
  /** Messages received by all subscribers per second, over the measurement window. */
  deliveredPerSec: number;
  /** Messages sent by all publishers per second, over the measurement window. */
  publishedPerSec: number;
  /** Latency of messages received during the measurement window. */
  latency: LatencySummary;
  sent: number;
  acked: number;
  delivered: number;
  /** Deliveries expected from what was sent: sent × subscribers per message. */
  expected: number;
  /** expected − delivered after the drain (QoS 0 may legitimately lose messages). */
  lost: number;
  /** False when QoS 1 lost or duplicated anything, or a connection failed. */
  ok: boolean;
  problems: string[];
  /**
   * CPU use over the measurement window, in % of one core: the broker process, this load generator, and
   * everything else on the machine (anything well above 0 means the figures are disturbed).
   */
  cpu: { brokerPct: number; loadPct: number; otherPct: number };
}

export interface IdleResult {
  kind: 'idle';
  connections: number;
  rssBeforeKiB: number;
  rssAfterKiB: number;
  /** (after − before) / connections. */
  perConnectionKiB: number;
  connectMs: number;
  ok: boolean;
  problems: string[];
}

export interface TlsConnectResult {
  kind: 'tls-connect';
  /** Connections that completed TLS and CONNACK per second, over the measurement window. */
  connectsPerSec: number;
  /** Setup time of the connections completed in the window: TCP connect, TLS handshake, CONNECT → CONNACK. */
  latency: LatencySummary;
  /** Completed / failed over the whole run (warm-up included). */
  completed: number;
  failed: number;
  /** What the first connection negotiated, e.g. `TLSv1.3 TLS_AES_256_GCM_SHA384 X25519, server key prime256v1`. */
  negotiated: string;
  ok: boolean;
  problems: string[];
  cpu: ThroughputResult['cpu'];
}

export interface ShadowResult {
  kind: 'shadow';
  transport: ShadowEndpoint['kind'];
  things: number;
  inFlight: number;
  /** Updates accepted per second, over the measurement window. */
  updatesPerSec: number;
  /** Publish (MQTT) or request (HTTP) → accepted, for the updates accepted in the window. */
  latency: LatencySummary;
  /** Over the whole run, warm-up and drain included. */
  sent: number;
  accepted: number;
  /** Answered on `…/update/rejected` (MQTT) or with a status other than 200 (HTTP). */
  rejected: number;
  /** Sent but not answered by the end of the drain, or lost with a failed connection. */
  unanswered: number;
  /** False on any rejection, unanswered update or connection failure. */
  ok: boolean;
  problems: string[];
  cpu: ThroughputResult['cpu'];
}

export interface FunctionResult {
  kind: 'function';
  mode: FunctionMode;
  callers: number;
  /**
   * Invocations answered per second over the window (`throughput`; in `warm` they alternate with the
   * anchor's round trips, so it is not a capacity; 0 in `cold`).
   */
  invocationsPerSec: number;
  /** Invoke request written → response read: each cold start (`cold`), or the window's invocations. */
  latency: LatencySummary;
  /**
   * The plain-Node anchor, measured about as often and alternating with hako's figures: `node -e` spawn →
   * exit (`cold`), or a loopback HTTP POST round trip to a Node `http` echo server with the same client (`warm`).
   */
  anchor: LatencySummary | undefined;
  /** `warm`: hako's p50 minus the anchor's p50, in ms: what hako adds to a loopback HTTP round trip. */
  overheadP50Ms: number | undefined;
  /** `cold`: the `Init Duration` of hako's REPORT log line (spawn → the runtime's first poll). */
  initDuration: LatencySummary | undefined;
  /** Invocations over the whole run, warm-up included, and how many failed (HTTP status, function error, wrong body). */
  invoked: number;
  failed: number;
  ok: boolean;
  problems: string[];
  /**
   * `brokerPct` is hako and its function environments (child processes); `environmentsPct` the
   * environments alone. `loadPct` includes the anchor's processes. `cold`: over the measured cold starts.
   */
  cpu: ThroughputResult['cpu'] & { environmentsPct: number };
}

/** One target's figures over its window: 2xx answers per second and their latency. */
export interface HttpTargetFigures {
  requestsPerSec: number;
  latency: LatencySummary;
  /** CPU time of the serving process (tree) per answered request, µs. */
  cpuPerRequestUs: number;
}

export interface GatewayResult {
  kind: 'gateway';
  connections: number;
  /** Through the HTTP API: requests per second, latency (request written → response read), as `latency` is everywhere. */
  requestsPerSec: number;
  latency: LatencySummary;
  cpuPerRequestUs: number;
  /** The same load on a bare fastify route answering the same body: the limit. */
  bare: HttpTargetFigures;
  /** The same load as Lambda Invoke requests of the same function (no gateway). */
  invoke: HttpTargetFigures;
  /** Gateway p50 − Invoke p50, ms: what the gateway adds to calling the function. */
  overheadP50Ms: number;
  /** Gateway requests/s ÷ bare route requests/s. */
  bareShare: number;
  ok: boolean;
  problems: string[];
  /** The gateway's window: hako with its function environments, the generator, the rest. */
  cpu: FunctionResult['cpu'];
}

/** A rate of records and of their bytes. */
export interface RecordRate {
  recordsPerSec: number;
  mbPerSec: number;
}

export interface FirehoseResult {
  kind: 'firehose';
  format: FirehoseFormat;
  callers: number;
  /** Records acknowledged in the window (FailedPutCount 0), and their bytes. */
  records: number;
  bytes: number;
  /** Acknowledged: window start → the last call of the window answered. */
  acked: RecordRate;
  /** Delivered: window start → every acknowledged record counted in the bucket folder (hako's delivery metric). */
  delivered: RecordRate;
  /** The last call's answer → every record in the folder, ms: mostly the last partial buffer waiting for its interval. */
  deliveryTailMs: number;
  /** PutRecordBatch request written → answer read, for the window's calls. */
  latency: LatencySummary;
  /** The same records through `fs.createWriteStream` (and `zlib.createGzip` for gzip), one write per call's 500. */
  plain: RecordRate;
  /** plain records/s ÷ hako's acknowledged records/s: how many times slower than the limit hako ingests. */
  plainRatio: number;
  /** Parquet only: the same records as an NDJSON file turned into Parquet by DuckDB alone (the limit with the encoder). */
  plainParquet?: RecordRate;
  /** plainParquet records/s ÷ hako's acknowledged records/s. */
  plainParquetRatio?: number;
  /** hako's CPU (its process tree, DuckDB's threads included) from window start until every record was in the folder, per record, µs. */
  cpuPerRecordUs: number;
  /** Objects and bytes hako wrote for the window's records (delivery metrics). */
  objects: number;
  objectBytes: number;
  ok: boolean;
  problems: string[];
  /** The window (sending only): hako (with DuckDB's threads), the generator, the rest. */
  cpu: ThroughputResult['cpu'];
}

export interface StreamFunctionResult {
  kind: 'stream-function';
  /** Records put per second (the fixed rate, as achieved). */
  rate: number;
  /** PutRecord sent (signing, ~0.1 ms, included) → the function's datagram received, for the window's records. */
  latency: LatencySummary;
  /** PutRecord sent → its answer read. */
  putLatency: LatencySummary;
  sent: number;
  /** Records whose datagram came back, over the whole run. */
  received: number;
  /** Datagrams for a record seen before (a retried batch). */
  duplicates: number;
  ok: boolean;
  problems: string[];
  /** `brokerPct` is hako with its function environment; `environmentsPct` the environment alone. */
  cpu: FunctionResult['cpu'];
}

export type LoadResult = ThroughputResult | IdleResult | TlsConnectResult | ShadowResult | FunctionResult | GatewayResult | FirehoseResult | StreamFunctionResult;

/** Parent → worker. */
export interface RunMessage {
  type: 'run';
  config: LoadConfig;
}

/** Worker → parent. */
export type WorkerMessage = { type: 'result'; result: LoadResult } | { type: 'error'; message: string };
