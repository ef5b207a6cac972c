/** @module mqtt/channel/handlers/unsubscribe — UNSUBSCRIBE [MQTT-3.10] and its UNSUBACK [MQTT-3.11]. */
import type { UnsubscribePacket } from '../../codec/index.js';
import { ReasonCode } from '../../codec/reason-codes.js';
import type { Channel } from '../channel.js';

export function handleUnsubscribe(channel: Channel, packet: UnsubscribePacket): void {
  const session = channel.session;
  if (session === undefined) return;
  const removed: string[] = [];
  const codes = packet.unsubscriptions.map((filter) => {
    if (!channel.broker.unsubscribe(session, filter)) return ReasonCode.NoSubscriptionExisted;
    removed.push(filter);
    return ReasonCode.Success;
  });
  channel.broker.subscriptionsChanged(channel, false, removed);
  const messageId = packet.messageId as number;
  channel.broker.whenDurable(() => {
    // 3.1.1 UNSUBACK has no payload; v5 carries one reason code per filter [MQTT-3.11.3-1].
    if (channel.isV5) channel.send({ cmd: 'unsuback', messageId, granted: codes });
    else channel.send({ cmd: 'unsuback', messageId, granted: [] });
  });
}
