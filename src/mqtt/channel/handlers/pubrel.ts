/** @module mqtt/channel/handlers/pubrel — PUBREL: the client releases a QoS 2 message it sent [MQTT-3.6]. */
import type { PubrelPacket } from '../../codec/index.js';
import { ReasonCode } from '../../codec/reason-codes.js';
import type { Channel } from '../channel.js';

export function handlePubrel(channel: Channel, packet: PubrelPacket): void {
  const session = channel.session;
  if (session === undefined) return;
  const packetId = packet.messageId as number;
  const known = session.releaseQos2(packetId);
  // PUBCOMP only after the release is durable, so a crash cannot route the message a second time.
  channel.broker.whenDurable(() => {
    if (known || !channel.isV5) channel.sendAck('pubcomp', packetId);
    else channel.send({ cmd: 'pubcomp', messageId: packetId, reasonCode: ReasonCode.PacketIdentifierNotFound });
  });
}
