/**
 * @module functions/event-sources — Lambda event source mappings from hako's Kinesis streams to its
 * functions (spec §7): Create/Get/List/Update/DeleteEventSourceMapping, kept in the record store, and
 * the pollers that read each enabled mapping's shards in order and invoke its function with AWS's
 * Kinesis event, checkpointing as batches finish.
 *
 * Streams are reached only through the `StreamSource` given in (see `stream-source.ts`).
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../core/aws-error.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { RecordStore } from '../../store/records.js';
import type { AsyncQueue } from '../async-queue.js';
import type { ConcurrencyLimiter } from '../concurrency.js';
import type { Invoker } from '../invoker.js';
import type { FunctionMetrics } from '../metrics.js';
import { parseFunctionReference, type FunctionArns, type FunctionReference } from '../names.js';
import type { FunctionRegistry } from '../registry.js';
import { BatchInvoker } from './batch-invoker.js';
import { CheckpointStore } from './checkpoints.js';
import { deliverFailureRecord } from './destinations.js';
import { NO_RECORDS_PROCESSED, USER_ACTION, type MappingArns, type MappingState, type StoredMapping } from './mapping.js';
import { MappingStore } from './mapping-store.js';
import { EventSourceMetrics } from './metrics.js';
import { createRequestOf, destinationKindOf, invalid, updateRequestOf } from './parameters.js';
import { MappingPollers } from './pollers.js';
import type { StreamSource } from './stream-source.js';

export type { StreamSource } from './stream-source.js';
export { mappingConfiguration } from './mapping.js';

export interface EventSourceMappingsDeps {
  records: RecordStore;
  registry: FunctionRegistry;
  invoker: Invoker;
  concurrency: ConcurrencyLimiter;
  functionMetrics: FunctionMetrics;
  asyncQueue: AsyncQueue;
  arns: FunctionArns;
  source: StreamSource;
  region: string;
  account: string;
  clock: Clock;
  logger: Logger;
}

/** A mapping and the state an API answer reports for it. */
export interface MappingAnswer {
  mapping: StoredMapping;
  state: MappingState;
}

export interface ListQuery {
  eventSourceArn: string | undefined;
  functionName: string | undefined;
  marker: string | undefined;
  maxItems: number | undefined;
}

const MAX_LIST_ITEMS = 10_000;
const DEFAULT_LIST_ITEMS = 100;

export class EventSourceMappings {
  readonly arns: MappingArns;
  readonly metrics: EventSourceMetrics;
  readonly #deps: EventSourceMappingsDeps;
  readonly #store: MappingStore;
  readonly #checkpoints: CheckpointStore;
  readonly #pollers: MappingPollers;
  #unsubscribe: (() => void) | undefined;

  private constructor(deps: EventSourceMappingsDeps, store: MappingStore, checkpoints: CheckpointStore) {
    this.#deps = deps;
    this.#store = store;
    this.#checkpoints = checkpoints;
    const { region, account } = deps;
    this.arns = { function: deps.arns.function, mapping: (uuid) => `arn:aws:lambda:${region}:${account}:event-source-mapping:${uuid}` };
    this.metrics = new EventSourceMetrics(deps.functionMetrics.registry);
    const logger = deps.logger.child({ component: 'event-sources' });
    this.#pollers = new MappingPollers({
      source: deps.source,
      checkpoints,
      invoker: new BatchInvoker({ registry: deps.registry, concurrency: deps.concurrency, invoker: deps.invoker, metrics: deps.functionMetrics, arns: deps.arns }),
      deliver: (destination, record) => deliverFailureRecord(destination, record, { enqueue: (reference, payload) => deps.asyncQueue.enqueue(reference, payload), source: deps.source }),
      report: (uuid, result) => this.#report(uuid, { lastProcessingResult: result }),
      sourceGone: (streamArn) => this.#sourceGone(streamArn),
      metrics: this.metrics,
      arns: this.arns,
      region,
      clock: deps.clock,
      logger,
    }, logger);
  }

  static async open(deps: EventSourceMappingsDeps): Promise<EventSourceMappings> {
    return new EventSourceMappings(deps, await MappingStore.open(deps.records), await CheckpointStore.open(deps.records));
  }

  /** Starts polling (once hako listens: functions call it back). */
  start(): void {
    this.#unsubscribe ??= this.#deps.source.onDeleted((streamArn) => this.#sourceGone(streamArn));
    this.#pollers.start(this.#store.all());
  }

  /** Stops polling; batches in flight are dropped unfinished and run again after the next start. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#pollers.stop();
  }

  async create(body: Readonly<Record<string, unknown>>): Promise<MappingAnswer> {
    const request = createRequestOf(body);
    const { name, qualifier } = this.#resolveFunction(request.functionName);
    const stream = this.#deps.source.describe(request.eventSourceArn);
    if (stream === undefined) throw cannotAccess(request.eventSourceArn);
    this.#checkDestination(request.settings.onFailure);
    const existing = this.#store.findPair(stream.arn, name, qualifier);
    if (existing !== undefined) throw duplicate(stream.arn, name, existing.uuid);
    const now = this.#deps.clock.now();
    const mapping: StoredMapping = {
      uuid: randomUUID(),
      eventSourceArn: stream.arn,
      functionName: name,
      qualifier,
      startingPosition: request.startingPosition,
      startingPositionTimestamp: request.startingPositionTimestamp,
      settings: request.settings,
      enabled: request.enabled,
      stateTransitionReason: USER_ACTION,
      lastProcessingResult: NO_RECORDS_PROCESSED,
      lastModified: now,
      createdAt: now,
    };
    // LATEST means the records stored after this answer: pinned now, not when a worker gets to it.
    const pins = mapping.startingPosition !== 'LATEST' ? [] : stream.shardIds.map((shardId) => ({ shardId, latest: this.#deps.source.latest(stream.arn, shardId) }));
    const stored = this.#store.put(mapping); // in memory at once: a concurrent duplicate is refused
    await Promise.all(pins.map(({ shardId, latest }) => (latest === undefined ? undefined : this.#checkpoints.set(mapping.uuid, shardId, stream.generation, latest))));
    await stored;
    void this.#pollers.apply(mapping.uuid, mapping);
    return { mapping, state: 'Creating' };
  }

  get(uuid: string): MappingAnswer {
    const mapping = this.#existing(uuid);
    return { mapping, state: mapping.enabled ? 'Enabled' : 'Disabled' };
  }

  list(query: ListQuery): { mappings: StoredMapping[]; nextMarker: string | undefined } {
    const maxItems = query.maxItems ?? DEFAULT_LIST_ITEMS;
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > MAX_LIST_ITEMS) {
      throw invalid(`1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and ${MAX_LIST_ITEMS}`);
    }
    const reference = query.functionName === undefined ? undefined : parseFunctionReference(query.functionName, undefined);
    const page = this.#store.list(
      { eventSourceArn: query.eventSourceArn, functionName: reference?.name, qualifier: reference?.qualifier, qualified: reference?.qualifier !== undefined },
      query.marker,
      maxItems,
    );
    return { mappings: page.items, nextMarker: page.nextToken };
  }

  async update(uuid: string, body: Readonly<Record<string, unknown>>): Promise<MappingAnswer> {
    const current = this.#existing(uuid);
    const request = updateRequestOf(body, current.settings);
    const target = request.functionName === undefined ? { name: current.functionName, qualifier: current.qualifier } : this.#resolveFunction(request.functionName);
    const existing = this.#store.findPair(current.eventSourceArn, target.name, target.qualifier, uuid);
    if (existing !== undefined) throw duplicate(current.eventSourceArn, target.name, existing.uuid);
    if (request.settings.onFailure !== current.settings.onFailure) this.#checkDestination(request.settings.onFailure);
    const enabled = request.enabled ?? current.enabled;
    if (enabled && this.#deps.source.describe(current.eventSourceArn) === undefined) throw cannotAccess(current.eventSourceArn);
    const updated: StoredMapping = {
      ...current,
      functionName: target.name,
      qualifier: target.qualifier,
      settings: request.settings,
      enabled,
      stateTransitionReason: USER_ACTION,
      lastModified: this.#deps.clock.now(),
    };
    await this.#store.put(updated);
    void this.#pollers.apply(uuid, updated);
    const state: MappingState = enabled === current.enabled ? 'Updating' : enabled ? 'Enabling' : 'Disabling';
    return { mapping: updated, state };
  }

  async delete(uuid: string): Promise<MappingAnswer> {
    const mapping = this.#existing(uuid);
    await this.#store.delete(uuid);
    // Its checkpoints go once its workers have ended (one may be finishing a batch and checkpointing it).
    void this.#pollers.apply(uuid, undefined).then(() => this.#checkpoints.deleteAll(uuid)).catch((error: unknown) => {
      this.#deps.logger.error({ err: error, mapping: uuid }, 'deleting an event source mapping\'s checkpoints failed');
    });
    return { mapping, state: 'Deleting' };
  }

  #existing(uuid: string): StoredMapping {
    const mapping = this.#store.get(uuid);
    if (mapping === undefined) throw new AwsError('ResourceNotFoundException', 'The resource you requested does not exist.', { fields: { Type: 'User' } });
    return mapping;
  }

  /** The function a request names (404 if none): its name, and the qualifier as given. */
  #resolveFunction(input: string): { name: string; qualifier: string | undefined } {
    const reference: FunctionReference = parseFunctionReference(input, undefined);
    const { record } = this.#deps.registry.resolve(reference, this.#deps.arns.function);
    return { name: record.name, qualifier: reference.qualifier };
  }

  /** An on-failure destination must be a function or stream hako has, in its own region and account. */
  #checkDestination(destination: string | undefined): void {
    if (destination === undefined) return;
    const { region, account, source } = this.#deps;
    const kind = destinationKindOf(destination);
    const home = `:${region}:${account}:`;
    const exists = kind === 'function' ? this.#functionExists(destination) : source.describe(destination) !== undefined;
    if (!destination.includes(home) || !exists) {
      throw invalid(`The OnFailure destination ${destination} does not exist in hako (region ${region}, account ${account}): create the ${kind} first`);
    }
  }

  #functionExists(arn: string): boolean {
    try {
      this.#deps.registry.resolve(parseFunctionReference(arn, undefined), this.#deps.arns.function);
      return true;
    } catch {
      return false;
    }
  }

  /** A worker's news about its mapping; dropped if the mapping was deleted or nothing changed. */
  #report(uuid: string, change: Partial<Pick<StoredMapping, 'lastProcessingResult' | 'enabled' | 'stateTransitionReason'>>): void {
    const mapping = this.#store.get(uuid);
    if (mapping === undefined) return;
    const changed = Object.entries(change).some(([key, value]) => mapping[key as keyof StoredMapping] !== value);
    if (!changed) return;
    this.#store.put({ ...mapping, ...change }).catch((error: unknown) => this.#deps.logger.error({ err: error, mapping: uuid }, 'storing an event source mapping\'s status failed'));
  }

  /** The stream was deleted: its mappings are disabled, saying why, and their workers stop. */
  #sourceGone(streamArn: string): void {
    for (const mapping of this.#store.all()) {
      if (mapping.eventSourceArn !== streamArn || !mapping.enabled) continue;
      this.#deps.logger.warn({ mapping: mapping.uuid, stream: streamArn }, 'the stream of an event source mapping was deleted; the mapping is disabled');
      this.#report(mapping.uuid, { enabled: false, stateTransitionReason: `PROBLEM: Stream not found: ${streamArn}`, lastProcessingResult: 'PROBLEM: Stream not found' });
      const disabled = this.#store.get(mapping.uuid);
      void this.#pollers.apply(mapping.uuid, disabled);
    }
  }
}

function cannotAccess(streamArn: string): AwsError {
  return invalid(`Cannot access stream ${streamArn}. Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and ListShards Actions on your stream. (hako has no stream by that ARN in this region and account.)`);
}

function duplicate(streamArn: string, functionName: string, uuid: string): AwsError {
  return new AwsError('ResourceConflictException', `The event source arn (" ${streamArn} ") and function (" ${functionName} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${uuid}`, { fields: { Type: 'User' } });
}
