/**
 * @module bench/load/idle-run — opens many connections (CONNECT + CONNACK, keepalive 0), leaves them idle
 * and samples the broker's resident memory before and after.
 */
import type { Socket } from 'node:net';
import { readRssKiB } from '../proc-stats.js';
import type { IdleLoad, IdleResult } from './config.js';
import { openSession } from './handshake.js';

const HANDSHAKE_TIMEOUT_MS = 30_000;

export async function runIdle(cfg: IdleLoad): Promise<IdleResult> {
  const problems: string[] = [];
  const sockets: Socket[] = [];
  let closing = false;
  const rssBeforeKiB = readRssKiB(cfg.brokerPid);
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const startedAt = performance.now();
  try {
    for (let first = 0; first < cfg.connections; first += cfg.batchSize) {
      const count = Math.min(cfg.batchSize, cfg.connections - first);
      const batch = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          openSession({
            port: cfg.port,
            clientId: `hb-idle-${first + i}-${tag}`,
            protocol: cfg.protocol,
            timeoutMs: HANDSHAKE_TIMEOUT_MS,
          }),
        ),
      );
      for (const { socket } of batch) {
        socket.on('error', () => undefined);
        socket.on('close', () => {
          if (!closing && problems.length < 5) problems.push('an idle connection was closed by the broker');
        });
        socket.resume();
        sockets.push(socket);
      }
    }
  } catch (err) {
    problems.push(`after ${sockets.length} connections: ${(err as Error).message}`);
  }
  const connectMs = Math.round(performance.now() - startedAt);
  await new Promise((resolve) => setTimeout(resolve, cfg.settleMs));
  const rssAfterKiB = readRssKiB(cfg.brokerPid);
  closing = true;
  for (const socket of sockets) socket.destroy();
  return {
    kind: 'idle',
    connections: sockets.length,
    rssBeforeKiB,
    rssAfterKiB,
    perConnectionKiB: sockets.length === 0 ? 0 : round2((rssAfterKiB - rssBeforeKiB) / sockets.length),
    connectMs,
    ok: problems.length === 0 && sockets.length === cfg.connections,
    problems,
  };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
