/**
 * @module bench/load/stream-function-run — the stream-to-function scenario: a Kinesis stream (one shard), an
 * event source mapping (BatchSize 1, no batching window, TRIM_HORIZON on the new stream) to a function that
 * answers at once, and PutRecord at a fixed rate; the latency from PutRecord being sent (the bench starting the
 * call: signing, about 0.1 ms, then the write) to the function's handler having run with that record.
 *
 * How the bench sees the handler run: the handler sends the record's data (its sequence in the bench, a few
 * digits) in one UDP datagram to a socket of this process, before it returns. Of the ways to observe it, this
 * adds least to what is measured: one `sendto` in the function's process and one read here, nothing through
 * hako (an MQTT publish with the lent SDK would be an HTTP request into hako and a broker delivery, on the two
 * cores the mapping shares, and its own latency; a file would need polling). The datagram leaves before the
 * function's answer, so the figure ends where the function has run, not where hako has checkpointed.
 *
 * The order: the function, the stream, the mapping; one record whose datagram is awaited (the environment's
 * cold start and the poller's start are over before the load); then records at `rate` for the warm-up and the
 * window, one PutRecord at a time on one keep-alive connection (each signed; its answer timed too). A record
 * counts in the window when its PutRecord was sent in the window. After the window, every datagram must
 * come within DRAIN_MS; a missing one, a PutRecord answered otherwise than 200, or a failed setup marks ✗.
 */
import { createSocket, type Socket } from 'node:dgram';
import { strToU8, zipSync } from 'fflate';
import type { StreamFunctionLoad, StreamFunctionResult } from './config.js';
import { cpuBetween, cpuSnapshot } from './function-tally.js';
import { Histogram } from './histogram.js';
import { callTarget } from './json-target.js';
import { expectStatus, lambdaSigner, SignedConnection } from './lambda-api.js';

const DRAIN_MS = 10_000;
/** How long the first record may take to reach the function (a cold start, the mapping's poller starting). */
const FIRST_RECORD_MS = 30_000;
/** The pacing timer's period: what is due is sent in turn. */
const TICK_MS = 2;

/** The handler: the data of each record back to the bench by UDP, then `null` (the batch succeeded). */
export const UDP_HANDLER = `import { createSocket } from 'node:dgram';
const socket = createSocket('udp4');
socket.unref();
const port = Number(process.env.BENCH_UDP_PORT);
export const handler = async (event) => {
  for (const record of event.Records) socket.send(Buffer.from(record.kinesis.data, 'base64'), port, '127.0.0.1');
  return null;
};
`;

export async function runStreamToFunction(cfg: StreamFunctionLoad): Promise<StreamFunctionResult> {
  const suffix = Date.now().toString(36);
  const functionName = `bench-stream-fn-${suffix}`;
  const streamName = `bench-stream-${suffix}`;
  const lambda = new SignedConnection(cfg.endpoint.port, lambdaSigner(cfg.endpoint));
  const kinesis = new SignedConnection(cfg.endpoint.port, lambdaSigner(cfg.endpoint, 'kinesis'));
  const socket = createSocket('udp4');
  const problems: string[] = [];
  const sentAt: number[] = [];
  const seen = new Set<number>();
  const latency = new Histogram();
  const putLatency = new Histogram();
  let windowFrom = Infinity;
  let windowTo = Infinity;
  let duplicates = 0;
  const waiters = new Map<number, () => void>();
  socket.on('message', (message) => {
    const now = performance.now();
    const seq = Number(message.toString('latin1'));
    if (seen.has(seq)) {
      duplicates++;
      return;
    }
    seen.add(seq);
    const sent = sentAt[seq];
    if (sent !== undefined && sent >= windowFrom && sent < windowTo) latency.record((now - sent) * 1000);
    waiters.get(seq)?.();
  });
  try {
    const udpPort = await bind(socket);
    const created = await lambda.request('POST', '/2015-03-31/functions', JSON.stringify({
      FunctionName: functionName,
      Runtime: 'nodejs20.x',
      Role: 'arn:aws:iam::000000000000:role/hako-bench',
      Handler: 'index.handler',
      Code: { ZipFile: Buffer.from(zipSync({ 'index.mjs': strToU8(UDP_HANDLER) })).toString('base64') },
      Environment: { Variables: { BENCH_UDP_PORT: String(udpPort) } },
    }));
    expectStatus(created, 201, `CreateFunction ${functionName}`);
    await callTarget(kinesis, 'Kinesis_20131202.CreateStream', { StreamName: streamName, ShardCount: 1 });
    const summary = await callTarget(kinesis, 'Kinesis_20131202.DescribeStreamSummary', { StreamName: streamName });
    const streamArn = (summary['StreamDescriptionSummary'] as { StreamARN: string }).StreamARN;
    const mapping = await lambda.request('POST', '/2015-03-31/event-source-mappings/', JSON.stringify({ FunctionName: functionName, EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON', BatchSize: 1, MaximumBatchingWindowInSeconds: 0 }));
    expectStatus(mapping, 202, 'CreateEventSourceMapping');

    const put = async (seq: number): Promise<void> => {
      sentAt[seq] = performance.now();
      const response = await kinesis.request('POST', '/', JSON.stringify({ StreamName: streamName, PartitionKey: 'bench', Data: Buffer.from(String(seq)).toString('base64') }), { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.PutRecord' });
      if (response.status !== 200) throw new Error(`PutRecord answered HTTP ${response.status}: ${response.body.toString('utf8', 0, 200)}`);
      const sent = sentAt[seq]!;
      if (sent >= windowFrom && sent < windowTo) putLatency.record((performance.now() - sent) * 1000);
    };
    const arrival = (seq: number, ms: number): Promise<boolean> =>
      new Promise((resolve) => {
        if (seen.has(seq)) return resolve(true);
        const timer = setTimeout(() => resolve(false), ms);
        waiters.set(seq, () => {
          clearTimeout(timer);
          resolve(true);
        });
      });

    // The first record: the environment starts, the poller reads; not measured.
    await put(0);
    if (!(await arrival(0, FIRST_RECORD_MS))) throw new Error(`the first record did not reach the function within ${FIRST_RECORD_MS} ms`);

    // Paced: record k (from 1) is due at start + k / rate; a PutRecord still out delays the next, not the schedule.
    let seq = 1;
    const paceStart = performance.now();
    windowFrom = paceStart + cfg.warmupMs;
    windowTo = windowFrom + cfg.durationMs;
    const end = windowTo;
    let before = cpuSnapshot(cfg.brokerPid);
    let tookBefore = false;
    while (performance.now() < end) {
      const now = performance.now();
      if (!tookBefore && now >= windowFrom) {
        before = cpuSnapshot(cfg.brokerPid);
        tookBefore = true;
      }
      const due = 1 + Math.floor(((now - paceStart) * cfg.rate) / 1000);
      if (seq < due) await put(seq++);
      else await sleep(TICK_MS);
    }
    const after = cpuSnapshot(cfg.brokerPid);
    const lastSent = seq - 1;
    const drained = await arrival(lastSent, DRAIN_MS);
    await sleep(50); // a datagram that overtook an earlier one's is in; a missing one is reported below
    const missing = lastSent + 1 - seen.size;
    if (!drained || missing > 0) problems.push(`${missing} of ${lastSent + 1} records never reached the function (${DRAIN_MS} ms after the load)`);
    if (duplicates > 0) problems.push(`${duplicates} records reached the function more than once`);
    const inWindow = sentAt.filter((t) => t >= windowFrom && t < windowTo).length;
    const cpu = cpuBetween(before, after);
    return {
      kind: 'stream-function',
      rate: Math.round((inWindow * 1000) / cfg.durationMs),
      latency: latency.summarize(),
      putLatency: putLatency.summarize(),
      sent: lastSent + 1,
      received: seen.size,
      duplicates,
      ok: problems.length === 0,
      problems,
      cpu,
    };
  } finally {
    lambda.close();
    kinesis.close();
    socket.close();
  }
}

function bind(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve(socket.address().port));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
