/**
 * @module core/hooks — every hook point, its typed payload and its ordering rule, in one place.
 *
 * Internal services (shadows, rules, lifecycle events) attach here instead of reaching into the broker.
 * All current hooks only notify: listeners run in priority order (lower first, then registration order),
 * synchronously, and a listener that throws is logged and does not stop the others or the broker.
 */
import type { Message } from '../mqtt/message.js';
import type { DropReason } from '../mqtt/session/session.js';

/** Who ended a connection: the client (DISCONNECT), nobody (the transport went away), or the server. */
export type CloseCause = 'client' | 'connection-lost' | 'server';

export interface HookPayloads {
  /** A client finished CONNECT and got CONNACK 0x00. `connectionId` names this connection until it closes;
   *  `principal` is who the transport verified (certificate id, access key id), if anyone. */
  'client.connected': { clientId: string; protocolVersion: number; cleanStart: boolean; sessionPresent: boolean; remoteAddress: string; connectionId: string; principal: string | undefined };
  /** A connection that had been accepted closed, for any reason; `cause` says which side ended it. */
  'client.disconnected': { clientId: string; reason: string; reasonCode: number; connectionId: string; principal: string | undefined; cause: CloseCause };
  /** One SUBSCRIBE or UNSUBSCRIBE changed these filters (granted or removed ones only), in packet order. */
  'client.subscribed': { clientId: string; connectionId: string; principal: string | undefined; filters: string[] };
  'client.unsubscribed': { clientId: string; connectionId: string; principal: string | undefined; filters: string[] };
  /** A message was accepted for routing (after authorization, before delivery). */
  'message.publish': { message: Message; clientId: string | undefined };
  /** A message could not be kept: queue quota, packet too large for the receiver, expiry. */
  'message.dropped': { message: Message; clientId: string; reason: DropReason };
  'session.created': { clientId: string; persistent: boolean };
  'session.ended': { clientId: string; reason: 'expired' | 'clean_start' | 'clean_disconnect' | 'deleted' };
  'subscription.added': { clientId: string; filter: string; qos: number };
  'subscription.removed': { clientId: string; filter: string };
}

export type HookName = keyof HookPayloads;
export type HookListener<N extends HookName> = (payload: HookPayloads[N]) => void;

/** Names that were retired; kept so that old listeners fail loudly instead of silently never firing. */
export const deprecatedHooks: readonly string[] = [];

interface Registration {
  priority: number;
  listener: (payload: never) => void;
}

export class Hooks {
  readonly #listeners = new Map<HookName, Registration[]>();
  readonly #onError: (name: HookName, error: unknown) => void;

  constructor(onError: (name: HookName, error: unknown) => void) {
    this.#onError = onError;
  }

  on<N extends HookName>(name: N, listener: HookListener<N>, priority = 0): () => void {
    const registration: Registration = { priority, listener };
    // Lists are replaced, never changed in place, so an emit in progress finishes over the list it
    // started with even when a listener (un)registers during it; emit itself copies nothing.
    const list = [...(this.#listeners.get(name) ?? []), registration].sort((a, b) => a.priority - b.priority);
    this.#listeners.set(name, list);
    return () => {
      const current = this.#listeners.get(name);
      if (current !== undefined) this.#listeners.set(name, current.filter((r) => r !== registration));
    };
  }

  /** True when someone listens; lets hot paths skip building a payload nobody reads. */
  has(name: HookName): boolean {
    const list = this.#listeners.get(name);
    return list !== undefined && list.length > 0;
  }

  emit<N extends HookName>(name: N, payload: HookPayloads[N]): void {
    const list = this.#listeners.get(name);
    if (list === undefined) return;
    for (const { listener } of list) {
      try {
        (listener as HookListener<N>)(payload);
      } catch (error) {
        this.#onError(name, error);
      }
    }
  }
}
