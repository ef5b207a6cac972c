/**
 * @module http/iot-data/retained — GetRetainedMessage (`GET /retainedMessage/{topic}`) and
 * ListRetainedMessages (`GET /retainedMessage`) over the broker's retained messages [spec §2.4].
 *
 * Blobs travel base64 in the JSON body (restJson): `payload`, and `userProperties` as the base64 of AWS's
 * JSON array of one-pair objects (absent when the message has none). `lastModifiedTime` is epoch ms.
 */
import type { FastifyInstance } from 'fastify';
import { AwsError } from '../../core/aws-error.js';
import { pageOf } from '../../core/paging.js';
import type { Broker } from '../../mqtt/broker.js';
import { optionalInteger, rawBodyRoute } from '../aws-api.js';
import { checkTopic, userPropertiesJson } from './publish.js';

/** ListRetainedMessages' maxResults bound (AWS: 1–200). */
const MAX_RESULTS = 200;

export function registerRetainedRoutes(app: FastifyInstance, broker: Broker): void {
  rawBodyRoute(app, 'GET', '/retainedMessage/*', ({ params }) => {
    const topic = params['*'] ?? '';
    checkTopic(topic, broker);
    const entry = broker.retainedMessage(topic);
    if (entry === undefined) throw new AwsError('ResourceNotFoundException', `No retained message exists for topic: '${topic}'`);
    const { message, lastModified } = entry;
    const userProperties = message.properties?.userProperties;
    return {
      topic: message.topic,
      payload: message.payload.toString('base64'),
      qos: message.qos,
      lastModifiedTime: lastModified,
      ...(userProperties === undefined ? {} : { userProperties: Buffer.from(userPropertiesJson(userProperties)).toString('base64') }),
    };
  }, ({ params }) => [{ action: 'iot:GetRetainedMessage', resource: `topic/${params['*'] ?? ''}` }]);

  rawBodyRoute(app, 'GET', '/retainedMessage', ({ query }) => {
    const page = pageOf(broker.retainedMessages(), (entry) => entry.message.topic, query.nextToken, optionalInteger(query.maxResults, 'maxResults'), MAX_RESULTS);
    return {
      retainedTopics: page.items.map(({ message, lastModified }) => ({ topic: message.topic, payloadSize: message.payload.length, qos: message.qos, lastModifiedTime: lastModified })),
      ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
    };
  }, () => [{ action: 'iot:ListRetainedMessages', resource: '*' }]); // AWS: resource `*` [spec §5.3]
}
