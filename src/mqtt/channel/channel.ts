/**
 * @module mqtt/channel/channel — the protocol state of one MQTT connection.
 *
 * Packets come in through `handle`, bytes go out through an `Outlet`; the channel never touches a socket,
 * so protocol tests drive it with a recording outlet. Packet handling lives in `handlers/`, one file per
 * packet type; this file holds the state they share and the ways out (send, disconnect).
 */
import type { Logger } from '../../core/logger.js';
import type { MqttSettings } from '../../core/config.js';
import { encode, type Packet, type ProtocolVersion, type PublishPacket } from '../codec/index.js';
import { ReasonCode, reasonName } from '../codec/reason-codes.js';
import { encodeAck, encodePlainPublish, type AckType } from '../codec/fast-encode.js';
import { remainingExpiry, type Message } from '../message.js';
import type { DropReason, Session, SessionLink } from '../session/session.js';
import type { OutboundEntry } from '../session/store.js';
import type { Broker } from '../broker.js';
import { dispatch } from './handlers/index.js';
import type { ClientAccess, PeerIdentity } from '../auth.js';
import type { CloseCause } from '../../core/hooks.js';

/** Where a channel's bytes go: a TCP/TLS socket or a WebSocket, behind the same two calls. */
export interface Outlet {
  write(data: Buffer): void;
  /** Bytes written but not yet taken by the network: grows when the client does not read. */
  bufferedBytes(): number;
  /** Flushes what was written, then closes the connection. */
  end(): void;
  readonly remoteAddress: string;
  /** Who the transport verified the peer to be (TLS client certificate, signed WebSocket), if anyone. */
  readonly peer?: PeerIdentity | undefined;
}

/** Connection lifecycle [MQTT-3.1.0-1]: nothing but CONNECT until connected; nothing after closed. */
export type ChannelState = 'awaiting-connect' | 'connected' | 'closed';

export interface Will {
  /** The will as a message, without expiry: that starts counting only when it is published. */
  message: Message;
  /** Seconds to wait after an unexpected close before publishing (v5 Will Delay Interval). */
  delay: number;
  /** v5 Message Expiry Interval of the will, seconds. */
  expiryInterval: number | undefined;
}

/** Largest packet the MQTT wire format can carry: the default Maximum Packet Size of a peer [MQTT-3.1.2-24]. */
const PROTOCOL_MAX_PACKET_SIZE = 268_435_455;

export class Channel implements SessionLink {
  state: ChannelState = 'awaiting-connect';
  protocolVersion: ProtocolVersion = 4;
  clientId = '';
  session: Session | undefined;
  /** Keep-alive granted, ms; 0 = none. */
  keepAliveMs = 0;
  lastActivity: number;
  clientReceiveMaximum = 65_535;
  clientMaxPacketSize = PROTOCOL_MAX_PACKET_SIZE;
  clientTopicAliasMaximum = 0;
  requestProblemInformation = true;
  /** Topic aliases, made on first use: most connections never use any, and idle ones are many. */
  inboundAliases: Map<number, string> | undefined;
  outboundAliases: Map<string, number> | undefined;
  will: Will | undefined;
  /** What this client may do, decided at CONNECT; undefined = unrestricted. */
  access: ClientAccess | undefined;
  /** Names this connection in lifecycle events; set when CONNECT succeeds. */
  connectionId = '';
  /** Who ended the connection, once it is closed. */
  closeCause: CloseCause = 'server';
  /** QoS 1 publishes received whose PUBACK waits for the store (count towards our Receive Maximum). */
  pendingQos1Acks = 0;
  /** Publishes counted in the current one-second window, for the optional rate limit. */
  publishWindowStart = 0;
  publishesInWindow = 0;
  readonly broker: Broker;
  readonly settings: MqttSettings;
  readonly logger: Logger;
  readonly #outlet: Outlet;

  constructor(broker: Broker, outlet: Outlet, settings: MqttSettings, logger: Logger, now: number) {
    this.broker = broker;
    this.#outlet = outlet;
    this.settings = settings;
    this.logger = logger;
    this.lastActivity = now;
  }

  get remoteAddress(): string {
    return this.#outlet.remoteAddress;
  }

  get peer(): PeerIdentity | undefined {
    return this.#outlet.peer;
  }

  get isV5(): boolean {
    return this.protocolVersion === 5;
  }

  get sendWindow(): number {
    return Math.min(this.clientReceiveMaximum, this.settings.maxInflightOutbound);
  }

  /** Entry point for every decoded packet. */
  handle(packet: Packet, now: number): void {
    if (this.state === 'closed') return;
    this.lastActivity = now;
    dispatch(this, packet);
  }

  send(packet: Packet): void {
    if (this.state === 'closed') return;
    this.#outlet.write(encode(packet, this.protocolVersion));
  }

  /** A reason string for an ack, unless the client asked for no problem information [MQTT-3.1.2-29]. */
  reasonString(text: string): { reasonString: string } | undefined {
    return this.isV5 && this.requestProblemInformation ? { reasonString: text } : undefined;
  }

  sendPublish(entry: OutboundEntry, dup: boolean): DropReason | undefined {
    // A closing connection: QoS 1/2 stay in flight and go again on reconnect (DUP); QoS 0 is gone.
    if (this.state !== 'connected') return entry.qos === 0 ? 'slow_consumer' : undefined;
    // QoS 0 to a client that does not read is dropped rather than buffered without bound; QoS 1/2 are
    // held back by the in-flight window and wait in the session queue instead.
    if (entry.qos === 0 && this.#outlet.bufferedBytes() > this.settings.maxOutboundBuffer) return 'slow_consumer';
    const bytes = this.isV5 ? this.#encodePublishV5(entry, dup) : this.#encodePlain(entry, dup, false);
    // Never send more than the client said it accepts; the message is then dropped [MQTT-3.1.2-25].
    if (bytes === undefined || bytes.length > this.clientMaxPacketSize) return 'packet_too_large';
    this.#outlet.write(bytes);
    return undefined;
  }

  #encodePlain(entry: OutboundEntry, dup: boolean, v5: boolean): Buffer {
    const { message } = entry;
    return encodePlainPublish(message.topic, message.payload, entry.qos, entry.retain, dup, entry.packetId ?? 0, v5);
  }

  /** A v5 PUBLISH with whatever properties this delivery carries; undefined if larger than the client takes. */
  #encodePublishV5(entry: OutboundEntry, dup: boolean): Buffer | undefined {
    const { message } = entry;
    const usesAliases = this.clientTopicAliasMaximum > 0;
    if (message.properties === undefined && message.expiresAt === undefined && entry.subscriptionIds === undefined && !usesAliases) {
      return this.#encodePlain(entry, dup, true);
    }
    const packet: PublishPacket = {
      cmd: 'publish',
      topic: message.topic,
      payload: message.payload,
      qos: entry.qos,
      retain: entry.retain,
      dup,
    };
    if (entry.qos > 0) packet.messageId = entry.packetId as number;
    let newAlias: number | undefined;
    const properties: NonNullable<PublishPacket['properties']> = { ...message.properties };
    const expiry = remainingExpiry(message, this.broker.now());
    if (expiry !== undefined) properties.messageExpiryInterval = expiry;
    if (entry.subscriptionIds !== undefined) properties.subscriptionIdentifier = entry.subscriptionIds;
    if (usesAliases) {
      const aliases = (this.outboundAliases ??= new Map());
      const alias = aliases.get(message.topic);
      if (alias !== undefined) {
        properties.topicAlias = alias;
        packet.topic = '';
      } else if (aliases.size < this.clientTopicAliasMaximum) {
        newAlias = aliases.size + 1;
        properties.topicAlias = newAlias;
      }
    }
    packet.properties = properties;
    const bytes = encode(packet, this.protocolVersion);
    if (bytes.length > this.clientMaxPacketSize) return undefined;
    // The alias counts as set only once the client has actually been sent it.
    if (newAlias !== undefined) this.outboundAliases?.set(message.topic, newAlias);
    return bytes;
  }

  /** A success PUBACK, PUBREC, PUBREL or PUBCOMP. */
  sendAck(type: AckType, packetId: number): void {
    if (this.state === 'closed') return;
    this.#outlet.write(encodeAck(type, packetId));
  }

  sendPubrel(packetId: number): void {
    this.sendAck('pubrel', packetId);
  }

  /**
   * Server-initiated close. v5 clients get a DISCONNECT with the reason [MQTT-4.13.2-1] (only once the
   * connection is established: before CONNACK the reason goes in the CONNACK); 3.1.1 clients are just
   * disconnected. Logged once, here.
   */
  disconnect(reasonCode: number, reason: string, publishWill = true): void {
    if (this.state === 'closed') return;
    const level = reasonCode === ReasonCode.ServerShuttingDown || reasonCode === ReasonCode.SessionTakenOver ? 'debug' : 'warn';
    this.logger[level]({ clientId: this.clientId, remote: this.remoteAddress, reasonCode, reason: reasonName(reasonCode) }, `closing MQTT connection: ${reason}`);
    if (this.isV5 && this.state === 'connected') {
      this.send({ cmd: 'disconnect', reasonCode, properties: this.reasonString(reason) ?? {} });
    }
    this.close(publishWill, reasonName(reasonCode), reasonCode);
  }

  /** Ends the connection and tells the broker; `publishWill` is false only for a clean DISCONNECT. */
  close(publishWill: boolean, reason: string, reasonCode: number): void {
    if (this.state === 'closed') return;
    const wasConnected = this.state === 'connected';
    this.state = 'closed';
    this.#outlet.end();
    if (wasConnected) this.broker.detach(this, publishWill, reason, reasonCode);
    else this.broker.forgetChannel(this);
  }

  /** The transport went away (socket closed or errored) without the protocol saying so. */
  transportClosed(): void {
    if (this.state !== 'closed') this.closeCause = 'connection-lost';
    this.close(true, 'connection lost', ReasonCode.UnspecifiedError);
  }
}
