/**
 * @module bench/load/throughput-run — one publish/subscribe run: connect, warm up, measure, drain, verify.
 *
 * Subscribers connect and subscribe first, then publishers. Throughput is what the subscribers received
 * inside the measurement window; latency comes from the timestamps of those messages. After the window
 * the publishers stop, in-flight messages drain, and the totals are checked: QoS 1 must deliver every
 * acknowledged message exactly once to every subscriber; QoS 0 loss is reported, not failed.
 */
import type { ThroughputLoad, ThroughputResult } from './config.js';
import { openSession, type OpenSession } from './handshake.js';
import { LoadContext } from './load-context.js';
import { DISCONNECT, encodePublishTemplate, type QoS } from './packets.js';
import { Publisher } from './publisher.js';
import { MAX_BATCH, minBatchFor, pumpPaced, pumpSaturating } from './pump.js';
import { Subscriber } from './subscriber.js';
import { cpuBetween, ratesBetween, takeSnapshot } from './window-stats.js';

const HANDSHAKE_TIMEOUT_MS = 10_000;

export async function runThroughput(cfg: ThroughputLoad): Promise<ThroughputResult> {
  const publishers: Publisher[] = [];
  let stopped = false;
  const ctx = new LoadContext(cfg.protocol, () => {
    if (!stopped && cfg.rate === 0 && pumpSaturating(publishers)) ctx.wake();
  });
  const topicOf = (i: number): string => (cfg.topology === 'pairs' ? `hako-bench/pair/${i}` : 'hako-bench/shared');
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const connect = (clientId: string, subscribe?: { filters: string[]; qos: QoS }): Promise<OpenSession> =>
    openSession({ port: cfg.port, clientId, protocol: cfg.protocol, timeoutMs: HANDSHAKE_TIMEOUT_MS, subscribe });

  const subscriberSessions = await Promise.all(
    Array.from({ length: cfg.subscribers }, (_, i) =>
      connect(`hb-sub-${i}-${tag}`, { filters: [topicOf(i)], qos: cfg.qos }),
    ),
  );
  const subscribers = subscriberSessions.map((session) => new Subscriber(session, ctx));
  const publisherSessions = await Promise.all(
    Array.from({ length: cfg.publishers }, (_, i) => connect(`hb-pub-${i}-${tag}`)),
  );
  const options = {
    qos: cfg.qos,
    window: cfg.window,
    endToEndWindow: cfg.endToEndWindow,
    fanout: cfg.topology === 'pairs' ? 1 : cfg.subscribers,
    maxBatch: MAX_BATCH,
    minBatch: minBatchFor(cfg.qos, cfg.window, cfg.endToEndWindow),
  };
  publisherSessions.forEach((session, i) => {
    const template = encodePublishTemplate(topicOf(i), cfg.qos, cfg.payloadSize, cfg.protocol, i);
    publishers.push(new Publisher(session, template, options, ctx));
  });
  ctx.publishers.push(...publishers);
  const totals = (): { sent: number; acked: number; delivered: number; expected: number } => ({
    sent: sum(publishers.map((p) => p.sent)),
    acked: sum(publishers.map((p) => p.acked)),
    delivered: sum(subscribers.map((s) => s.received)),
    expected: sum(publishers.map((p) => p.sent * p.fanout)),
  });
  const snapshot = (): ReturnType<typeof takeSnapshot> => {
    const t = totals();
    return takeSnapshot(t.sent, t.delivered, cfg.brokerPid);
  };

  const startedAt = performance.now();
  const ticker = cfg.rate > 0 ? setInterval(() => pumpPaced(publishers, cfg.rate, startedAt), 1) : undefined;
  ctx.wake();
  await sleep(cfg.warmupMs);
  const before = snapshot();
  ctx.histogram.reset();
  ctx.recording = true;
  await sleep(cfg.durationMs);
  ctx.recording = false;
  const after = snapshot();

  stopped = true;
  clearInterval(ticker);
  await drain(publishers, () => totals(), cfg.drainMs);
  ctx.closing = true;
  for (const client of [...publishers, ...subscribers]) client.close(DISCONNECT);

  const { sent, acked, delivered, expected } = totals();
  const problems = [...ctx.problems];
  if (cfg.qos > 0 && acked !== sent) problems.push(`${sent - acked} of ${sent} PUBLISH packets never acknowledged`);
  if (cfg.qos > 0 && delivered < expected) {
    problems.push(`QoS 1 lost ${expected - delivered} of ${expected} deliveries`);
  }
  if (delivered > expected) problems.push(`${delivered - expected} duplicate deliveries`);
  return {
    kind: 'throughput',
    ...ratesBetween(before, after),
    latency: ctx.histogram.summarize(),
    sent,
    acked,
    delivered,
    expected,
    lost: Math.max(0, expected - delivered),
    ok: problems.length === 0,
    problems,
    cpu: cpuBetween(before, after),
  };
}

/**
 * Waits until every PUBLISH is acknowledged and every expected delivery arrived, until `timeoutMs`, or
 * (QoS 0 loss never settles) until deliveries stop moving for 200 ms with nothing left unacknowledged.
 */
async function drain(
  publishers: Publisher[],
  totals: () => { delivered: number; expected: number },
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const allAcked = (): boolean => publishers.every((p) => p.unacked === 0);
  let last = -1;
  while (performance.now() < deadline) {
    const { delivered, expected } = totals();
    if (allAcked() && delivered >= expected) return;
    if (delivered === last && allAcked()) {
      await sleep(200);
      if (totals().delivered === delivered) return;
    }
    last = delivered;
    await sleep(20);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
