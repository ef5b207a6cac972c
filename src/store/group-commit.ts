/**
 * @module store/group-commit — writes made in one event-loop turn committed together (one SQLite
 * transaction, or one `writev` to a delivery buffer segment file), each caller's promise resolved once that
 * commit has returned (or rejected with its error). A burst of writes pays for one commit instead of one
 * each, and nothing resolves before it is durable. The record store, the stream store and the delivery
 * buffer segment files all write this way.
 */
type Waiter = { resolve: () => void; reject: (error: unknown) => void };

export class GroupCommit<T> {
  readonly #commit: (items: readonly T[]) => void;
  #pending: T[] = [];
  #waiters: Waiter[] = [];

  /**
   * `commit` writes the items synchronously: one transaction (a `db.transaction(…)` function, which
   * better-sqlite3 commits before it returns) or one file write.
   */
  constructor(commit: (items: readonly T[]) => void) {
    this.#commit = commit;
  }

  /** Queues `items` for this turn's commit; resolves once they are durable. */
  write(items: readonly T[]): Promise<void> {
    if (this.#waiters.length === 0) setImmediate(() => this.flush());
    for (const item of items) this.#pending.push(item);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Commits what is queued now (before a delete that must see it, or at close); a no-op when nothing is. */
  flush(): void {
    if (this.#waiters.length === 0) return;
    const items = this.#pending;
    const waiters = this.#waiters;
    this.#pending = [];
    this.#waiters = [];
    try {
      this.#commit(items);
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    for (const waiter of waiters) waiter.resolve();
  }
}
