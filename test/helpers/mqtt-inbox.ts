/**
 * @module test/helpers/mqtt-inbox — the messages an MQTT.js client receives, in order, awaited one at a time
 * with a deadline (a message that never comes fails the test with what was awaited, instead of hanging it).
 */
import type { MqttClient } from 'mqtt';

export interface InboxMessage {
  topic: string;
  payload: Buffer;
}

export class MqttInbox {
  readonly #queue: InboxMessage[] = [];
  readonly #waiters: Array<(message: InboxMessage) => void> = [];

  constructor(client: MqttClient) {
    client.on('message', (topic, payload) => {
      const message = { topic, payload };
      const waiter = this.#waiters.shift();
      if (waiter === undefined) this.#queue.push(message);
      else waiter(message);
    });
  }

  /** The next message not yet taken; rejects when none arrives within `timeoutMs`. */
  next(what: string, timeoutMs = 10_000): Promise<InboxMessage> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const waiter = (message: InboxMessage): void => {
        clearTimeout(timer);
        resolve(message);
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error(`no MQTT message within ${timeoutMs} ms: expected ${what}`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }
}
