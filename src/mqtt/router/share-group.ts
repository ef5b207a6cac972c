/**
 * @module mqtt/router/share-group — one MQTT 5 shared subscription group, identified by (share name,
 * inner filter): its members in join order and the round-robin cursor that picks who gets each message.
 */

export interface ShareMember<S> {
  readonly clientId: string;
  options: S;
}

export class ShareGroup<S> {
  readonly members: ShareMember<S>[] = [];
  /** Index of the member to consider first for the next message. */
  #cursor = 0;

  constructor(
    readonly name: string,
    readonly filter: string,
  ) {}

  /** Adds or updates a member; true when new. An update keeps the member's place in the rotation. */
  join(clientId: string, options: S): boolean {
    const existing = this.members.find((m) => m.clientId === clientId);
    if (existing !== undefined) {
      existing.options = options;
      return false;
    }
    this.members.push({ clientId, options });
    return true;
  }

  /** Removes a member; true if it was one. The member due next stays due next. */
  leave(clientId: string): boolean {
    const index = this.members.findIndex((m) => m.clientId === clientId);
    if (index === -1) return false;
    this.members.splice(index, 1);
    // Everyone after `index` shifted down by one, so the cursor follows them.
    if (index < this.#cursor) this.#cursor--;
    if (this.#cursor >= this.members.length) this.#cursor = 0;
    return true;
  }

  /**
   * Picks the member for one message: the next online member in rotation, or, when nobody is online, the
   * next member regardless so a persistent session can queue it. Undefined only for an empty group.
   */
  pick(isOnline: (clientId: string) => boolean): ShareMember<S> | undefined {
    const members = this.members;
    const n = members.length;
    if (n === 0) return undefined;
    const start = this.#cursor;
    for (let step = 0; step < n; step++) {
      const index = (start + step) % n;
      const member = members[index]!;
      if (isOnline(member.clientId)) {
        this.#cursor = (index + 1) % n;
        return member;
      }
    }
    this.#cursor = (start + 1) % n;
    return members[start];
  }
}
