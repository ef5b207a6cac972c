/**
 * @module bench/load/shadow-run — Device Shadow updates per second (scenarios shadow-mqtt, shadow-http).
 *
 * `things` things each keep `inFlight` updates of their own classic shadow in flight, the next sent as
 * soon as one is answered. hako answers one update per shadow at a time and stores the document before it
 * answers, so this measures the whole path: transport, authorization, the per-shadow queue, the document
 * module, the store write and the answer. The figures are accepted updates per second and the latency from
 * publish (or request) to accepted, over the window. After it, sending stops and the updates in flight
 * are waited for; any rejection, unanswered update or failed connection is a problem.
 */
import type { ShadowLoad, ShadowResult } from './config.js';
import { ShadowHttpThing } from './shadow-http.js';
import { ShadowMqttThing } from './shadow-mqtt.js';
import { ShadowTally, type ShadowThing } from './shadow-tally.js';
import { cpuBetween, ratesBetween, takeSnapshot } from './window-stats.js';

const HANDSHAKE_TIMEOUT_MS = 10_000;

export async function runShadow(cfg: ShadowLoad): Promise<ShadowResult> {
  const tally = new ShadowTally();
  const { endpoint } = cfg;
  const indexes = Array.from({ length: cfg.things }, (_, i) => i);
  let things: ShadowThing[];
  if (endpoint.kind === 'mqtt') {
    things = await Promise.all(indexes.map((i) => ShadowMqttThing.connect(endpoint, i, tally, HANDSHAKE_TIMEOUT_MS)));
  } else {
    const signer = ShadowHttpThing.signerFor(endpoint);
    things = indexes.map((i) => new ShadowHttpThing(endpoint, signer, i, cfg.inFlight, tally));
  }

  for (const thing of things) {
    for (let i = 0; i < cfg.inFlight; i++) thing.send();
  }
  // The window counts accepted updates in the `delivered` slot of the shared snapshot.
  const snapshot = (): ReturnType<typeof takeSnapshot> => takeSnapshot(tally.sent, tally.accepted, cfg.brokerPid);
  await sleep(cfg.warmupMs);
  const before = snapshot();
  tally.histogram.reset();
  tally.recording = true;
  await sleep(cfg.durationMs);
  tally.recording = false;
  const after = snapshot();

  tally.stopped = true;
  const drained = (): boolean =>
    things.every((t) => t.unanswered === 0) && (endpoint.kind !== 'mqtt' || tally.acked >= tally.sent - tally.lost);
  const deadline = performance.now() + cfg.drainMs;
  while (!drained() && performance.now() < deadline) await sleep(20);
  tally.closing = true;
  for (const thing of things) thing.close();

  const unanswered = things.reduce((n, t) => n + t.unanswered, 0) + tally.lost;
  const problems = [...tally.problems];
  if (tally.rejected > 0) problems.push(`${tally.rejected} of ${tally.sent} updates rejected`);
  if (unanswered > 0) problems.push(`${unanswered} of ${tally.sent} updates never answered`);
  if (endpoint.kind === 'mqtt' && tally.acked !== tally.sent) {
    problems.push(`${tally.sent - tally.acked} of ${tally.sent} PUBLISH packets never acknowledged`);
  }
  return {
    kind: 'shadow',
    transport: endpoint.kind,
    things: cfg.things,
    inFlight: cfg.inFlight,
    updatesPerSec: ratesBetween(before, after).deliveredPerSec,
    latency: tally.histogram.summarize(),
    sent: tally.sent,
    accepted: tally.accepted,
    rejected: tally.rejected,
    unanswered,
    ok: problems.length === 0,
    problems,
    cpu: cpuBetween(before, after),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
