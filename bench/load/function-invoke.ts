/**
 * @module bench/load/function-invoke — warm invocations (scenarios fn-warm, fn-throughput-1,
 * fn-throughput-4): `callers` callers, each on its own keep-alive connection with one Invoke of the
 * trivial function in flight, the next sent when the answer arrives.
 *
 * Every caller's first Invoke goes out at once, before the warm-up, so hako starts as many environments
 * as there are callers and the cold starts are over before the window opens.
 *
 * `warm` (one caller) alternates blocks of Invokes with blocks of round trips to the anchor, a plain Node
 * `http` echo server in its own process (echo-server.ts), sent by the same code: same signing, same
 * connection class, same body and path. Both are timed from the request's write to the response's last
 * byte, so the difference is what hako adds to a loopback HTTP request: its Lambda API, the environment
 * pool, and the Runtime API round trip to the function's process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FunctionLoad, FunctionResult } from './config.js';
import { cpuSnapshot, FunctionTally } from './function-tally.js';
import { EVENT, createFunction, invocationsPath, invoke, lambdaSigner, SignedConnection, trivialFunctionZip } from './lambda-api.js';

const ECHO_SERVER = fileURLToPath(new URL('./echo-server.js', import.meta.url));
/** After the window: how long the Invokes in flight may take to be answered. */
const DRAIN_MS = 5000;
/**
 * `warm`: requests in a row to hako, then to the anchor, and so on. Blocks, not single requests: after
 * answering, hako still takes the environment's next poll and updates its metrics, and that work would
 * share the two cores with an anchor request sent at once (about 0.3 ms more on the anchor here). The first
 * request of each block, the one that can overlap the other's leftovers, is not recorded.
 */
const BLOCK = 50;

export async function runInvokes(cfg: FunctionLoad): Promise<FunctionResult> {
  const tally = new FunctionTally();
  const signer = lambdaSigner(cfg.endpoint);
  const functionName = cfg.mode === 'warm' ? 'bench-warm' : `bench-${cfg.callers}-callers`;
  const callers = Array.from({ length: cfg.callers }, () => new SignedConnection(cfg.endpoint.port, signer));
  const anchor = cfg.mode === 'warm' ? await startEchoServer() : undefined;
  const anchorConnection = anchor === undefined ? undefined : new SignedConnection(anchor.port, signer);
  const anchorPath = invocationsPath(functionName);
  try {
    await createFunction(callers[0]!, functionName, trivialFunctionZip());
    await Promise.all(callers.map(async (caller) => tally.answered(await invoke(caller, functionName))));

    let stopped = false;
    const loop = async (caller: SignedConnection): Promise<void> => {
      while (!stopped) {
        if (anchorConnection === undefined) {
          tally.answered(await invoke(caller, functionName));
          continue;
        }
        for (let i = 0; i < BLOCK && !stopped; i++) tally.answered(await invoke(caller, functionName), i > 0);
        for (let i = 0; i < BLOCK && !stopped; i++) {
          const echoed = await anchorConnection.request('POST', anchorPath, EVENT);
          if (echoed.status !== 200 || echoed.body.toString() !== EVENT) tally.report(`the anchor answered HTTP ${echoed.status}`);
          else if (tally.recording && i > 0) tally.anchor.record((performance.now() - echoed.sentAt) * 1000);
        }
      }
    };
    const loops = callers.map((caller) => loop(caller).catch((err: unknown) => tally.report(`a caller stopped: ${(err as Error).message}`)));

    await sleep(cfg.warmupMs);
    const before = cpuSnapshot(cfg.brokerPid);
    tally.recording = true;
    await sleep(cfg.durationMs);
    tally.recording = false;
    const after = cpuSnapshot(cfg.brokerPid);
    stopped = true;
    const drained = await Promise.race([Promise.all(loops).then(() => true), sleep(DRAIN_MS).then(() => false)]);
    if (!drained) tally.report(`Invokes still unanswered ${DRAIN_MS} ms after the window`);

    const invocationsPerSec = Math.round((tally.answeredInWindow * 1000) / (after.at - before.at));
    return { ...tally.result(cfg.mode, cfg.callers, before, after), invocationsPerSec };
  } finally {
    for (const caller of callers) caller.close();
    anchorConnection?.close();
    anchor?.process.kill();
  }
}

/** Forks the echo server and waits for its port. */
function startEchoServer(): Promise<{ process: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(ECHO_SERVER, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (message: { port: number }) => resolve({ process: child, port: message.port }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the anchor's echo server exited (${code})`)));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
