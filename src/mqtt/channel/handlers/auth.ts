/** @module mqtt/channel/handlers/auth — AUTH [MQTT-3.15]: enhanced authentication is not offered. */
import { ReasonCode } from '../../codec/reason-codes.js';
import type { Channel } from '../channel.js';

export function handleAuth(channel: Channel): void {
  // No authentication method was agreed in CONNECT, so any AUTH is a protocol error [MQTT-4.12.0-1].
  channel.disconnect(ReasonCode.ProtocolError, 'AUTH without an agreed authentication method');
}
