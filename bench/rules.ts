/**
 * @module bench/rules — micro-benchmark of the rules engine on one core: 100 typical rules (a JSON
 * payload, SELECT of two fields and topic(2), a WHERE that holds for half of them), printing rule
 * evaluations per second and ns per evaluation (issue: rules engine; target ≥ 100,000 evaluations/s).
 * Run: `npx tsc -p tsconfig.json && node dist/bench/rules.js [messages] [layers]`, layers a comma-separated
 * subset of `sql,engine,republish` (default all; one at a time for `node --cpu-prof`). Not part of the test suite.
 *
 * Three layers, each including the one before, so their differences say where the time goes:
 * - `sql`: `parseSql` once per rule, then `evaluate` of every rule against one shared context per message
 *   (the payload parsed once, by the first rule).
 * - `engine`: the real TopicRules (over a MemoryRecordStore) and RulesEngine, fed through the
 *   `message.publish` hook: trie matching, the queue, setImmediate batches, the matched metric, the
 *   output serialized, the actions' promises. Rules without actions.
 * - `engine + republish`: the same, the matching rules republishing to `out/${topic(2)}` into a stub
 *   publish (the broker's routing of the republished message is not counted).
 */
import { systemClock } from '../src/core/clock.js';
import { Hooks } from '../src/core/hooks.js';
import { silentLogger } from '../src/core/logger.js';
import type { Message } from '../src/mqtt/message.js';
import { RulesEngine } from '../src/rules/engine.js';
import { RuleMetrics } from '../src/rules/metrics.js';
import { TopicRules } from '../src/rules/registry.js';
import { evaluate, parseSql, type EvalContext } from '../src/rules/sql/index.js';
import { MemoryRecordStore } from '../src/store/records.js';

const RULES = 100;
const MESSAGES = Number(process.argv[2] ?? 20_000);
const LAYERS = (process.argv[3] ?? 'sql,engine,republish').split(',');
const DEVICES = 50;

/**
 * Rule `i`'s WHERE: true on every payload below for even `i`, false for odd `i`. Every rule has its own
 * literal, so no two rules are the same work; the kinds mix payload fields, topic() and functions.
 */
function where(i: number): string {
  const holds = i % 2 === 0;
  switch (Math.floor(i / 2) % 4) {
    case 0: return holds ? `temperature > ${(i / 10).toFixed(1)}` : `temperature > ${100 + i}`;
    case 1: return holds ? `humidity < ${80 + i} AND room = 'kitchen'` : `humidity < ${i % 50} AND room = 'kitchen'`;
    case 2: return holds ? `startswith(topic(), 'sensors/') AND humidity > ${i % 60}` : `room = 'cellar-${i}'`;
    default: return holds ? `topic(3) = 'env' AND temperature <> -${i}` : `topic(2) = 'nobody-${i}'`;
  }
}

const sqlOf = (i: number): string => `SELECT humidity, temperature, topic(2) AS device FROM 'sensors/+/env' WHERE ${where(i)}`;
const VERSION = '2016-03-23';

/** Payloads and topics as bytes decoded per message, as the broker hands them over (no interned literals). */
function message(n: number): { topic: string; payload: Buffer } {
  const humidity = 70 + (n % 6);
  const temperature = 20 + (n % 7) / 2;
  return {
    topic: Buffer.from(`sensors/dev-${n % DEVICES}/env`).toString('utf8'),
    payload: Buffer.from(`{"humidity":${humidity},"temperature":${temperature},"room":"kitchen"}`),
  };
}

interface Run {
  evaluations: number;
  matched: number;
  ns: bigint;
  cpuUs: number;
}

function report(label: string, run: Run): void {
  const seconds = Number(run.ns) / 1e9;
  const perSec = run.evaluations / seconds;
  const nsPer = Number(run.ns) / run.evaluations;
  const cpu = (run.cpuUs / 1e6 / seconds) * 100;
  const cpuNsPer = (run.cpuUs * 1000) / run.evaluations;
  console.log(
    `${label.padEnd(20)} ${(perSec / 1000).toFixed(0).padStart(5)}k evaluations/s  ${nsPer.toFixed(0).padStart(5)} ns/evaluation  ` +
      `(CPU ${cpuNsPer.toFixed(0)} ns/evaluation, ${cpu.toFixed(0)} % of one core; ${run.matched} of ${run.evaluations} matched)`,
  );
}

/** Times `body`; CPU beside wall time shows a run that was preempted (below 100 %) or helped by GC threads (above). */
async function timed(body: () => Promise<{ evaluations: number; matched: number }>): Promise<Run> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const counts = await body();
  const ns = process.hrtime.bigint() - start;
  const used = process.cpuUsage(cpu);
  return { ...counts, ns, cpuUs: used.user + used.system };
}

async function sqlOnly(messages: number): Promise<{ evaluations: number; matched: number }> {
  const statements = Array.from({ length: RULES }, (_, i) => parseSql(sqlOf(i), VERSION));
  let matched = 0;
  for (let n = 0; n < messages; n++) {
    const { topic, payload } = message(n);
    const context: EvalContext = { payload, topic, clientId: `dev-${n % DEVICES}`, timestamp: Date.now(), accountId: '000000000000' };
    for (const statement of statements) if (evaluate(statement, context).matched) matched++;
  }
  return { evaluations: messages * RULES, matched };
}

/** A RulesEngine on a hooks bus of its own, its matching rules republishing into a counter. */
async function engineRig(withActions: boolean): Promise<{ feed: (messages: number) => Promise<{ evaluations: number; matched: number }> }> {
  let republished = 0;
  const logger = silentLogger();
  const services = { publish: () => void republished++, invokeAsync: async () => undefined, putStreamRecord: async () => undefined, putDeliveryRecords: async () => undefined, destinationCovering: () => undefined, logger };
  const rules = await TopicRules.open(new MemoryRecordStore(), systemClock, services);
  const actions = (i: number): Record<string, unknown>[] =>
    withActions && i % 2 === 0 ? [{ republish: { topic: 'out/${topic(2)}', qos: 0, roleArn: 'arn:aws:iam::000000000000:role/bench' } }] : [];
  for (let i = 0; i < RULES; i++) await rules.create(`rule_${i}`, { sql: sqlOf(i), actions: actions(i), awsIotSqlVersion: VERSION });
  const hooks = new Hooks((_name, error) => {
    throw error;
  });
  const metrics = new RuleMetrics();
  const engine = new RulesEngine({ rules, hooks, clock: systemClock, logger, metrics, accountId: '000000000000', principalOf: () => undefined });
  engine.start();
  const matchedSoFar = async (): Promise<number> => (await metrics.matched.get()).values.reduce((sum, v) => sum + v.value, 0);
  return {
    feed: async (messages) => {
      const before = await matchedSoFar();
      // Chunks well under the engine's queue bound, as a broker's socket reads would arrive.
      for (let n = 0; n < messages; n += 1000) {
        for (let k = n; k < Math.min(messages, n + 1000); k++) {
          const { topic, payload } = message(k);
          const msg: Message = { topic, payload, qos: 0, retain: false, properties: undefined, expiresAt: undefined, origin: undefined };
          hooks.emit('message.publish', { message: msg, clientId: `dev-${k % DEVICES}` });
        }
        while (engine.queued > 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await new Promise((resolve) => setImmediate(resolve)); // the last actions' promises
      if (withActions && republished === 0) throw new Error('no rule republished anything');
      return { evaluations: messages * RULES, matched: (await matchedSoFar()) - before };
    },
  };
}

console.log(`${RULES} rules (half matching), ${MESSAGES} messages of ${message(0).payload.length} bytes, node ${process.version}`);
const warmup = Math.max(1000, MESSAGES / 10); // so the JIT settles before the clock starts
if (LAYERS.includes('sql')) {
  await sqlOnly(warmup);
  report('sql', await timed(() => sqlOnly(MESSAGES)));
}
for (const withActions of [false, true]) {
  if (!LAYERS.includes(withActions ? 'republish' : 'engine')) continue;
  const rig = await engineRig(withActions);
  await rig.feed(warmup);
  report(withActions ? 'engine + republish' : 'engine', await timed(() => rig.feed(MESSAGES)));
}
