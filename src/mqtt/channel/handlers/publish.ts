/**
 * @module mqtt/channel/handlers/publish — PUBLISH from a client [MQTT-3.3], as named steps.
 */
import { isUtf8 } from 'node:buffer';
import type { PublishPacket } from '../../codec/index.js';
import { ReasonCode } from '../../codec/reason-codes.js';
import { expiryDeadline, type Message, type MessageProperties, type QoS } from '../../message.js';
import { validateTopicName } from '../../router/topic.js';
import type { Channel } from '../channel.js';

type WillOrPublishProperties = MessageProperties & { messageExpiryInterval?: number };

/** Builds the broker's message from the fields of a PUBLISH or a will; its expiry counts from `now`. */
export function toMessage(topic: string, payload: Buffer, qos: QoS, retain: boolean, properties: WillOrPublishProperties | undefined, origin: string | undefined, now: number): Message {
  let forwarded: MessageProperties | undefined;
  let expiresAt: number | undefined;
  if (properties !== undefined) {
    const { payloadFormatIndicator, contentType, responseTopic, correlationData, userProperties, messageExpiryInterval } = properties;
    if (payloadFormatIndicator !== undefined || contentType !== undefined || responseTopic !== undefined || correlationData !== undefined || userProperties !== undefined) {
      forwarded = {};
      if (payloadFormatIndicator !== undefined) forwarded.payloadFormatIndicator = payloadFormatIndicator;
      if (contentType !== undefined) forwarded.contentType = contentType;
      if (responseTopic !== undefined) forwarded.responseTopic = responseTopic;
      if (correlationData !== undefined) forwarded.correlationData = correlationData;
      if (userProperties !== undefined) forwarded.userProperties = userProperties;
    }
    expiresAt = expiryDeadline(messageExpiryInterval, now);
  }
  return { topic, payload, qos, retain, properties: forwarded, expiresAt, origin };
}

/** The error reason codes a PUBACK or PUBREC may carry (MQTT 5 §3.4.2.1); others need a DISCONNECT. */
const ACK_ERROR_CODES: ReadonlySet<number> = new Set([
  ReasonCode.UnspecifiedError, ReasonCode.ImplementationSpecificError, ReasonCode.NotAuthorized, ReasonCode.TopicNameInvalid,
  ReasonCode.PacketIdentifierInUse, ReasonCode.QuotaExceeded, ReasonCode.PayloadFormatInvalid,
]);

/** Refuses one publish: v5 QoS > 0 gets the reason in its ack when an ack can carry it, else the connection closes. */
function reject(channel: Channel, packet: PublishPacket, reasonCode: number, reason: string): void {
  if (channel.isV5 && packet.qos > 0 && ACK_ERROR_CODES.has(reasonCode)) {
    channel.send({ cmd: packet.qos === 1 ? 'puback' : 'pubrec', messageId: packet.messageId as number, reasonCode, properties: channel.reasonString(reason) ?? {} });
    channel.logger.info({ clientId: channel.clientId, topic: packet.topic, reasonCode }, `refused PUBLISH: ${reason}`);
    return;
  }
  channel.disconnect(reasonCode, reason);
}

/** Resolves a v5 topic alias [MQTT-3.3.2.3.4]; false when the connection was closed for a bad one. */
function resolveTopicAlias(channel: Channel, packet: PublishPacket): boolean {
  const alias = packet.properties?.topicAlias;
  if (alias === undefined) return true;
  if (alias === 0 || alias > channel.settings.topicAliasMaximum) {
    channel.disconnect(ReasonCode.TopicAliasInvalid, `topic alias ${alias} is outside 1..${channel.settings.topicAliasMaximum}`);
    return false;
  }
  if (packet.topic === '') {
    const topic = channel.inboundAliases?.get(alias);
    if (topic === undefined) {
      channel.disconnect(ReasonCode.ProtocolError, `topic alias ${alias} was never set on this connection`);
      return false;
    }
    packet.topic = topic;
  } else {
    (channel.inboundAliases ??= new Map()).set(alias, packet.topic);
  }
  return true;
}

function withinRateLimit(channel: Channel, now: number): boolean {
  const limit = channel.settings.maxPublishRate;
  if (limit === 0) return true;
  if (now - channel.publishWindowStart >= 1000) {
    channel.publishWindowStart = now;
    channel.publishesInWindow = 0;
  }
  return ++channel.publishesInWindow <= limit;
}

export function handlePublish(channel: Channel, packet: PublishPacket): void {
  const session = channel.session;
  if (session === undefined) return;
  const { qos } = packet;
  if (qos > 0) {
    const inFlight = channel.pendingQos1Acks + session.inboundQos2.size;
    const isResend = qos === 2 && session.inboundQos2.has(packet.messageId as number);
    if (!isResend && inFlight >= channel.settings.receiveMaximum) {
      channel.disconnect(ReasonCode.ReceiveMaximumExceeded, `more than ${channel.settings.receiveMaximum} unacknowledged QoS 1/2 publishes`); // [MQTT-3.3.4-7]
      return;
    }
  }
  if (!resolveTopicAlias(channel, packet)) return;
  const check = validateTopicName(packet.topic, { maxLength: channel.settings.maxTopicLength, maxLevels: channel.settings.maxTopicLevels });
  if (!check.ok) {
    // An empty topic without an alias (MQTT 5 §3.3.2.1) or a wildcard [MQTT-3.3.2-2] breaks the protocol and closes
    // the connection, while a topic beyond the configured limits is only refused in the ack.
    if (packet.topic === '') return channel.disconnect(ReasonCode.ProtocolError, check.reason);
    if (/[+#]/.test(packet.topic)) return channel.disconnect(ReasonCode.TopicNameInvalid, check.reason);
    return reject(channel, packet, ReasonCode.TopicNameInvalid, check.reason);
  }
  const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
  if (payload.length > channel.settings.maxPayloadSize) {
    return reject(channel, packet, ReasonCode.PacketTooLarge, `payload of ${payload.length} bytes exceeds the maximum of ${channel.settings.maxPayloadSize}`);
  }
  const properties = packet.properties;
  if (properties?.payloadFormatIndicator === true && !isUtf8(payload)) {
    return reject(channel, packet, ReasonCode.PayloadFormatInvalid, 'payload format indicator says UTF-8 but the payload is not valid UTF-8'); // [MQTT-3.3.2-4]
  }
  if (properties?.subscriptionIdentifier !== undefined) {
    return reject(channel, packet, ReasonCode.ProtocolError, 'a client must not send a subscription identifier in PUBLISH'); // [MQTT-3.3.4-6]
  }
  if (!withinRateLimit(channel, channel.lastActivity)) {
    return reject(channel, packet, ReasonCode.QuotaExceeded, `more than ${channel.settings.maxPublishRate} publishes per second`);
  }
  const access = channel.access;
  if (access !== undefined && (!access.allows('publish', packet.topic) || (packet.retain && !access.allows('retain', packet.topic)))) {
    // v5 QoS 1/2: PUBACK/PUBREC 0x87; otherwise the connection closes, as AWS IoT closes it (specs §2.2).
    return reject(channel, packet, ReasonCode.NotAuthorized, `not authorized to publish to "${packet.topic}"${packet.retain ? ' with RETAIN' : ''}`);
  }

  const message = toMessage(packet.topic, payload, qos, packet.retain, properties, channel.clientId, channel.broker.now());
  const { broker } = channel;
  if (qos === 0) {
    broker.publish(message);
    return;
  }
  const packetId = packet.messageId as number;
  if (qos === 1) {
    broker.publish(message);
    channel.pendingQos1Acks++;
    broker.whenDurable((error) => {
      channel.pendingQos1Acks--;
      if (error !== undefined) return channel.disconnect(ReasonCode.UnspecifiedError, 'the store failed; the message was not acknowledged');
      channel.sendAck('puback', packetId);
    });
    return;
  }
  // QoS 2: route on first receipt, remember the id until PUBREL, so a resend is not routed twice [MQTT-4.3.3-10].
  if (session.receiveQos2(packetId)) broker.publish(message);
  broker.whenDurable((error) => {
    if (error !== undefined) return channel.disconnect(ReasonCode.UnspecifiedError, 'the store failed; the message was not acknowledged');
    channel.sendAck('pubrec', packetId);
  });
}
