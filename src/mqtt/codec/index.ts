/**
 * @module mqtt/codec — MQTT 3.1.1/5.0 packets ⇄ bytes.
 *
 * Wraps `mqtt-packet` and adds what a server needs from it: a size limit enforced from the fixed header,
 * before the body is buffered, and decode errors mapped to the reason code the connection closes with.
 * Imports nothing from the broker.
 */
import { createRequire } from 'node:module';
import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt-packet';
import { ReasonCode } from './reason-codes.js';
import { decodeHotPacket, readFrameHeader } from './fast-decode.js';

export type {
  Packet,
  IConnectPacket as ConnectPacket,
  IConnackPacket as ConnackPacket,
  IPublishPacket as PublishPacket,
  IPubackPacket as PubackPacket,
  IPubrecPacket as PubrecPacket,
  IPubrelPacket as PubrelPacket,
  IPubcompPacket as PubcompPacket,
  ISubscribePacket as SubscribePacket,
  ISubackPacket as SubackPacket,
  IUnsubscribePacket as UnsubscribePacket,
  IUnsubackPacket as UnsubackPacket,
  IDisconnectPacket as DisconnectPacket,
  IAuthPacket as AuthPacket,
} from 'mqtt-packet';

export type ProtocolVersion = 3 | 4 | 5;

export interface DecodeError {
  /** The v5 reason code to close with: 0x81 malformed, 0x95 too large, 0x84 bad protocol version. */
  reasonCode: number;
  message: string;
}

export interface Decoder {
  /** Feeds bytes; calls onPacket for each complete packet. Stops for good after the first error. */
  push(chunk: Buffer): void;
  /** Largest packet accepted from now on (v5 Maximum Packet Size we advertised). */
  maxPacketSize: number;
}

/**
 * mqtt-packet buffers input in a `bl` BufferListStream: a full Duplex stream (≈1 KiB) per connection,
 * of which it only uses the byte-list methods (append, consume, slice, readUInt*), all defined on the
 * plain `BufferList` class whose methods the stream mixes in. With thousands of idle connections that is most of the
 * parser's memory, so each parser gets a plain BufferList from mqtt-packet's own copy of `bl`.
 */
const PlainBufferList = loadPlainBufferList();

interface PlainBufferListClass {
  new (): unknown;
  isBufferList(value: unknown): boolean;
}

function loadPlainBufferList(): PlainBufferListClass | undefined {
  try {
    const requireFromMqttPacket = createRequire(createRequire(import.meta.url).resolve('mqtt-packet'));
    return requireFromMqttPacket('bl/BufferList.js') as PlainBufferListClass;
  } catch {
    return undefined; // a different bl layout: keep mqtt-packet's own list
  }
}

interface MqttPacketParser {
  on(event: 'packet', listener: (packet: Packet) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  parse(chunk: Buffer): number;
  _list: unknown;
}

type Properties = Record<string, unknown> | undefined;

/**
 * mqtt-packet does not fail on a property it cannot read: it leaves null (string, binary, user property),
 * -1 (integer) or false (variable byte integer) in its place, and turns a repeated property into an
 * array. The first is a Malformed Packet (MQTT 5 §4.13); a property other than User Property given twice
 * is a Protocol Error (§2.2.2.2 and each property's "more than once" rule). Neither may reach the broker:
 * its encoder throws on those values when it forwards them, for a will or a retained message long after
 * the connection that sent them (test/mqtt/fuzz.test.ts has the packets that crashed the process).
 */
function checkPacket(packet: Packet): DecodeError | undefined {
  // mqtt-packet lets a SUBSCRIBE or UNSUBSCRIBE through with an id but no filter [MQTT-3.8.3-3, MQTT-3.10.3-2].
  if ((packet.cmd === 'subscribe' && packet.subscriptions.length === 0) || (packet.cmd === 'unsubscribe' && packet.unsubscriptions.length === 0)) {
    return { reasonCode: ReasonCode.ProtocolError, message: `${packet.cmd.toUpperCase()} without a topic filter` };
  }
  // ...and a will with QoS 3 [MQTT-3.1.2-14], which the store then refused, failing everyone's acks with it.
  if (packet.cmd === 'connect' && (packet.will?.qos ?? 0) > 2) return { reasonCode: ReasonCode.MalformedPacket, message: 'will QoS 3' };
  const groups: Properties[] = [(packet as { properties?: Properties }).properties];
  if (packet.cmd === 'connect') groups.push(packet.will?.properties as Properties);
  for (const properties of groups) {
    for (const [name, value] of Object.entries(properties ?? {})) {
      if (Array.isArray(value)) return { reasonCode: ReasonCode.ProtocolError, message: `property ${name} appears more than once` };
      if (!isReadable(name, value)) return { reasonCode: ReasonCode.MalformedPacket, message: `property ${name} could not be read` };
    }
  }
  return undefined;
}

/** False where mqtt-packet left its marker for a property value it could not read. */
function isReadable(name: string, value: unknown): boolean {
  if (name === 'userProperties') return Object.values(value as object).flat().every((v) => typeof v === 'string');
  if (typeof value === 'number') return value >= 0;
  // Subscription Identifier, the one Variable Byte Integer property, reads as false when cut short.
  if (typeof value === 'boolean') return name !== 'subscriptionIdentifier';
  return typeof value === 'string' || Buffer.isBuffer(value);
}

export function createDecoder(
  maxPacketSize: number,
  onPacket: (packet: Packet) => void,
  onError: (error: DecodeError) => void,
): Decoder {
  const parser = mqttPacket.parser({ protocolVersion: 4 }) as unknown as MqttPacketParser;
  // The stream mixes the list's methods in rather than inheriting them, hence isBufferList, not instanceof.
  if (PlainBufferList?.isBufferList(parser._list) === true) parser._list = new PlainBufferList();
  let failed = false;
  const fail = (error: DecodeError): void => {
    if (failed) return;
    failed = true;
    onError(error);
  };
  /** Protocol level once CONNECT has been read; until then every packet goes to mqtt-packet. */
  let protocolVersion = 0;
  /** Chunks holding a packet whose end has not arrived yet, and how many bytes that packet needs. */
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let needed = 0;
  const decoder: Decoder = {
    maxPacketSize,
    push(chunk) {
      if (failed) return;
      let data = chunk;
      if (pending.length > 0) {
        pending.push(chunk);
        pendingLength += chunk.length;
        // Joined once the packet is complete, not on every chunk: a client trickling a large packet a
        // byte at a time must not make us copy it over and over.
        if (pendingLength < needed) return;
        data = Buffer.concat(pending, pendingLength);
        pending = [];
        pendingLength = 0;
      }
      let offset = 0;
      while (offset < data.length && !failed) {
        const header = readFrameHeader(data, offset);
        if (header === 'malformed') return fail({ reasonCode: ReasonCode.MalformedPacket, message: 'remaining length longer than four bytes' });
        // Refused from its header, before the body is buffered [MQTT-3.2.2-15].
        if (header !== 'incomplete' && header.remainingLength > decoder.maxPacketSize) {
          return fail({ reasonCode: ReasonCode.PacketTooLarge, message: `packet of ${header.remainingLength} bytes exceeds the maximum of ${decoder.maxPacketSize}` });
        }
        if (header === 'incomplete' || offset + header.headerLength + header.remainingLength > data.length) {
          // Copied when small, so a few leftover bytes do not keep a whole socket chunk alive.
          const rest = data.subarray(offset);
          pending = [rest.length < 4096 ? Buffer.from(rest) : rest];
          pendingLength = rest.length;
          needed = header === 'incomplete' ? rest.length + 1 : header.headerLength + header.remainingLength;
          return;
        }
        const frameEnd = offset + header.headerLength + header.remainingLength;
        const frame = data.subarray(offset, frameEnd);
        offset = frameEnd;
        const hot = protocolVersion === 0 ? undefined : decodeHotPacket(frame, header.headerLength, protocolVersion);
        if (hot !== undefined) onPacket(hot);
        else parser.parse(frame);
      }
    },
  };
  parser.on('packet', (packet) => {
    if (failed) return;
    if (packet.cmd === 'connect') protocolVersion = packet.protocolVersion ?? 4;
    const problem = checkPacket(packet);
    if (problem !== undefined) return fail(problem);
    onPacket(packet);
  });
  parser.on('error', (error) => {
    const reasonCode = /protocol version/i.test(error.message) ? ReasonCode.UnsupportedProtocolVersion : ReasonCode.MalformedPacket;
    fail({ reasonCode, message: error.message });
  });
  return decoder;
}

/** Encodes a packet for a peer speaking `protocolVersion`. Throws on packets mqtt-packet cannot encode. */
export function encode(packet: Packet, protocolVersion: ProtocolVersion): Buffer {
  return mqttPacket.generate(packet, { protocolVersion });
}
