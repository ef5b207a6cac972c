/**
 * @module streams/delivery/partitioning — dynamic partitioning of one delivery batch: each record's
 * partition keys (from the MetadataExtraction query on the record's JSON, and from the transforming
 * function's `metadata.partitionKeys`), then the records grouped by the values of the keys the `Prefix`
 * uses, one object per group.
 *
 * A record goes to the error output (`partitioning-failed`, errorCode
 * `DynamicPartitioning.MetadataExtractionFailed`) when it is not JSON (with a query), the query fails on
 * it, a key the prefix uses is missing or null, the function gave more than 50 keys, or its keys make a
 * prefix that is too long or cannot be a key in the bucket folder ('..', an empty segment).
 * Groups beyond 500 in one batch (Firehose's active partition limit) go to `activePartitionExceeded`
 * (`DynamicPartitioning.ActivePartitionsLimitExceeded`).
 *
 * hako partitions each delivery batch (the stream's buffering hints apply to the stream, not to each
 * partition as in Firehose's multi-stage buffering): a partition's records can span several objects.
 */
import type { FailedRecord } from './error-output.js';
import { MAX_PARTITION_KEYS } from './features.js';
import type { ExtractionQuery, JsonValue } from './jq/index.js';
import { evaluatePrefix, partitionKeysOf, type PartitionKeys, type PrefixTemplate } from './prefix.js';

export interface PartitionableRecord {
  readonly data: Buffer;
  readonly arrivalMs: number;
  /** From the transforming function, if any. */
  readonly lambdaKeys?: Readonly<Record<string, string>> | undefined;
}

export interface PartitionOptions {
  readonly prefix: PrefixTemplate;
  readonly query?: ExtractionQuery | undefined;
  /** Throws if an evaluated prefix cannot be used (the sink's key rules). */
  readonly checkPrefix: (evaluated: string) => void;
  readonly maxActivePartitions?: number;
}

export interface Partition<R> {
  readonly records: R[];
  readonly keys: PartitionKeys;
}

export const MAX_ACTIVE_PARTITIONS = 500;
const EXTRACTION_FAILED = 'DynamicPartitioning.MetadataExtractionFailed';

/** The records grouped as they are added, one at a time (so a caller can give the event loop turns in between). */
export class Partitioner<R extends PartitionableRecord> {
  readonly #options: PartitionOptions;
  readonly #used: ReturnType<typeof partitionKeysOf>;
  readonly #partitions = new Map<string, Partition<R>>();
  readonly #failed: FailedRecord[] = [];
  readonly #limit: number;

  constructor(options: PartitionOptions) {
    this.#options = options;
    this.#used = partitionKeysOf(options.prefix);
    this.#limit = options.maxActivePartitions ?? MAX_ACTIVE_PARTITIONS;
  }

  add(record: R): void {
    const fail = (errorCode: string, errorMessage: string, errorOutputType: FailedRecord['errorOutputType'] = 'partitioning-failed'): void =>
      void this.#failed.push({ data: record.data, arrivalMs: record.arrivalMs, attemptsMade: 1, errorCode, errorMessage, errorOutputType });
    const keys = keysOf(record, this.#options.query);
    if (typeof keys === 'string') {
      fail(EXTRACTION_FAILED, keys);
      return;
    }
    // Only the keys the prefix uses decide the object (and are handed to the sink).
    const query: Record<string, string> = {};
    const lambda: Record<string, string> = {};
    const missing = this.#used.find(({ source, key }) => {
      const value = (source === 'query' ? keys.query : keys.lambda)[key];
      if (value === undefined) return true;
      (source === 'query' ? query : lambda)[key] = value;
      return false;
    });
    if (missing !== undefined) {
      fail(EXTRACTION_FAILED, `The record has no partition key '${missing.key}' (partitionKeyFrom${missing.source === 'query' ? 'Query' : 'Lambda'}).`);
      return;
    }
    const id = JSON.stringify(this.#used.map(({ source, key }) => (source === 'query' ? query : lambda)[key]));
    let partition = this.#partitions.get(id);
    if (partition === undefined) {
      const problem = prefixProblem(this.#options, record.arrivalMs, { query, lambda });
      if (problem !== undefined) {
        fail(EXTRACTION_FAILED, problem);
        return;
      }
      if (this.#partitions.size >= this.#limit) {
        fail('DynamicPartitioning.ActivePartitionsLimitExceeded', `The batch has more than ${this.#limit} active partitions.`, 'activePartitionExceeded');
        return;
      }
      this.#partitions.set(id, (partition = { records: [], keys: { query, lambda } }));
    }
    partition.records.push(record);
  }

  result(): { partitions: Partition<R>[]; failed: FailedRecord[] } {
    return { partitions: [...this.#partitions.values()], failed: this.#failed };
  }
}

export function partitionRecords<R extends PartitionableRecord>(records: readonly R[], options: PartitionOptions): { partitions: Partition<R>[]; failed: FailedRecord[] } {
  const partitioner = new Partitioner<R>(options);
  for (const record of records) partitioner.add(record);
  return partitioner.result();
}

/** Both sets of keys, or why the record has none. */
function keysOf(record: PartitionableRecord, query: ExtractionQuery | undefined): { query: Record<string, string>; lambda: Readonly<Record<string, string>> } | string {
  const lambda = record.lambdaKeys ?? {};
  if (Object.keys(lambda).length > MAX_PARTITION_KEYS) return `The function returned ${Object.keys(lambda).length} partition keys; at most ${MAX_PARTITION_KEYS} are allowed.`;
  if (query === undefined) return { query: {}, lambda };
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(record.data.toString('utf8')) as JsonValue;
  } catch (error) {
    return `The record is not valid JSON: ${(error as Error).message}`;
  }
  try {
    return { query: query.extract(parsed), lambda };
  } catch (error) {
    return `The MetadataExtractionQuery failed on the record: ${(error as Error).message}`;
  }
}

function prefixProblem(options: PartitionOptions, arrivalMs: number, keys: PartitionKeys): string | undefined {
  try {
    options.checkPrefix(evaluatePrefix(options.prefix, { arrivalMs, partitionKeys: keys.query, lambdaPartitionKeys: keys.lambda, randomString: () => 'r'.repeat(11) }));
    return undefined;
  } catch (error) {
    return `The record's partition keys make an unusable prefix: ${(error as Error).message}`;
  }
}
