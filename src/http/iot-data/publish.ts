/**
 * @module http/iot-data/publish — the data plane's Publish (`POST /topics/{topic}`) [spec §1.1, §3.8]: the
 * body is the payload, query and headers carry QoS, RETAIN and the MQTT 5 properties, and the message goes
 * through `broker.publish` like any other, so hooks (the shadow service among them) see it too.
 *
 * Choices:
 * - QoS 0 or 1 only (AWS); a QoS 1 publish is answered once the broker's writes are durable, like a PUBACK.
 * - The message has no publisher (`origin` undefined): HTTPS publishes have no client id [spec §3.8].
 * - `x-amz-mqtt5-user-properties` is base64 of a JSON array of one-pair objects (`[{"k":"v"},…]`); a key
 *   given several times becomes a repeated user property. Raw (unencoded) JSON is accepted too.
 * - Too big a payload (the MQTT `maxPayloadSize`) is 413 RequestEntityTooLargeException.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { AwsError } from '../../core/aws-error.js';
import type { Broker } from '../../mqtt/broker.js';
import { expiryDeadline, type Message, type MessageProperties } from '../../mqtt/message.js';
import { validateTopicName } from '../../mqtt/router/topic.js';
import { optionalBoolean, optionalInteger, rawBodyRoute, type RawApiRequest } from '../aws-api.js';

export function registerPublishRoute(app: FastifyInstance, broker: Broker): void {
  rawBodyRoute(app, 'POST', '/topics/*', async (request) => {
    const message = messageOf(request, broker);
    broker.publish(message);
    if (message.qos === 1) await new Promise<void>((resolve, reject) => broker.whenDurable((error) => (error === undefined ? resolve() : reject(error))));
    return { message: 'OK', traceId: request.requestId };
  }, ({ params, query }) => {
    // As over MQTT: iot:Publish on the topic, and iot:RetainPublish too for a retained message.
    const resource = `topic/${params['*'] ?? ''}`;
    return query.retain === 'true' ? [{ action: 'iot:Publish', resource }, { action: 'iot:RetainPublish', resource }] : [{ action: 'iot:Publish', resource }];
  });
}

/** Checks a topic as the MQTT broker does for a PUBLISH; 400 with the reason when it is not one. */
export function checkTopic(topic: string, broker: Broker, what = 'topic'): void {
  const check = validateTopicName(topic, { maxLength: broker.settings.maxTopicLength, maxLevels: broker.settings.maxTopicLevels });
  if (!check.ok) throw new AwsError('InvalidRequestException', `invalid ${what}: ${check.reason}`);
}

function messageOf(request: RawApiRequest, broker: Broker): Message {
  const { query, headers, body } = request;
  const topic = request.params['*'] ?? '';
  checkTopic(topic, broker);
  const qos = optionalInteger(query.qos, 'qos') ?? 0;
  if (qos !== 0 && qos !== 1) throw new AwsError('InvalidRequestException', 'qos must be 0 or 1');
  if (body.length > broker.settings.maxPayloadSize) throw new AwsError('RequestEntityTooLargeException', `payload of ${body.length} bytes exceeds the maximum of ${broker.settings.maxPayloadSize}`);
  const messageExpiry = optionalInteger(query.messageExpiry, 'messageExpiry');
  if (messageExpiry !== undefined && messageExpiry < 0) throw new AwsError('InvalidRequestException', 'messageExpiry must not be negative');

  const properties: MessageProperties = {};
  const format = headerOf(headers, 'x-amz-mqtt5-payload-format-indicator');
  if (format !== undefined) {
    if (format !== 'UNSPECIFIED_BYTES' && format !== 'UTF8_DATA') throw new AwsError('InvalidRequestException', 'x-amz-mqtt5-payload-format-indicator must be UNSPECIFIED_BYTES or UTF8_DATA');
    properties.payloadFormatIndicator = format === 'UTF8_DATA';
    if (format === 'UTF8_DATA' && !isUtf8(body)) throw new AwsError('InvalidRequestException', 'the payload format indicator says UTF-8 but the payload is not valid UTF-8');
  }
  if (query.contentType !== undefined) properties.contentType = query.contentType;
  if (query.responseTopic !== undefined) {
    checkTopic(query.responseTopic, broker, 'responseTopic');
    properties.responseTopic = query.responseTopic;
  }
  const correlation = headerOf(headers, 'x-amz-mqtt5-correlation-data');
  if (correlation !== undefined) properties.correlationData = strictBase64(correlation, 'x-amz-mqtt5-correlation-data');
  const userProperties = headerOf(headers, 'x-amz-mqtt5-user-properties');
  if (userProperties !== undefined) properties.userProperties = parseUserProperties(userProperties);

  return {
    topic,
    payload: body,
    qos,
    retain: optionalBoolean(query.retain, 'retain') ?? false,
    properties: Object.keys(properties).length === 0 ? undefined : properties,
    expiresAt: expiryDeadline(messageExpiry, broker.now()),
    origin: undefined,
  };
}

function headerOf(headers: RawApiRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function strictBase64(text: string, name: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(trimmed) || trimmed.length % 4 !== 0) throw new AwsError('InvalidRequestException', `${name} must be base64`);
  return Buffer.from(trimmed, 'base64');
}

/** `[{"deviceName":"alpha"},{"deviceCnt":"45"}]`, base64-encoded (or not), into the broker's user properties. */
export function parseUserProperties(header: string): Record<string, string | string[]> {
  const invalid = (): AwsError => new AwsError('InvalidRequestException', 'x-amz-mqtt5-user-properties must be a (base64-encoded) JSON array of objects with string values');
  const trimmed = header.trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed.startsWith('[') ? trimmed : strictBase64(trimmed, 'x-amz-mqtt5-user-properties').toString('utf8'));
  } catch (error) {
    if (error instanceof AwsError) throw error;
    throw invalid();
  }
  if (!Array.isArray(parsed)) throw invalid();
  // A Map, then own properties: a key such as `__proto__` stays an ordinary user property.
  const result = new Map<string, string | string[]>();
  for (const item of parsed as unknown[]) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalid();
    for (const [key, value] of Object.entries(item)) {
      if (typeof value !== 'string') throw invalid();
      const existing = result.get(key);
      result.set(key, existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]);
    }
  }
  return Object.fromEntries(result);
}

/** The broker's user properties as AWS returns them: the JSON array of one-pair objects. */
export function userPropertiesJson(properties: Record<string, string | string[]>): string {
  const pairs: Array<Record<string, string>> = [];
  for (const [key, value] of Object.entries(properties)) for (const one of Array.isArray(value) ? value : [value]) pairs.push({ [key]: one });
  return JSON.stringify(pairs);
}
