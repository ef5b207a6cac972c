/**
 * @module mqtt/session/sqlite-session-store — `SessionStore` on the embedded SQLite database.
 *
 * Tables come from `store/migrations.ts` (mqtt_sessions, mqtt_subscriptions, mqtt_outbound,
 * mqtt_inbound). Each `apply` is one SQLite transaction over statements prepared once, so a batch costs
 * one WAL commit however many ops it holds; see `store/sqlite.ts` for why that commit is durable against
 * a process crash.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { QoS } from '../message.js';
import { MESSAGE_COLUMNS, fromMessageRow, toMessageColumns, type MessageRow } from '../../store/message-columns.js';
import type { OutboundEntry, SessionOp, SessionStore, StoredSession, SubscriptionOptions } from './store.js';
import type { PeerIdentity } from '../auth.js';

interface SessionRow {
  client_id: string;
  protocol_version: number;
  expiry_interval: number;
  disconnected_at: number | null;
  peer_kind: string | null;
  peer_id: string | null;
}

interface SubscriptionRow {
  client_id: string;
  filter: string;
  qos: number;
  no_local: number;
  retain_as_published: number;
  retain_handling: number;
  subscription_id: number | null;
}

interface OutboundRow extends MessageRow {
  seq: number;
  delivery_qos: number;
  delivery_retain: number;
  packet_id: number | null;
  state: OutboundEntry['state'];
  subscription_ids: string | null;
}

type Run = Statement<unknown[]>;

export class SqliteSessionStore implements SessionStore {
  readonly #putSession: Run;
  readonly #deleteSession: Run[];
  readonly #putSubscription: Run;
  readonly #deleteSubscription: Run;
  readonly #putOutbound: Run;
  readonly #deleteOutbound: Run;
  readonly #putInbound: Run;
  readonly #deleteInbound: Run;
  readonly #selectSessions: Statement<[], SessionRow>;
  readonly #selectSubscriptions: Statement<[], SubscriptionRow>;
  readonly #selectOutbound: Statement<[string], OutboundRow>;
  readonly #selectInbound: Statement<[string], number>;
  readonly #applyBatch: (ops: readonly SessionOp[]) => void;

  /** `db` comes from `openSqlite` and stays open after `close`: its opener owns it. */
  constructor(db: Database) {
    this.#putSession = db.prepare(
      `INSERT OR REPLACE INTO mqtt_sessions (client_id, protocol_version, expiry_interval, disconnected_at, peer_kind, peer_id)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.#deleteSession = ['mqtt_sessions', 'mqtt_subscriptions', 'mqtt_outbound', 'mqtt_inbound'].map((table) =>
      db.prepare(`DELETE FROM ${table} WHERE client_id = ?`),
    );
    this.#putSubscription = db.prepare(
      `INSERT OR REPLACE INTO mqtt_subscriptions
       (client_id, filter, qos, no_local, retain_as_published, retain_handling, subscription_id)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#deleteSubscription = db.prepare('DELETE FROM mqtt_subscriptions WHERE client_id = ? AND filter = ?');
    this.#putOutbound = db.prepare(
      `INSERT OR REPLACE INTO mqtt_outbound
       (client_id, seq, ${MESSAGE_COLUMNS}, delivery_qos, delivery_retain, packet_id, state, subscription_ids)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#deleteOutbound = db.prepare('DELETE FROM mqtt_outbound WHERE client_id = ? AND seq = ?');
    this.#putInbound = db.prepare('INSERT OR IGNORE INTO mqtt_inbound (client_id, packet_id) VALUES (?, ?)');
    this.#deleteInbound = db.prepare('DELETE FROM mqtt_inbound WHERE client_id = ? AND packet_id = ?');
    this.#selectSessions = db.prepare('SELECT * FROM mqtt_sessions');
    this.#selectSubscriptions = db.prepare('SELECT * FROM mqtt_subscriptions');
    this.#selectOutbound = db.prepare('SELECT * FROM mqtt_outbound WHERE client_id = ? ORDER BY seq');
    this.#selectInbound = db.prepare<[string], number>('SELECT packet_id FROM mqtt_inbound WHERE client_id = ? ORDER BY packet_id').pluck();
    // A throw from any op rolls the whole transaction back, which is what makes a batch atomic.
    this.#applyBatch = db.transaction((ops: readonly SessionOp[]) => {
      for (const op of ops) this.#applyOne(op);
    });
  }

  async apply(ops: readonly SessionOp[]): Promise<void> {
    if (ops.length === 0) return;
    this.#applyBatch(ops);
  }

  #applyOne(op: SessionOp): void {
    switch (op.kind) {
      case 'session.put': {
        const s = op.session;
        this.#putSession.run(s.clientId, s.protocolVersion, s.expiryInterval, s.disconnectedAt ?? null, s.peer?.kind ?? null, s.peer?.id ?? null);
        return;
      }
      case 'session.delete':
        for (const statement of this.#deleteSession) statement.run(op.clientId);
        return;
      case 'subscription.put': {
        const o = op.options;
        this.#putSubscription.run(
          op.clientId, op.filter, o.qos, o.noLocal ? 1 : 0, o.retainAsPublished ? 1 : 0, o.retainHandling,
          o.subscriptionId ?? null,
        );
        return;
      }
      case 'subscription.delete':
        this.#deleteSubscription.run(op.clientId, op.filter);
        return;
      case 'outbound.put': {
        const e = op.entry;
        this.#putOutbound.run(
          op.clientId, e.seq, ...toMessageColumns(e.message), e.qos, e.retain ? 1 : 0, e.packetId ?? null, e.state,
          e.subscriptionIds === undefined ? null : JSON.stringify(e.subscriptionIds),
        );
        return;
      }
      case 'outbound.delete':
        this.#deleteOutbound.run(op.clientId, op.seq);
        return;
      case 'inbound.put':
        this.#putInbound.run(op.clientId, op.packetId);
        return;
      case 'inbound.delete':
        this.#deleteInbound.run(op.clientId, op.packetId);
        return;
      default:
        throw new TypeError(`unknown session op kind ${JSON.stringify((op as { kind?: unknown }).kind)}`);
    }
  }

  async loadSessions(): Promise<StoredSession[]> {
    const sessions = new Map<string, StoredSession>();
    for (const row of this.#selectSessions.all()) {
      sessions.set(row.client_id, {
        clientId: row.client_id,
        protocolVersion: row.protocol_version,
        expiryInterval: row.expiry_interval,
        disconnectedAt: row.disconnected_at ?? undefined,
        peer: row.peer_kind === null || row.peer_id === null ? undefined : { kind: row.peer_kind as PeerIdentity['kind'], id: row.peer_id },
        subscriptions: new Map(),
      });
    }
    // One scan of the subscriptions table rather than one query per session: start-up may load many.
    for (const row of this.#selectSubscriptions.all()) {
      sessions.get(row.client_id)?.subscriptions.set(row.filter, toSubscriptionOptions(row));
    }
    return [...sessions.values()];
  }

  async loadOutbound(clientId: string): Promise<OutboundEntry[]> {
    return this.#selectOutbound.all(clientId).map((row) => ({
      seq: row.seq,
      message: fromMessageRow(row),
      qos: row.delivery_qos as QoS,
      packetId: row.packet_id ?? undefined,
      state: row.state,
      subscriptionIds: row.subscription_ids === null ? undefined : (JSON.parse(row.subscription_ids) as number[]),
      retain: row.delivery_retain === 1,
    }));
  }

  async loadInbound(clientId: string): Promise<number[]> {
    return this.#selectInbound.all(clientId);
  }

  async close(): Promise<void> {
    // Nothing to release: prepared statements are freed with the connection, which the opener closes.
  }
}

function toSubscriptionOptions(row: SubscriptionRow): SubscriptionOptions {
  return {
    qos: row.qos as QoS,
    noLocal: row.no_local === 1,
    retainAsPublished: row.retain_as_published === 1,
    retainHandling: row.retain_handling as SubscriptionOptions['retainHandling'],
    subscriptionId: row.subscription_id ?? undefined,
  };
}
