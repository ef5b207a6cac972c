/**
 * @module mqtt/codec/fast-encode — the packets the broker sends most, encoded directly.
 *
 * Produces the same bytes as mqtt-packet's `generate` (test/mqtt/codec/fast-encode.test.ts checks them
 * against it) for PUBLISH without properties and for the success acknowledgements, without going
 * through its generic, property-aware path. Everything else goes through `encode`.
 */

const ACK_HEADERS = { puback: 0x40, pubrec: 0x50, pubrel: 0x62, pubcomp: 0x70 } as const;

export type AckType = keyof typeof ACK_HEADERS;

/**
 * A success acknowledgement. MQTT 5 lets the reason code and properties be left out when the reason is
 * Success and there are no properties (§3.4.2.1), so v5 and 3.1.1 share these four bytes.
 */
export function encodeAck(type: AckType, packetId: number): Buffer {
  const bytes = Buffer.allocUnsafe(4);
  bytes[0] = ACK_HEADERS[type];
  bytes[1] = 2;
  bytes[2] = packetId >> 8;
  bytes[3] = packetId & 0xff;
  return bytes;
}

function varIntLength(value: number): number {
  return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
}

/**
 * A PUBLISH with no properties. For MQTT 5 (`withPropertyLength`) the empty property list is one 0 byte
 * after the packet id [MQTT-3.3.2.3].
 */
export function encodePlainPublish(
  topic: string,
  payload: Buffer,
  qos: number,
  retain: boolean,
  dup: boolean,
  packetId: number,
  withPropertyLength: boolean,
): Buffer {
  const topicLength = Buffer.byteLength(topic);
  const remaining = 2 + topicLength + (qos > 0 ? 2 : 0) + (withPropertyLength ? 1 : 0) + payload.length;
  const bytes = Buffer.allocUnsafe(1 + varIntLength(remaining) + remaining);
  let offset = 0;
  bytes[offset++] = 0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0);
  let value = remaining;
  do {
    let digit = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) digit |= 0x80;
    bytes[offset++] = digit;
  } while (value > 0);
  bytes[offset++] = topicLength >> 8;
  bytes[offset++] = topicLength & 0xff;
  offset += bytes.write(topic, offset, 'utf8');
  if (qos > 0) {
    bytes[offset++] = packetId >> 8;
    bytes[offset++] = packetId & 0xff;
  }
  if (withPropertyLength) bytes[offset++] = 0;
  payload.copy(bytes, offset);
  return bytes;
}
