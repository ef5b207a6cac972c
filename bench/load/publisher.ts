/**
 * @module bench/load/publisher — one publishing connection: copies its pre-encoded PUBLISH template into
 * batches, patches packet ids and timestamps in place, and counts PUBACKs.
 */
import type { Socket } from 'node:net';
import { FrameReader } from './frame-reader.js';
import type { DeliveryTarget, LoadContext } from './load-context.js';
import type { PublishTemplate, QoS } from './packets.js';
import type { OpenSession } from './handshake.js';

export interface PublisherOptions {
  qos: QoS;
  window: number;
  endToEndWindow: number;
  /** Subscribers that receive each message this publisher sends. */
  fanout: number;
  maxBatch: number;
  /**
   * Saturating mode waits until the windows have room for this many messages before writing, unless
   * nothing is outstanding: fewer, larger writes keep the generator's syscall cost below the broker's.
   */
  minBatch: number;
}

const PUBACK = 4;
const PINGRESP = 13;

export class Publisher implements DeliveryTarget {
  sent = 0;
  acked = 0;
  delivered = 0;
  readonly fanout: number;
  readonly #socket: Socket;
  readonly #ctx: LoadContext;
  readonly #opts: PublisherOptions;
  readonly #template: PublishTemplate;
  /** The template repeated `maxBatch` times, copied with one memcpy per batch. */
  readonly #batch: Buffer;
  #nextId = 1;
  /** PUBACKs must come in PUBLISH order [MQTT-4.6.0-2], so each one's id is predictable. */
  #nextAckId = 1;
  #blocked = false;

  constructor(session: OpenSession, template: PublishTemplate, opts: PublisherOptions, ctx: LoadContext) {
    this.#socket = session.socket;
    this.#ctx = ctx;
    this.#opts = opts;
    this.#template = template;
    this.fanout = opts.fanout;
    this.#batch = Buffer.concat(Array.from({ length: opts.maxBatch }, () => template.bytes));
    const reader = new FrameReader((first, buf, start, end) => this.#onFrame(first, buf, start, end));
    this.#socket.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (err) {
        ctx.report(`publisher: ${(err as Error).message}`);
      }
      ctx.wake();
    });
    this.#socket.on('error', (err) => ctx.report(`publisher socket: ${err.message}`));
    this.#socket.on('close', () => {
      if (!ctx.closing) ctx.report('publisher connection closed by the broker');
    });
    this.#socket.resume();
    if (session.rest !== null) reader.push(session.rest);
  }

  /** QoS 1 PUBLISH packets still waiting for their PUBACK. */
  get unacked(): number {
    return this.#opts.qos > 0 ? this.sent - this.acked : 0;
  }

  /** How many messages the windows allow right now (0 while the socket is applying backpressure). */
  room(): number {
    if (this.#blocked) return 0;
    const { qos, window, endToEndWindow } = this.#opts;
    let room = this.#opts.maxBatch;
    if (qos > 0) room = Math.min(room, window - (this.sent - this.acked));
    if (endToEndWindow > 0) {
      const undelivered = this.sent * this.fanout - this.delivered;
      room = Math.min(room, Math.floor((endToEndWindow * this.fanout - undelivered) / this.fanout));
    }
    return room;
  }

  /** What saturating mode should send now: `room()`, or 0 while that is below `minBatch` and acks are due. */
  ready(): number {
    const room = this.room();
    if (room >= this.#opts.minBatch) return room;
    const outstanding = this.unacked > 0 || this.sent * this.fanout > this.delivered;
    return outstanding ? 0 : room;
  }

  /** Sends `n` (≤ maxBatch) messages in one write, all stamped with `now`. */
  send(n: number, now: number): void {
    const { bytes, packetIdOffset, payloadOffset } = this.#template;
    const len = bytes.length;
    const out = Buffer.allocUnsafe(n * len);
    this.#batch.copy(out, 0, 0, n * len);
    for (let base = 0; base < n * len; base += len) {
      out.writeDoubleLE(now, base + payloadOffset);
      if (packetIdOffset >= 0) {
        out.writeUInt16BE(this.#nextId, base + packetIdOffset);
        this.#nextId = this.#nextId === 65_535 ? 1 : this.#nextId + 1;
      }
    }
    this.sent += n;
    if (!this.#socket.write(out)) {
      this.#blocked = true;
      this.#socket.once('drain', () => {
        this.#blocked = false;
        this.#ctx.wake();
      });
    }
  }

  /** Ends the connection politely. */
  close(disconnect: Buffer): void {
    this.#socket.end(disconnect);
    setTimeout(() => this.#socket.destroy(), 1000).unref();
  }

  #onFrame(first: number, buf: Buffer, start: number, end: number): void {
    const type = first >> 4;
    if (type === PUBACK) {
      this.acked++;
      const id = buf.readUInt16BE(start);
      if (id !== this.#nextAckId) {
        this.#ctx.report(`PUBACK out of order or for an unknown packet: expected id ${this.#nextAckId}, got ${id}`);
        this.#nextAckId = id;
      }
      this.#nextAckId = this.#nextAckId === 65_535 ? 1 : this.#nextAckId + 1;
      const reason = end - start > 2 ? (buf[start + 2] ?? 0) : 0;
      if (reason >= 0x80) this.#ctx.report(`PUBACK with reason code 0x${reason.toString(16)}`);
      if (this.acked > this.sent) this.#ctx.report('more PUBACKs than PUBLISH packets');
    } else if (type !== PINGRESP) {
      this.#ctx.report(`publisher received unexpected packet type ${type}`);
    }
  }
}
