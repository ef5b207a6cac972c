import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt-packet';
import { createDecoder, type DecodeError } from '../../../src/mqtt/codec/index.js';
import { readFrameHeader } from '../../../src/mqtt/codec/fast-decode.js';

type Version = 4 | 5;

/** What a decoder yields for the bytes after a CONNECT, fed in pieces of `step` bytes. */
function decodeAfterConnect(version: Version, bytes: Buffer, step: number, maxPacketSize = 1 << 20): { packets: Packet[]; errors: DecodeError[] } {
  const packets: Packet[] = [];
  const errors: DecodeError[] = [];
  const decoder = createDecoder(maxPacketSize, (p) => packets.push(p), (e) => errors.push(e));
  decoder.push(mqttPacket.generate({ cmd: 'connect', clientId: 'c', protocolVersion: version, protocolId: 'MQTT', clean: true, keepalive: 0 }, { protocolVersion: version }));
  for (let i = 0; i < bytes.length; i += step) decoder.push(bytes.subarray(i, i + step));
  return { packets: packets.slice(1), errors };
}

/** mqtt-packet's own reading of the same bytes: the reference. */
function reference(version: Version, bytes: Buffer): Packet[] {
  const parser = mqttPacket.parser({ protocolVersion: version });
  const packets: Packet[] = [];
  parser.on('packet', (p) => packets.push(p));
  parser.parse(bytes);
  return packets;
}

/** The fields a broker reads; `length` and parser bookkeeping aside. */
function essence(packet: Packet): Record<string, unknown> {
  const p = packet as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { cmd: p['cmd'] };
  for (const key of ['topic', 'qos', 'dup', 'retain', 'messageId', 'properties', 'reasonCode']) if (p[key] !== undefined && p[key] !== null) out[key] = p[key];
  if (Buffer.isBuffer(p['payload'])) out['payload'] = (p['payload'] as Buffer).toString('hex');
  if (out['cmd'] !== 'publish') delete out['qos'], delete out['dup'], delete out['retain'];
  if (out['reasonCode'] === 0) delete out['reasonCode'];
  return out;
}

const publishes = (version: Version): Packet[] => {
  const list: Packet[] = [];
  for (const qos of [0, 1, 2] as const) {
    for (const [topic, payload] of [['a', ''], ['home/kitchen/humidity', '41.5'], ['température/€/😀', 'x'.repeat(300)], ['big', 'y'.repeat(70_000)]] as const) {
      for (const [dup, retain] of [[false, false], [true, true]] as const) {
        const packet: Packet = { cmd: 'publish', topic, payload: Buffer.from(payload), qos, dup: qos > 0 && dup, retain };
        if (qos > 0) packet.messageId = 0x1234 + qos;
        list.push(packet);
      }
    }
  }
  if (version === 5) {
    // Properties: not read by the fast path, handed to mqtt-packet whole.
    list.push({ cmd: 'publish', topic: 'p', payload: Buffer.from('v'), qos: 1, dup: false, retain: false, messageId: 9, properties: { userProperties: { a: '1' }, contentType: 'text/plain' } });
    list.push({ cmd: 'puback', messageId: 7, reasonCode: 0x10 } as Packet);
  }
  for (const cmd of ['puback', 'pubrec', 'pubrel', 'pubcomp'] as const) list.push({ cmd, messageId: 65535 } as Packet);
  list.push({ cmd: 'pingreq' });
  return list;
};

for (const version of [4, 5] as const) {
  const packets = publishes(version);
  const bytes = Buffer.concat(packets.map((p) => mqttPacket.generate(p, { protocolVersion: version })));
  const expected = reference(version, bytes).map(essence);

  test(`v${version}: the decoder reads a stream of hot and other packets exactly as mqtt-packet does`, () => {
    const { packets: got, errors } = decodeAfterConnect(version, bytes, bytes.length);
    assert.deepEqual(errors, []);
    assert.deepEqual(got.map(essence), expected);
  });

  test(`v${version}: the same, whatever the chunk boundaries (1 to 97 bytes, and 64 KiB)`, () => {
    for (const step of [1, 2, 3, 7, 13, 97, 65_536]) {
      const { packets: got, errors } = decodeAfterConnect(version, bytes, step);
      assert.deepEqual(errors, [], `step ${step}`);
      assert.deepEqual(got.map(essence), expected, `step ${step}`);
    }
  });
}

test('a payload is a copy, not a view of the socket chunk (queued messages must not pin chunks)', () => {
  const bytes = mqttPacket.generate({ cmd: 'publish', topic: 't', payload: Buffer.from('abc'), qos: 0, dup: false, retain: false }, { protocolVersion: 4 });
  const { packets } = decodeAfterConnect(4, bytes, bytes.length);
  const payload = (packets[0] as { payload: Buffer }).payload;
  bytes.fill(0x7a); // the transport reuses or drops the chunk; the message must not change with it
  assert.equal(payload.toString(), 'abc');
});

test('QoS 3 and a PUBREL with wrong flags are left to mqtt-packet, which refuses them as malformed', () => {
  for (const bytes of [Buffer.from([0x36, 0x05, 0x00, 0x01, 0x74, 0x00, 0x01]), Buffer.from([0x60, 0x02, 0x00, 0x01])]) {
    const { packets, errors } = decodeAfterConnect(4, bytes, bytes.length);
    assert.deepEqual(packets, [], bytes.toString('hex'));
    assert.equal(errors[0]?.reasonCode, 0x81, bytes.toString('hex'));
  }
});

test('an oversized packet is refused from its header, before its body arrives [MQTT-3.2.2-15]', () => {
  const header = Buffer.from([0x30, 0xff, 0xff, 0x7f]); // remaining length 2 097 151
  const { errors } = decodeAfterConnect(4, header, header.length, 1000);
  assert.equal(errors[0]?.reasonCode, 0x95);
});

test('a remaining length of five bytes is malformed [MQTT-1.5.5]', () => {
  const bytes = Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]);
  assert.equal(readFrameHeader(bytes, 0), 'malformed');
  const { errors } = decodeAfterConnect(4, bytes, bytes.length, 1 << 30);
  assert.equal(errors[0]?.reasonCode, 0x81);
});

test('readFrameHeader: header lengths and incomplete headers', () => {
  assert.deepEqual(readFrameHeader(Buffer.from([0x30, 0x00]), 0), { headerLength: 2, remainingLength: 0 });
  assert.deepEqual(readFrameHeader(Buffer.from([0x30, 0x80, 0x01]), 0), { headerLength: 3, remainingLength: 128 });
  assert.deepEqual(readFrameHeader(Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]), 0), { headerLength: 5, remainingLength: 268_435_455 });
  assert.equal(readFrameHeader(Buffer.from([0x30]), 0), 'incomplete');
  assert.equal(readFrameHeader(Buffer.from([0x30, 0x80]), 0), 'incomplete');
});
