/**
 * @module shadow/keyed-queue — runs async tasks one at a time per key, in the order they were queued,
 * while different keys run independently. The shadow service queues every operation on one shadow here,
 * so two updates can never read the same version even though the store is asynchronous.
 */

export class KeyedQueue {
  /** key → the settled-never-rejects tail of that key's chain. */
  readonly #tails = new Map<string, Promise<void>>();

  /** Queues `task` behind every task queued earlier for `key`; resolves or rejects with its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Keys with queued or running tasks. */
  get size(): number {
    return this.#tails.size;
  }

  /** Resolves once everything queued so far has finished. */
  async drain(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all([...this.#tails.values()]);
  }
}
