/** @module mqtt/channel/handlers/subscribe — SUBSCRIBE [MQTT-3.8] and its SUBACK [MQTT-3.9]. */
import type { SubscribePacket } from '../../codec/index.js';
import { ReasonCode } from '../../codec/reason-codes.js';
import type { QoS } from '../../message.js';
import { parseSharedFilter, validateTopicFilter } from '../../router/topic.js';
import type { SubscriptionOptions } from '../../session/store.js';
import type { Channel } from '../channel.js';

/** The largest value a Variable Byte Integer holds: the range of Subscription Identifiers [MQTT-3.8.2.1.2]. */
const MAX_SUBSCRIPTION_ID = 268_435_455;

interface Granted {
  filter: string;
  options: SubscriptionOptions;
  isNew: boolean;
}

export function handleSubscribe(channel: Channel, packet: SubscribePacket): void {
  const session = channel.session;
  if (session === undefined) return;
  const subscriptionId = packet.properties?.subscriptionIdentifier;
  if (subscriptionId !== undefined && (subscriptionId < 1 || subscriptionId > MAX_SUBSCRIPTION_ID || Array.isArray(subscriptionId))) {
    channel.disconnect(ReasonCode.ProtocolError, 'subscription identifier must be from 1 to 268435455'); // [MQTT-3.8.2-1]
    return;
  }
  const { settings, broker } = channel;
  const limits = { maxLength: settings.maxTopicLength, maxLevels: settings.maxTopicLevels };
  const codes: number[] = [];
  const granted: Granted[] = [];
  const refuse = (v5Code: number, why: string, filter: string): void => {
    codes.push(channel.isV5 ? v5Code : ReasonCode.UnspecifiedError);
    channel.logger.info({ clientId: channel.clientId, filter }, `refused subscription: ${why}`);
  };
  for (const request of packet.subscriptions) {
    const filter = request.topic;
    const check = validateTopicFilter(filter, limits);
    if (!check.ok) {
      refuse(ReasonCode.TopicFilterInvalid, check.reason, filter);
      continue;
    }
    const shared = parseSharedFilter(filter) !== undefined;
    if (shared && request.nl === true) {
      channel.disconnect(ReasonCode.ProtocolError, 'No Local must not be set on a shared subscription'); // [MQTT-3.8.3-4]
      return;
    }
    if (channel.access !== undefined && !channel.access.allows('subscribe', filter)) {
      // v5: 0x87 unless configured otherwise; 3.1.1 has only 0x80 [MQTT-3.9.3-2]. Identity logs the denial, with the policy.
      codes.push(channel.isV5 ? settings.subscribeDeniedReasonCode : ReasonCode.UnspecifiedError);
      continue;
    }
    if (!session.subscriptions.has(filter) && session.subscriptions.size >= settings.maxSubscriptionsPerClient) {
      refuse(ReasonCode.QuotaExceeded, `at most ${settings.maxSubscriptionsPerClient} subscriptions per client`, filter);
      continue;
    }
    const options: SubscriptionOptions = {
      qos: request.qos as QoS,
      noLocal: request.nl === true,
      retainAsPublished: request.rap === true,
      retainHandling: (request.rh ?? 0) as 0 | 1 | 2,
      subscriptionId,
    };
    const isNew = broker.subscribe(session, filter, options);
    granted.push({ filter, options, isNew });
    codes.push(options.qos);
  }
  const messageId = packet.messageId as number;
  broker.subscriptionsChanged(channel, true, granted.map((g) => g.filter));
  broker.whenDurable(() => {
    channel.send({ cmd: 'suback', messageId, granted: codes });
    // Retained messages follow the SUBACK, per Retain Handling [MQTT-3.3.1-9..11].
    for (const { filter, options, isNew } of granted) broker.sendRetained(session, filter, options, isNew);
  });
}
