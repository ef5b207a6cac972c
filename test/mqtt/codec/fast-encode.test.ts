import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqttPacket from 'mqtt-packet';
import type { IPublishPacket } from 'mqtt-packet';
import { encodeAck, encodePlainPublish, type AckType } from '../../../src/mqtt/codec/fast-encode.js';

const payloads: Array<[string, Buffer]> = [
  ['empty', Buffer.alloc(0)],
  ['64 bytes', Buffer.alloc(64, 7)],
  ['with zero bytes', Buffer.from([0, 1, 0, 255])],
  ['remaining length needs 2 bytes', Buffer.alloc(200, 1)],
  ['remaining length needs 3 bytes', Buffer.alloc(20_000, 2)],
  ['remaining length needs 4 bytes', Buffer.alloc(2_100_000, 3)],
];
const topics = ['a', 'home/kitchen/humidity', '$aws/things/pi/shadow/update', 'température/€/😀', 'x'.repeat(300)];

for (const version of [4, 5] as const) {
  for (const [payloadName, payload] of payloads) {
    for (const qos of [0, 1, 2] as const) {
      test(`encodePlainPublish v${version} qos ${qos} ${payloadName}: same bytes as mqtt-packet, and parses back`, () => {
        for (const topic of topics) {
          for (const [retain, dup] of [[false, false], [true, false], [false, true], [true, true]] as const) {
            const packetId = qos > 0 ? 0xbeef : 0;
            const packet: IPublishPacket = { cmd: 'publish', topic, payload, qos, retain, dup: qos > 0 ? dup : false };
            if (qos > 0) packet.messageId = packetId;
            const expected = mqttPacket.generate(packet, { protocolVersion: version });
            const actual = encodePlainPublish(topic, payload, qos, retain, qos > 0 ? dup : false, packetId, version === 5);
            assert.ok(actual.equals(expected), `topic ${topic.slice(0, 20)} retain ${retain} dup ${dup}`);
            const parser = mqttPacket.parser({ protocolVersion: version });
            let parsed: IPublishPacket | undefined;
            parser.on('packet', (p) => (parsed = p as IPublishPacket));
            parser.parse(actual);
            assert.equal(parsed?.topic, topic);
            assert.ok(parsed?.payload instanceof Buffer && parsed.payload.equals(payload));
          }
        }
      });
    }
  }
}

for (const type of ['puback', 'pubrec', 'pubrel', 'pubcomp'] as AckType[]) {
  test(`encodeAck ${type}: the 3.1.1 bytes of mqtt-packet, and a v5 parser reads reason Success`, () => {
    for (const packetId of [1, 255, 256, 0xbeef, 65535]) {
      const expected = mqttPacket.generate({ cmd: type, messageId: packetId } as never, { protocolVersion: 4 });
      assert.ok(encodeAck(type, packetId).equals(expected), `packet id ${packetId}`);
      const parser = mqttPacket.parser({ protocolVersion: 5 });
      let parsed: { messageId?: number; reasonCode?: number } | undefined;
      parser.on('packet', (p) => (parsed = p as { messageId?: number; reasonCode?: number }));
      parser.parse(encodeAck(type, packetId));
      assert.equal(parsed?.messageId, packetId);
      assert.equal(parsed?.reasonCode ?? 0, 0);
    }
  });
}
