/**
 * @module bench/load/packets — every packet the load generator sends, encoded once with `mqtt-packet`.
 *
 * PUBLISH packets are templates: the generator copies them and patches the packet id and the payload's
 * header in place. Payload layout: bytes 0–7 the send time (`performance.now()`, float64 LE), bytes 8–11
 * the publisher's index (uint32 LE), the rest zeros.
 */
import mqttPacket from 'mqtt-packet';

/** MQTT protocol level: 4 = 3.1.1, 5 = 5.0. */
export type ProtocolLevel = 4 | 5;
export type QoS = 0 | 1;

/** Payload bytes the generator needs for its own header (timestamp + publisher index). */
export const PAYLOAD_HEADER_BYTES = 12;

export const DISCONNECT = Buffer.from([0xe0, 0x00]);

export function encodeConnect(clientId: string, protocol: ProtocolLevel): Buffer {
  return mqttPacket.generate(
    { cmd: 'connect', protocolId: 'MQTT', protocolVersion: protocol, clean: true, clientId, keepalive: 0 },
    { protocolVersion: protocol },
  );
}

export function encodeSubscribe(filters: readonly string[], qos: QoS, protocol: ProtocolLevel): Buffer {
  return mqttPacket.generate(
    { cmd: 'subscribe', messageId: 1, subscriptions: filters.map((topic) => ({ topic, qos })) },
    { protocolVersion: protocol },
  );
}

/** A PUBLISH packet plus where to patch it. */
export interface PublishTemplate {
  readonly bytes: Buffer;
  /** Offset of the 2-byte packet id, or -1 for QoS 0. */
  readonly packetIdOffset: number;
  readonly payloadOffset: number;
}

export function encodePublishTemplate(
  topic: string,
  qos: QoS,
  payloadSize: number,
  protocol: ProtocolLevel,
  publisherIndex: number,
): PublishTemplate {
  if (payloadSize < PAYLOAD_HEADER_BYTES) {
    throw new RangeError(`payload must be at least ${PAYLOAD_HEADER_BYTES} bytes`);
  }
  const payload = Buffer.alloc(payloadSize);
  payload.writeUInt32LE(publisherIndex, 8);
  const bytes = mqttPacket.generate(
    { cmd: 'publish', topic, payload, qos, retain: false, dup: false, ...(qos > 0 ? { messageId: 1 } : {}) },
    { protocolVersion: protocol },
  );
  const headerBytes = fixedHeaderLength(bytes);
  const packetIdOffset = qos > 0 ? headerBytes + 2 + Buffer.byteLength(topic) : -1;
  const payloadOffset = bytes.length - payloadSize;
  if (packetIdOffset >= 0 && bytes.readUInt16BE(packetIdOffset) !== 1) {
    throw new Error('publish template: packet id not where expected');
  }
  return { bytes, packetIdOffset, payloadOffset };
}

/** Writes a PUBACK for `packetId` at `offset` (4 bytes; valid for MQTT 3.1.1 and 5.0). */
export function writePuback(buf: Buffer, offset: number, packetId: number): void {
  buf[offset] = 0x40;
  buf[offset + 1] = 0x02;
  buf.writeUInt16BE(packetId, offset + 2);
}

/** Length of a packet's fixed header: the first byte plus the remaining-length varint. */
function fixedHeaderLength(packet: Buffer): number {
  let i = 1;
  while ((packet[i] ?? 0) & 0x80) i++;
  return i + 1;
}
