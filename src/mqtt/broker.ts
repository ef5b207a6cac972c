/**
 * @module mqtt/broker — publish → route → deliver; sessions, retained messages, wills, expiry, keep-alive.
 *
 * The broker owns the session table and the router. Channels call in when a client connects, publishes,
 * subscribes or goes away; internal services (shadows, rules, lifecycle events) attach through hooks and
 * publish with `publish` like anyone else.
 */
import type { Logger } from '../core/logger.js';
import type { MqttSettings } from '../core/config.js';
import type { Hooks } from '../core/hooks.js';
import type { Clock } from '../core/clock.js';
import { ReasonCode } from './codec/reason-codes.js';
import { expiryDeadline, type Message, type QoS } from './message.js';
import { Router } from './router/router.js';
import { parseSharedFilter } from './router/topic.js';
import { Journal } from './session/journal.js';
import { Session, type DropReason } from './session/session.js';
import type { RetainedStore, SessionStore, SubscriptionOptions } from './session/store.js';
import type { Channel, Will } from './channel/channel.js';
import type { Authenticator } from './auth.js';
import { RetainedMessages, type RetainedEntry } from './retained.js';
import { newRequestId } from '../core/ids.js';

export interface BrokerDeps {
  settings: MqttSettings;
  sessionStore: SessionStore;
  retainedStore: RetainedStore;
  hooks: Hooks;
  logger: Logger;
  clock: Clock;
  /** Decides every CONNECT; its answer governs what the connection may publish, subscribe and receive. */
  authenticator: Authenticator;
}

export interface BrokerMetrics {
  messagesPublished: number;
  messagesDelivered: number;
  messagesDropped: Record<DropReason, number>;
}

/** How often idle connections are checked against their keep-alive. */
const KEEP_ALIVE_SWEEP_MS = 500;
/** A connection must send CONNECT within this time, or it is closed (it holds a socket for nothing). */
const CONNECT_TIMEOUT_MS = 10_000;

/** A subscriber matched by one publish, merged over all its matching subscriptions [MQTT-3.3.4-2]. */
interface Match {
  qos: QoS;
  retainAsPublished: boolean;
  subscriptionIds: number[] | undefined;
}

const BASIC_INGEST_PREFIX = '$aws/rules/';

export class Broker {
  readonly settings: MqttSettings;
  readonly authenticator: Authenticator;
  readonly metrics: BrokerMetrics = { messagesPublished: 0, messagesDelivered: 0, messagesDropped: { queue_full: 0, packet_too_large: 0, expired: 0, slow_consumer: 0 } };
  readonly #sessions = new Map<string, Session>();
  readonly #channels = new Set<Channel>();
  readonly #retained = new RetainedMessages();
  readonly #router: Router<SubscriptionOptions>;
  readonly #journal: Journal;
  readonly #deps: BrokerDeps;
  readonly #log: Logger;
  /** Wills waiting out their Will Delay Interval, by client id. */
  readonly #pendingWills = new Map<string, { timer: NodeJS.Timeout; will: Will }>();
  #sweep: NodeJS.Timeout | undefined;

  constructor(deps: BrokerDeps) {
    this.#deps = deps;
    this.settings = deps.settings;
    this.authenticator = deps.authenticator;
    this.#log = deps.logger;
    this.#router = new Router<SubscriptionOptions>((clientId) => this.#sessions.get(clientId)?.link !== undefined);
    this.#journal = new Journal(
      deps.sessionStore,
      deps.retainedStore,
      (error) => this.#log.error({ err: error }, 'store write failed; acknowledgements withheld'),
      (error) => this.#log.error({ err: error }, 'internal error after a store write'),
    );
  }

  get connectionCount(): number {
    return this.#channels.size;
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Loads retained messages and persistent sessions, then starts the keep-alive sweep. */
  async start(): Promise<void> {
    const now = this.#deps.clock.now();
    for (const message of await this.#deps.retainedStore.loadAll()) {
      this.#retained.load(message, now);
    }
    for (const stored of await this.#deps.sessionStore.loadSessions()) {
      const session = this.#newSession(stored.clientId, stored.protocolVersion, stored.expiryInterval);
      const [outbound, inbound] = await Promise.all([this.#deps.sessionStore.loadOutbound(stored.clientId), this.#deps.sessionStore.loadInbound(stored.clientId)]);
      session.restore(stored, outbound, inbound);
      // A session whose connection died with the process counts as disconnected from now.
      session.disconnectedAt ??= now;
      // Until its client is back, deliveries to it are checked against its last principal's policies.
      session.access = this.authenticator.accessFor(session.clientId, session.peer);
      this.#sessions.set(session.clientId, session);
      for (const [filter, options] of session.subscriptions) this.#router.subscribe(session.clientId, filter, options);
      this.#scheduleExpiry(session, now);
    }
    this.#log.info({ sessions: this.#sessions.size, retained: this.#retained.size }, 'broker state loaded');
    this.#sweep = setInterval(() => this.#checkKeepAlive(), KEEP_ALIVE_SWEEP_MS);
    this.#sweep.unref();
  }

  /** Disconnects everyone (v5: 0x8B), writes what is pending and stops timers. */
  async stop(): Promise<void> {
    if (this.#sweep !== undefined) clearInterval(this.#sweep);
    for (const channel of [...this.#channels]) channel.disconnect(ReasonCode.ServerShuttingDown, 'server shutting down', false);
    // Wills still waiting out their delay would be lost with the process: send them now, as the session's
    // connection is gone for good as far as this process is concerned.
    for (const [clientId, { timer, will }] of [...this.#pendingWills]) {
      clearTimeout(timer);
      this.#pendingWills.delete(clientId);
      this.#publishWill(will);
    }
    for (const session of this.#sessions.values()) if (session.expiryTimer !== undefined) clearTimeout(session.expiryTimer);
    await this.#journal.flush();
  }

  addChannel(channel: Channel): void {
    this.#channels.add(channel);
  }

  /** A channel that closed before CONNECT completed. */
  forgetChannel(channel: Channel): void {
    this.#channels.delete(channel);
  }

  whenDurable(callback: (error: unknown) => void): void {
    this.#journal.whenDurable(callback);
  }

  // ── sessions ────────────────────────────────────────────────────────────────────────────────────

  /** Finds or creates the session for a connecting client, taking it over from a live connection. */
  openSession(channel: Channel, cleanStart: boolean, expiryInterval: number): { session: Session; sessionPresent: boolean } {
    const { clientId } = channel;
    let session = this.#sessions.get(clientId);
    const previous = session?.link as Channel | undefined;
    if (previous !== undefined) {
      // The new connection wins [MQTT-3.1.4-3].
      previous.session = undefined;
      this.#channels.delete(previous);
      previous.disconnect(ReasonCode.SessionTakenOver, 'another connection with the same client id', false);
      // The old connection's will goes out now when its session ends here or it has no delay; a delayed will
      // is cancelled by this very connection to the same session [MQTT-3.1.3-9].
      const will = previous.will;
      if (will !== undefined && (cleanStart || will.delay === 0)) this.#publishWill(will);
      if (session !== undefined) session.link = undefined;
    }
    // A will waiting out its delay: a clean start ends its session, which sends it now [MQTT-3.1.2-8]; a resume cancels it.
    if (cleanStart) this.#publishPendingWill(clientId);
    else this.#cancelWill(clientId);
    let sessionPresent = false;
    if (session !== undefined && cleanStart) {
      this.#endSession(session, 'clean_start');
      session = undefined;
    }
    if (session === undefined) {
      session = this.#newSession(clientId, channel.protocolVersion, expiryInterval);
      session.peer = channel.peer;
      this.#sessions.set(clientId, session);
      session.persist(false);
      this.#deps.hooks.emit('session.created', { clientId, persistent: session.persistent });
    } else {
      sessionPresent = true;
      if (session.expiryTimer !== undefined) clearTimeout(session.expiryTimer);
      session.expiryTimer = undefined;
      session.protocolVersion = channel.protocolVersion;
      session.disconnectedAt = undefined;
      session.peer = channel.peer;
      this.setSessionExpiry(session, expiryInterval);
    }
    session.access = channel.access;
    return { session, sessionPresent };
  }

  /** CONNACK is out: announce the client and resume delivery of what its session holds. */
  attached(channel: Channel, cleanStart: boolean, sessionPresent: boolean): void {
    const session = channel.session as Session;
    channel.connectionId = newRequestId();
    this.#deps.hooks.emit('client.connected', {
      clientId: channel.clientId,
      protocolVersion: channel.protocolVersion,
      cleanStart,
      sessionPresent,
      remoteAddress: channel.remoteAddress,
      connectionId: channel.connectionId,
      principal: channel.peer?.id,
    });
    session.resume(channel);
  }

  /** Changes how long a session outlives its connection, writing it to the store or removing it from there. */
  setSessionExpiry(session: Session, expiryInterval: number): void {
    const wasPersistent = session.persistent;
    session.expiryInterval = expiryInterval;
    if (session.persistent) session.persist(!wasPersistent);
    else if (wasPersistent) session.forget();
  }

  /** A connected channel closed. */
  detach(channel: Channel, publishWill: boolean, reason: string, reasonCode: number): void {
    this.#channels.delete(channel);
    const session = channel.session;
    channel.session = undefined;
    this.#deps.hooks.emit('client.disconnected', { clientId: channel.clientId, reason, reasonCode, connectionId: channel.connectionId, principal: channel.peer?.id, cause: channel.closeCause });
    if (session === undefined || session.link !== channel) return; // taken over: the session lives on elsewhere
    session.link = undefined;
    const now = this.#deps.clock.now();
    const will = channel.will;
    if (publishWill && will !== undefined) {
      // The will goes out after its delay or when the session ends, whichever is first [MQTT-3.1.3-9].
      const delay = Math.min(will.delay, session.expiryInterval);
      if (delay === 0) this.#publishWill(will);
      else this.#scheduleWill(session.clientId, will, delay);
    }
    if (session.expiryInterval === 0) {
      this.#endSession(session, 'clean_disconnect');
      return;
    }
    session.disconnectedAt = now;
    session.persist(false);
    this.#scheduleExpiry(session, now);
  }

  #newSession(clientId: string, protocolVersion: number, expiryInterval: number): Session {
    return new Session(
      clientId,
      protocolVersion,
      expiryInterval,
      this.#journal,
      this.settings.maxQueuedMessages,
      (session, message, reason) => this.#dropped(session, message, reason),
      () => this.now(),
    );
  }

  #endSession(session: Session, reason: 'expired' | 'clean_start' | 'clean_disconnect' | 'deleted'): void {
    for (const filter of session.subscriptions.keys()) this.#router.unsubscribe(session.clientId, filter);
    if (session.expiryTimer !== undefined) clearTimeout(session.expiryTimer);
    if (session.persistent || reason !== 'clean_disconnect') session.forget();
    this.#sessions.delete(session.clientId);
    this.#deps.hooks.emit('session.ended', { clientId: session.clientId, reason });
  }

  #scheduleExpiry(session: Session, now: number): void {
    const endsAt = (session.disconnectedAt ?? now) + session.expiryInterval * 1000;
    const expire = (): void => {
      session.expiryTimer = undefined;
      if (session.link !== undefined || this.#sessions.get(session.clientId) !== session) return;
      this.#endSession(session, 'expired');
    };
    session.expiryTimer = setTimeout(expire, Math.max(0, endsAt - now));
    session.expiryTimer.unref();
  }

  #scheduleWill(clientId: string, will: Will, delaySeconds: number): void {
    this.#cancelWill(clientId);
    const timer = setTimeout(() => {
      this.#pendingWills.delete(clientId);
      this.#publishWill(will);
    }, delaySeconds * 1000);
    timer.unref();
    this.#pendingWills.set(clientId, { timer, will });
  }

  /** A client came back within its Will Delay Interval: the will is not sent [MQTT-3.1.3-9]. */
  #cancelWill(clientId: string): void {
    const pending = this.#pendingWills.get(clientId);
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    this.#pendingWills.delete(clientId);
  }

  #publishPendingWill(clientId: string): void {
    const pending = this.#pendingWills.get(clientId);
    if (pending === undefined) return;
    this.#cancelWill(clientId);
    this.#publishWill(pending.will);
  }

  #publishWill(will: Will): void {
    const expiresAt = expiryDeadline(will.expiryInterval, this.now());
    this.publish(expiresAt === undefined ? will.message : { ...will.message, expiresAt });
  }

  /** Epoch ms, from the injected clock. */
  now(): number {
    return this.#deps.clock.now();
  }

  #dropped(session: Session, message: Message, reason: DropReason): void {
    this.metrics.messagesDropped[reason]++;
    if (reason === 'queue_full') {
      // Logged when the queue first overflows, not for every message after: the metric counts them all.
      if (!session.overflowLogged) {
        session.overflowLogged = true;
        this.#log.warn({ clientId: session.clientId, limit: this.settings.maxQueuedMessages }, 'session queue is full: further messages for this client are dropped until it catches up');
      }
    } else if (reason !== 'slow_consumer') {
      this.#log.info({ clientId: session.clientId, topic: message.topic, reason }, 'message dropped for a subscriber');
    }
    this.#deps.hooks.emit('message.dropped', { message, clientId: session.clientId, reason });
  }

  // ── subscriptions ───────────────────────────────────────────────────────────────────────────────

  /** Adds or replaces a subscription; true when it is new [MQTT-3.8.4-3]. */
  subscribe(session: Session, filter: string, options: SubscriptionOptions): boolean {
    const isNew = !session.subscriptions.has(filter);
    session.setSubscription(filter, options);
    this.#router.subscribe(session.clientId, filter, options);
    this.#deps.hooks.emit('subscription.added', { clientId: session.clientId, filter, qos: options.qos });
    return isNew;
  }

  unsubscribe(session: Session, filter: string): boolean {
    if (!session.deleteSubscription(filter)) return false;
    this.#router.unsubscribe(session.clientId, filter);
    this.#deps.hooks.emit('subscription.removed', { clientId: session.clientId, filter });
    return true;
  }

  /** One SUBSCRIBE or UNSUBSCRIBE finished: tells listeners (lifecycle events) which filters it changed. */
  subscriptionsChanged(channel: Channel, added: boolean, filters: string[]): void {
    if (filters.length === 0) return;
    const name = added ? 'client.subscribed' : 'client.unsubscribed';
    if (!this.#deps.hooks.has(name)) return;
    this.#deps.hooks.emit(name, { clientId: channel.clientId, connectionId: channel.connectionId, principal: channel.peer?.id, filters });
  }

  /** Delivers stored retained messages for a new subscription, per its Retain Handling [MQTT-3.8.3-?]. */
  sendRetained(session: Session, filter: string, options: SubscriptionOptions, isNew: boolean): void {
    // Shared subscriptions get no retained messages [MQTT-4.8.2-6]; 2 = never, 1 = only when new.
    if (parseSharedFilter(filter) !== undefined || options.retainHandling === 2 || (options.retainHandling === 1 && !isNew)) return;
    const now = this.#deps.clock.now();
    const ids = options.subscriptionId === undefined ? undefined : [options.subscriptionId];
    this.#retained.forEachMatching(filter, now, (message) => {
      if (session.access !== undefined && !session.access.allows('receive', message.topic)) return;
      session.deliver(message, Math.min(message.qos, options.qos) as QoS, true, ids);
    });
  }

  // ── publishing ──────────────────────────────────────────────────────────────────────────────────

  /** Routes a message to every matching subscription and keeps it if retained. */
  publish(message: Message): void {
    this.metrics.messagesPublished++;
    if (this.#deps.hooks.has('message.publish')) this.#deps.hooks.emit('message.publish', { message, clientId: message.origin });
    // Basic Ingest: `$aws/rules/<rule>/…` goes to that rule only (the hook above), never to subscribers or
    // the retained store [spec §4.8].
    if (message.topic.startsWith(BASIC_INGEST_PREFIX)) return;
    if (message.retain) this.#retain(message);
    this.#route(message);
  }

  /**
   * Delivers to every matching subscription. The matches are a new map per message, made at the first match: a map
   * kept and cleared for reuse cost more, since `Map#clear` allocates a new table where the old one lives, and once
   * the kept map had reached the old generation every publish allocated there (1.8 µs a message and frequent full
   * collections in the rules bench; bench/RESULTS.md).
   */
  #route(message: Message): void {
    let matches: Map<string, Match> | undefined;
    this.#router.route(message.topic, (clientId, options) => {
      // No Local: not back to the publisher's own subscriptions [MQTT-3.8.3-3].
      if (options.noLocal && clientId === message.origin) return;
      const existing = (matches ??= new Map()).get(clientId);
      if (existing === undefined) {
        matches.set(clientId, {
          qos: options.qos,
          retainAsPublished: options.retainAsPublished,
          subscriptionIds: options.subscriptionId === undefined ? undefined : [options.subscriptionId],
        });
        return;
      }
      // Overlapping subscriptions: one copy at the highest QoS, with every identifier [MQTT-3.3.4-2, MQTT-3.3.4-3, MQTT-3.3.4-4].
      if (options.qos > existing.qos) existing.qos = options.qos;
      existing.retainAsPublished ||= options.retainAsPublished;
      if (options.subscriptionId !== undefined) (existing.subscriptionIds ??= []).push(options.subscriptionId);
    });
    if (matches === undefined) return;
    for (const [clientId, match] of matches) {
      const session = this.#sessions.get(clientId);
      if (session === undefined) continue;
      // iot:Receive is checked per delivery, so a policy change reaches live subscriptions (specs §5.3).
      if (session.access !== undefined && !session.access.allows('receive', message.topic)) continue;
      const qos = (message.qos < match.qos ? message.qos : match.qos) as QoS;
      try {
        // Live messages carry RETAIN 0 unless the subscription asked for Retain As Published [MQTT-3.3.1-12, MQTT-3.3.1-13].
        session.deliver(message, qos, match.retainAsPublished && message.retain, match.subscriptionIds);
        this.metrics.messagesDelivered++;
      } catch (error) {
        // A failure delivering to one subscriber must not cost the others their copy.
        this.#log.error({ err: error, clientId, topic: message.topic }, 'delivery to a subscriber failed');
      }
    }
  }

  /** Stores, replaces or (empty payload) clears the retained message of a topic [MQTT-3.3.1-5..7]. */
  #retain(message: Message): void {
    const op = this.#retained.apply(message, this.#deps.clock.now());
    if (op !== undefined) this.#journal.recordRetained(op);
  }

  retainedCount(): number {
    return this.#retained.size;
  }

  /** GetRetainedMessage: a topic's retained message and when it was stored; undefined when none (or expired). */
  retainedMessage(topic: string): RetainedEntry | undefined {
    return this.#retained.entry(topic, this.#deps.clock.now());
  }

  /** ListRetainedMessages: every unexpired retained message, in topic order. */
  retainedMessages(): RetainedEntry[] {
    return this.#retained.entries(this.#deps.clock.now());
  }

  /**
   * DeleteConnection: closes a client's connection (v5: DISCONNECT 0x98). Its will goes out as on any
   * server-side close unless `preventWill`; `cleanSession` also ends its session (subscriptions, queue),
   * which sends a will still waiting out its delay now. False when the client is not connected.
   */
  disconnectClient(clientId: string, options: { cleanSession: boolean; preventWill: boolean }): boolean {
    const session = this.#sessions.get(clientId);
    const channel = session?.link as Channel | undefined;
    if (session === undefined || channel === undefined) return false;
    channel.disconnect(ReasonCode.AdministrativeAction, 'disconnected by DeleteConnection', !options.preventWill);
    if (options.cleanSession && this.#sessions.get(clientId) === session) {
      this.#publishPendingWill(clientId);
      this.#endSession(session, 'deleted');
    }
    return true;
  }

  /** Who a client id's session authenticated as (certificate id, access key id), if anyone. */
  principalOf(clientId: string): string | undefined {
    return this.#sessions.get(clientId)?.peer?.id;
  }

  /** Ends every connection of a principal whose certificate was deactivated, revoked or lost its CA. */
  disconnectPrincipal(principal: string, reason: string): number {
    let closed = 0;
    for (const channel of [...this.#channels]) {
      if (channel.access?.principal !== principal) continue;
      channel.disconnect(ReasonCode.NotAuthorized, reason);
      closed++;
    }
    return closed;
  }

  // ── keep-alive ──────────────────────────────────────────────────────────────────────────────────

  #checkKeepAlive(): void {
    const now = this.#deps.clock.monotonic();
    for (const channel of this.#channels) {
      const idle = now - channel.lastActivity;
      if (channel.state === 'connected' && channel.keepAliveMs > 0 && idle > channel.keepAliveMs) {
        channel.disconnect(ReasonCode.KeepAliveTimeout, 'no packet within one and a half keep-alive periods');
      } else if (channel.state === 'awaiting-connect' && idle > CONNECT_TIMEOUT_MS) {
        channel.disconnect(ReasonCode.MaximumConnectTime, 'no CONNECT within 10 seconds');
      }
    }
  }
}
