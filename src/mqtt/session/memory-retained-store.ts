/**
 * @module mqtt/session/memory-retained-store — `RetainedStore` in process memory (tests, `--store memory`).
 *
 * Messages are copied on the way in and out, so neither the broker nor a test can change stored state by
 * mutating an object (or a payload Buffer) it passed in or got back. The copy helper is shared with the
 * memory session store.
 */
import type { Message, MessageProperties } from '../message.js';
import type { RetainedOp, RetainedStore } from './store.js';

export class MemoryRetainedStore implements RetainedStore {
  readonly #messages = new Map<string, Message>();

  async apply(ops: readonly RetainedOp[]): Promise<void> {
    // Check and copy every op before changing anything, so whatever throws (an op kind we do not know,
    // a malformed message) throws while the store is still untouched: that keeps the batch atomic.
    const changes = ops.map((op): [string, Message | undefined] => {
      if (op.kind === 'put') return [op.message.topic, copyMessage(op.message)];
      if (op.kind === 'delete') return [op.topic, undefined];
      throw new TypeError(`unknown retained op kind ${JSON.stringify((op as { kind?: unknown }).kind)}`);
    });
    for (const [topic, message] of changes) {
      if (message === undefined) this.#messages.delete(topic);
      else this.#messages.set(topic, message);
    }
  }

  async loadAll(): Promise<Message[]> {
    return [...this.#messages.values()].map(copyMessage);
  }

  /** Keeps the contents: `reopen` in the contract suite hands back this same store. */
  async close(): Promise<void> {}
}

export function copyMessage(message: Message): Message {
  return {
    topic: message.topic,
    payload: Buffer.from(message.payload),
    qos: message.qos,
    retain: message.retain,
    properties: message.properties === undefined ? undefined : copyProperties(message.properties),
    expiresAt: message.expiresAt,
    origin: message.origin,
  };
}

function copyProperties(properties: MessageProperties): MessageProperties {
  const copy: MessageProperties = { ...properties };
  if (properties.correlationData !== undefined) copy.correlationData = Buffer.from(properties.correlationData);
  if (properties.userProperties !== undefined) {
    copy.userProperties = Object.fromEntries(
      Object.entries(properties.userProperties).map(([key, value]) => [key, Array.isArray(value) ? [...value] : value]),
    );
  }
  return copy;
}
