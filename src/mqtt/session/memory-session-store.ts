/**
 * @module mqtt/session/memory-session-store — `SessionStore` in process memory (tests, `--store memory`).
 *
 * Records are copied on the way in and out, so callers cannot change stored state by mutating what they
 * passed in or got back. A batch is atomic through an undo log: each op records how to reverse itself,
 * and a failing op replays the log backwards before the error propagates.
 */
import { copyMessage } from './memory-retained-store.js';
import type { OutboundEntry, SessionOp, SessionRecord, SessionStore, StoredSession, SubscriptionOptions } from './store.js';

type Undo = () => void;

export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #subscriptions = new Map<string, Map<string, SubscriptionOptions>>();
  readonly #outbound = new Map<string, Map<number, OutboundEntry>>();
  readonly #inbound = new Map<string, Set<number>>();

  async apply(ops: readonly SessionOp[]): Promise<void> {
    const undo: Undo[] = [];
    try {
      for (const op of ops) this.#applyOne(op, undo);
    } catch (error) {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
      throw error;
    }
  }

  #applyOne(op: SessionOp, undo: Undo[]): void {
    switch (op.kind) {
      case 'session.put':
        undo.push(restoreKey(this.#sessions, op.session.clientId));
        this.#sessions.set(op.session.clientId, copySession(op.session));
        return;
      case 'session.delete':
        // The removed containers are never touched again (later ops create fresh ones), so putting them
        // back is a full undo.
        for (const map of [this.#sessions, this.#subscriptions, this.#outbound, this.#inbound] as Map<string, unknown>[]) {
          undo.push(restoreKey(map, op.clientId));
          map.delete(op.clientId);
        }
        return;
      case 'subscription.put': {
        const subscriptions = getOrCreate(this.#subscriptions, op.clientId, () => new Map());
        undo.push(restoreKey(subscriptions, op.filter));
        subscriptions.set(op.filter, copyOptions(op.options));
        return;
      }
      case 'subscription.delete': {
        const subscriptions = this.#subscriptions.get(op.clientId);
        if (subscriptions === undefined) return;
        undo.push(restoreKey(subscriptions, op.filter));
        subscriptions.delete(op.filter);
        return;
      }
      case 'outbound.put': {
        const outbound = getOrCreate(this.#outbound, op.clientId, () => new Map());
        undo.push(restoreKey(outbound, op.entry.seq));
        outbound.set(op.entry.seq, copyEntry(op.entry));
        return;
      }
      case 'outbound.delete': {
        const outbound = this.#outbound.get(op.clientId);
        if (outbound === undefined) return;
        undo.push(restoreKey(outbound, op.seq));
        outbound.delete(op.seq);
        return;
      }
      case 'inbound.put': {
        const inbound = getOrCreate(this.#inbound, op.clientId, () => new Set());
        if (inbound.has(op.packetId)) return;
        undo.push(() => inbound.delete(op.packetId));
        inbound.add(op.packetId);
        return;
      }
      case 'inbound.delete': {
        const inbound = this.#inbound.get(op.clientId);
        if (inbound === undefined || !inbound.delete(op.packetId)) return;
        undo.push(() => inbound.add(op.packetId));
        return;
      }
      default:
        throw new TypeError(`unknown session op kind ${JSON.stringify((op as { kind?: unknown }).kind)}`);
    }
  }

  async loadSessions(): Promise<StoredSession[]> {
    return [...this.#sessions.values()].map((session) => ({
      ...copySession(session),
      subscriptions: new Map(
        [...(this.#subscriptions.get(session.clientId) ?? [])].map(([filter, options]) => [filter, copyOptions(options)]),
      ),
    }));
  }

  async loadOutbound(clientId: string): Promise<OutboundEntry[]> {
    const outbound = this.#outbound.get(clientId);
    if (outbound === undefined) return [];
    return [...outbound.values()].sort((a, b) => a.seq - b.seq).map(copyEntry);
  }

  async loadInbound(clientId: string): Promise<number[]> {
    return [...(this.#inbound.get(clientId) ?? [])].sort((a, b) => a - b);
  }

  /** Keeps the contents: `reopen` in the contract suite hands back this same store. */
  async close(): Promise<void> {}
}

// Copies name every field, as the SQLite columns do, so extra properties on a caller's object (say a
// StoredSession passed as a SessionRecord) are not kept by one store and dropped by the other.
function copySession(s: SessionRecord): SessionRecord {
  const peer = s.peer === undefined ? undefined : { kind: s.peer.kind, id: s.peer.id };
  return { clientId: s.clientId, protocolVersion: s.protocolVersion, expiryInterval: s.expiryInterval, disconnectedAt: s.disconnectedAt, peer };
}

function copyOptions(o: SubscriptionOptions): SubscriptionOptions {
  return {
    qos: o.qos,
    noLocal: o.noLocal,
    retainAsPublished: o.retainAsPublished,
    retainHandling: o.retainHandling,
    subscriptionId: o.subscriptionId,
  };
}

function copyEntry(e: OutboundEntry): OutboundEntry {
  return {
    seq: e.seq,
    message: copyMessage(e.message),
    qos: e.qos,
    packetId: e.packetId,
    state: e.state,
    subscriptionIds: e.subscriptionIds === undefined ? undefined : [...e.subscriptionIds],
    retain: e.retain,
  };
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** An undo step that puts `map[key]` back to what it is now (present with its value, or absent). */
function restoreKey<K, V>(map: Map<K, V>, key: K): Undo {
  if (!map.has(key)) return () => map.delete(key);
  const previous = map.get(key) as V;
  return () => map.set(key, previous);
}
