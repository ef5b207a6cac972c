/** @module mqtt/channel/handlers/disconnect — DISCONNECT from the client [MQTT-3.14]. */
import type { DisconnectPacket } from '../../codec/index.js';
import { ReasonCode, reasonName } from '../../codec/reason-codes.js';
import type { Channel } from '../channel.js';

export function handleDisconnect(channel: Channel, packet: DisconnectPacket): void {
  const session = channel.session;
  const requestedExpiry = packet.properties?.sessionExpiryInterval;
  if (session !== undefined && requestedExpiry !== undefined) {
    // A session that was not to outlive the connection cannot be made to now [MQTT 5 §3.14.2.2.2].
    if (session.expiryInterval === 0 && requestedExpiry > 0) {
      channel.disconnect(ReasonCode.ProtocolError, 'DISCONNECT set a session expiry on a session that had none');
      return;
    }
    channel.broker.setSessionExpiry(session, Math.min(requestedExpiry, channel.settings.maxSessionExpiry));
  }
  const reasonCode = packet.reasonCode ?? ReasonCode.Success;
  channel.closeCause = 'client';
  // The will is discarded on a normal DISCONNECT, kept on 0x04 [MQTT-3.14.4-3].
  channel.close(reasonCode === ReasonCode.DisconnectWithWill, reasonCode === 0 ? 'client disconnected' : reasonName(reasonCode), reasonCode);
}
