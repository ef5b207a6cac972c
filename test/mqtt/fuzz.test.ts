/**
 * @module test/mqtt/fuzz — robustness of one live hako against garbage on the wire.
 *
 * While a healthy publisher and two healthy subscribers (3.1.1 and 5.0, both also subscribed to `#`, so
 * whatever the garbage manages to publish reaches them) keep exchanging QoS 1 messages, thousands of
 * other connections send: random byte strings; valid packets generated with mqtt-packet and then mutated,
 * before CONNECT and after a valid one; and remaining-length headers announcing 200 MB. Afterwards hako
 * must have thrown nothing (no uncaught exception, no "internal error" logged), the healthy clients must
 * still talk, a late subscriber to `#` must survive what the garbage retained, and the connection count
 * must settle back to the healthy three.
 *
 * The PRNG is seeded; the seed is printed, and `HAKO_FUZZ_SEED=<seed>` replays a run exactly (case order
 * and bytes; the interleaving of concurrent connections can still differ). `HAKO_FUZZ_SCALE=20` runs
 * twenty times the cases, for a deeper search than CI's few thousand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import mqttPacket, { type Packet, type IPublishPacket, type ISubackPacket, type IDisconnectPacket } from 'mqtt-packet';
import { pino } from 'pino';
import { resolveConfig } from '../../src/core/config.js';
import { startHako, type RunningHako } from '../../src/main.js';
import { RawClient } from '../helpers/raw-client.js';

type Version = 3 | 4 | 5;

// ── seeded randomness ───────────────────────────────────────────────────────────────────────────────

class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** mulberry32: small, fast, and good enough to pick bytes. */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

// ── valid packets, then mutated ─────────────────────────────────────────────────────────────────────

const TOPICS = ['fuzz/a', 'fuzz/b/c', 'fuzz/+/c', 'fuzz/#', '#', '+', 'fuzz//x', '$share/g/fuzz/a', '$SYS/x', '', 'fuzz/\u00e9', 'a'.repeat(300)];
const CLIENT_IDS = ['fuzz-1', 'fuzz-2', 'fuzz-3', '', 'f'.repeat(130)];

function userProperties(rng: Rng): Record<string, string | string[]> {
  return rng.chance(0.5) ? { k: 'v', [`n${rng.int(9)}`]: ['1', '2'] } : { '': '' };
}

function messageProperties(rng: Rng): NonNullable<IPublishPacket['properties']> {
  const props: NonNullable<IPublishPacket['properties']> = {};
  if (rng.chance(0.5)) props.payloadFormatIndicator = rng.chance(0.5);
  if (rng.chance(0.5)) props.messageExpiryInterval = rng.pick([0, 1, 60, 4_294_967_295]);
  if (rng.chance(0.3)) props.topicAlias = rng.pick([1, 2, 8, 9, 65_535]);
  if (rng.chance(0.5)) props.responseTopic = rng.pick(TOPICS);
  if (rng.chance(0.5)) props.correlationData = rng.bytes(rng.int(8));
  if (rng.chance(0.5)) props.userProperties = userProperties(rng);
  if (rng.chance(0.1)) props.subscriptionIdentifier = rng.pick([1, 268_435_455]);
  if (rng.chance(0.4)) props.contentType = rng.pick(['text/plain', '', 'application/json']);
  return props;
}

function randomConnect(rng: Rng, version: Version): Packet {
  const connect: mqttPacket.IConnectPacket = {
    cmd: 'connect',
    protocolVersion: version,
    protocolId: version === 3 ? 'MQIsdp' : 'MQTT',
    clientId: rng.pick(CLIENT_IDS),
    clean: rng.chance(0.7),
    keepalive: rng.pick([0, 1, 60, 65_535]),
  };
  if (rng.chance(0.3)) connect.username = 'user';
  if (connect.username !== undefined && rng.chance(0.5)) connect.password = rng.bytes(4);
  if (rng.chance(0.4)) {
    connect.will = { topic: rng.pick(TOPICS), payload: rng.bytes(rng.int(16)), qos: rng.pick([0, 1, 2] as const), retain: rng.chance(0.5) };
    if (version === 5) connect.will.properties = { willDelayInterval: rng.pick([0, 1, 3600]), ...messageProperties(rng), topicAlias: undefined, subscriptionIdentifier: undefined } as never;
  }
  if (version === 5) {
    connect.properties = {
      sessionExpiryInterval: rng.pick([0, 10, 4_294_967_295]),
      receiveMaximum: rng.pick([1, 10, 65_535]),
      maximumPacketSize: rng.pick([20, 1000, 268_435_455]),
      topicAliasMaximum: rng.pick([0, 2, 65_535]),
      requestProblemInformation: rng.chance(0.5),
      requestResponseInformation: rng.chance(0.5),
      userProperties: userProperties(rng),
    };
    if (rng.chance(0.05)) connect.properties.authenticationMethod = 'SCRAM-SHA-1';
  }
  return connect;
}

/** A connection that CONNECTs validly first: the garbage after it is decoded with this version. */
function validConnect(rng: Rng, version: Version): Packet {
  return { cmd: 'connect', protocolVersion: version, protocolId: version === 3 ? 'MQIsdp' : 'MQTT', clientId: `fuzz-${rng.int(4)}`, clean: rng.chance(0.7), keepalive: 60 };
}

function randomPacket(rng: Rng, version: Version): Packet {
  const v5 = version === 5;
  const messageId = rng.pick([1, 2, 65_535]);
  const reason = (codes: number[]): { reasonCode?: number } => (v5 ? { reasonCode: rng.pick(codes) } : {});
  switch (rng.int(11)) {
    case 0:
      return randomConnect(rng, version);
    case 1:
    case 2: {
      const qos = rng.pick([0, 1, 2] as const);
      const publish: IPublishPacket = { cmd: 'publish', topic: rng.pick(TOPICS), payload: rng.bytes(rng.int(40)), qos, retain: rng.chance(0.3), dup: rng.chance(0.2) };
      if (qos > 0) publish.messageId = messageId;
      if (v5) publish.properties = messageProperties(rng);
      return publish;
    }
    case 3: {
      const subscriptions = Array.from({ length: 1 + rng.int(3) }, () => ({ topic: rng.pick(TOPICS), qos: rng.pick([0, 1, 2] as const), nl: rng.chance(0.3), rap: rng.chance(0.3), rh: rng.pick([0, 1, 2]) }));
      return { cmd: 'subscribe', messageId, subscriptions, ...(v5 ? { properties: { subscriptionIdentifier: rng.pick([1, 5, 268_435_455]), userProperties: userProperties(rng) } } : {}) };
    }
    case 4:
      return { cmd: 'unsubscribe', messageId, unsubscriptions: [rng.pick(TOPICS)], ...(v5 ? { properties: { userProperties: userProperties(rng) } } : {}) };
    case 5:
      return { cmd: rng.pick(['puback', 'pubrec'] as const), messageId, ...reason([0, 0x10, 0x80, 0x97]) };
    case 6:
      return { cmd: rng.pick(['pubrel', 'pubcomp'] as const), messageId, ...reason([0, 0x92]) };
    case 7:
      return { cmd: 'pingreq' };
    case 8:
      return { cmd: 'disconnect', ...(v5 ? { reasonCode: rng.pick([0, 4, 0x80]), properties: { sessionExpiryInterval: rng.pick([0, 30]), reasonString: 'bye' } } : {}) };
    case 9:
      return v5 ? { cmd: 'auth', reasonCode: rng.pick([0, 0x18, 0x19]), properties: { authenticationMethod: 'x', authenticationData: rng.bytes(3) } } : { cmd: 'pingreq' };
    default:
      // Packets only a server may send.
      return rng.chance(0.5) ? { cmd: 'pingresp' } : { cmd: 'connack', sessionPresent: false, returnCode: 0, ...reason([0]) };
  }
}

/** Encodes a packet from `make`; when mqtt-packet refuses the combination drawn (it checks some), draws again. */
function encodeRandom(rng: Rng, version: Version, make: (rng: Rng, version: Version) => Packet): { packet: Packet; bytes: Buffer } {
  for (;;) {
    const packet = make(rng, version);
    try {
      return { packet, bytes: mqttPacket.generate(packet, { protocolVersion: version }) };
    } catch {
      // e.g. "clientId must be supplied before 3.1.1": draw another
    }
  }
}

/** Length of the fixed header (type byte + remaining-length varint) of a generated packet. */
function fixedHeaderLength(bytes: Buffer): number {
  let i = 1;
  while (i < bytes.length && i < 5 && ((bytes[i] as number) & 0x80) !== 0) i++;
  return Math.min(i + 1, bytes.length);
}

const HUGE_LENGTHS = [
  Buffer.from([0xff, 0xff, 0xff, 0x7f]), // 268,435,455: the largest the wire format allows
  Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]), // five bytes: not a valid Variable Byte Integer
  Buffer.from([0x80, 0x80, 0x80, 0x01]), // 2,097,152
  Buffer.from([0x80, 0x80, 0x00]), // non-minimal encoding of 0
];

function mutate(rng: Rng, packet: Buffer): { bytes: Buffer; how: string } {
  const bytes = Buffer.from(packet);
  switch (rng.int(7)) {
    case 0: {
      const flips = 1 + rng.int(8);
      for (let i = 0; i < flips; i++) {
        const at = rng.int(bytes.length);
        bytes[at] = (bytes[at] as number) ^ (1 << rng.int(8));
      }
      return { bytes, how: `flip ${flips} bits` };
    }
    case 1: {
      const at = rng.int(bytes.length);
      return { bytes: bytes.subarray(0, at), how: `truncate to ${at}` };
    }
    case 2: {
      const from = rng.int(bytes.length);
      const to = from + 1 + rng.int(bytes.length - from);
      return { bytes: Buffer.concat([bytes.subarray(0, to), bytes.subarray(from, to), bytes.subarray(to)]), how: `duplicate ${from}..${to}` };
    }
    case 3: {
      const at = rng.int(bytes.length + 1);
      const inserted = rng.bytes(1 + rng.int(6));
      return { bytes: Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]), how: `insert ${inserted.length} at ${at}` };
    }
    case 4: {
      const huge = rng.pick(HUGE_LENGTHS);
      return { bytes: Buffer.concat([bytes.subarray(0, 1), huge, bytes.subarray(fixedHeaderLength(bytes))]), how: `remaining length ${huge.toString('hex')}` };
    }
    case 5: {
      // Keep the fixed header, scramble the body: the declared length no longer describes the content.
      const header = fixedHeaderLength(bytes);
      const body = rng.bytes(Math.max(0, bytes.length - header));
      return { bytes: Buffer.concat([bytes.subarray(0, header), body]), how: 'random body' };
    }
    default: {
      const at = rng.int(bytes.length);
      bytes[at] = rng.int(256);
      return { bytes, how: `overwrite byte ${at}` };
    }
  }
}

// ── cases ───────────────────────────────────────────────────────────────────────────────────────────

interface FuzzCase {
  label: string;
  /** Sent first, and CONNACK awaited, when the garbage is to arrive on a connected session. */
  connect?: Buffer;
  garbage: Buffer;
}

function buildCases(rng: Rng, counts: { random: number; beforeConnect: number; afterConnect: number }): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (let i = 0; i < counts.random; i++) {
    const garbage = rng.bytes(1 + rng.int(rng.chance(0.9) ? 64 : 4096));
    // Random bytes mostly die on the first byte; a valid-looking type byte gets them further in.
    if (rng.chance(0.5)) garbage[0] = rng.pick([0x10, 0x30, 0x32, 0x82, 0xa2, 0xc0, 0xe0]);
    cases.push({ label: `random #${i}`, garbage });
  }
  const versions: Version[] = [3, 4, 5];
  for (let i = 0; i < counts.beforeConnect; i++) {
    const version = rng.pick(versions);
    const generated = encodeRandom(rng, version, rng.chance(0.7) ? randomConnect : randomPacket);
    const packet = generated.packet;
    const { bytes, how } = mutate(rng, generated.bytes);
    // Sometimes the mutated packet is followed by more valid ones, to see what the decoder makes of the rest.
    const tail = rng.chance(0.3) ? encodeRandom(rng, version, randomPacket).bytes : Buffer.alloc(0);
    cases.push({ label: `before CONNECT v${version} ${packet.cmd} #${i}: ${how}`, garbage: Buffer.concat([bytes, tail]) });
  }
  for (let i = 0; i < counts.afterConnect; i++) {
    const version = rng.pick(versions);
    const connect = mqttPacket.generate(validConnect(rng, version), { protocolVersion: version });
    const parts: Buffer[] = [];
    let how = '';
    for (let n = 1 + rng.int(3); n > 0; n--) {
      const { packet, bytes: generated } = encodeRandom(rng, version, randomPacket);
      if (rng.chance(0.7)) {
        const mutated = mutate(rng, generated);
        parts.push(mutated.bytes);
        how += ` ${packet.cmd}(${mutated.how})`;
      } else {
        parts.push(generated);
        how += ` ${packet.cmd}`;
      }
    }
    cases.push({ label: `after CONNECT v${version} #${i}:${how}`, connect, garbage: Buffer.concat(parts) });
  }
  return cases;
}

// ── running them ────────────────────────────────────────────────────────────────────────────────────

const CASE_TIMEOUT_MS = 5000;

/** Sends one case on its own connection, half-closes, and resolves once hako has closed it too. */
async function runCase(port: number, fuzzCase: FuzzCase): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined); // resets are a fine answer to garbage
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const firstData = new Promise<void>((resolve) => {
    socket.once('data', () => resolve());
    socket.once('close', () => resolve());
  });
  socket.resume();
  await new Promise<void>((resolve) => socket.once('connect', resolve).once('close', resolve));
  if (fuzzCase.connect !== undefined) {
    socket.write(fuzzCase.connect);
    await firstData; // CONNACK (or the close after a refusal)
  }
  if (!socket.destroyed) {
    socket.write(fuzzCase.garbage);
    socket.end();
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hako did not close the connection within ${CASE_TIMEOUT_MS} ms of our FIN`)), CASE_TIMEOUT_MS);
  });
  try {
    await Promise.race([closed, timeout]);
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
}

async function runAll(port: number, cases: FuzzCase[], concurrency: number): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const fuzzCase = cases[next++] as FuzzCase;
      try {
        await runCase(port, fuzzCase);
      } catch (error) {
        failures.push(`${fuzzCase.label} [${fuzzCase.connect?.toString('hex') ?? ''} | ${fuzzCase.garbage.subarray(0, 200).toString('hex')}]: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures;
}

// ── the hako under test, the healthy clients, and what we watch ─────────────────────────────────────

interface Watched {
  hako: RunningHako;
  /** Lines hako logged at level error: an exception caught while handling a packet lands here. */
  errors: string[];
  close(): Promise<void>;
}

/** Like startTestHako, but keeps the error-level log lines instead of discarding them. */
async function startWatchedHako(): Promise<Watched> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hako-fuzz-'));
  const errors: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(line) });
  const config = resolveConfig({ mqttPort: 0, httpPort: 0, mqttsPort: 0, dataDir, mqtt: {} });
  const hako = await startHako(config, logger);
  return {
    hako,
    errors,
    close: async () => {
      await hako.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function metric(httpPort: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  assert.ok(line !== undefined, `${name} missing from /metrics`);
  return Number(line.slice(name.length + 1));
}

/** Polls (bounded) until the metric has the expected value; returns the last value seen. */
async function settledMetric(httpPort: number, name: string, expected: number, timeoutMs = 5000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let value = await metric(httpPort, name);
  while (value !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = await metric(httpPort, name);
  }
  return value;
}

interface HealthyClient {
  client: mqtt.MqttClient;
  /** Sequence numbers of the `healthy/<n>` messages received, in order. */
  received: number[];
  /** Anything that should never happen to a healthy client: close, error, server DISCONNECT. */
  incidents: string[];
  /** Rejects when the connection closes, with the incidents so far. */
  gone: Promise<never>;
  waitFor(n: number): Promise<void>;
}

async function connectHealthy(port: number, protocolVersion: 4 | 5, clientId: string, subscribe: boolean): Promise<HealthyClient> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion, clientId, reconnectPeriod: 0, keepalive: 30 });
  const healthy: HealthyClient = {
    client,
    received: [],
    incidents: [],
    gone: new Promise<never>((_, reject) => client.once('close', () => reject(new Error(`${clientId} lost its connection: ${healthy.incidents.join('; ')}`)))),
    waitFor: (n) =>
      new Promise((resolve, reject) => {
        if (healthy.received.includes(n)) return resolve();
        const onMessage = (topic: string): void => {
          if (topic !== `healthy/${n}`) return;
          client.off('message', onMessage);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => reject(new Error(`${clientId} did not receive healthy/${n}; incidents: ${healthy.incidents.join('; ') || 'none'}`)), 5000);
        client.on('message', onMessage);
      }),
  };
  healthy.gone.catch(() => undefined); // observed by the races that use it
  client.on('close', () => healthy.incidents.push('close'));
  client.on('error', (error) => healthy.incidents.push(`error: ${error.message}`));
  client.on('disconnect', (packet) => healthy.incidents.push(`DISCONNECT ${packet.reasonCode ?? ''}`));
  client.on('message', (topic, _payload, packet) => {
    const match = /^healthy\/(\d+)$/.exec(topic);
    if (match === null) return;
    // Healthy messages match both subscriptions: one copy, at the higher QoS [MQTT-3.3.4-2].
    if (packet.qos !== 1) healthy.incidents.push(`${topic} arrived at QoS ${packet.qos}`);
    healthy.received.push(Number(match[1]));
  });
  if (subscribe) {
    // `#` at QoS 0 brings everything the garbage publishes; `healthy/#` at QoS 1 is the traffic we count.
    const granted = await client.subscribeAsync({ '#': { qos: 0 }, 'healthy/#': { qos: 1 } });
    assert.deepEqual(granted.map((g) => g.qos), [0, 1]);
  }
  return healthy;
}

/** Puts `uncaughtException` / `unhandledRejection` listeners in place for the duration of a test. */
function watchProcess(t: { after(fn: () => void): void }): string[] {
  const seen: string[] = [];
  const onException = (error: Error): void => void seen.push(`uncaughtException: ${error.stack ?? error.message}`);
  const onRejection = (reason: unknown): void => void seen.push(`unhandledRejection: ${String(reason)}`);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  t.after(() => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  });
  return seen;
}

/** Multiplies the number of cases, for a deeper search than CI's few thousand. */
const FUZZ_SCALE = Math.max(1, Number(process.env.HAKO_FUZZ_SCALE ?? 1) || 1);

function fuzzSeed(): number {
  const fromEnv = process.env.HAKO_FUZZ_SEED;
  return fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
}

// ── 200 MB headers ──────────────────────────────────────────────────────────────────────────────────

/** 0x30 (PUBLISH QoS 0) with a remaining length of 200 MiB. */
const HEADER_200_MB = Buffer.concat([Buffer.from([0x30]), varint(200 * 1024 * 1024)]);

function varint(value: number): Buffer {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

/**
 * Sends the 200 MB header, then streams the body in 64 KiB chunks (respecting backpressure) until hako
 * ends the connection. Returns how many body bytes went out before that and how long it took.
 */
async function stream200MegabytePublish(socket: net.Socket): Promise<{ sent: number; elapsedMs: number }> {
  const started = Date.now();
  let ended = false;
  const endedPromise = new Promise<void>((resolve) => {
    const done = (): void => {
      ended = true;
      resolve();
    };
    socket.once('end', done);
    socket.once('close', done);
  });
  socket.on('error', () => undefined);
  socket.resume();
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let sent = 0;
  socket.write(HEADER_200_MB);
  while (!ended && sent < 200 * 1024 * 1024) {
    sent += chunk.length;
    if (!socket.write(chunk)) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), endedPromise]);
  }
  await endedPromise;
  return { sent, elapsedMs: Date.now() - started };
}

// ── tests ───────────────────────────────────────────────────────────────────────────────────────────

test('fuzz: garbage on thousands of connections neither crashes hako nor disturbs healthy clients', { timeout: 60_000 * FUZZ_SCALE }, async (t) => {
  const seed = fuzzSeed();
  // Printed at once (not as a diagnostic at the end), so that even a run that hangs tells its seed.
  console.log(`fuzz seed ${seed} (replay with HAKO_FUZZ_SEED=${seed})`);
  const processIncidents = watchProcess(t);
  const watched = await startWatchedHako();
  t.after(() => watched.close());
  const { ports } = watched.hako;

  const suffix = `${seed.toString(16)}-${Date.now().toString(36)}`;
  const sub5 = await connectHealthy(ports.mqtt, 5, `healthy-sub5-${suffix}`, true);
  const sub4 = await connectHealthy(ports.mqtt, 4, `healthy-sub4-${suffix}`, true);
  const pub = await connectHealthy(ports.mqtt, 5, `healthy-pub-${suffix}`, false);
  const healthyClients = [sub5, sub4, pub];
  t.after(() => {
    for (const c of healthyClients) c.client.end(true);
  });
  // hako's side of the story, should it drop a healthy client.
  watched.hako.hooks.on('client.disconnected', ({ clientId, reason, reasonCode }) => {
    healthyClients.find((c) => c.client.options.clientId === clientId)?.incidents.push(`hako closed it: ${reason} (0x${reasonCode.toString(16)})`);
  });
  assert.equal(await metric(ports.http, 'hako_mqtt_connections'), 3);

  const rng = new Rng(seed);
  const cases = buildCases(rng, { random: 1500 * FUZZ_SCALE, beforeConnect: 1200 * FUZZ_SCALE, afterConnect: 1500 * FUZZ_SCALE });

  // The healthy pair keeps talking for as long as the garbage flows: each QoS 1 publish waits for its PUBACK.
  let fuzzing = true;
  let published = 0;
  // Resolves with why the traffic stopped early, if it did (checked after hako's own errors, below,
  // which usually say why a healthy client was dropped).
  const healthyTraffic = (async () => {
    while (fuzzing) await Promise.race([pub.client.publishAsync(`healthy/${published++}`, 'ok', { qos: 1 }), pub.gone, sub5.gone, sub4.gone]);
  })().then(() => undefined, (error: Error) => error.message);
  const started = Date.now();
  const failures = await runAll(ports.mqtt, cases, 32).finally(() => {
    fuzzing = false;
  });
  const trafficFailure = await healthyTraffic;
  t.diagnostic(`${cases.length} cases in ${Date.now() - started} ms; healthy messages during the run: ${published}`);

  assert.deepEqual(failures, [], `cases hako did not close cleanly (seed ${seed})`);
  assert.deepEqual(processIncidents, [], `seed ${seed}`);
  assert.deepEqual(watched.errors, [], `hako logged errors (seed ${seed})`);
  assert.equal(trafficFailure, undefined, `seed ${seed}`);

  // The healthy pair still exchanges a QoS 1 message, and nothing of theirs was lost on the way.
  const final = published;
  await Promise.all([pub.client.publishAsync(`healthy/${final}`, 'final', { qos: 1 }), sub5.waitFor(final), sub4.waitFor(final)]);
  const expected = Array.from({ length: final + 1 }, (_, i) => i);
  assert.deepEqual(sub5.received, expected);
  assert.deepEqual(sub4.received, expected);
  for (const c of healthyClients) assert.deepEqual(c.incidents, [], c.client.options.clientId);

  // Every garbage connection is gone: only the three healthy ones are counted.
  assert.equal(await settledMetric(ports.http, 'hako_mqtt_connections', 3), 3);

  // A late subscriber gets whatever the garbage retained, and survives it (3.1.1 and 5.0).
  for (const version of [4, 5] as const) {
    const { client: late } = await RawClient.connect(ports.mqtt, { clientId: `late-${version}-${suffix}` }, version);
    late.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: '#', qos: 0 }] });
    assert.deepEqual((await late.next('suback') as ISubackPacket).granted, [0]);
    await late.sync();
    assert.equal(late.isClosed, false);
    await late.disconnect();
  }
  assert.deepEqual(processIncidents, [], `seed ${seed}`);
  assert.deepEqual(watched.errors, [], `hako logged errors (seed ${seed})`);
});

test('a remaining length of 200 MB is refused from the fixed header, before CONNECT, without buffering the body', { timeout: 15_000 }, async (t) => {
  const watched = await startWatchedHako();
  t.after(() => watched.close());
  const socket = net.connect(watched.hako.ports.mqtt, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const { sent, elapsedMs } = await stream200MegabytePublish(socket);
  socket.destroy();
  assert.ok(sent < 16 * 1024 * 1024, `hako read ${sent} bytes of the body before refusing`);
  assert.ok(elapsedMs < 2000, `hako took ${elapsedMs} ms to refuse`);
  assert.equal(await settledMetric(watched.hako.ports.http, 'hako_mqtt_connections', 0), 0);
  assert.deepEqual(watched.errors, []);
});

test('a 200 MB PUBLISH after a v5 CONNECT gets DISCONNECT 0x95 (Packet too large) and the connection closes', { timeout: 15_000 }, async (t) => {
  const watched = await startWatchedHako();
  t.after(() => watched.close());
  const { client } = await RawClient.connect(watched.hako.ports.mqtt, { clientId: 'big' }, 5);
  const disconnect = client.next('disconnect');
  const { sent, elapsedMs } = await stream200MegabytePublish(client.socket);
  assert.equal(((await disconnect) as IDisconnectPacket).reasonCode, 0x95);
  await client.closed;
  assert.ok(sent < 16 * 1024 * 1024, `hako read ${sent} bytes of the body before refusing`);
  assert.ok(elapsedMs < 2000, `hako took ${elapsedMs} ms to refuse`);
  assert.equal(await settledMetric(watched.hako.ports.http, 'hako_mqtt_connections', 0), 0);
  assert.deepEqual(watched.errors, []);
});

// ── regressions: the minimal packets behind crashes the fuzz found ──────────────────────────────────

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

interface Regression {
  name: string;
  /** Sent on a fresh connection; after a valid v5 CONNECT when `afterConnect`. */
  bytes: Buffer;
  afterConnect: boolean;
  /** Session Expiry Interval of the offender's CONNECT: a persistent session defers acks to the store. */
  sessionExpiry?: number;
  /** v5 DISCONNECT reason expected before the close (after CONNECT), or none (closed without a word). */
  disconnectReason?: number;
}

const regressions: Regression[] = [
  {
    // CONNECT v5, clean, will flag; will properties: User Property "k" whose value claims 65535 bytes.
    // The will was accepted with a null value; when the connection dropped, publishing it to a v5
    // subscriber threw inside the socket's close handler: an uncaught exception, the process died.
    name: 'a will whose User Property value runs past the packet is malformed: CONNECT refused (was: process crash when the will fired)',
    bytes: hex('10 1b 0004 4d515454 05 06 0000 00 0001 77 06 26 0001 6b ffff 0001 74 0001 78'),
    afterConnect: false,
  },
  {
    // CONNECT 3.1.1, clean, will flag with Will QoS 3 and Will Retain; will topic "t", payload "x".
    // Accepted, the will went out at QoS 3 when the connection closed and was retained; the SQLite store
    // refused the row (CHECK qos IN (0, 1, 2)), failing the whole batch: every client whose PUBACK waited
    // on it was disconnected with 0x80.
    name: 'a CONNECT with Will QoS 3 is malformed [MQTT-3.1.2-14]: refused (was: a failed store batch that dropped other clients)',
    bytes: hex('10 13 0004 4d515454 04 3e 0000 0001 71 0001 74 0001 78'),
    afterConnect: false,
  },
  {
    // PUBLISH QoS 0 retain to "t", properties: User Property "k" whose value claims 65535 bytes, payload "x".
    // It was retained with a null value; the next persistent v5 subscriber's SUBACK callback (run after
    // the store write) threw while sending it: an unhandled rejection, the process died.
    name: 'a retained PUBLISH whose User Property value runs past the packet gets DISCONNECT 0x81 (was: process crash on the next subscribe)',
    bytes: hex('31 0b 0001 74 06 26 0001 6b ffff 78'),
    afterConnect: true,
    disconnectReason: 0x81,
  },
  {
    // PUBLISH to "t" with Content Type cut short: the same, through a string property.
    name: 'a PUBLISH whose Content Type runs past the packet gets DISCONNECT 0x81 (was: the publisher\'s connection died of an internal error)',
    bytes: hex('30 09 0001 74 03 03 ffff 00 78'),
    afterConnect: true,
    disconnectReason: 0x81,
  },
  {
    // PUBLISH to "t" with Content Type twice ("a", "b"): was forwarded to subscribers with both.
    name: 'a PUBLISH with Content Type given twice gets DISCONNECT 0x82 Protocol Error (was: forwarded twice)',
    bytes: hex('30 0d 0001 74 08 03 0001 61 03 0001 62 78'),
    afterConnect: true,
    disconnectReason: 0x82,
  },
  {
    // SUBSCRIBE "a" (stored: the session is persistent, so its SUBACK waits for the store), then a
    // SUBSCRIBE with an id and no filter. The empty SUBACK made the encoder throw inside the store's
    // callback: an unhandled rejection, the process died.
    name: 'a SUBSCRIBE without a topic filter gets DISCONNECT 0x82 [MQTT-3.8.3-3] (was: process crash encoding an empty SUBACK)',
    bytes: hex('82 07 0001 00 0001 61 00   82 03 0002 00'),
    afterConnect: true,
    sessionExpiry: 60,
    disconnectReason: 0x82,
  },
  {
    name: 'an UNSUBSCRIBE without a topic filter gets DISCONNECT 0x82 [MQTT-3.10.3-2] (was: process crash encoding an empty UNSUBACK)',
    bytes: hex('82 07 0001 00 0001 61 00   a2 03 0002 00'),
    afterConnect: true,
    sessionExpiry: 60,
    disconnectReason: 0x82,
  },
];

for (const regression of regressions) {
  test(`regression: ${regression.name}`, { timeout: 15_000 }, async (t) => {
    const processIncidents = watchProcess(t);
    const watched = await startWatchedHako();
    t.after(() => watched.close());
    const port = watched.hako.ports.mqtt;
    // A persistent v5 subscriber to everything: its subscribe makes the store write pending, so SUBACK
    // and retained delivery run from the store's callback, the path that turned a throw into a crash.
    const subscribe = async (clientId: string): Promise<RawClient> => {
      const { client } = await RawClient.connect(port, { clientId, properties: { sessionExpiryInterval: 60 } }, 5);
      client.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: '#', qos: 1 }] });
      assert.deepEqual((await client.next('suback') as ISubackPacket).granted, [1]);
      return client;
    };
    const sub = await subscribe('watcher');

    const properties = { sessionExpiryInterval: regression.sessionExpiry ?? 0 };
    const offender = regression.afterConnect ? (await RawClient.connect(port, { clientId: 'offender', properties }, 5)).client : await RawClient.open(port, 5);
    offender.sendBytes(regression.bytes);
    if (regression.disconnectReason !== undefined) {
      assert.equal((await offender.next('disconnect') as IDisconnectPacket).reasonCode, regression.disconnectReason);
    } else {
      offender.socket.end(); // had the CONNECT been accepted, this would fire the will
    }
    await offender.closed;
    assert.deepEqual(offender.received.map((p) => p.cmd), [], 'nothing but the DISCONNECT (and no CONNACK for a malformed CONNECT)');

    await sub.sync();
    assert.deepEqual(sub.received.map((p) => p.cmd), [], 'the malformed packet was not routed');
    const late = await subscribe('late');
    await late.sync();
    assert.deepEqual(late.received.map((p) => p.cmd), [], 'nothing was retained');
    assert.equal(late.isClosed || sub.isClosed, false);
    await late.disconnect();
    await sub.disconnect();
    assert.deepEqual(processIncidents, []);
    assert.deepEqual(watched.errors, []);
  });
}
