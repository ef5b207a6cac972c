/**
 * @module mqtt/router/router — `Router<S>`: who receives a message published to a topic. Ordinary
 * subscriptions live in one trie keyed by client id; shared subscriptions live in a second trie keyed by
 * share name whose values are `ShareGroup`s, so both lookups are a single trie walk.
 *
 * The router reports every matching subscription; de-duplicating overlapping subscriptions of one client
 * (and choosing the maximum QoS or listing all subscription identifiers) is the broker's job.
 */

import { ShareGroup } from './share-group.js';
import { parseSharedFilter } from './topic.js';
import { SubscriptionTrie } from './trie.js';

/**
 * Receives one matching subscription. `filter` is the subscribed filter; for a shared subscription it is
 * the inner filter and `shareGroup` is the share name (the original is `$share/<shareGroup>/<filter>`).
 */
export type RouteVisitor<S> = (clientId: string, options: S, filter: string, shareGroup: string | undefined) => void;

export class Router<S> {
  readonly #isOnline: (clientId: string) => boolean;
  readonly #direct = new SubscriptionTrie<S>();
  readonly #shared = new SubscriptionTrie<ShareGroup<S>>();
  #sharedMembers = 0;
  /**
   * The visitor of the route() in progress. Held in a field so the trie callbacks below are allocated once
   * rather than per message; route() saves and restores it so a visitor may publish (and route) re-entrantly.
   */
  #visit: RouteVisitor<S> | undefined = undefined;

  constructor(isOnline: (clientId: string) => boolean) {
    this.#isOnline = isOnline;
  }

  /** Number of subscriptions; each shared-group membership counts as one. */
  get size(): number {
    return this.#direct.size + this.#sharedMembers;
  }

  /** Number of live shared groups; a group is dropped with its last member (exposed for metrics and tests). */
  get shareGroupCount(): number {
    return this.#shared.size;
  }

  /**
   * `filter` may be `$share/<group>/<filter>` and must already be valid. Returns true when new, false when
   * it replaced this client's existing subscription to that exact filter [MQTT-3.8.4-3].
   */
  subscribe(clientId: string, filter: string, options: S): boolean {
    const shared = parseSharedFilter(filter);
    if (shared === undefined) return this.#direct.add(filter, clientId, options);
    let group = this.#shared.get(shared.filter, shared.group);
    if (group === undefined) {
      group = new ShareGroup<S>(shared.group, shared.filter);
      this.#shared.add(shared.filter, shared.group, group);
    }
    const isNew = group.join(clientId, options);
    if (isNew) this.#sharedMembers++;
    return isNew;
  }

  /** Returns true if the client had that exact subscription. A shared group left empty is dropped. */
  unsubscribe(clientId: string, filter: string): boolean {
    const shared = parseSharedFilter(filter);
    if (shared === undefined) return this.#direct.remove(filter, clientId);
    const group = this.#shared.get(shared.filter, shared.group);
    if (group === undefined || !group.leave(clientId)) return false;
    this.#sharedMembers--;
    if (group.members.length === 0) this.#shared.remove(shared.filter, shared.group);
    return true;
  }

  /**
   * Visits every matching ordinary subscription, and exactly one member of each matching shared group:
   * round-robin over online members, or over all members when none is online (MQTT 5 §4.8.2 leaves the
   * choice to the server; an offline persistent member queues the message).
   */
  route(topic: string, visit: RouteVisitor<S>): void {
    const previous = this.#visit;
    this.#visit = visit;
    try {
      this.#direct.match(topic, this.#visitDirect);
      this.#shared.match(topic, this.#visitShared);
    } finally {
      this.#visit = previous;
    }
  }

  readonly #visitDirect = (clientId: string, options: S, filter: string): void => {
    this.#visit!(clientId, options, filter, undefined);
  };

  readonly #visitShared = (name: string, group: ShareGroup<S>, filter: string): void => {
    const member = group.pick(this.#isOnline);
    if (member !== undefined) this.#visit!(member.clientId, member.options, filter, name);
  };
}
