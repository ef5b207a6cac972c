/**
 * @module shadow/keyed-queue — runs async tasks one at a time per key, in the order they were queued,
 * while different keys run independently. The shadow service queues every operation on one shadow here,
 * so two updates can never read the same version even though the store is asynchronous.
 *
 * A task for an idle key starts at once (synchronously, inside `run`); the next task of a key starts when
 * the previous one settles. Kept to one promise per task: it sits on the path of every shadow request.
 */

type Job = () => void;

export class KeyedQueue {
  /** key → tasks waiting behind the running one (present, maybe empty, while a task of the key runs). */
  readonly #waiting = new Map<string, Job[]>();
  #onIdle: Array<() => void> = [];

  /** Queues `task` behind every task queued earlier for `key`; resolves or rejects with its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = () => {
        let running: Promise<T>;
        try {
          running = task();
        } catch (error) {
          running = Promise.reject(error);
        }
        running.then(
          (value) => {
            resolve(value);
            this.#next(key);
          },
          (error: unknown) => {
            reject(error);
            this.#next(key);
          },
        );
      };
      const waiting = this.#waiting.get(key);
      if (waiting !== undefined) {
        waiting.push(job);
        return;
      }
      this.#waiting.set(key, []);
      job();
    });
  }

  /** Keys with queued or running tasks. */
  get size(): number {
    return this.#waiting.size;
  }

  /** Resolves once everything queued so far (and anything queued meanwhile) has finished. */
  drain(): Promise<void> {
    if (this.#waiting.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#onIdle.push(resolve));
  }

  #next(key: string): void {
    const job = this.#waiting.get(key)?.shift();
    if (job !== undefined) {
      job();
      return;
    }
    this.#waiting.delete(key);
    if (this.#waiting.size > 0) return;
    const idle = this.#onIdle;
    this.#onIdle = [];
    for (const resolve of idle) resolve();
  }
}
