/**
 * @module bench/load/shadow-mqtt — one thing updating its classic shadow over MQTT, as a device does.
 *
 * Client id = thing name `bench-<i>`. It subscribes (QoS 0) to `…/update/accepted` and `…/update/rejected`
 * only, which is what the device SDKs subscribe to: hako builds `documents` and `delta` messages only for
 * subscribers, so listening to them would measure work a device does not cause. Each update is a QoS 1
 * PUBLISH to `$aws/things/<thing>/shadow/update`, matched with its answer by clientToken.
 */
import type { Socket } from 'node:net';
import mqttPacket from 'mqtt-packet';
import type { ShadowEndpoint } from './config.js';
import { FrameReader } from './frame-reader.js';
import { openSession, type OpenSession } from './handshake.js';
import { DISCONNECT, type ProtocolLevel } from './packets.js';
import { shadowUpdate, type ShadowTally, type ShadowThing } from './shadow-tally.js';

const PUBLISH = 3;
const PUBACK = 4;
const TOKEN_KEY = Buffer.from('"clientToken":"');
const QUOTE = 0x22;
/** Longest answer text quoted in a problem. */
const DETAIL_CHARS = 200;

export class ShadowMqttThing implements ShadowThing {
  static async connect(
    endpoint: Extract<ShadowEndpoint, { kind: 'mqtt' }>,
    index: number,
    tally: ShadowTally,
    timeoutMs: number,
  ): Promise<ShadowMqttThing> {
    const thing = `bench-${index}`;
    const update = `$aws/things/${thing}/shadow/update`;
    const session = await openSession({
      port: endpoint.port,
      clientId: thing,
      protocol: endpoint.protocol,
      subscribe: { filters: [`${update}/accepted`, `${update}/rejected`], qos: 0 },
      timeoutMs,
    });
    return new ShadowMqttThing(session, thing, update, index, endpoint.protocol, tally);
  }

  readonly #socket: Socket;
  readonly #thing: string;
  readonly #topic: string;
  readonly #index: number;
  readonly #protocol: ProtocolLevel;
  readonly #tally: ShadowTally;
  /** clientToken → send time of each update awaiting its answer. */
  readonly #sentAt = new Map<string, number>();
  #seq = 0;
  #closed = false;

  private constructor(session: OpenSession, thing: string, topic: string, index: number, protocol: ProtocolLevel, tally: ShadowTally) {
    this.#socket = session.socket;
    this.#thing = thing;
    this.#topic = topic;
    this.#index = index;
    this.#protocol = protocol;
    this.#tally = tally;
    const reader = new FrameReader((first, buf, start, end) => this.#onFrame(first, buf, start, end));
    const feed = (chunk: Buffer): void => {
      try {
        reader.push(chunk);
      } catch (err) {
        this.#fail(`${thing}: ${(err as Error).message}`);
        this.#socket.destroy();
      }
    };
    this.#socket.on('data', feed);
    this.#socket.on('error', (err) => this.#fail(`${thing}: ${err.message}`));
    this.#socket.on('close', () => this.#fail(`${thing}: connection closed by the broker`));
    if (session.rest !== null) feed(session.rest);
    this.#socket.resume();
  }

  get unanswered(): number {
    return this.#sentAt.size;
  }

  send(): void {
    if (this.#tally.stopped || this.#closed) return;
    const seq = ++this.#seq;
    const { clientToken, body } = shadowUpdate(this.#index, seq);
    const packet = mqttPacket.generate(
      { cmd: 'publish', topic: this.#topic, payload: body, qos: 1, retain: false, dup: false, messageId: (seq % 0xffff) + 1 },
      { protocolVersion: this.#protocol },
    );
    this.#sentAt.set(clientToken, performance.now());
    this.#tally.sent++;
    this.#socket.write(packet);
  }

  close(): void {
    this.#closed = true;
    this.#socket.end(DISCONNECT);
  }

  #onFrame(first: number, buf: Buffer, start: number, end: number): void {
    const type = first >> 4;
    if (type === PUBACK) {
      this.#tally.acked++;
      return;
    }
    if (type !== PUBLISH || ((first >> 1) & 3) !== 0) {
      this.#tally.report(`${this.#thing}: unexpected packet type ${type} (flags ${first & 0xf})`);
      return;
    }
    const topicEnd = start + 2 + buf.readUInt16BE(start);
    const payload = buf.subarray(this.#protocol === 5 ? skipProperties(buf, topicEnd) : topicEnd, end);
    const keyAt = payload.indexOf(TOKEN_KEY);
    const tokenStart = keyAt + TOKEN_KEY.length;
    const tokenEnd = keyAt < 0 ? -1 : payload.indexOf(QUOTE, tokenStart);
    const clientToken = tokenEnd < 0 ? undefined : payload.toString('latin1', tokenStart, tokenEnd);
    const sentAt = clientToken === undefined ? undefined : this.#sentAt.get(clientToken);
    const rejected = buf.toString('latin1', topicEnd - 9, topicEnd) === '/rejected';
    if (clientToken === undefined || sentAt === undefined) {
      this.#tally.report(`${this.#thing}: an answer on ${buf.toString('utf8', start + 2, topicEnd)} matching no update in flight`);
      if (rejected) this.#tally.reject(payload.toString('utf8', 0, DETAIL_CHARS));
      return;
    }
    this.#sentAt.delete(clientToken);
    if (rejected) this.#tally.reject(payload.toString('utf8', 0, DETAIL_CHARS));
    else this.#tally.accept(sentAt);
    this.send();
  }

  /** A connection that fails takes its updates in flight with it; the drain need not wait for them. */
  #fail(problem: string): void {
    if (this.#closed || this.#tally.closing) return;
    this.#closed = true;
    this.#tally.report(problem);
    this.#tally.lost += this.#sentAt.size;
    this.#sentAt.clear();
  }
}

/** MQTT 5: the offset after the PUBLISH properties that start at `at` (a varint length, then the properties). */
function skipProperties(buf: Buffer, at: number): number {
  let length = 0;
  let multiplier = 1;
  let byte: number;
  do {
    byte = buf[at++] ?? 0;
    length += (byte & 0x7f) * multiplier;
    multiplier *= 128;
  } while (byte & 0x80);
  return at + length;
}
