/**
 * @module bench/router — micro-benchmark of the subscription hot path: `SubscriptionTrie.match` and
 * `Router.route` against 10k filters shaped like an AWS IoT fleet, printing matches per second.
 * Run: `npx tsc -p tsconfig.json && node dist/bench/router.js`. Not part of the test suite.
 */

import { Router } from '../src/mqtt/router/router.js';
import { SubscriptionTrie } from '../src/mqtt/router/trie.js';

const FILTERS = 10_000;
const DEVICES = 2_000;
const ROUNDS = 2_000_000;

/** A fleet: per-device telemetry and shadow subscriptions, a few wildcard consumers, some shared groups. */
function buildFilters(): string[] {
  const filters: string[] = [];
  for (let i = 0; filters.length < FILTERS; i++) {
    const device = `dev-${i % DEVICES}`;
    switch (i % 5) {
      case 0: filters.push(`devices/${device}/telemetry`); break;
      case 1: filters.push(`$aws/things/${device}/shadow/update/delta`); break;
      case 2: filters.push(`$aws/things/${device}/shadow/get/+`); break;
      case 3: filters.push(`fleet/region-${i % 20}/${device}/cmd/#`); break;
      default: filters.push(i % 50 === 4 ? `devices/+/status` : `a/b/c${i}`); break;
    }
  }
  filters.push('a/b/c', 'a/+/c', 'a/#', '#', '$aws/things/+/shadow/#', '$share/workers/devices/+/telemetry');
  return filters;
}

/** Topics decoded from bytes, as the codec yields them: literals would be internalized and hit V8's split cache. */
const fromWire = (topic: string): string => Buffer.from(topic, 'utf8').toString('utf8');

const TOPICS = [
  'a/b/c',
  'devices/dev-17/telemetry',
  'devices/dev-99/status',
  '$aws/things/dev-5/shadow/update/delta',
  '$aws/things/dev-5/shadow/get/accepted',
  'fleet/region-3/dev-1203/cmd/reboot/now',
  'unrelated/topic/with/no/subscribers',
].map(fromWire);
const ABC = [fromWire('a/b/c'), fromWire('a/b/c')];

function measure(label: string, topics: readonly string[], run: (topic: string) => void): void {
  for (let i = 0; i < 200_000; i++) run(topics[i % topics.length]!); // warm-up so the JIT settles
  const start = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) run(topics[i % topics.length]!);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${label.padEnd(40)} ${(ROUNDS / seconds / 1e6).toFixed(2)} M matches/s`);
}

const filters = buildFilters();
const trie = new SubscriptionTrie<number>();
const router = new Router<number>(() => true);
filters.forEach((filter, i) => {
  if (!filter.startsWith('$share/')) trie.add(filter, `client-${i}`, 1);
  router.subscribe(`client-${i}`, filter, 1);
});

let visits = 0;
const count = (): void => {
  visits++;
};
console.log(`${filters.length} filters, ${trie.nodeCount} trie nodes, node ${process.version}`);
measure('trie.match  a/b/c', ABC, (t) => trie.match(t, count));
measure('trie.match  topic mix', TOPICS, (t) => trie.match(t, count));
measure('router.route a/b/c', ABC, (t) => router.route(t, count));
measure('router.route topic mix', TOPICS, (t) => router.route(t, count));
console.log(`(${visits} visits)`);
