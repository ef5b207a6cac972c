/**
 * @module core/change-feed — a counter that moves whenever identity or registry state changes.
 *
 * Authorization results are cached per connection; a cached result is good only while the feed's
 * `version` is the one it was computed under. Anything that can change a decision (a policy, an
 * attachment, a certificate's status, a thing's attributes) calls `bump`, so caches stay cheap to check
 * (one integer compare) and are never stale.
 */
export class ChangeFeed {
  #version = 0;
  readonly #listeners = new Set<(what: string) => void>();

  get version(): number {
    return this.#version;
  }

  bump(what: string): void {
    this.#version++;
    for (const listener of this.#listeners) listener(what);
  }

  onChange(listener: (what: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
