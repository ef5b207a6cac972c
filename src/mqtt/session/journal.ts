/**
 * @module mqtt/session/journal — group commit between the broker's in-memory state and the stores.
 *
 * The broker changes session and retained state synchronously and records each change here. Once per
 * event-loop turn the journal hands everything recorded to the stores as one batch. Acknowledgements that
 * promise durability (PUBACK, PUBREC to a publisher) wait in `whenDurable` until the batch holding their
 * data has been applied; callbacks run in the order they were registered, so acknowledgements on one
 * connection keep the order of the publishes [MQTT-4.6.0-2]. When nothing is pending they run at once:
 * traffic that touches no persistent state pays nothing.
 */
import type { RetainedOp, RetainedStore, SessionOp, SessionStore } from './store.js';

export class Journal {
  readonly #sessions: SessionStore;
  readonly #retained: RetainedStore;
  readonly #onError: (error: unknown) => void;
  readonly #onCallbackError: (error: unknown) => void;
  #sessionOps: SessionOp[] = [];
  #retainedOps: RetainedOp[] = [];
  /** Callbacks waiting for the ops recorded so far. */
  #waiting: Array<(error: unknown) => void> = [];
  #scheduled = false;
  /** The batch being applied, if any; the next batch starts only after it settles, keeping order. */
  #inFlight: Promise<void> | undefined;

  /** `onError`: a batch failed to apply; `onCallbackError`: a `whenDurable` callback threw. */
  constructor(sessions: SessionStore, retained: RetainedStore, onError: (error: unknown) => void, onCallbackError: (error: unknown) => void) {
    this.#sessions = sessions;
    this.#retained = retained;
    this.#onError = onError;
    this.#onCallbackError = onCallbackError;
  }

  recordSession(op: SessionOp): void {
    this.#sessionOps.push(op);
    this.#schedule();
  }

  recordRetained(op: RetainedOp): void {
    this.#retainedOps.push(op);
    this.#schedule();
  }

  /**
   * Runs `callback` once everything recorded so far is durable (immediately if nothing is pending), with
   * the store's error if the batch failed: the caller must then not acknowledge.
   */
  whenDurable(callback: (error: unknown) => void): void {
    if (!this.#scheduled && this.#inFlight === undefined && this.#waiting.length === 0) {
      callback(undefined);
      return;
    }
    this.#waiting.push(callback);
    this.#schedule();
  }

  get pending(): boolean {
    return this.#scheduled || this.#inFlight !== undefined;
  }

  /** Applies everything recorded so far; resolves when durable. Used at shutdown. */
  async flush(): Promise<void> {
    while (this.#inFlight !== undefined || this.#sessionOps.length > 0 || this.#retainedOps.length > 0 || this.#waiting.length > 0) {
      if (this.#inFlight !== undefined) await this.#inFlight;
      else this.#startBatch();
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#inFlight === undefined) this.#startBatch();
    });
  }

  #startBatch(): void {
    const sessionOps = this.#sessionOps;
    const retainedOps = this.#retainedOps;
    const waiting = this.#waiting;
    this.#sessionOps = [];
    this.#retainedOps = [];
    this.#waiting = [];
    const work = Promise.all([
      sessionOps.length > 0 ? this.#sessions.apply(sessionOps) : undefined,
      retainedOps.length > 0 ? this.#retained.apply(retainedOps) : undefined,
    ]);
    let failure: unknown;
    this.#inFlight = work.then(
      () => undefined,
      (error: unknown) => {
        failure = error ?? new Error('store failed');
        this.#onError(failure);
      },
    );
    void this.#inFlight.then(() => {
      this.#inFlight = undefined;
      for (const callback of waiting) {
        // One failing callback must not keep the acknowledgements queued behind it from going out.
        try {
          callback(failure);
        } catch (error) {
          this.#onCallbackError(error);
        }
      }
      if (this.#sessionOps.length > 0 || this.#retainedOps.length > 0 || this.#waiting.length > 0) this.#schedule();
    });
  }
}
