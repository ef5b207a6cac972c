/**
 * @module bench/shadow — the bench's shadow-mqtt or shadow-http load on its own, against one hako: for
 * trying a change to the shadow path without the broker comparison, or for driving a hako started by hand
 * (under a profiler, say), which `npm run bench` cannot. The load is bench/load/shadow-run.ts, run in a
 * forked load generator exactly as `npm run bench -- --scenarios shadow-mqtt,shadow-http` runs it.
 *
 * Run: `npm run build && node dist/bench/shadow.js [things] [in-flight] [seconds] [mqtt|http]` (defaults
 * 100, 1, 5, mqtt). `HAKO_BENCH_DATA_DIR=<dir>`: use the hako running with that data directory (its
 * ports.json and credentials; HAKO_REGION if it runs elsewhere than us-east-1) instead of starting one;
 * its CPU is then not sampled. `HAKO_BENCH_PORT=<port>`: the same over MQTT with only the port known.
 */
import { attachHako, HAKO_REGION, startHako } from './brokers/hako.js';
import type { BrokerHandle } from './brokers/index.js';
import { parseBenchArgs } from './cli-args.js';
import { shadowConfig } from './runner.js';
import { SCENARIOS, type ShadowScenario } from './scenarios.js';
import { runStandalone } from './standalone.js';

const [things = '100', inFlight = '1', seconds = '5', transport = 'mqtt'] = process.argv.slice(2);
const scenario = SCENARIOS.find((s): s is ShadowScenario => s.kind === 'shadow' && s.transport === transport);
if (scenario === undefined) throw new Error(`transport must be mqtt or http, not ${transport}`);
// The bench's own option parsing, so defaults and validation are the bench's.
const opts = parseBenchArgs(['--scenarios', scenario.id, '--shadow-things', things, '--shadow-in-flight', inFlight, '--seconds', seconds]);

const dataDir = process.env['HAKO_BENCH_DATA_DIR'];
const port = process.env['HAKO_BENCH_PORT'];
const broker: BrokerHandle =
  dataDir !== undefined
    ? attachHako(dataDir, process.env['HAKO_REGION'] ?? HAKO_REGION)
    : port !== undefined
      ? { name: 'hako', label: `hako on port ${port}`, port: Number(port), pid: 0, stop: async () => undefined }
      : await startHako();
await runStandalone(broker, scenario, opts, (b) => shadowConfig(opts, scenario, b));
