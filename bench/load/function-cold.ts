/**
 * @module bench/load/function-cold — cold starts (scenario fn-cold): the Invoke that has to start a new
 * execution environment, from the request to its answer, and a plain `node -e` spawn as the anchor.
 *
 * One function, `bench-cold`, with the trivial handler. Before each cold start an
 * UpdateFunctionConfiguration gives it new environment variables: a new revision, so hako retires the idle
 * environment and the next Invoke must spawn one (one function and at most one live environment, where a
 * fresh function per start would leave an idle environment per start behind). The Invoke asks for the log
 * tail (`X-Amz-Log-Type: Tail`) to read hako's `Init Duration`: the share of the cold start between the
 * spawn and the runtime's first poll. Then, as many times, the anchor: `child_process.spawn` of this Node
 * with `-e "process.stdout.write('x')"` until it has exited and its output is read, the least a new
 * Node process costs on this machine. The two alternate, so a disturbance hits both.
 *
 * The anchor gets the environment variables hako gives an environment's process (PATH, LANG, TZ), not the
 * generator's: variables such as NODE_EXTRA_CA_CERTS or NODE_OPTIONS change Node's start-up (a CA bundle
 * in NODE_EXTRA_CA_CERTS is read and parsed before any code runs: 90 ms on the bench machine), and
 * hako's environments never see them.
 *
 * Pauses between the steps keep the killed environment's teardown and the previous spawn's exit out of the
 * next measurement. The first starts are not measured: they load hako's own Lambda code paths.
 */
import { spawn } from 'node:child_process';
import type { FunctionLoad, FunctionResult } from './config.js';
import { cpuSnapshot, FunctionTally } from './function-tally.js';
import { createFunction, initDurationMs, invoke, lambdaSigner, SignedConnection, trivialFunctionZip, updateVariables } from './lambda-api.js';

const FUNCTION_NAME = 'bench-cold';
const UNMEASURED_STARTS = 2;
const SETTLE_MS = 100;
/** What hako's environment.ts passes besides the function's own and AWS's variables. */
const ANCHOR_ENV = { PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', LANG: 'en_US.UTF-8', TZ: ':UTC' };

export async function runColdStarts(cfg: FunctionLoad): Promise<FunctionResult> {
  const tally = new FunctionTally();
  const connection = new SignedConnection(cfg.endpoint.port, lambdaSigner(cfg.endpoint));
  try {
    await createFunction(connection, FUNCTION_NAME, trivialFunctionZip());
    let before = cpuSnapshot(cfg.brokerPid);
    for (let i = -UNMEASURED_STARTS; i < cfg.coldStarts; i++) {
      if (i === 0) before = cpuSnapshot(cfg.brokerPid);
      tally.recording = i >= 0;
      await updateVariables(connection, FUNCTION_NAME, { BENCH_COLD_START: String(i) });
      await sleep(SETTLE_MS);
      const response = await invoke(connection, FUNCTION_NAME, true);
      tally.answered(response);
      const init = initDurationMs(response);
      if (init === undefined) tally.report('a cold Invoke without Init Duration in its log: not a cold start?');
      else if (tally.recording) tally.initDuration.record(init * 1000);
      await sleep(SETTLE_MS);
      const anchorMs = await spawnNode();
      if (tally.recording) tally.anchor.record(anchorMs * 1000);
    }
    const after = cpuSnapshot(cfg.brokerPid);
    return { ...tally.result('cold', 1, before, after), invocationsPerSec: 0 };
  } finally {
    connection.close();
  }
}

/** Milliseconds from `spawn` until a `node -e` printing one byte has exited and its output was read. */
function spawnNode(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', "process.stdout.write('x')"], { env: ANCHOR_ENV, stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.once('error', reject);
    // 'close' comes after both the exit and the end of stdout.
    child.once('close', (code) => {
      if (code === 0 && output === 'x') resolve(performance.now() - started);
      else reject(new Error(`the anchor's node -e exited with ${code} and printed ${JSON.stringify(output)}`));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
