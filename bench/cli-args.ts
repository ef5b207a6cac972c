/** @module bench/cli-args — parses and validates the bench's command-line flags. */
import { parseArgs } from 'node:util';
import { BROKER_NAMES, DEFAULT_BROKER_NAMES } from './brokers/index.js';
import type { ProtocolLevel } from './load/packets.js';
import { SCENARIO_IDS } from './scenarios.js';

export interface BenchOptions {
  brokers: string[];
  scenarios: string[];
  /** Measurement window per scenario. */
  seconds: number;
  warmupSeconds: number;
  payload: number;
  window: number;
  endToEndWindow: number;
  protocol: ProtocolLevel;
  /** Latency scenario rate override in msg/s (0 = half the slowest QoS 1 pairs throughput). */
  rate: number;
  connections: number;
  /** Shadow scenarios: things, each updating its own shadow. */
  shadowThings: number;
  /** Shadow scenarios: updates per thing awaiting their answer. */
  shadowInFlight: number;
  /** fn-cold: cold starts measured (and as many anchor spawns). */
  fnColdStarts: number;
  /** Measurements per (scenario, broker); the report keeps the median. */
  repeat: number;
  json: boolean;
  help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

  --brokers LIST      comma-separated, from: ${BROKER_NAMES.join(', ')}
                      (default: ${DEFAULT_BROKER_NAMES.join(',')})
  --scenarios LIST    comma-separated, from: ${SCENARIO_IDS.join(', ')} (default: all)
  --seconds N         measurement window per scenario (default 5)
  --warmup N          warm-up seconds before measuring (default 1)
  --payload BYTES     payload size, at least 12 (default 64)
  --window N          QoS 1 PUBLISH packets in flight per publisher (default 64)
  --e2e-window N      messages per publisher not yet delivered to all subscribers, 0 = unbounded (default 1000)
  --protocol 4|5      MQTT 3.1.1 (4) or 5.0 (5) (default 4)
  --rate N            latency scenario rate in msg/s (default: half the slowest QoS 1 pairs throughput)
  --connections N     idle connections for the RSS scenario (default 8000)
  --shadow-things N   shadow scenarios: things, each updating its own shadow (default 100)
  --shadow-in-flight N  shadow scenarios: updates per thing awaiting their answer (default 1)
  --fn-cold-starts N  fn-cold: cold starts measured, and as many anchor spawns (default 20)
  --repeat N          measure each (scenario, broker) N times and report the median (default 1)
  --json              print the results as JSON instead of markdown
  --help              this text
`;

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      brokers: { type: 'string', default: DEFAULT_BROKER_NAMES.join(',') },
      scenarios: { type: 'string', default: SCENARIO_IDS.join(',') },
      seconds: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      payload: { type: 'string', default: '64' },
      window: { type: 'string', default: '64' },
      'e2e-window': { type: 'string', default: '1000' },
      protocol: { type: 'string', default: '4' },
      rate: { type: 'string', default: '0' },
      connections: { type: 'string', default: '8000' },
      'shadow-things': { type: 'string', default: '100' },
      'shadow-in-flight': { type: 'string', default: '1' },
      'fn-cold-starts': { type: 'string', default: '20' },
      repeat: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const protocol = Number(values.protocol);
  if (protocol !== 4 && protocol !== 5) throw new Error('--protocol must be 4 or 5');
  return {
    brokers: list(values.brokers, BROKER_NAMES, '--brokers'),
    scenarios: list(values.scenarios, SCENARIO_IDS, '--scenarios'),
    seconds: positive(values.seconds, '--seconds'),
    warmupSeconds: positive(values.warmup, '--warmup', true),
    payload: Math.max(12, Math.round(positive(values.payload, '--payload'))),
    window: Math.round(positive(values.window, '--window')),
    endToEndWindow: Math.round(positive(values['e2e-window'], '--e2e-window', true)),
    protocol,
    rate: positive(values.rate, '--rate', true),
    connections: Math.round(positive(values.connections, '--connections')),
    shadowThings: Math.round(positive(values['shadow-things'], '--shadow-things')),
    shadowInFlight: Math.round(positive(values['shadow-in-flight'], '--shadow-in-flight')),
    fnColdStarts: Math.round(positive(values['fn-cold-starts'], '--fn-cold-starts')),
    repeat: Math.round(positive(values.repeat, '--repeat')),
    json: values.json,
    help: values.help,
  };
}

function list(value: string, allowed: string[], flag: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = items.filter((s) => !allowed.includes(s));
  if (unknown.length > 0) throw new Error(`${flag}: unknown ${unknown.join(', ')} (choose from ${allowed.join(', ')})`);
  return items;
}

function positive(value: string, flag: string, zeroAllowed = false): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!zeroAllowed && n === 0)) throw new Error(`${flag}: expected a positive number`);
  return n;
}
