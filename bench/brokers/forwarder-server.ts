/**
 * @module bench/brokers/forwarder-server — the physical limit: a TCP relay that only frames bytes.
 *
 * It answers CONNECT with a canned CONNACK and SUBSCRIBE with a SUBACK granting the requested QoS, and
 * learns each publisher's topic from its first PUBLISH. From then on it forwards the publisher's bytes
 * to that topic's subscribers as they arrived, cut only at frame boundaries (so several publishers can
 * share a subscriber), with one write per chunk per subscriber. For QoS 1 it sends the publisher one
 * PUBACK per PUBLISH (batched per chunk) and discards the subscribers' PUBACKs: the packet ids pass
 * through unchanged.
 *
 * What it measures: kernel loopback + Node socket I/O + fixed-header framing, on one event loop: the
 * floor under any Node broker. It does no topic matching per message, no re-encoding, no per-subscriber
 * packet-id assignment, no session or inflight state: everything a real broker must add. Assumes the
 * bench's own clients (one topic per publisher, no wildcards); it is not an MQTT broker.
 *
 * With `--tls-port/--tls-dir` the same handler also serves Node's `tls.createServer` with client
 * certificates required: the tls-connect scenario's baseline, Node's TLS plus a canned CONNACK.
 */
import net, { type Socket } from 'node:net';
import { scanFrames } from '../load/frame-reader.js';
import { portArgument } from './node-script.js';
import { tlsListenerArgs } from './tls-args.js';

const CONNECT = 1;
const PUBLISH = 3;
const SUBSCRIBE = 8;
const PINGREQ = 12;

const subscribersByTopic = new Map<string, Socket[]>();

function subscribersOf(topic: string): Socket[] {
  let list = subscribersByTopic.get(topic);
  if (list === undefined) subscribersByTopic.set(topic, (list = []));
  return list;
}

function handleConnection(socket: Socket): void {
  let protocol = 4;
  let role: 'new' | 'publisher' | 'subscriber' = 'new';
  let targets: Socket[] = [];
  let rest: Buffer | null = null;
  let blockedTargets = 0;

  const forward = (buf: Buffer, from: number, to: number): void => {
    if (to <= from) return;
    const slice = buf.subarray(from, to);
    for (const target of targets) {
      if (target.write(slice)) continue;
      if (blockedTargets++ === 0) socket.pause();
      target.once('drain', () => {
        if (--blockedTargets === 0) socket.resume();
      });
    }
  };

  socket.on('data', (chunk: Buffer) => {
    if (role === 'subscriber') return; // only PUBACKs and DISCONNECT arrive from here on
    const buf = rest === null ? chunk : Buffer.concat([rest, chunk]);
    rest = null;
    const acks: number[] = [];
    let frameStart = 0;
    let runStart = -1;
    const { consumed } = scanFrames(buf, (first, b, start, end) => {
      const type = first >> 4;
      if (type === PUBLISH) {
        const topicEnd = start + 2 + b.readUInt16BE(start);
        if (role === 'new') {
          role = 'publisher';
          targets = subscribersOf(b.toString('utf8', start + 2, topicEnd));
        }
        if (((first >> 1) & 3) > 0) acks.push(b.readUInt16BE(topicEnd));
        if (runStart < 0) runStart = frameStart;
      } else {
        if (runStart >= 0) forward(b, runStart, frameStart);
        runStart = -1;
        if (type === CONNECT) {
          protocol = b[start + 6] ?? 4;
          socket.write(Buffer.from(protocol === 5 ? [0x20, 3, 0, 0, 0] : [0x20, 2, 0, 0]));
        } else if (type === SUBSCRIBE) {
          role = 'subscriber';
          subscribe(socket, b, start, end, protocol);
        } else if (type === PINGREQ) {
          socket.write(Buffer.from([0xd0, 0]));
        }
      }
      frameStart = end;
    });
    if (runStart >= 0) forward(buf, runStart, consumed);
    if (consumed < buf.length) rest = buf.subarray(consumed);
    if (acks.length > 0) socket.write(encodePubacks(acks));
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    for (const list of subscribersByTopic.values()) {
      const index = list.indexOf(socket);
      if (index >= 0) list.splice(index, 1);
    }
  });
}

/** Registers `socket` for the first filter of a SUBSCRIBE and answers with a SUBACK granting its QoS. */
function subscribe(socket: Socket, buf: Buffer, start: number, end: number, protocol: number): void {
  const packetId = buf.readUInt16BE(start);
  let pos = start + 2;
  if (protocol === 5) {
    let length = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = buf[pos++] ?? 0;
      length += (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80 && pos < end);
    pos += length;
  }
  const filterLength = buf.readUInt16BE(pos);
  const filter = buf.toString('utf8', pos + 2, pos + 2 + filterLength);
  const qos = (buf[pos + 2 + filterLength] ?? 0) & 3;
  subscribersOf(filter).push(socket);
  const idHi = packetId >> 8;
  const idLo = packetId & 0xff;
  socket.write(Buffer.from(protocol === 5 ? [0x90, 4, idHi, idLo, 0, qos] : [0x90, 3, idHi, idLo, qos]));
}

function encodePubacks(ids: number[]): Buffer {
  const out = Buffer.allocUnsafe(ids.length * 4);
  ids.forEach((id, i) => {
    out[i * 4] = 0x40;
    out[i * 4 + 1] = 2;
    out.writeUInt16BE(id, i * 4 + 2);
  });
  return out;
}

const server = net.createServer(handleConnection);
server.listen(portArgument(process.argv), '127.0.0.1');
const tlsArgs = tlsListenerArgs(process.argv);
if (tlsArgs !== undefined) {
  const { createServer } = await import('node:tls');
  createServer(tlsArgs.options, handleConnection).listen(tlsArgs.port, '127.0.0.1');
}
process.once('SIGTERM', () => process.exit(0));
