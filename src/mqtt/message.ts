/** @module mqtt/message — an application message as the broker routes and stores it. */

export type QoS = 0 | 1 | 2;

/** The MQTT 5 PUBLISH properties that travel with a message from publisher to subscribers. */
export interface MessageProperties {
  payloadFormatIndicator?: boolean;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Buffer;
  userProperties?: Record<string, string | string[]>;
}

export interface Message {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly properties: MessageProperties | undefined;
  /** Epoch ms after which the message is no longer delivered (v5 Message Expiry Interval), if any. */
  readonly expiresAt: number | undefined;
  /** The client id of the publisher (for No Local); undefined for messages hako itself publishes. */
  readonly origin: string | undefined;
}

/** AWS IoT clamps Message Expiry Interval to seven days (specs/aws-iot-core.md §2.7). */
export const MAX_MESSAGE_EXPIRY_SECONDS = 604_800;

/** The deadline for a Message Expiry Interval that starts counting at `now` (epoch ms). */
export function expiryDeadline(intervalSeconds: number | undefined, now: number): number | undefined {
  if (intervalSeconds === undefined) return undefined;
  return now + Math.min(intervalSeconds, MAX_MESSAGE_EXPIRY_SECONDS) * 1000;
}

/** Seconds of Message Expiry Interval left at `now`, as forwarded to a subscriber [MQTT-3.3.2-6]. */
export function remainingExpiry(message: Message, now: number): number | undefined {
  if (message.expiresAt === undefined) return undefined;
  return Math.max(0, Math.floor((message.expiresAt - now) / 1000));
}

export function isExpired(message: Message, now: number): boolean {
  return message.expiresAt !== undefined && message.expiresAt <= now;
}
