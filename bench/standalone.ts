/**
 * @module bench/standalone — what the single-scenario runners (`bench/shadow.ts`, `bench/functions.ts`, `bench/gateway.ts`)
 * share: run one load against one broker in a forked load generator, print the outcome as `npm run bench`
 * describes it, set a failing exit code when the load failed or found problems, and stop the broker.
 */
import type { BrokerHandle } from './brokers/index.js';
import type { BenchOptions } from './cli-args.js';
import type { LoadConfig } from './load/config.js';
import { runLoad } from './load/fork-load.js';
import { describeOutcome, titleOf } from './runner.js';
import type { Scenario } from './scenarios.js';

export async function runStandalone(broker: BrokerHandle, scenario: Scenario, opts: BenchOptions, configure: (broker: BrokerHandle) => LoadConfig, extraBudgetMs = 0): Promise<void> {
  try {
    const budgetMs = 60_000 + (opts.seconds + opts.warmupSeconds) * 1000 + extraBudgetMs;
    const outcome = await runLoad(configure(broker), budgetMs).then(
      (result) => ({ ok: true as const, result, samples: [] }),
      (err: unknown) => ({ ok: false as const, error: (err as Error).message }),
    );
    console.log(`${broker.label}, ${titleOf(scenario, opts)}, ${opts.seconds} s after ${opts.warmupSeconds} s warm-up, node ${process.version}`);
    console.log(describeOutcome(outcome));
    if (!outcome.ok || !outcome.result.ok) process.exitCode = 1;
  } finally {
    await broker.stop();
  }
}
