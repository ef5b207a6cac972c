/**
 * @module mqtt/connection — joins a transport's byte stream to a channel: bytes → decoder → channel,
 * channel → outlet → bytes. The one place where a socket meets the protocol.
 */
import type { Logger } from '../core/logger.js';
import type { Clock } from '../core/clock.js';
import { createDecoder } from './codec/index.js';
import { ReasonCode } from './codec/reason-codes.js';
import { Channel, type Outlet } from './channel/channel.js';
import type { Broker } from './broker.js';
import type { PeerIdentity } from './auth.js';

/** What a transport offers: raw bytes in, raw bytes out. */
export interface ByteStream {
  onData(listener: (chunk: Buffer) => void): void;
  bufferedBytes(): number;
  onClose(listener: () => void): void;
  write(data: Buffer): void;
  end(): void;
  readonly remoteAddress: string;
  /** Set by transports that verify the peer before MQTT starts (TLS with client certificates). */
  readonly peer?: PeerIdentity | undefined;
}

/** MQTT 3.1.1 CONNACK "unacceptable protocol version" [MQTT-3.1.2-2], sent before the version is known. */
const CONNACK_UNACCEPTABLE_PROTOCOL = Buffer.from([0x20, 0x02, 0x00, 0x01]);

export function openConnection(broker: Broker, stream: ByteStream, clock: Clock, logger: Logger): Channel {
  const outlet: Outlet = { write: (data) => stream.write(data), end: () => stream.end(), bufferedBytes: () => stream.bufferedBytes(), remoteAddress: stream.remoteAddress, peer: stream.peer };
  const channel = new Channel(broker, outlet, broker.settings, logger, clock.monotonic());
  broker.addChannel(channel);
  const decoder = createDecoder(
    broker.settings.maxPacketSize,
    (packet) => channel.handle(packet, clock.monotonic()),
    (error) => {
      if (channel.state === 'awaiting-connect' && error.reasonCode === ReasonCode.UnsupportedProtocolVersion) {
        stream.write(CONNACK_UNACCEPTABLE_PROTOCOL);
      }
      channel.disconnect(error.reasonCode, error.message);
    },
  );
  stream.onData((chunk) => {
    try {
      decoder.push(chunk);
    } catch (error) {
      // Nothing a client sends may take the process down: a bug in handling one packet closes that connection.
      logger.error({ err: error, clientId: channel.clientId }, 'internal error while handling a packet');
      channel.disconnect(ReasonCode.ImplementationSpecificError, 'internal error');
    }
  });
  stream.onClose(() => channel.transportClosed());
  return channel;
}
