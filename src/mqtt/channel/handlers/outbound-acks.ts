/**
 * @module mqtt/channel/handlers/outbound-acks — PUBACK, PUBREC and PUBCOMP from a client: the
 * acknowledgements of messages the server sent [MQTT-4.3].
 */
import type { PubackPacket, PubcompPacket, PubrecPacket } from '../../codec/index.js';
import { ReasonCode } from '../../codec/reason-codes.js';
import type { Channel } from '../channel.js';

export function handlePuback(channel: Channel, packet: PubackPacket): void {
  channel.session?.complete(packet.messageId as number);
}

export function handlePubrec(channel: Channel, packet: PubrecPacket): void {
  const session = channel.session;
  if (session === undefined) return;
  const packetId = packet.messageId as number;
  // A PUBREC with an error code ends the exchange: no PUBREL follows [MQTT-4.3.3-4].
  if ((packet.reasonCode ?? 0) >= ReasonCode.UnspecifiedError) {
    session.complete(packetId);
    return;
  }
  if (session.release(packetId)) {
    channel.sendPubrel(packetId);
  } else if (channel.isV5) {
    channel.send({ cmd: 'pubrel', messageId: packetId, reasonCode: ReasonCode.PacketIdentifierNotFound });
  } else {
    channel.sendPubrel(packetId);
  }
}

export function handlePubcomp(channel: Channel, packet: PubcompPacket): void {
  channel.session?.complete(packet.messageId as number);
}
