/**
 * @module bench/load/subscriber — one subscribing connection: counts PUBLISH packets, attributes each to
 * its publisher, records latency from the embedded timestamp and acknowledges QoS 1 in one write per chunk.
 */
import type { Socket } from 'node:net';
import { FrameReader } from './frame-reader.js';
import type { OpenSession } from './handshake.js';
import type { LoadContext } from './load-context.js';
import { PAYLOAD_HEADER_BYTES, writePuback } from './packets.js';

const PUBLISH = 3;
const PINGRESP = 13;

export class Subscriber {
  received = 0;
  readonly #socket: Socket;
  readonly #ctx: LoadContext;
  /** Packet ids to acknowledge once the current chunk is parsed. */
  readonly #ackIds: number[] = [];
  /** `performance.now()` once per chunk: the latency clock for every message in it. */
  #now = 0;
  #flushQueued = false;
  readonly #flush = (): void => this.#flushAcks();

  constructor(session: OpenSession, ctx: LoadContext) {
    this.#socket = session.socket;
    this.#ctx = ctx;
    const reader = new FrameReader((first, buf, start, end) => this.#onFrame(first, buf, start, end));
    const onChunk = (chunk: Buffer): void => {
      this.#now = performance.now();
      try {
        reader.push(chunk);
      } catch (err) {
        ctx.report(`subscriber: ${(err as Error).message}`);
      }
      // PUBACKs for every chunk read in this event-loop turn go out in one write.
      if (this.#ackIds.length > 0 && !this.#flushQueued) {
        this.#flushQueued = true;
        ctx.defer(this.#flush);
      } else {
        ctx.wake();
      }
    };
    this.#socket.on('data', onChunk);
    this.#socket.on('error', (err) => ctx.report(`subscriber socket: ${err.message}`));
    this.#socket.on('close', () => {
      if (!ctx.closing) ctx.report('subscriber connection closed by the broker');
    });
    this.#socket.resume();
    if (session.rest !== null) onChunk(session.rest);
  }

  close(disconnect: Buffer): void {
    this.#socket.end(disconnect);
    setTimeout(() => this.#socket.destroy(), 1000).unref();
  }

  #onFrame(first: number, buf: Buffer, start: number, end: number): void {
    const type = first >> 4;
    if (type !== PUBLISH) {
      if (type !== PINGRESP) this.#ctx.report(`subscriber received unexpected packet type ${type}`);
      return;
    }
    const qos = (first >> 1) & 3;
    let pos = start + 2 + buf.readUInt16BE(start);
    if (qos > 0) {
      this.#ackIds.push(buf.readUInt16BE(pos));
      pos += 2;
    }
    if (this.#ctx.protocol === 5) pos = skipProperties(buf, pos);
    if (pos + PAYLOAD_HEADER_BYTES > end) {
      this.#ctx.report('PUBLISH payload shorter than the generator header');
      return;
    }
    const publisher = this.#ctx.publishers[buf.readUInt32LE(pos + 8)];
    if (publisher === undefined) {
      this.#ctx.report('PUBLISH from an unknown publisher (corrupt payload)');
      return;
    }
    publisher.delivered++;
    this.received++;
    if (this.#ctx.recording) this.#ctx.histogram.record((this.#now - buf.readDoubleLE(pos)) * 1000);
  }

  #flushAcks(): void {
    this.#flushQueued = false;
    const ids = this.#ackIds;
    if (ids.length === 0) return;
    const out = Buffer.allocUnsafe(ids.length * 4);
    for (let i = 0; i < ids.length; i++) writePuback(out, i * 4, ids[i]!);
    ids.length = 0;
    this.#socket.write(out);
  }
}

/** Skips an MQTT 5 property block (varint length + properties) starting at `pos`. */
function skipProperties(buf: Buffer, pos: number): number {
  let length = 0;
  let multiplier = 1;
  let byte: number;
  do {
    byte = buf[pos++] ?? 0;
    length += (byte & 0x7f) * multiplier;
    multiplier *= 128;
  } while (byte & 0x80);
  return pos + length;
}
