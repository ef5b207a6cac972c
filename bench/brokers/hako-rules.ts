/**
 * @module bench/brokers/hako-rules — hako with N topic rules on every bench message, to measure what the
 * rules engine costs the broker (issue: rules engine; target: throughput with 100 rules within 25 % of
 * `hako`). The rules are created through hako's AWS IoT API (CreateTopicRule, signed with the root key)
 * once hako listens, before any load connects.
 *
 * - Every rule's FROM is `hako-bench/#`, so every message the load publishes reaches every rule.
 * - Even rules' WHERE holds on every message, odd rules' never does: half the rules match, and which half
 *   does not depend on the payload (the load's payload is binary, so the WHERE clauses read the topic, the
 *   client id and the time). Each rule has its own expression and literal, so no two rules are the same
 *   work.
 * - A matching rule republishes its SELECT (topic, client id, timestamp: about 80 bytes of JSON) at QoS 0
 *   to `hako-bench-rules/out/<topic(2)>`. A republish is the cheapest action that still goes through the
 *   whole engine (SELECT, serialization, the substitution template, the action's promise and metrics) and
 *   is what a real rule often does. Nobody subscribes there, so it adds routing but no deliveries (no
 *   second load on the generator or the sockets), and the topic is outside `hako-bench/`, so no rule sees
 *   it again.
 *
 * The engine evaluates off the delivery path and sheds messages when its queue is full (100,000 messages),
 * so a fast figure could hide messages it never evaluated. After the load, `check` reads hako's /metrics
 * (waiting up to 10 s for the engine to catch up): a dropped message, one still not evaluated, or any match
 * count other than N/2 per message sent is a problem that marks the cell ✗.
 */
import { CreateTopicRuleCommand, IoTClient } from '@aws-sdk/client-iot';
import type { BrokerHandle, HttpEndpoint } from './broker-handle.js';
import { hakoVersion, startHakoVariant } from './hako.js';

/** How long `check` waits for the engine to finish the messages still queued after the load. */
const SETTLE_MS = 10_000;

/** Rule `i`'s WHERE clause: true on every bench message for even `i`, false for odd `i`, never the same text twice. */
export function benchWhere(i: number): string {
  const holds = i % 2 === 0;
  switch (Math.floor(i / 2) % 4) {
    case 0: return holds ? `concat(topic(1), '-${i}') = 'hako-bench-${i}'` : `topic(1) = 'elsewhere-${i}'`;
    case 1: return holds ? `startswith(topic(), 'hako-bench/') AND clientid() <> 'nobody-${i}'` : `startswith(topic(), 'elsewhere-${i}/')`;
    case 2: return holds ? `length(clientid()) + ${i} > ${i}` : `length(clientid()) > ${1000 + i}`;
    default: return holds ? `NOT (topic(2) = 'none-${i}')` : `timestamp() < ${i}`;
  }
}

export function benchRuleSql(i: number, from = 'hako-bench/#'): string {
  return `SELECT topic() AS topic, clientid() AS client, timestamp() AS at FROM '${from}' WHERE ${benchWhere(i)}`;
}

/**
 * The fleet shape (`hako-fleet100`): rule `i` reads only `hako-bench/pair/<i>`, as a fleet's rules read
 * one device's or room's topics, so the topic trie does the filtering. In the pairs scenarios each
 * message meets one rule (pairs 0–3), half of them with a WHERE that holds; in the fan-in and fan-out
 * scenarios (`hako-bench/shared`) none. The other 96 rules are attached and never reached.
 */
export function fleetRuleSql(i: number): string {
  return benchRuleSql(i, `hako-bench/pair/${i}`);
}

/** hako runs actions as itself; the role is there because AWS's model requires one. */
const republishAction = { republish: { topic: 'hako-bench-rules/out/${topic(2)}', qos: 0, roleArn: 'arn:aws:iam::000000000000:role/hako-bench-rules' } };

export function startHakoWithRules(count: number, shape: 'every-message' | 'fleet' = 'every-message'): () => Promise<BrokerHandle> {
  return async () => {
    const name = shape === 'fleet' ? `hako-fleet${count}` : `hako-rules${count}`;
    const handle = await startHakoVariant(name, `hako ${hakoVersion()} + ${count} ${shape === 'fleet' ? 'fleet ' : ''}rules`, []);
    try {
      const http = handle.http as HttpEndpoint; // every hako handle has one
      await createRules(http, count, shape === 'fleet' ? fleetRuleSql : benchRuleSql);
      // Throughput loads publish only on hako-bench/ topics, over TCP: hako received every message sent.
      // In the fleet shape how many rules a message meets depends on the scenario: only drops are checked.
      return { ...handle, check: (result) => checkEngine(http, count, shape === 'every-message' && result.kind === 'throughput' ? result.sent : undefined) };
    } catch (error) {
      await handle.stop();
      throw new Error(`creating ${count} topic rules: ${(error as Error).message}`);
    }
  };
}

async function createRules(http: HttpEndpoint, count: number, sqlOf: (i: number) => string): Promise<void> {
  const { port, region, accessKeyId, secretAccessKey } = http;
  const iot = new IoTClient({ endpoint: `http://127.0.0.1:${port}`, region, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
  try {
    for (let i = 0; i < count; i++) {
      const topicRulePayload = { sql: sqlOf(i), actions: [republishAction], awsIotSqlVersion: '2016-03-23' };
      await iot.send(new CreateTopicRuleCommand({ ruleName: `hako_bench_${String(i).padStart(3, '0')}`, topicRulePayload }));
    }
  } finally {
    iot.destroy();
  }
}

/** The rules counters of hako's /metrics, summed over their labels. */
async function ruleCounters(port: number): Promise<{ matched: number; dropped: number; failed: number; errors: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const sum = (metric: string): number =>
    text.split('\n').filter((line) => line.startsWith(`${metric} `) || line.startsWith(`${metric}{`)).reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return {
    matched: sum('hako_rule_matched_total'),
    dropped: sum('hako_rule_messages_dropped_total'),
    failed: sum('hako_rule_actions_failed_total'),
    errors: sum('hako_rule_evaluation_errors_total'),
  };
}

/**
 * Problems with the engine's part of the run, once it has caught up. `published` is every message the
 * load's publishers sent (warm-up and drain included); each one evaluated must match exactly half the rules.
 */
async function checkEngine(http: HttpEndpoint, count: number, published: number | undefined): Promise<string[]> {
  let counters = await ruleCounters(http.port);
  for (const deadline = Date.now() + SETTLE_MS; Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const next = await ruleCounters(http.port);
    const settled = next.matched === counters.matched;
    counters = next;
    if (settled) break;
  }
  const problems: string[] = [];
  if (counters.dropped > 0) problems.push(`rules engine dropped ${counters.dropped} messages unevaluated (queue full: it fell behind the broker)`);
  if (counters.failed > 0) problems.push(`${counters.failed} rule actions failed`);
  if (counters.errors > 0) problems.push(`${counters.errors} rule evaluations threw`);
  if (published === undefined) return problems;
  const matching = Math.ceil(count / 2);
  const evaluated = published - counters.dropped;
  if (counters.matched < evaluated * matching) {
    const done = Math.floor(counters.matched / matching);
    problems.push(`rules engine still behind ${SETTLE_MS / 1000} s after the load: ${done} of ${evaluated} messages evaluated`);
  } else if (counters.matched > evaluated * matching) {
    problems.push(`rules matched ${counters.matched} times, expected ${matching} per message × ${evaluated} messages`);
  }
  return problems;
}
