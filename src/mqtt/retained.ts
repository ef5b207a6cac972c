/**
 * @module mqtt/retained — the retained message of each topic [MQTT-3.3.1-5..7], in memory, with the time
 * each was stored (the data plane reports it). The broker owns one of these and journals the changes
 * `apply` hands back, so the store stays the broker's business.
 */
import { isExpired, type Message } from './message.js';
import type { RetainedOp } from './session/store.js';
import { topicMatches } from './router/topic.js';

/** A retained message with the time it was stored (epoch ms; load time for those loaded at start). */
export interface RetainedEntry {
  readonly message: Message;
  readonly lastModified: number;
}

export class RetainedMessages {
  readonly #messages = new Map<string, Message>();
  readonly #storedAt = new Map<string, number>();

  get size(): number {
    return this.#messages.size;
  }

  /** A message read back from the store at start-up. */
  load(message: Message, now: number): void {
    this.#messages.set(message.topic, message);
    this.#storedAt.set(message.topic, now);
  }

  /** Stores, replaces or (empty payload) clears a topic's retained message; the op to journal, if any. */
  apply(message: Message, now: number): RetainedOp | undefined {
    if (message.payload.length === 0) {
      if (!this.#messages.delete(message.topic)) return undefined;
      this.#storedAt.delete(message.topic);
      return { kind: 'delete', topic: message.topic };
    }
    this.#messages.set(message.topic, message);
    this.#storedAt.set(message.topic, now);
    return { kind: 'put', message };
  }

  /** Calls `visit` with each unexpired retained message whose topic `filter` matches. */
  forEachMatching(filter: string, now: number, visit: (message: Message) => void): void {
    if (!filter.includes('+') && !filter.includes('#')) {
      const message = this.#messages.get(filter);
      if (message !== undefined && !isExpired(message, now)) visit(message);
      return;
    }
    for (const [topic, message] of this.#messages) if (topicMatches(filter, topic) && !isExpired(message, now)) visit(message);
  }

  /** A topic's unexpired retained message and when it was stored. */
  entry(topic: string, now: number): RetainedEntry | undefined {
    const message = this.#messages.get(topic);
    if (message === undefined || isExpired(message, now)) return undefined;
    return { message, lastModified: this.#storedAt.get(topic) ?? 0 };
  }

  /** Every unexpired retained message, in topic order. */
  entries(now: number): RetainedEntry[] {
    const entries: RetainedEntry[] = [];
    for (const [topic, message] of this.#messages) if (!isExpired(message, now)) entries.push({ message, lastModified: this.#storedAt.get(topic) ?? 0 });
    return entries.sort((a, b) => (a.message.topic < b.message.topic ? -1 : a.message.topic > b.message.topic ? 1 : 0));
  }
}
