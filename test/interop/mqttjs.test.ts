/**
 * @module test/interop/mqttjs — MQTT.js 5, unchanged, as a real client of hako: every case runs for each
 * transport (TCP, WebSocket at `/mqtt`) × protocol version (3.1.1, 5.0).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { IConnackPacket, IPublishPacket } from 'mqtt-packet';
import { startTestHako, type TestHako } from '../helpers/hako.js';

type Version = 4 | 5;
type Transport = 'tcp' | 'ws';

interface Received {
  topic: string;
  payload: string;
  packet: IPublishPacket;
}

/** Collects a client's messages, so a test can await one that may already have arrived. */
class Inbox {
  readonly #messages: Received[] = [];
  #waiters: Array<{ topic: string; resolve: (m: Received) => void }> = [];

  constructor(client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const message = { topic, payload: payload.toString(), packet };
      const index = this.#waiters.findIndex((w) => w.topic === topic);
      if (index >= 0) this.#waiters.splice(index, 1)[0]?.resolve(message);
      else this.#messages.push(message);
    });
  }

  /** The next message on `topic`; rejects after `timeoutMs`. */
  next(topic: string, timeoutMs = 3000): Promise<Received> {
    const index = this.#messages.findIndex((m) => m.topic === topic);
    if (index >= 0) return Promise.resolve(this.#messages.splice(index, 1)[0] as Received);
    return new Promise((resolve, reject) => {
      const waiter = {
        topic,
        resolve: (m: Received) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`no message on ${topic} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

}

let hako: TestHako;
before(async () => {
  hako = await startTestHako();
});
after(() => hako.close());

const combos: Array<{ transport: Transport; version: Version }> = [
  { transport: 'tcp', version: 4 },
  { transport: 'tcp', version: 5 },
  { transport: 'ws', version: 4 },
  { transport: 'ws', version: 5 },
];

for (const { transport, version } of combos) {
  const combo = `${transport}-v${version}`;
  const url = (): string => (transport === 'tcp' ? `mqtt://127.0.0.1:${hako.ports.mqtt}` : `ws://127.0.0.1:${hako.ports.http}/mqtt`);
  /** A client of this combo; `reconnectPeriod: 0` so that a dropped connection fails the test instead of hiding. */
  const connect = async (clientId: string, options: IClientOptions = {}): Promise<{ client: MqttClient; inbox: Inbox; connack: IConnackPacket }> => {
    const client = mqtt.connect(url(), { protocolVersion: version, clientId: `${combo}-${clientId}`, reconnectPeriod: 0, connectTimeout: 3000, ...options });
    const inbox = new Inbox(client); // before CONNACK: a resumed session's messages follow it at once
    const connack = await new Promise<IConnackPacket>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('error', reject);
    });
    return { client, inbox, connack };
  };
  const topic = (name: string): string => `interop/${combo}/${name}`;

  describe(`MQTT.js over ${transport}, MQTT ${version === 5 ? '5.0' : '3.1.1'}`, () => {
    test('connects, subscribes, and receives its QoS 0, 1 and 2 publishes at the QoS granted', async () => {
      const { client, inbox } = await connect('pubsub');
      try {
        const granted = await client.subscribeAsync(topic('qos/+'), { qos: 2 });
        assert.deepEqual(granted.map((g) => [g.topic, g.qos]), [[topic('qos/+'), 2]]);
        for (const qos of [0, 1, 2] as const) {
          await client.publishAsync(topic(`qos/${qos}`), `payload at qos ${qos}`, { qos });
          const message = await inbox.next(topic(`qos/${qos}`));
          assert.equal(message.payload, `payload at qos ${qos}`);
          assert.equal(message.packet.qos, qos);
          assert.equal(message.packet.retain, false);
        }
      } finally {
        await client.endAsync();
      }
    });

    test('a new subscriber gets the retained message, flagged retained, and a live copy is not', async () => {
      const { client: publisher } = await connect('retain-pub');
      const { client: subscriber, inbox } = await connect('retain-sub');
      try {
        await publisher.publishAsync(topic('retained'), 'last known state', { qos: 1, retain: true });
        await subscriber.subscribeAsync(topic('retained'), { qos: 1 });
        const retained = await inbox.next(topic('retained'));
        assert.equal(retained.payload, 'last known state');
        assert.equal(retained.packet.retain, true);
        await publisher.publishAsync(topic('retained'), 'live', { qos: 1, retain: true });
        const live = await inbox.next(topic('retained'));
        assert.equal(live.payload, 'live');
        assert.equal(live.packet.retain, false, 'a message matched by an existing subscription goes out with RETAIN 0 [MQTT-3.3.1-9]');
      } finally {
        await publisher.publishAsync(topic('retained'), '', { qos: 1, retain: true }); // clear it
        await Promise.all([publisher.endAsync(), subscriber.endAsync()]);
      }
    });

    test('the last will is published when the client\'s stream is destroyed', async () => {
      const { client: watcher, inbox } = await connect('will-watcher');
      await watcher.subscribeAsync(topic('will'), { qos: 1 });
      const { client: doomed } = await connect('will-doomed', { will: { topic: topic('will'), payload: Buffer.from('gone'), qos: 1, retain: false } });
      try {
        // A clean DISCONNECT would discard the will [MQTT-3.14.4-3]; destroying the stream is a crash.
        doomed.stream.destroy();
        const will = await inbox.next(topic('will'));
        assert.equal(will.payload, 'gone');
        assert.equal(will.packet.qos, 1);
      } finally {
        doomed.end(true);
        await watcher.endAsync();
      }
    });

    test('a persistent session (clean false) gets the QoS 1 messages queued while it was away, in order', async () => {
      const persistent: IClientOptions = { clean: false, ...(version === 5 ? { properties: { sessionExpiryInterval: 300 } } : {}) };
      const first = await connect('persistent', persistent);
      assert.equal(first.connack.sessionPresent, false);
      await first.client.subscribeAsync(topic('queued'), { qos: 1 });
      await first.client.endAsync();

      const { client: publisher } = await connect('persistent-pub');
      // PUBACK comes after hako has routed each message into the offline session's queue.
      for (const n of [1, 2, 3]) await publisher.publishAsync(topic('queued'), `queued ${n}`, { qos: 1 });
      await publisher.endAsync();

      const second = await connect('persistent', persistent);
      try {
        assert.equal(second.connack.sessionPresent, true);
        const received = [await second.inbox.next(topic('queued')), await second.inbox.next(topic('queued')), await second.inbox.next(topic('queued'))];
        assert.deepEqual(received.map((m) => m.payload), ['queued 1', 'queued 2', 'queued 3']);
        assert.ok(received.every((m) => m.packet.qos === 1));
      } finally {
        // End the session for good: a clean connection replaces it.
        await second.client.endAsync();
        const cleanup = await connect('persistent', { clean: true });
        await cleanup.client.endAsync();
      }
    });

    if (version === 5) {
      test('user properties, response topic and correlation data survive a request/response round trip', async () => {
        const { client: requester, inbox: replies } = await connect('requester');
        const { client: responder, inbox: requests } = await connect('responder');
        try {
          await requester.subscribeAsync(topic('reply'), { qos: 1 });
          await responder.subscribeAsync(topic('request'), { qos: 1 });
          const correlationData = Buffer.from([0x00, 0xff, 0x10]);
          await requester.publishAsync(topic('request'), 'ping?', {
            qos: 1,
            properties: { responseTopic: topic('reply'), correlationData, userProperties: { trace: 'abc', tag: ['one', 'two'] }, contentType: 'text/plain' },
          });
          const request = await requests.next(topic('request'));
          const props = request.packet.properties ?? {};
          assert.equal(props.responseTopic, topic('reply'));
          assert.deepEqual(props.correlationData, correlationData);
          assert.deepEqual({ ...props.userProperties }, { trace: 'abc', tag: ['one', 'two'] });
          assert.equal(props.contentType, 'text/plain');

          await responder.publishAsync(props.responseTopic as string, 'pong!', { qos: 1, properties: { correlationData: props.correlationData, userProperties: { trace: 'abc' } } });
          const reply = await replies.next(topic('reply'));
          assert.equal(reply.payload, 'pong!');
          assert.deepEqual(reply.packet.properties?.correlationData, correlationData);
          assert.deepEqual({ ...reply.packet.properties?.userProperties }, { trace: 'abc' });
        } finally {
          await Promise.all([requester.endAsync(), responder.endAsync()]);
        }
      });
    }
  });
}
