/**
 * @module bench/load/gateway-run — the gateway scenarios (gateway-[thread-]1, -10): autocannon with `connections`
 * connections against three targets:
 *
 *   1. the HTTP API (payload 2.0, quick create) in front of a trivial function: the figure;
 *   2. the same function by Lambda Invoke (signed once, replayed): what the gateway adds is 1 − 2 (overhead p50);
 *   3. a bare fastify route answering the same body, in its own process: the limit (1 ÷ 3, the share).
 *
 * First `connections` requests at once start as many environments, so no window sees a cold start; then the
 * gateway and the Invoke are each loaded unmeasured for the warm-up (a fresh hako needs load before V8 has
 * optimised either path). Then they alternate in ROUNDS slices of the window each, so a disturbance on the shared
 * machine, or hako still warming, hits both about equally. The bare route, which shares nothing with hako, runs
 * once at the end: warm-up, then the whole window.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runSlice, TargetTally } from './autocannon-phase.js';
import type { GatewayLoad, GatewayResult } from './config.js';
import { answerProblem, GATEWAY_BODY, setUpGateway } from './gateway-api.js';

const BARE_SERVER = fileURLToPath(new URL('./bare-server.js', import.meta.url));
/** Slices per target of the gateway and the Invoke, alternating. */
const ROUNDS = 5;
/** Unmeasured load at the start of each slice: connections opened, the first answers out of the way. */
const LEAD_MS = 200;

export async function runGateway(cfg: GatewayLoad): Promise<GatewayResult> {
  const targets = await setUpGateway(cfg.endpoint, cfg.isolation === 'thread' ? { HAKO_FUNCTION_ISOLATION: 'thread' } : undefined);
  const bareServer = await startBareServer();
  try {
    const gateway = new TargetTally('gateway', { url: targets.apiUrl, method: 'GET', pid: cfg.brokerPid });
    const invoke = new TargetTally('Invoke', { url: targets.invokeUrl, method: 'POST', headers: targets.invokeHeaders, body: targets.invokeBody, pid: cfg.brokerPid });
    const bare = new TargetTally('bare route', { url: `http://127.0.0.1:${bareServer.port}/`, method: 'GET', pid: bareServer.process.pid ?? 0 });
    const checks = await Promise.all([gateway, invoke, bare].map(({ name, target }) => answerProblem(name, target.url, { method: target.method, ...(target.headers === undefined ? {} : { headers: target.headers }), ...(target.body === undefined ? {} : { body: target.body }) })));
    // As many gateway requests at once as there will be connections: hako starts that many environments now.
    checks.push(...(await Promise.all(Array.from({ length: cfg.connections }, () => answerProblem('gateway (starting environments)', targets.apiUrl, { method: 'GET' })))));
    const broken = [...new Set(checks.filter((problem): problem is string => problem !== undefined))];
    if (broken.length > 0) throw new Error(broken.join('; '));

    const warmups = [new TargetTally('gateway warm-up', gateway.target), new TargetTally('Invoke warm-up', invoke.target)];
    for (const warmup of warmups) await runSlice(warmup, cfg.connections, cfg.warmupMs, 0);
    const slice = cfg.durationMs / ROUNDS;
    for (let round = 0; round < ROUNDS; round++) {
      await runSlice(gateway, cfg.connections, LEAD_MS, slice);
      await runSlice(invoke, cfg.connections, LEAD_MS, slice);
    }
    await runSlice(bare, cfg.connections, cfg.warmupMs, cfg.durationMs);

    const problems = [...warmups, gateway, invoke, bare].flatMap((tally) => tally.problems());
    const [figures, invokeFigures, bareFigures] = [gateway.figures(), invoke.figures(), bare.figures()];
    const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;
    return {
      kind: 'gateway',
      connections: cfg.connections,
      ...figures,
      bare: bareFigures,
      invoke: invokeFigures,
      overheadP50Ms: round(figures.latency.p50Ms - invokeFigures.latency.p50Ms, 3),
      bareShare: bareFigures.requestsPerSec === 0 ? 0 : round(figures.requestsPerSec / bareFigures.requestsPerSec, 3),
      ok: problems.length === 0,
      problems,
      cpu: gateway.cpu(),
    };
  } finally {
    bareServer.process.kill();
  }
}

/** Forks the bare fastify server (answering GATEWAY_BODY) and waits for its port. */
function startBareServer(): Promise<{ process: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(BARE_SERVER, [GATEWAY_BODY], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (message: { port: number }) => resolve({ process: child, port: message.port }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the bare fastify server exited (${code})`)));
  });
}
