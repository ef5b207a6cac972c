/**
 * @module mqtt/codec/fast-decode — frames, and the packets a busy connection is made of, read directly.
 *
 * `readFrameHeader` finds where each packet ends, so the decoder can refuse an oversized one from its
 * header and hand every other packet over whole. `decodeHotPacket` reads PUBLISH without properties,
 * the four acknowledgements in their two-byte form and PINGREQ straight from the frame; for any other
 * packet, or any shape it is not sure of, it returns undefined and mqtt-packet reads the frame, so its
 * checks of malformed input still apply (test/mqtt/codec/fast-decode.test.ts compares the two).
 */
import type { Packet } from 'mqtt-packet';

export type FrameHeader = { headerLength: number; remainingLength: number } | 'incomplete' | 'malformed';

/** Reads the fixed header at `offset`: the Remaining Length is 1 to 4 bytes [MQTT-1.5.5]. */
export function readFrameHeader(data: Buffer, offset: number): FrameHeader {
  let remainingLength = 0;
  let multiplier = 1;
  for (let i = 1; i <= 4; i++) {
    const at = offset + i;
    if (at >= data.length) return 'incomplete';
    const byte = data[at] as number;
    remainingLength += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return { headerLength: i + 1, remainingLength };
    multiplier *= 128;
  }
  return 'malformed';
}

const PUBLISH = 3;
const PINGREQ = 12;
/** First byte of each acknowledgement; PUBREL's flags must be 0010 [MQTT-3.6.1-1], the others' 0000. */
const ACKS = new Map<number, 'puback' | 'pubrec' | 'pubrel' | 'pubcomp'>([
  [0x40, 'puback'],
  [0x50, 'pubrec'],
  [0x62, 'pubrel'],
  [0x70, 'pubcomp'],
]);

/** The packet in `frame`, or undefined when mqtt-packet should read it. */
export function decodeHotPacket(frame: Buffer, headerLength: number, protocolVersion: number): Packet | undefined {
  const first = frame[0] as number;
  const length = frame.length - headerLength;
  if (first >> 4 === PUBLISH) return decodePublish(frame, first, headerLength, length, protocolVersion);
  const ack = ACKS.get(first);
  if (ack !== undefined) {
    // v5 acks may carry a reason code and properties; only the plain form is read here.
    if (length !== 2) return undefined;
    return { cmd: ack, messageId: frame.readUInt16BE(headerLength) } as Packet;
  }
  if (first === PINGREQ << 4 && length === 0) return { cmd: 'pingreq' };
  return undefined;
}

function decodePublish(frame: Buffer, first: number, headerLength: number, length: number, protocolVersion: number): Packet | undefined {
  const qos = (first >> 1) & 3;
  if (qos === 3) return undefined; // malformed [MQTT-3.3.1-4]: mqtt-packet says so
  let position = headerLength;
  const end = frame.length;
  if (position + 2 > end) return undefined;
  const topicLength = frame.readUInt16BE(position);
  position += 2;
  if (position + topicLength > end) return undefined;
  const topic = frame.toString('utf8', position, position + topicLength);
  position += topicLength;
  let messageId: number | undefined;
  if (qos > 0) {
    if (position + 2 > end) return undefined;
    messageId = frame.readUInt16BE(position);
    position += 2;
  }
  if (protocolVersion === 5) {
    // Only an empty property list is read here; properties go through mqtt-packet.
    if (position >= end || frame[position] !== 0) return undefined;
    position += 1;
  }
  // A copy: a subarray would keep the whole socket chunk alive for as long as the message is retained or queued.
  const payload = Buffer.from(frame.subarray(position, end));
  const packet = { cmd: 'publish', topic, payload, qos, dup: (first & 0x08) !== 0, retain: (first & 0x01) !== 0, length } as Packet & { messageId?: number };
  if (messageId !== undefined) packet.messageId = messageId;
  return packet;
}
