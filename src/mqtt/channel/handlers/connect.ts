/**
 * @module mqtt/channel/handlers/connect — CONNECT [MQTT-3.1] as a list of named steps.
 *
 * Each step either lets the connection go on (returns true) or has already answered and closed it.
 */
import type { ConnectPacket, ConnackPacket } from '../../codec/index.js';
import { ReasonCode, reasonName, toV3ConnackCode } from '../../codec/reason-codes.js';
import { newAssignedClientId } from '../../../core/ids.js';
import { validateTopicName } from '../../router/topic.js';
import type { Channel } from '../channel.js';
import { toMessage } from './publish.js';

interface ConnectContext {
  packet: ConnectPacket;
  clientId: string;
  assignedClientId: string | undefined;
  cleanStart: boolean;
  sessionExpiry: number;
  requestedSessionExpiry: number | undefined;
  serverKeepAlive: number | undefined;
  sessionPresent: boolean;
}

type ConnectStep = (channel: Channel, context: ConnectContext) => boolean;

/** Answers a refused CONNECT with CONNACK and closes [MQTT-3.2.2-6]. */
function refuse(channel: Channel, reasonCode: number, reason: string): false {
  const packet: ConnackPacket = channel.isV5
    ? { cmd: 'connack', sessionPresent: false, reasonCode, properties: channel.reasonString(reason) ?? {} }
    : { cmd: 'connack', sessionPresent: false, returnCode: toV3ConnackCode(reasonCode) };
  channel.send(packet);
  channel.logger.warn({ clientId: channel.clientId, remote: channel.remoteAddress, reasonCode, reason: reasonName(reasonCode) }, `refused MQTT CONNECT: ${reason}`);
  channel.close(false, reasonName(reasonCode), reasonCode);
  return false;
}

const readProtocol: ConnectStep = (channel, { packet }) => {
  channel.protocolVersion = packet.protocolVersion ?? 4;
  if (channel.protocolVersion === 5) {
    const props = packet.properties ?? {};
    channel.requestProblemInformation = props.requestProblemInformation !== false;
    if (props.receiveMaximum !== undefined) channel.clientReceiveMaximum = props.receiveMaximum;
    if (props.maximumPacketSize !== undefined) channel.clientMaxPacketSize = props.maximumPacketSize;
    if (props.topicAliasMaximum !== undefined) channel.clientTopicAliasMaximum = props.topicAliasMaximum;
    if (props.authenticationMethod !== undefined) {
      // Enhanced authentication is not offered [MQTT-4.12.0-1].
      return refuse(channel, ReasonCode.BadAuthenticationMethod, `authentication method "${props.authenticationMethod}" is not supported`);
    }
  }
  return true;
};

const checkCapacity: ConnectStep = (channel) => {
  if (channel.broker.connectionCount > channel.settings.maxConnections) {
    return refuse(channel, ReasonCode.QuotaExceeded, `the server accepts at most ${channel.settings.maxConnections} connections`);
  }
  return true;
};

const checkClientId: ConnectStep = (channel, context) => {
  const { clientId } = context.packet;
  if (clientId === '') {
    // 3.1.1 allows an empty id only with a clean session [MQTT-3.1.3-7, MQTT-3.1.3-8]; v5 assigns one [MQTT-3.1.3-6].
    if (!channel.isV5 && !context.cleanStart) return refuse(channel, ReasonCode.ClientIdentifierNotValid, 'an empty client id requires a clean session');
    context.assignedClientId = newAssignedClientId();
    context.clientId = context.assignedClientId;
  } else if (Buffer.byteLength(clientId) > 128) {
    return refuse(channel, ReasonCode.ClientIdentifierNotValid, 'client id is longer than 128 bytes');
  }
  channel.clientId = context.clientId;
  return true;
};

/** Identity decides, from the peer the transport verified and the client id (iot:Connect on client/<id>). */
const authenticate: ConnectStep = (channel, context) => {
  const decision = channel.broker.authenticator.authenticate({
    clientId: context.clientId,
    username: context.packet.username,
    peer: channel.peer,
    remoteAddress: channel.remoteAddress,
    cleanStart: context.cleanStart,
    hasWill: context.packet.will !== undefined,
  });
  if (!decision.ok) return refuse(channel, decision.reasonCode, decision.reason);
  channel.access = decision.access;
  return true;
};

const negotiateKeepAlive: ConnectStep = (channel, context) => {
  const requested = context.packet.keepalive ?? 0;
  const max = channel.settings.maxKeepAlive;
  let granted = requested;
  if (max > 0 && (requested === 0 || requested > max) && channel.isV5) {
    granted = max;
    context.serverKeepAlive = max;
  }
  // The server disconnects after one and a half keep-alive periods of silence [MQTT-3.1.2-24].
  channel.keepAliveMs = granted * 1500;
  return true;
};

const negotiateSessionExpiry: ConnectStep = (channel, context) => {
  if (channel.isV5) {
    const requested = context.packet.properties?.sessionExpiryInterval ?? 0;
    context.sessionExpiry = Math.min(requested, channel.settings.maxSessionExpiry);
    if (context.sessionExpiry !== requested) context.requestedSessionExpiry = requested;
  } else {
    context.sessionExpiry = context.cleanStart ? 0 : channel.settings.persistentSessionExpiry;
  }
  return true;
};

const readWill: ConnectStep = (channel, context) => {
  const will = context.packet.will;
  if (will === undefined) return true;
  const check = validateTopicName(will.topic, { maxLength: channel.settings.maxTopicLength, maxLevels: channel.settings.maxTopicLevels });
  if (!check.ok) return refuse(channel, ReasonCode.TopicNameInvalid, `will topic: ${check.reason}`);
  const payload = typeof will.payload === 'string' ? Buffer.from(will.payload) : will.payload;
  if (payload.length > channel.settings.maxPayloadSize) return refuse(channel, ReasonCode.PacketTooLarge, 'will payload exceeds the maximum payload size');
  // The will is published on the client's behalf, so the client must be allowed to publish it (AWS checks iot:Publish).
  const access = channel.access;
  if (access !== undefined && (!access.allows('publish', will.topic) || (will.retain === true && !access.allows('retain', will.topic)))) {
    return refuse(channel, ReasonCode.NotAuthorized, `not authorized to publish the will to "${will.topic}"`);
  }
  const properties = will.properties ?? {};
  // A will's Message Expiry Interval starts when it is published, not now (MQTT 5 §3.1.3.2.4).
  const { messageExpiryInterval, ...rest } = properties;
  channel.will = {
    message: toMessage(will.topic, payload, will.qos ?? 0, will.retain === true, rest, context.clientId, 0),
    delay: properties.willDelayInterval ?? 0,
    expiryInterval: messageExpiryInterval,
  };
  return true;
};

const openSession: ConnectStep = (channel, context) => {
  const { session, sessionPresent } = channel.broker.openSession(channel, context.cleanStart, context.sessionExpiry);
  channel.session = session;
  context.sessionPresent = sessionPresent;
  channel.state = 'connected';
  return true;
};

const sendConnack: ConnectStep = (channel, context) => {
  if (!channel.isV5) {
    channel.send({ cmd: 'connack', sessionPresent: context.sessionPresent, returnCode: 0 });
    return true;
  }
  const { settings } = channel;
  const properties: NonNullable<ConnackPacket['properties']> = {
    receiveMaximum: settings.receiveMaximum,
    maximumPacketSize: settings.maxPacketSize,
    topicAliasMaximum: settings.topicAliasMaximum,
  };
  if (context.assignedClientId !== undefined) properties.assignedClientIdentifier = context.assignedClientId;
  if (context.serverKeepAlive !== undefined) properties.serverKeepAlive = context.serverKeepAlive;
  if (context.requestedSessionExpiry !== undefined) properties.sessionExpiryInterval = context.sessionExpiry;
  channel.send({ cmd: 'connack', sessionPresent: context.sessionPresent, reasonCode: ReasonCode.Success, properties });
  return true;
};

const resumeDelivery: ConnectStep = (channel, context) => {
  channel.broker.attached(channel, context.cleanStart, context.sessionPresent);
  return true;
};

const connectSteps: readonly ConnectStep[] = [
  readProtocol,
  checkCapacity,
  checkClientId,
  authenticate,
  negotiateKeepAlive,
  negotiateSessionExpiry,
  readWill,
  openSession,
  sendConnack,
  resumeDelivery,
];

export function handleConnect(channel: Channel, packet: ConnectPacket): void {
  if (channel.state !== 'awaiting-connect') {
    // A second CONNECT is a protocol violation [MQTT-3.1.0-2].
    channel.disconnect(ReasonCode.ProtocolError, 'a second CONNECT on the same connection');
    return;
  }
  const context: ConnectContext = {
    packet,
    clientId: packet.clientId,
    assignedClientId: undefined,
    cleanStart: packet.clean !== false,
    sessionExpiry: 0,
    requestedSessionExpiry: undefined,
    serverKeepAlive: undefined,
    sessionPresent: false,
  };
  for (const step of connectSteps) {
    if (!step(channel, context)) return;
  }
}
