/**
 * @module test/shadow/helpers — shadow topics and request/response helpers for the shadow service tests
 * over raw MQTT clients.
 */
import assert from 'node:assert/strict';
import type { IPublishPacket } from 'mqtt-packet';
import type { RawClient } from '../helpers/raw-client.js';

/** Request and response topics of one shadow (classic when `shadowName` is absent). */
export function shadowTopics(thingName: string, shadowName?: string) {
  const prefix = shadowName === undefined ? `$aws/things/${thingName}/shadow` : `$aws/things/${thingName}/shadow/name/${shadowName}`;
  return {
    update: `${prefix}/update`,
    updateAccepted: `${prefix}/update/accepted`,
    updateRejected: `${prefix}/update/rejected`,
    updateDelta: `${prefix}/update/delta`,
    updateDocuments: `${prefix}/update/documents`,
    get: `${prefix}/get`,
    getAccepted: `${prefix}/get/accepted`,
    getRejected: `${prefix}/get/rejected`,
    delete: `${prefix}/delete`,
    deleteAccepted: `${prefix}/delete/accepted`,
    deleteRejected: `${prefix}/delete/rejected`,
  };
}

export type ShadowTopics = ReturnType<typeof shadowTopics>;

/** Subscribes (QoS 1) to every response topic of the shadow and checks each is granted. */
export async function subscribeResponses(client: RawClient, topics: ShadowTopics): Promise<void> {
  const filters = [topics.updateAccepted, topics.updateRejected, topics.updateDelta, topics.updateDocuments, topics.getAccepted, topics.getRejected, topics.deleteAccepted, topics.deleteRejected];
  const granted = await client.subscribe(filters.map((topic) => ({ topic, qos: 1 as const })));
  assert.deepEqual(granted, filters.map(() => 1));
}

/** Publishes a request at QoS 1 (an object is sent as JSON) and waits for its PUBACK. */
export async function request(client: RawClient, topic: string, payload: object | string): Promise<void> {
  const puback = await client.publishQos1(topic, typeof payload === 'string' ? payload : JSON.stringify(payload));
  assert.equal(puback.reasonCode ?? 0, 0, `PUBACK for ${topic}`);
}

/** The next PUBLISH, which must be on `topic`; returns its JSON payload. */
export async function expectResponse(client: RawClient, topic: string): Promise<Record<string, unknown>> {
  const packet: IPublishPacket = await client.receive();
  assert.equal(packet.topic, topic, `expected a response on ${topic}, got ${packet.topic}: ${packet.payload.toString()}`);
  return JSON.parse(packet.payload.toString()) as Record<string, unknown>;
}

const ARN = 'arn:aws:iot:us-east-1:000000000000';

/** The usual shadow policy: the device connects as its thing and uses only its own shadow topics. */
export const shadowPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:Connection.Thing.ThingName}` },
    { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${ARN}:topic/$aws/things/\${iot:Connection.Thing.ThingName}/shadow/*` },
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/$aws/things/\${iot:Connection.Thing.ThingName}/shadow/*` },
  ],
});
