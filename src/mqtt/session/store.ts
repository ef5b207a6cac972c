/**
 * @module mqtt/session/store — what a persistent session store must do.
 *
 * The broker keeps live session state in memory and journals every change of a persistent session as a
 * `SessionOp`. It hands the journal to `apply` in batches (one per event-loop turn) and acknowledges
 * QoS 1/2 publishes only after the batch that holds their copies has resolved: that is the durability
 * promise, so `apply` must not resolve before the data would survive a crash of the process.
 * Implementations: memory (tests, `--store memory`), SQLite (default), later PostgreSQL; all pass
 * `test/contract/session-store.contract.ts`.
 */
import type { Message, QoS } from '../message.js';
import type { PeerIdentity } from '../auth.js';

export interface SubscriptionOptions {
  qos: QoS;
  noLocal: boolean;
  retainAsPublished: boolean;
  retainHandling: 0 | 1 | 2;
  /** v5 Subscription Identifier, if the SUBSCRIBE carried one. */
  subscriptionId: number | undefined;
}

export interface SessionRecord {
  clientId: string;
  protocolVersion: number;
  /** Seconds the session outlives its connection. */
  expiryInterval: number;
  /** Epoch ms when the last connection closed; undefined while connected (or never closed cleanly). */
  disconnectedAt: number | undefined;
  /** Who the session's last connection was (its certificate, say), so a session restored at start-up is
   *  held to that principal's policies before its client is back; undefined for anonymous clients. */
  peer: PeerIdentity | undefined;
}

/**
 * A message owed to a session. `queued`: not yet sent; `sent`: PUBLISH sent with `packetId`, awaiting
 * PUBACK/PUBREC; `released`: PUBREC received and PUBREL sent, awaiting PUBCOMP (QoS 2 only).
 */
export interface OutboundEntry {
  seq: number;
  message: Message;
  /** QoS the subscriber gets (the lower of publish and subscription QoS). */
  qos: QoS;
  packetId: number | undefined;
  state: 'queued' | 'sent' | 'released';
  /** v5 Subscription Identifiers of the matching subscriptions. */
  subscriptionIds: number[] | undefined;
  /** RETAIN flag as delivered (Retain As Published, or a retained message sent on subscribe). */
  retain: boolean;
}

export type SessionOp =
  | { kind: 'session.put'; session: SessionRecord }
  | { kind: 'session.delete'; clientId: string }
  | { kind: 'subscription.put'; clientId: string; filter: string; options: SubscriptionOptions }
  | { kind: 'subscription.delete'; clientId: string; filter: string }
  /** Insert or replace the entry with this (clientId, seq). */
  | { kind: 'outbound.put'; clientId: string; entry: OutboundEntry }
  | { kind: 'outbound.delete'; clientId: string; seq: number }
  /** A QoS 2 packet id received from the client whose PUBREL has not arrived yet [MQTT-4.3.3]. */
  | { kind: 'inbound.put'; clientId: string; packetId: number }
  | { kind: 'inbound.delete'; clientId: string; packetId: number };

export interface StoredSession extends SessionRecord {
  subscriptions: Map<string, SubscriptionOptions>;
}

export interface SessionStore {
  /** Applies the ops atomically and in order; resolves once they are durable. `session.delete` removes
   *  the session's subscriptions, outbound entries and inbound ids too. */
  apply(ops: readonly SessionOp[]): Promise<void>;
  /** Every stored session with its subscriptions, to rebuild routing and expiry timers at start-up. */
  loadSessions(): Promise<StoredSession[]>;
  /** The session's outbound entries in ascending `seq`. */
  loadOutbound(clientId: string): Promise<OutboundEntry[]>;
  /** The session's pending inbound QoS 2 packet ids. */
  loadInbound(clientId: string): Promise<number[]>;
  close(): Promise<void>;
}

export type RetainedOp = { kind: 'put'; message: Message } | { kind: 'delete'; topic: string };

/** Retained messages, one per topic. The broker keeps them in memory too and reads them back at start-up. */
export interface RetainedStore {
  apply(ops: readonly RetainedOp[]): Promise<void>;
  loadAll(): Promise<Message[]>;
  close(): Promise<void>;
}
