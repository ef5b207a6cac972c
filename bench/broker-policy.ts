/**
 * @module bench/broker-policy — what an IoT policy costs per message inside the broker, measured in one
 * process without sockets: decoded PUBLISH packets go into channels, the broker routes them, encoded
 * deliveries go to outlets that drop them. The same run with no policy and with a realistic fleet policy
 * (checks on every PUBLISH and every delivery) gives the overhead as a ratio, free of the network noise
 * that makes the end-to-end bench move ±30 % between windows on this machine.
 * Run: `npx tsc -p tsconfig.json && node dist/bench/broker-policy.js`. Not part of the test suite.
 *
 * Wall time on a shared VM moves a lot even in one process; instructions do not. For a count, run one
 * configuration at a time under callgrind and take the difference between two message counts, which
 * cancels start-up and warm-up: `valgrind --tool=callgrind --callgrind-out-file=/dev/null node
 * dist/bench/broker-policy.js policy 100000` (and `… policy 0`, `… plain 100000`, `… plain 0`).
 */
import { Hooks } from '../src/core/hooks.js';
import { defaultMqttSettings } from '../src/core/config.js';
import { silentLogger } from '../src/core/logger.js';
import { systemClock } from '../src/core/clock.js';
import { ChangeFeed } from '../src/core/change-feed.js';
import { Broker } from '../src/mqtt/broker.js';
import { Channel, type Outlet } from '../src/mqtt/channel/channel.js';
import type { Authenticator } from '../src/mqtt/auth.js';
import { MemorySessionStore } from '../src/mqtt/session/memory-session-store.js';
import { MemoryRetainedStore } from '../src/mqtt/session/memory-retained-store.js';
import type { PublishPacket } from '../src/mqtt/codec/index.js';
import { MqttAuthorizer } from '../src/iam/authorizer.js';
import { arnsFor } from '../src/iam/arns.js';
import { compilePolicy, parsePolicyDocument } from '../src/iam/policy/index.js';
import type { Certificates } from '../src/iam/certificates.js';
import type { Policies } from '../src/iam/policies.js';
import type { Registry } from '../src/registry/registry.js';
import { benchPolicy } from './brokers/hako-policy.js';

const PAIRS = 4;
const ROUNDS = 5;
const [mode, count] = process.argv.slice(2);
const MESSAGES = count === undefined ? 400_000 : Number(count);

const outlet = (): Outlet => ({ write: () => undefined, bufferedBytes: () => 0, end: () => undefined, remoteAddress: '127.0.0.1:1' });

function anonymousAuthorizer(withPolicy: boolean): Authenticator {
  if (!withPolicy) return { authenticate: () => ({ ok: true, access: undefined }), accessFor: () => undefined };
  const parsed = parsePolicyDocument(JSON.stringify(benchPolicy));
  if (!parsed.ok) throw new Error(parsed.message);
  // Anonymous clients never reach the certificate, policy or thing registries.
  const unused = {} as Certificates & Policies & Registry;
  return new MqttAuthorizer({
    certificates: unused, policies: unused, registry: unused, changes: new ChangeFeed(), arns: arnsFor('us-east-1', '000000000000'), logger: silentLogger(),
    anonymous: { allowed: true, policy: compilePolicy('bench', parsed.document) },
  });
}

/**
 * Publishes MESSAGES QoS 0 messages over PAIRS publisher→subscriber pairs; ns per message. QoS 0 keeps the
 * journal and acknowledgements out of the measurement: the policy checks are the same for every QoS.
 */
async function run(withPolicy: boolean): Promise<number> {
  const broker = new Broker({
    settings: { ...defaultMqttSettings, maxInflightOutbound: 1 << 30, maxQueuedMessages: 1 << 30 },
    sessionStore: new MemorySessionStore(), retainedStore: new MemoryRetainedStore(), hooks: new Hooks(() => undefined),
    logger: silentLogger(), clock: systemClock, authenticator: anonymousAuthorizer(withPolicy),
  });
  await broker.start();
  const connect = (clientId: string): Channel => {
    const channel = new Channel(broker, outlet(), broker.settings, silentLogger(), 0);
    broker.addChannel(channel);
    channel.handle({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId, keepalive: 0 }, 0);
    return channel;
  };
  const publishers: Channel[] = [];
  const packets: PublishPacket[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const topic = `hako-bench/pair/${i}`;
    const subscriber = connect(`hb-sub-${i}`);
    subscriber.handle({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos: 0 }] }, 0);
    publishers.push(connect(`hb-pub-${i}`));
    // The topic comes off the wire as a fresh string each time in real traffic; one per pair is close enough
    // for the lookups, which hash it either way.
    packets.push({ cmd: 'publish', topic: Buffer.from(topic).toString(), payload: Buffer.alloc(64), qos: 0, retain: false, dup: false });
  }
  const once = (count: number): void => {
    for (let m = 0; m < count; m++) {
      const i = m % PAIRS;
      (publishers[i] as Channel).handle({ ...(packets[i] as PublishPacket) }, 0);
    }
  };
  once(20_000); // warm-up
  await new Promise((resolve) => setImmediate(resolve));
  const start = process.hrtime.bigint();
  once(MESSAGES);
  const ns = Number(process.hrtime.bigint() - start) / Math.max(1, MESSAGES);
  await broker.stop();
  return ns;
}

if (mode === 'plain' || mode === 'policy') {
  console.log(`${mode}: ${(await run(mode === 'policy')).toFixed(0)} ns/message over ${MESSAGES} messages`);
  process.exit(0);
}
console.log(`node ${process.version}; ${PAIRS} pairs, ${MESSAGES} messages per round, median of ${ROUNDS} rounds, runs alternate`);
const plain: number[] = [];
const policy: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  plain.push(await run(false));
  policy.push(await run(true));
}
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const [a, b] = [median(plain), median(policy)];
console.log(`no policy ${a.toFixed(0)} ns/message, fleet policy ${b.toFixed(0)} ns/message, ratio ${(b / a).toFixed(3)}`);
console.log(`rounds: ${plain.map((v) => v.toFixed(0)).join(' ')} | ${policy.map((v) => v.toFixed(0)).join(' ')}`);
