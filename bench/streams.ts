/**
 * @module bench/streams — one of the bench's stream loads on its own (firehose-ndjson, firehose-gzip,
 * firehose-parquet, stream-to-function), against one hako: for trying a change to the delivery or event source
 * path without the rest of the bench, or for driving a hako started by hand (under a profiler, say), which
 * `npm run bench` cannot. The load is the one `npm run bench -- --scenarios …` runs (bench/load/firehose-run.ts,
 * bench/load/stream-function-run.ts), in a forked load generator.
 *
 * Run: `npm run build && node dist/bench/streams.js [firehose-ndjson|firehose-gzip|firehose-parquet|stream-to-function]
 * [seconds] [warm-up seconds]` (defaults firehose-ndjson, 5, 1). `HAKO_BENCH_DATA_DIR=<dir>`: use the hako running
 * with that data directory (its ports.json and credentials; HAKO_REGION if it runs elsewhere than us-east-1)
 * instead of starting one; its CPU is then not sampled. Streams and functions get names unique per run.
 */
import { attachHako, HAKO_REGION, startHako } from './brokers/hako.js';
import type { BrokerHandle } from './brokers/index.js';
import { parseBenchArgs } from './cli-args.js';
import { firehoseConfig, streamFunctionConfig } from './runner.js';
import { SCENARIOS, type FirehoseScenario, type StreamFunctionScenario } from './scenarios.js';
import { runStandalone } from './standalone.js';

const [id = 'firehose-ndjson', seconds = '5', warmup = '1'] = process.argv.slice(2);
const scenario = SCENARIOS.find((s): s is FirehoseScenario | StreamFunctionScenario => (s.kind === 'firehose' || s.kind === 'stream-function') && s.id === id);
if (scenario === undefined) throw new Error(`scenario must be one of firehose-ndjson, firehose-gzip, firehose-parquet, stream-to-function, not ${id}`);
// The bench's own option parsing, so defaults and validation are the bench's.
const opts = parseBenchArgs(['--scenarios', scenario.id, '--seconds', seconds, '--warmup', warmup]);

const dataDir = process.env['HAKO_BENCH_DATA_DIR'];
const broker: BrokerHandle = dataDir !== undefined ? attachHako(dataDir, process.env['HAKO_REGION'] ?? HAKO_REGION) : await startHako();
// Firehose: two waits for delivery (up to a minute each) and the plain write, besides the load.
await runStandalone(broker, scenario, opts, (b) => (scenario.kind === 'firehose' ? firehoseConfig(opts, scenario, b) : streamFunctionConfig(opts, scenario, b)), 120_000);
