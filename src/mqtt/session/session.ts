/**
 * @module mqtt/session/session — one MQTT session: what outlives a connection [MQTT-4.1].
 *
 * Holds subscriptions, the outbound messages owed to the client (a window in flight, the rest queued)
 * and the inbound QoS 2 packet ids awaiting PUBREL. It knows nothing about sockets: while a connection is
 * attached it sends through a `SessionLink`. A persistent session journals every change, so the store
 * can rebuild it after a restart or a crash.
 */
import type { Message, QoS } from '../message.js';
import { isExpired } from '../message.js';
import type { Journal } from './journal.js';
import type { OutboundEntry, StoredSession, SubscriptionOptions } from './store.js';
import type { ClientAccess, PeerIdentity } from '../auth.js';

/** What a session needs from the connection it is attached to. */
export interface SessionLink {
  /** Sends a PUBLISH for the entry (packetId set for QoS > 0). Returns why it could not be sent at all
   *  (larger than the client accepts, or a QoS 0 message to a client that is not reading), or undefined
   *  when sent; an unsent message counts as delivered [MQTT-3.1.2-25]. */
  sendPublish(entry: OutboundEntry, dup: boolean): DropReason | undefined;
  sendPubrel(packetId: number): void;
  /** Outbound QoS 1/2 messages the client accepts in flight (its Receive Maximum, capped by ours). */
  readonly sendWindow: number;
}

export type DropReason = 'queue_full' | 'packet_too_large' | 'expired' | 'slow_consumer';

export class Session {
  readonly clientId: string;
  protocolVersion: number;
  /** Seconds the session outlives its connection; 0 = it ends with the connection. */
  expiryInterval: number;
  disconnectedAt: number | undefined;
  readonly subscriptions = new Map<string, SubscriptionOptions>();
  /** Sent and awaiting acknowledgement, by packet id, in send order. */
  readonly inflight = new Map<number, OutboundEntry>();
  /** Waiting for room in the window or for the client to come back. */
  readonly queue: OutboundEntry[] = [];
  readonly inboundQos2 = new Set<number>();
  link: SessionLink | undefined;
  /** Who the session's latest connection was; persisted so a restart can restore `access`. */
  peer: PeerIdentity | undefined;
  /** What the session's client may receive, from its latest CONNECT; undefined = unrestricted. A session
   *  restored after a restart has none until its client connects again. */
  access: ClientAccess | undefined;
  /** Timer that ends the session after expiryInterval once disconnected. */
  expiryTimer: NodeJS.Timeout | undefined;
  /** A full queue is logged once until it has room again, not once per dropped message. */
  overflowLogged = false;
  #nextPacketId = 1;
  #nextSeq = 1;
  readonly #journal: Journal;
  readonly #maxQueued: number;
  readonly #onDrop: (session: Session, message: Message, reason: DropReason) => void;
  readonly #now: () => number;

  constructor(
    clientId: string,
    protocolVersion: number,
    expiryInterval: number,
    journal: Journal,
    maxQueued: number,
    onDrop: (session: Session, message: Message, reason: DropReason) => void,
    now: () => number,
  ) {
    this.#now = now;
    this.clientId = clientId;
    this.protocolVersion = protocolVersion;
    this.expiryInterval = expiryInterval;
    this.disconnectedAt = undefined;
    this.#journal = journal;
    this.#maxQueued = maxQueued;
    this.#onDrop = onDrop;
  }

  get persistent(): boolean {
    return this.expiryInterval > 0;
  }

  /** Writes the session record (and, when it just became persistent, everything it holds). */
  persist(full: boolean): void {
    if (!this.persistent) return;
    const { clientId } = this;
    this.#journal.recordSession({
      kind: 'session.put',
      session: { clientId, protocolVersion: this.protocolVersion, expiryInterval: this.expiryInterval, disconnectedAt: this.disconnectedAt, peer: this.peer },
    });
    if (!full) return;
    for (const [filter, options] of this.subscriptions) this.#journal.recordSession({ kind: 'subscription.put', clientId, filter, options });
    for (const entry of this.inflight.values()) this.#journal.recordSession({ kind: 'outbound.put', clientId, entry });
    for (const entry of this.queue) this.#journal.recordSession({ kind: 'outbound.put', clientId, entry });
    for (const packetId of this.inboundQos2) this.#journal.recordSession({ kind: 'inbound.put', clientId, packetId });
  }

  /** Removes the session from the store (it expired, or a clean start replaced it). */
  forget(): void {
    this.#journal.recordSession({ kind: 'session.delete', clientId: this.clientId });
  }

  /** Rebuilds the in-memory state from what the store held at start-up. */
  restore(stored: StoredSession, outbound: OutboundEntry[], inbound: number[]): void {
    this.disconnectedAt = stored.disconnectedAt;
    this.peer = stored.peer;
    for (const [filter, options] of stored.subscriptions) this.subscriptions.set(filter, options);
    for (const entry of outbound) {
      if (entry.state === 'queued' || entry.packetId === undefined) this.queue.push(entry);
      else this.inflight.set(entry.packetId, entry);
      if (entry.seq >= this.#nextSeq) this.#nextSeq = entry.seq + 1;
    }
    for (const packetId of inbound) this.inboundQos2.add(packetId);
  }

  setSubscription(filter: string, options: SubscriptionOptions): void {
    this.subscriptions.set(filter, options);
    if (this.persistent) this.#journal.recordSession({ kind: 'subscription.put', clientId: this.clientId, filter, options });
  }

  deleteSubscription(filter: string): boolean {
    const existed = this.subscriptions.delete(filter);
    if (existed && this.persistent) this.#journal.recordSession({ kind: 'subscription.delete', clientId: this.clientId, filter });
    return existed;
  }

  /** Hands a message to the session: sent now if connected and the window allows, else queued. */
  deliver(message: Message, qos: QoS, retain: boolean, subscriptionIds: number[] | undefined): void {
    const entry: OutboundEntry = { seq: this.#nextSeq++, message, qos, packetId: undefined, state: 'queued', subscriptionIds, retain };
    const link = this.link;
    if (qos === 0) {
      // QoS 0 is never queued for an offline client, nor held back by the window [MQTT-3.1.2-5].
      if (link === undefined) return;
      const dropped = link.sendPublish(entry, false);
      if (dropped !== undefined) this.#onDrop(this, message, dropped);
      return;
    }
    if (link !== undefined && this.queue.length === 0 && this.inflight.size < link.sendWindow) {
      this.#send(entry, link);
      return;
    }
    if (this.queue.length >= this.#maxQueued) {
      this.#onDrop(this, message, 'queue_full');
      return;
    }
    this.queue.push(entry);
    if (this.persistent) this.#journal.recordSession({ kind: 'outbound.put', clientId: this.clientId, entry });
  }

  /** PUBACK, or PUBCOMP, or a PUBREC with an error code: the exchange for `packetId` is over. */
  complete(packetId: number): boolean {
    const entry = this.inflight.get(packetId);
    if (entry === undefined) return false;
    this.inflight.delete(packetId);
    if (this.persistent) this.#journal.recordSession({ kind: 'outbound.delete', clientId: this.clientId, seq: entry.seq });
    this.drain();
    return true;
  }

  /** PUBREC: the QoS 2 message arrived; from now on the PUBREL is what is owed [MQTT-4.3.3-4]. */
  release(packetId: number): boolean {
    const entry = this.inflight.get(packetId);
    if (entry === undefined) return false;
    if (entry.state !== 'released') {
      entry.state = 'released';
      if (this.persistent) this.#journal.recordSession({ kind: 'outbound.put', clientId: this.clientId, entry });
    }
    return true;
  }

  /** After (re)connecting: resend what was in flight, DUP set [MQTT-4.4.0-1], then drain the queue. */
  resume(link: SessionLink): void {
    this.link = link;
    for (const entry of this.inflight.values()) {
      if (entry.packetId === undefined) continue;
      if (entry.state === 'released') link.sendPubrel(entry.packetId);
      else if (link.sendPublish(entry, true) !== undefined) this.complete(entry.packetId);
    }
    this.drain();
  }

  /** Moves queued messages into the window while there is room. */
  drain(): void {
    const link = this.link;
    if (link === undefined) return;
    let sent = 0;
    while (sent < this.queue.length && this.inflight.size < link.sendWindow) {
      const entry = this.queue[sent++] as OutboundEntry;
      this.#send(entry, link);
    }
    if (sent > 0) this.queue.splice(0, sent);
    if (this.queue.length < this.#maxQueued) this.overflowLogged = false;
  }

  #send(entry: OutboundEntry, link: SessionLink): void {
    if (isExpired(entry.message, this.#now())) {
      // An expired message is not delivered [MQTT-3.3.2-5].
      this.#onDrop(this, entry.message, 'expired');
      if (this.persistent) this.#journal.recordSession({ kind: 'outbound.delete', clientId: this.clientId, seq: entry.seq });
      return;
    }
    entry.packetId = this.#allocatePacketId();
    entry.state = 'sent';
    this.inflight.set(entry.packetId, entry);
    if (this.persistent) this.#journal.recordSession({ kind: 'outbound.put', clientId: this.clientId, entry });
    const dropped = link.sendPublish(entry, false);
    if (dropped !== undefined) {
      this.#onDrop(this, entry.message, dropped);
      this.complete(entry.packetId);
    }
  }

  #allocatePacketId(): number {
    // Packet ids of unacknowledged messages must not be reused [MQTT-2.2.1-3].
    for (let tries = 0; tries < 65535; tries++) {
      const id = this.#nextPacketId;
      this.#nextPacketId = id === 65535 ? 1 : id + 1;
      if (!this.inflight.has(id)) return id;
    }
    throw new Error('no free packet identifier');
  }

  /** Inbound QoS 2: true when this packet id is new (the message must be routed), false for a resend. */
  receiveQos2(packetId: number): boolean {
    if (this.inboundQos2.has(packetId)) return false;
    this.inboundQos2.add(packetId);
    if (this.persistent) this.#journal.recordSession({ kind: 'inbound.put', clientId: this.clientId, packetId });
    return true;
  }

  /** PUBREL from the client. */
  releaseQos2(packetId: number): boolean {
    const existed = this.inboundQos2.delete(packetId);
    if (existed && this.persistent) this.#journal.recordSession({ kind: 'inbound.delete', clientId: this.clientId, packetId });
    return existed;
  }
}
