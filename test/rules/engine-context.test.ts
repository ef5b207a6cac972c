/**
 * @module test/rules/engine-context.test — what the engine hands the SQL for one message, on a hooks bus of
 * its own (no broker): the publisher's principal, looked up once and only when a rule reads it, and the
 * engine's time, read when the message is evaluated rather than when it was published.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Clock } from '../../src/core/clock.js';
import { Hooks } from '../../src/core/hooks.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Message } from '../../src/mqtt/message.js';
import type { RuleMessage } from '../../src/rules/actions/index.js';
import { RulesEngine } from '../../src/rules/engine.js';
import { RuleMetrics } from '../../src/rules/metrics.js';
import { TopicRules } from '../../src/rules/registry.js';
import { MemoryRecordStore } from '../../src/store/records.js';

const ROLE = 'arn:aws:iam::000000000000:role/rules';

async function rig(sqlByRule: Record<string, string>) {
  let now = 1_000;
  let ticking = false;
  const clock: Clock = { now: () => (ticking ? ++now : now), monotonic: () => now };
  const published: RuleMessage[] = [];
  const logger = silentLogger();
  const services = {
    publish: (message: RuleMessage) => void published.push(message),
    invokeAsync: async () => undefined, putStreamRecord: async () => undefined, putDeliveryRecords: async () => undefined,
    destinationCovering: () => undefined, logger,
  };
  const rules = await TopicRules.open(new MemoryRecordStore(), clock, services);
  for (const [name, sql] of Object.entries(sqlByRule)) {
    await rules.create(name, { sql, awsIotSqlVersion: '2016-03-23', actions: [{ republish: { topic: `out/${name}`, roleArn: ROLE } }] });
  }
  const hooks = new Hooks((_name, error) => {
    throw error;
  });
  const lookups: string[] = [];
  const principalOf = (clientId: string): string | undefined => {
    lookups.push(clientId);
    return clientId === 'sensor-1' ? 'cert-1' : undefined;
  };
  const engine = new RulesEngine({ rules, hooks, clock, logger, metrics: new RuleMetrics(), accountId: '000000000000', principalOf });
  engine.start();
  const publish = (topic: string, clientId: string | undefined): void => {
    const message: Message = { topic, payload: Buffer.from('{"t": 21}'), qos: 0, retain: false, properties: undefined, expiresAt: undefined, origin: undefined };
    hooks.emit('message.publish', { message, clientId });
  };
  const outputs = (rule: string): unknown[] => published.filter((m) => m.topic === `out/${rule}`).map((m) => JSON.parse(m.payload.toString()));
  return { engine, rules, publish, outputs, lookups, setNow: (ms: number) => void (now = ms), tickingClock: () => void (ticking = true) };
}

test('principal() is looked up once per message, and only for messages a rule reading it sees', async () => {
  const { engine, publish, outputs, lookups } = await rig({
    who: "SELECT principal() AS p, clientid() AS c FROM 'room/+'",
    also: "SELECT principal() AS p FROM 'room/#' WHERE t > 20",
    plain: "SELECT t FROM 'hall/+'",
  });
  publish('room/1', 'sensor-1');
  publish('room/2', 'sensor-2');
  publish('hall/1', 'sensor-1');
  publish('room/3', undefined);
  await engine.idle();
  assert.deepEqual(outputs('who'), [{ p: 'cert-1', c: 'sensor-1' }, { c: 'sensor-2' }, { c: 'n/a' }]);
  assert.deepEqual(outputs('also'), [{ p: 'cert-1' }, {}, {}]);
  assert.deepEqual(outputs('plain'), [{ t: 21 }]);
  assert.deepEqual(lookups, ['sensor-1', 'sensor-2'], 'one lookup per message whose rules read principal(); none without a client');
});

test('timestamp() is the engine\'s time when it evaluates the message, shared by the rules it meets', async () => {
  const { engine, publish, outputs, setNow } = await rig({
    first: "SELECT timestamp() AS at FROM 'room/+'",
    second: "SELECT timestamp() AS at FROM 'room/#'",
  });
  publish('room/1', 'sensor-1');
  setNow(2_000); // after the publish, before the engine's turn
  await engine.idle();
  assert.deepEqual(outputs('first'), [{ at: 2_000 }]);
  assert.deepEqual(outputs('second'), [{ at: 2_000 }]);
  setNow(3_500);
  publish('room/2', 'sensor-1');
  await engine.idle();
  assert.deepEqual(outputs('first'), [{ at: 2_000 }, { at: 3_500 }]);
});

test('in a long turn the engine reads its clock again every 64 evaluations, so a stamp is never far behind', async () => {
  const { engine, publish, outputs, tickingClock } = await rig({ stamp: "SELECT timestamp() AS at FROM 'room/+'" });
  tickingClock(); // from here every reading is one millisecond later than the last
  for (let i = 0; i < 200; i++) publish(`room/${i}`, 'sensor-1');
  await engine.idle();
  const stamps = outputs('stamp').map((output) => (output as { at: number }).at);
  assert.equal(stamps.length, 200);
  const runs = [...new Set(stamps)].map((at) => stamps.filter((s) => s === at).length);
  assert.deepEqual(runs, [64, 64, 64, 8]);
  assert.deepEqual([...stamps].sort((a, b) => a - b), stamps, 'in order');
});

test('a replaced rule reads its new FROM only, a deleted one nothing, and Basic Ingest finds rules by their current form', async () => {
  const { engine, rules, publish, outputs } = await rig({ moving: "SELECT topic() AS t FROM 'room/+'" });
  publish('room/1', 'sensor-1');
  await engine.idle();
  await rules.replace('moving', { sql: "SELECT topic() AS t FROM 'hall/+'", awsIotSqlVersion: '2016-03-23', actions: [{ republish: { topic: 'out/moving', roleArn: ROLE } }] });
  publish('room/2', 'sensor-1');
  publish('hall/1', 'sensor-1');
  publish('$aws/rules/moving/anywhere', 'sensor-1');
  await engine.idle();
  assert.deepEqual(outputs('moving'), [{ t: 'room/1' }, { t: 'hall/1' }, { t: 'anywhere' }]);
  await rules.delete('moving');
  publish('hall/2', 'sensor-1');
  publish('$aws/rules/moving/anywhere', 'sensor-1');
  await engine.idle();
  assert.equal(outputs('moving').length, 3);
});
