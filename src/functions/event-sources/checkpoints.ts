/**
 * @module functions/event-sources/checkpoints — how far each mapping has got in each shard: the
 * sequence number of the last record it is done with (processed, or given up and reported), in the
 * record store (collection `functions.event-source-checkpoints`) so that a restart resumes just after it.
 *
 * A checkpoint is written only after its records are done with, so a crash can repeat a batch but never
 * skip one (at least once). It names the stream's generation: a stream deleted and created again under
 * the same name starts over from the mapping's starting position.
 */
import type { RecordCollection, RecordStore } from '../../store/records.js';

export const CHECKPOINT_COLLECTION = 'functions.event-source-checkpoints';

interface StoredCheckpoint {
  mapping: string;
  shardId: string;
  generation: number;
  sequenceNumber: string;
}

export class CheckpointStore {
  readonly #collection: RecordCollection<StoredCheckpoint>;
  readonly #checkpoints: Map<string, StoredCheckpoint>;

  private constructor(collection: RecordCollection<StoredCheckpoint>, checkpoints: Map<string, StoredCheckpoint>) {
    this.#collection = collection;
    this.#checkpoints = checkpoints;
  }

  static async open(records: RecordStore): Promise<CheckpointStore> {
    const collection = records.collection<StoredCheckpoint>(CHECKPOINT_COLLECTION);
    return new CheckpointStore(collection, await collection.loadAll());
  }

  /** The last sequence number done with in this shard of this generation of the stream, if any. */
  get(mapping: string, shardId: string, generation: number): string | undefined {
    const checkpoint = this.#checkpoints.get(keyOf(mapping, shardId));
    return checkpoint?.generation === generation ? checkpoint.sequenceNumber : undefined;
  }

  /** Resolves once durable. */
  async set(mapping: string, shardId: string, generation: number, sequenceNumber: string): Promise<void> {
    const checkpoint = { mapping, shardId, generation, sequenceNumber };
    this.#checkpoints.set(keyOf(mapping, shardId), checkpoint);
    await this.#collection.put(keyOf(mapping, shardId), checkpoint);
  }

  async deleteAll(mapping: string): Promise<void> {
    for (const [key, checkpoint] of [...this.#checkpoints]) {
      if (checkpoint.mapping !== mapping) continue;
      this.#checkpoints.delete(key);
      await this.#collection.delete(key);
    }
  }
}

function keyOf(mapping: string, shardId: string): string {
  return `${mapping}/${shardId}`;
}
