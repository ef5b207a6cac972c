/**
 * @module bench/gateway — one of the bench's gateway loads on its own, against one hako: for trying a change to
 * the gateway path without the rest of the bench, or for driving a hako started by hand (under a profiler, say),
 * which `npm run bench` cannot. The load is the one `npm run bench -- --scenarios gateway-…` runs
 * (bench/load/gateway-run.ts), in a forked load generator.
 *
 * Run: `npm run build && node dist/bench/gateway.js [gateway-1|gateway-10|gateway-thread-1|gateway-thread-10] [seconds]`
 * (defaults gateway-1, 5).
 * `HAKO_BENCH_DATA_DIR=<dir>`: use the hako running with that data directory (its ports.json and credentials;
 * HAKO_REGION if it runs elsewhere than us-east-1) instead of starting one; its CPU is then not sampled. Each
 * run makes its own function and API, so a hako started by hand takes any number of runs.
 */
import { attachHako, HAKO_REGION, startHako } from './brokers/hako.js';
import type { BrokerHandle } from './brokers/index.js';
import { parseBenchArgs } from './cli-args.js';
import { gatewayConfig } from './runner.js';
import { SCENARIOS, type GatewayScenario } from './scenarios.js';
import { runStandalone } from './standalone.js';

const [id = 'gateway-1', seconds = '5'] = process.argv.slice(2);
const scenario = SCENARIOS.find((s): s is GatewayScenario => s.kind === 'gateway' && s.id === id);
if (scenario === undefined) throw new Error(`scenario must be one of ${SCENARIOS.filter((s) => s.kind === 'gateway').map((s) => s.id).join(', ')}, not ${id}`);
// The bench's own option parsing, so defaults and validation are the bench's.
const opts = parseBenchArgs(['--scenarios', scenario.id, '--seconds', seconds]);

const dataDir = process.env['HAKO_BENCH_DATA_DIR'];
const broker: BrokerHandle = dataDir !== undefined ? attachHako(dataDir, process.env['HAKO_REGION'] ?? HAKO_REGION) : await startHako();
// Three targets, each warmed and measured: three times a scenario's usual budget.
await runStandalone(broker, scenario, opts, (b) => gatewayConfig(opts, scenario, b), 2 * (opts.seconds + opts.warmupSeconds) * 1000);
