/**
 * @module functions/event-sources/pollers — the shard workers of every enabled mapping: one per shard of
 * its stream, woken by the stream's `onRecords` hook. Changing a mapping replaces its workers, and the
 * new ones start only after the old ones have ended, so a shard never has two consumers of one mapping
 * (its order would not hold). Changes of one mapping are applied one after another.
 */
import type { Logger } from '../../core/logger.js';
import type { StoredMapping } from './mapping.js';
import { ShardWorker, type ShardWorkerDeps, type StopMode } from './shard-worker.js';
import type { StreamSource } from './stream-source.js';

interface Running {
  streamArn: string;
  workers: Map<string, ShardWorker>;
}

export class MappingPollers {
  readonly #deps: ShardWorkerDeps;
  readonly #source: StreamSource;
  readonly #logger: Logger;
  readonly #running = new Map<string, Running>();
  readonly #changes = new Map<string, Promise<void>>();
  /** Every worker not yet ended, including those a change is stopping. */
  readonly #live = new Set<ShardWorker>();
  #unsubscribe: (() => void) | undefined;
  #started = false;

  constructor(deps: ShardWorkerDeps, logger: Logger) {
    this.#deps = deps;
    this.#source = deps.source;
    this.#logger = logger;
  }

  /** Starts the workers of every enabled mapping, and wakes them when their shards get records. */
  start(mappings: readonly StoredMapping[]): void {
    if (this.#started) return;
    this.#started = true;
    this.#unsubscribe = this.#source.onRecords((streamArn, shardId) => {
      for (const running of this.#running.values()) {
        if (running.streamArn === streamArn) running.workers.get(shardId)?.wake();
      }
    });
    for (const mapping of mappings) void this.apply(mapping.uuid, mapping);
  }

  /**
   * Brings a mapping's workers in line with `mapping` (undefined: deleted): the current ones stop,
   * finishing their invocation in flight, then new ones start if it is enabled. Resolves when done.
   */
  apply(uuid: string, mapping: StoredMapping | undefined): Promise<void> {
    const previous = this.#changes.get(uuid) ?? Promise.resolve();
    const change = previous.then(async () => {
      await this.#stopWorkers(uuid, 'finish');
      if (mapping?.enabled === true && this.#started) this.#launch(mapping);
    });
    const settled = change.catch((error: unknown) => this.#logger.error({ err: error, mapping: uuid }, 'changing an event source mapping\'s pollers failed'));
    this.#changes.set(uuid, settled);
    void settled.finally(() => {
      if (this.#changes.get(uuid) === settled) this.#changes.delete(uuid);
    });
    return settled;
  }

  /** Ends every worker (hako is stopping): invocations in flight are abandoned, to run again after the restart. */
  async stop(): Promise<void> {
    this.#started = false;
    this.#unsubscribe?.();
    this.#running.clear();
    await Promise.all([...this.#live].map((worker) => worker.stop('abandon')));
    await Promise.all([...this.#changes.values()]);
  }

  #launch(mapping: StoredMapping): void {
    const stream = this.#source.describe(mapping.eventSourceArn);
    if (stream === undefined) {
      this.#deps.sourceGone(mapping.eventSourceArn);
      return;
    }
    const workers = new Map(stream.shardIds.map((shardId) => [shardId, new ShardWorker(this.#deps, mapping, stream, shardId)]));
    this.#running.set(mapping.uuid, { streamArn: stream.arn, workers });
    for (const worker of workers.values()) {
      this.#live.add(worker);
      void worker.start().finally(() => this.#live.delete(worker));
    }
  }

  async #stopWorkers(uuid: string, mode: StopMode): Promise<void> {
    const running = this.#running.get(uuid);
    if (running === undefined) return;
    this.#running.delete(uuid);
    await Promise.all([...running.workers.values()].map((worker) => worker.stop(mode)));
  }
}
