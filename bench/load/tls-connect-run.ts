/**
 * @module bench/load/tls-connect-run — connection setup rate over TLS with client certificates.
 *
 * `concurrency` slots each open a connection as their own identity, wait for its CONNACK, close it
 * (DISCONNECT) and open the next, so that many handshakes are always in flight. The figure is the number
 * of CONNACKs per second in the measurement window; the histogram holds the setup time of each of those
 * connections (from `tls.connect` to CONNACK).
 */
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { TlsConnectLoad, TlsConnectResult } from './config.js';
import { Histogram } from './histogram.js';
import { encodeConnect } from './packets.js';
import { connectTls, type TlsAttempt } from './tls-connect.js';
import { cpuBetween, ratesBetween, takeSnapshot } from './window-stats.js';

const CONNECT_TIMEOUT_MS = 10_000;
/** A slot that failed this many times in a row stops (a broker refusing everyone would spin otherwise). */
const MAX_CONSECUTIVE_FAILURES = 20;

export async function runTlsConnect(cfg: TlsConnectLoad): Promise<TlsConnectResult> {
  const histogram = new Histogram();
  const problems: string[] = [];
  const report = (problem: string): void => {
    if (!problems.includes(problem) && problems.length < 20) problems.push(problem);
  };
  let completed = 0;
  let failed = 0;
  let recording = false;
  let stopped = false;
  let negotiated = '';

  const runSlot = async (slot: number): Promise<void> => {
    const client = cfg.clients[slot % cfg.clients.length];
    if (client === undefined) throw new Error('tls-connect: no client identities');
    const attempt: TlsAttempt = {
      port: cfg.port,
      secureContext: tls.createSecureContext({ ca: cfg.caPem, cert: client.certificatePem, key: client.privateKeyPem }),
      connect: encodeConnect(client.clientId, cfg.protocol),
      timeoutMs: CONNECT_TIMEOUT_MS,
      describe: false,
    };
    let failures = 0;
    while (!stopped) {
      const startedAt = performance.now();
      try {
        const description = await connectTls({ ...attempt, describe: negotiated === '' });
        if (description !== undefined && negotiated === '') negotiated = `${description}, client key ${keyOf(client.certificatePem)}`;
        completed++;
        if (recording) histogram.record((performance.now() - startedAt) * 1000);
        failures = 0;
      } catch (error) {
        failed++;
        report((error as Error).message);
        if (++failures >= MAX_CONSECUTIVE_FAILURES) {
          report(`a slot gave up after ${failures} failures in a row`);
          return;
        }
      }
    }
  };

  const slots = Array.from({ length: cfg.concurrency }, (_, slot) => runSlot(slot));
  // The window counts CONNACKs in the `delivered` slot of the shared snapshot.
  const snapshot = (): ReturnType<typeof takeSnapshot> => takeSnapshot(0, completed, cfg.brokerPid);
  await sleep(cfg.warmupMs);
  const before = snapshot();
  recording = true;
  await sleep(cfg.durationMs);
  recording = false;
  const after = snapshot();
  stopped = true;
  await Promise.all(slots);

  if (failed > 0) report(`${failed} of ${completed + failed} connections failed`);
  return {
    kind: 'tls-connect',
    connectsPerSec: ratesBetween(before, after).deliveredPerSec,
    latency: histogram.summarize(),
    completed,
    failed,
    negotiated,
    ok: problems.length === 0,
    problems,
    cpu: cpuBetween(before, after),
  };
}

function keyOf(certificatePem: string): string {
  const key = new X509Certificate(certificatePem).publicKey;
  return key.asymmetricKeyDetails?.namedCurve ?? key.asymmetricKeyType ?? '?';
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
