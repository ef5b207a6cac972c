/**
 * @module mqtt/channel/handlers — the dispatch table: one handler per packet type a client may send.
 */
import type { Packet } from '../../codec/index.js';
import { ReasonCode } from '../../codec/reason-codes.js';
import type { Channel } from '../channel.js';
import { handleConnect } from './connect.js';
import { handlePublish } from './publish.js';
import { handlePuback, handlePubcomp, handlePubrec } from './outbound-acks.js';
import { handlePubrel } from './pubrel.js';
import { handleSubscribe } from './subscribe.js';
import { handleUnsubscribe } from './unsubscribe.js';
import { handlePingreq } from './pingreq.js';
import { handleDisconnect } from './disconnect.js';
import { handleAuth } from './auth.js';

type Handler = (channel: Channel, packet: never) => void;

const handlers: Partial<Record<Packet['cmd'], Handler>> = {
  connect: handleConnect,
  publish: handlePublish,
  puback: handlePuback,
  pubrec: handlePubrec,
  pubrel: handlePubrel,
  pubcomp: handlePubcomp,
  subscribe: handleSubscribe,
  unsubscribe: handleUnsubscribe,
  pingreq: handlePingreq,
  disconnect: handleDisconnect,
  auth: handleAuth,
};

export function dispatch(channel: Channel, packet: Packet): void {
  if (channel.state === 'awaiting-connect' && packet.cmd !== 'connect') {
    // The first packet from a client must be CONNECT [MQTT-3.1.0-1].
    channel.disconnect(ReasonCode.ProtocolError, `expected CONNECT, got ${packet.cmd.toUpperCase()}`);
    return;
  }
  const handler = handlers[packet.cmd];
  if (handler === undefined) {
    channel.disconnect(ReasonCode.ProtocolError, `a client may not send ${packet.cmd.toUpperCase()}`);
    return;
  }
  (handler as (channel: Channel, packet: Packet) => void)(channel, packet);
}
