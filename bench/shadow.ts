/**
 * @module bench/shadow — Device Shadow updates per second over MQTT (issue: registry and shadows): THINGS
 * clients, each updating its own classic shadow (`reported` changes, a clientToken per update) with
 * WINDOW updates in flight and waiting for `…/update/accepted`; reports accepted updates per second and
 * the latency from publish to accepted. The shadow service answers one update per shadow at a time and
 * stores each document before it answers, so this measures the whole path: broker, hook, document
 * module, store write (SQLite), response routing.
 * Run: `npm run build && node dist/bench/shadow.js [things] [window] [seconds]`. Not part of the test suite.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { startHako } from './brokers/hako.js';
import { Histogram } from './load/histogram.js';

const [thingsArg, windowArg, secondsArg] = process.argv.slice(2);
const THINGS = Number(thingsArg ?? 100);
const WINDOW = Number(windowArg ?? 4);
const SECONDS = Number(secondsArg ?? 5);
const WARMUP_MS = 1000;

interface Device {
  socket: net.Socket;
  sent: Map<string, number>;
  seq: number;
}

/** utime + stime of a process, in seconds (Linux /proc; clock ticks are 100 Hz). */
function cpuSeconds(pid: number): number {
  if (pid === 0) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function send(socket: net.Socket, packet: Packet): void {
  socket.write(mqttPacket.generate(packet, { protocolVersion: 4 }));
}

// HAKO_BENCH_PORT: drive a hako started by hand (under a profiler, say) instead of starting one.
const external = process.env.HAKO_BENCH_PORT;
const broker = external === undefined ? await startHako() : { port: Number(external), pid: 0, stop: async () => undefined };
const histogram = new Histogram();
let accepted = 0;
let measuring = false;
let rejected = 0;

function update(device: Device, index: number): void {
  const clientToken = `${index}-${++device.seq}`;
  const payload = Buffer.from(JSON.stringify({ state: { reported: { temperature: 20 + (device.seq % 10), seq: device.seq } }, clientToken }));
  device.sent.set(clientToken, performance.now());
  send(device.socket, { cmd: 'publish', topic: `$aws/things/bench-${index}/shadow/update`, payload, qos: 1, retain: false, dup: false, messageId: (device.seq % 65535) + 1 });
}

async function connectDevice(index: number): Promise<Device> {
  const socket = net.connect({ port: broker.port, host: '127.0.0.1', noDelay: true });
  const device: Device = { socket, sent: new Map(), seq: 0 };
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  let ready: (() => void) | undefined;
  const subscribed = new Promise<void>((resolve) => (ready = resolve));
  parser.on('packet', (packet: Packet) => {
    if (packet.cmd === 'suback') ready?.();
    if (packet.cmd !== 'publish') return;
    const text = packet.payload.toString();
    const token = /"clientToken":"([^"]+)"/.exec(text)?.[1];
    const started = token === undefined ? undefined : device.sent.get(token);
    if (started === undefined) return;
    device.sent.delete(token as string);
    if (packet.topic.endsWith('/rejected')) rejected++;
    else if (measuring) {
      accepted++;
      histogram.record((performance.now() - started) * 1000);
    }
    update(device, index); // keep the window full
  });
  socket.on('data', (chunk) => parser.parse(chunk));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  send(socket, { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: `bench-${index}`, keepalive: 0 });
  // What a device listens to for its own updates (the SDKs subscribe to these two, not to /documents).
  const base = `$aws/things/bench-${index}/shadow/update`;
  send(socket, { cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: `${base}/accepted`, qos: 0 }, { topic: `${base}/rejected`, qos: 0 }] });
  await subscribed;
  return device;
}

try {
  const devices = await Promise.all(Array.from({ length: THINGS }, (_, i) => connectDevice(i)));
  const cpuStart = process.cpuUsage();
  devices.forEach((device, i) => {
    for (let w = 0; w < WINDOW; w++) update(device, i);
  });
  await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
  measuring = true;
  const brokerCpuStart = cpuSeconds(broker.pid);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  measuring = false;
  const elapsed = (performance.now() - started) / 1000;
  const brokerCpu = (cpuSeconds(broker.pid) - brokerCpuStart) / elapsed;
  const summary = histogram.summarize();
  const load = process.cpuUsage(cpuStart);
  console.log(`hako shadow updates over MQTT: ${THINGS} things, ${WINDOW} in flight each, ${SECONDS} s after ${WARMUP_MS / 1000} s warm-up, node ${process.version}`);
  console.log(`accepted ${(accepted / elapsed).toFixed(0)} updates/s; latency p50 ${summary.p50Ms} ms, p90 ${summary.p90Ms} ms, p99 ${summary.p99Ms} ms, max ${summary.maxMs} ms; rejected ${rejected}`);
  console.log(`CPU, % of a core: hako ${(brokerCpu * 100).toFixed(0)}, load generator ${(((load.user + load.system) / 1e6 / (elapsed + WARMUP_MS / 1000)) * 100).toFixed(0)}`);
  for (const device of devices) device.socket.destroy();
} finally {
  await broker.stop();
}
