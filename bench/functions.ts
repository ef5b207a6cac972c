/**
 * @module bench/functions — one of the bench's function loads on its own, against one hako: for trying a
 * change to the function path without the rest of the bench, or for driving a hako started by hand (under
 * a profiler, say), which `npm run bench` cannot. The load is the one `npm run bench -- --scenarios fn-…`
 * runs (bench/load/function-*.ts), in a forked load generator.
 *
 * Run: `npm run build && node dist/bench/functions.js [fn-cold|fn-warm|fn-throughput-1|fn-throughput-4]
 * [seconds] [cold starts]` (defaults fn-warm, 5, 20). `HAKO_BENCH_DATA_DIR=<dir>`: use the hako running
 * with that data directory (its ports.json and credentials; HAKO_REGION if it runs elsewhere than
 * us-east-1) instead of starting one; its CPU is then not sampled. Function names are fixed, so a hako
 * started by hand takes one run per scenario.
 */
import { attachHako, HAKO_REGION, startHako } from './brokers/hako.js';
import type { BrokerHandle } from './brokers/index.js';
import { parseBenchArgs } from './cli-args.js';
import { functionConfig } from './runner.js';
import { SCENARIOS, type FunctionScenario } from './scenarios.js';
import { runStandalone } from './standalone.js';

const [id = 'fn-warm', seconds = '5', coldStarts = '20'] = process.argv.slice(2);
const scenario = SCENARIOS.find((s): s is FunctionScenario => s.kind === 'function' && s.id === id);
if (scenario === undefined) throw new Error(`scenario must be one of fn-cold, fn-warm, fn-throughput-1, fn-throughput-4, not ${id}`);
// The bench's own option parsing, so defaults and validation are the bench's.
const opts = parseBenchArgs(['--scenarios', scenario.id, '--seconds', seconds, '--fn-cold-starts', coldStarts]);

const dataDir = process.env['HAKO_BENCH_DATA_DIR'];
const broker: BrokerHandle = dataDir !== undefined ? attachHako(dataDir, process.env['HAKO_REGION'] ?? HAKO_REGION) : await startHako();
await runStandalone(broker, scenario, opts, (b) => functionConfig(opts, scenario, b), opts.fnColdStarts * 3000);
