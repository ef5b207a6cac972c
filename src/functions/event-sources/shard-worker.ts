/**
 * @module functions/event-sources/shard-worker — one mapping's consumer of one shard: the I/O around the
 * pure batch core. Strictly in order and one batch at a time, it
 *
 * 1. reads from just after the shard's checkpoint (or the mapping's starting position),
 * 2. asks `planBatch` whether to invoke now or sleep (until more records, or the batching window closes),
 * 3. gives up records past `MaximumRecordAgeInSeconds`, invokes the function with AWS's Kinesis event,
 * 4. applies `afterInvocation`'s step: on-failure record to the destination, checkpoint, retry or split,
 *
 * and sleeps on a `WakeSignal` the writer's `onRecords` hook wakes, never in a polling loop. A function
 * that cannot be called (throttled, deleted) is retried with backoff without counting an attempt.
 *
 * Stopping comes in two kinds: `finish` (mapping updated, disabled or deleted) lets the invocation in
 * flight complete and be checkpointed; `abandon` (hako shutting down: the environments are being killed
 * under it) drops its outcome, so the batch runs again after the restart (at least once).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { MAX_SYNC_PAYLOAD_BYTES } from '../invoker.js';
import type { FunctionReference } from '../names.js';
import { retryDelayMs, unavailableDelayMs } from './backoff.js';
import type { BatchInvocation, BatchInvoker } from './batch-invoker.js';
import { afterInvocation, expiredCount, type Batch, type Discard, type InvocationOutcome } from './batch-outcome.js';
import { planBatch } from './batch-plan.js';
import { readBatchResponse } from './batch-response.js';
import type { CheckpointStore } from './checkpoints.js';
import { failureRecord, type KinesisFailureRecord, type LastInvocation } from './failure-record.js';
import { eventBytesOf, kinesisEvent, type KinesisEventContext } from './kinesis-event.js';
import type { MappingArns, StoredMapping } from './mapping.js';
import type { EventSourceMetrics } from './metrics.js';
import type { ShardPosition, SourceRecord, SourceStream, StreamSource } from './stream-source.js';
import { pause, WakeSignal } from './wake-signal.js';

export const PROCESSING_OK = 'OK';
export const FUNCTION_CALL_FAILED = 'PROBLEM: Function call failed';
export const FUNCTION_THROTTLED = 'PROBLEM: Function call throttled';
const RESTART_AFTER_ERROR_MS = 1000;

export interface ShardWorkerDeps {
  source: StreamSource;
  checkpoints: CheckpointStore;
  invoker: BatchInvoker;
  deliver(destination: string, record: KinesisFailureRecord): Promise<void>;
  /** The mapping's LastProcessingResult is now `result`. */
  report(uuid: string, result: string): void;
  /** The stream is gone (deleted under the worker). */
  sourceGone(streamArn: string): void;
  metrics: EventSourceMetrics;
  arns: MappingArns;
  region: string;
  clock: Clock;
  logger: Logger;
}

export type StopMode = 'finish' | 'abandon';

export class ShardWorker {
  readonly #deps: ShardWorkerDeps;
  readonly #mapping: StoredMapping;
  readonly #stream: SourceStream;
  readonly #shardId: string;
  readonly #reference: FunctionReference;
  readonly #signal = new WakeSignal();
  readonly #stopped: Promise<void>;
  #markStopped: () => void = () => undefined;
  #stopping: StopMode | undefined;
  #running: Promise<void> | undefined;

  constructor(deps: ShardWorkerDeps, mapping: StoredMapping, stream: SourceStream, shardId: string) {
    this.#deps = deps;
    this.#mapping = mapping;
    this.#stream = stream;
    this.#shardId = shardId;
    this.#reference = { name: mapping.functionName, qualifier: mapping.qualifier };
    this.#stopped = new Promise((resolve) => (this.#markStopped = resolve));
  }

  /** Resolves when the worker has ended. */
  start(): Promise<void> {
    this.#running ??= this.#run();
    return this.#running;
  }

  /** The shard got records. */
  wake(): void {
    this.#signal.wake();
  }

  /** Resolves once the worker has ended. `abandon` wins over an earlier `finish` (hako is stopping). */
  stop(mode: StopMode): Promise<void> {
    if (this.#stopping === undefined || mode === 'abandon') this.#stopping = mode;
    this.#markStopped();
    this.#signal.wake();
    return this.#running ?? Promise.resolve();
  }

  async #run(): Promise<void> {
    while (this.#stopping === undefined) {
      try {
        await this.#consume();
        return;
      } catch (error) {
        // A store or stream failure: start over from the checkpoint, which only moves past done records.
        this.#deps.logger.error({ err: error, mapping: this.#mapping.uuid, shardId: this.#shardId }, 'event source mapping failed inside hako; resuming from its checkpoint');
        await pause(RESTART_AFTER_ERROR_MS, this.#stopped);
      }
    }
  }

  async #consume(): Promise<void> {
    const { settings } = this.#mapping;
    const policy = { maximumRetryAttempts: settings.maximumRetryAttempts, bisectOnFunctionError: settings.bisectBatchOnFunctionError };
    let position = await this.#startingPosition();
    if (position === undefined) return this.#deps.sourceGone(this.#stream.arn);
    let queue: Batch<SourceRecord>[] = [];
    let unavailable = 0;
    let lastInvocation: LastInvocation | undefined;
    while (this.#stopping === undefined) {
      if (queue.length === 0) {
        const next = await this.#nextBatch(position);
        if (next === 'gone') return this.#deps.sourceGone(this.#stream.arn);
        if (next === undefined) continue;
        queue = [next];
        lastInvocation = undefined;
      }
      const batch = queue[0] as Batch<SourceRecord>;
      const expired = expiredCount(batch.records, this.#deps.clock.now(), settings.maximumRecordAgeSeconds);
      if (expired > 0) {
        const records = batch.records.slice(0, expired);
        await this.#discard({ records, condition: 'RecordAgeExceeded', invocations: batch.invocations }, lastInvocation);
        position = await this.#checkpoint(records.at(-1) as SourceRecord);
        const rest = batch.records.slice(expired);
        queue = rest.length === 0 ? queue.slice(1) : [{ ...batch, records: rest }, ...queue.slice(1)];
        continue;
      }
      const invocation = await this.#invoke(batch.records);
      if (this.#stopping === 'abandon') return;
      if (invocation.kind !== 'ran') {
        unavailable++;
        await pause(unavailableDelayMs(unavailable), this.#stopped);
        continue;
      }
      unavailable = 0;
      lastInvocation = { requestId: invocation.requestId, executedVersion: invocation.executedVersion, functionError: invocation.functionError };
      const outcome = this.#outcomeOf(invocation, batch.records);
      this.#count(batch, outcome);
      const step = afterInvocation(batch, outcome, policy);
      if (step.discard !== undefined) await this.#discard(step.discard, lastInvocation);
      if (step.checkpointAfter !== undefined) position = await this.#checkpoint(step.checkpointAfter);
      queue = [...step.next, ...queue.slice(1)];
      this.#deps.report(this.#mapping.uuid, outcome.kind === 'success' ? PROCESSING_OK : FUNCTION_CALL_FAILED);
      const retry = step.next[0];
      if (step.backOff && retry !== undefined) await pause(retryDelayMs(retry.retries), this.#stopped);
    }
  }

  /** After the checkpoint, or where the mapping starts; undefined when the stream is gone. */
  async #startingPosition(): Promise<ShardPosition | undefined> {
    const { uuid, startingPosition, startingPositionTimestamp } = this.#mapping;
    const saved = this.#deps.checkpoints.get(uuid, this.#shardId, this.#stream.generation);
    if (saved !== undefined) return after(saved);
    if (startingPosition === 'TRIM_HORIZON') return { type: 'TRIM_HORIZON' };
    if (startingPosition === 'AT_TIMESTAMP') return { type: 'AT_TIMESTAMP', timestampMs: (startingPositionTimestamp ?? 0) * 1000 };
    // LATEST is pinned (stored) the first time, so a restart does not move it past unread records.
    const latest = this.#deps.source.latest(this.#stream.arn, this.#shardId);
    if (latest === undefined) return undefined;
    await this.#deps.checkpoints.set(uuid, this.#shardId, this.#stream.generation, latest);
    return after(latest);
  }

  /** A new batch from `position`, or undefined after sleeping (read again), or 'gone'. */
  async #nextBatch(position: ShardPosition): Promise<Batch<SourceRecord> | 'gone' | undefined> {
    const { settings } = this.#mapping;
    const records = await this.#deps.source.read(this.#stream.arn, this.#shardId, position, settings.batchSize);
    if (records === undefined) return 'gone';
    const context = this.#eventContext(this.#deps.invoker.resolve(this.#reference)?.version.role ?? '');
    const limits = { batchSize: settings.batchSize, windowMs: settings.maximumBatchingWindowSeconds * 1000, maxEventBytes: MAX_SYNC_PAYLOAD_BYTES };
    const now = this.#deps.clock.now();
    const plan = planBatch(records.map((record) => ({ arrivalMs: record.arrivalMs, eventBytes: eventBytesOf(record, context) })), limits, now);
    if (plan.kind === 'invoke') return { records: records.slice(0, plan.count), retries: 0, invocations: 0 };
    await this.#signal.wait(plan.kind === 'wait' ? plan.untilMs - now : undefined);
    return undefined;
  }

  async #invoke(records: readonly SourceRecord[]): Promise<BatchInvocation> {
    const labels = this.#labels();
    let invocation: BatchInvocation;
    try {
      invocation = await this.#deps.invoker.invoke(this.#reference, ({ version }) => Buffer.from(JSON.stringify(kinesisEvent(records, this.#eventContext(version.role)))));
    } catch (error) {
      // The environment could not be started or failed inside hako: not the function's doing.
      this.#deps.logger.error({ err: error, mapping: this.#mapping.uuid, shardId: this.#shardId }, 'invoking a batch failed inside hako; it will be retried');
      return { kind: 'missing', message: 'invocation failed inside hako' };
    }
    if (invocation.kind === 'throttled') {
      this.#deps.metrics.unavailable.inc({ ...labels, reason: 'throttled' });
      this.#deps.report(this.#mapping.uuid, FUNCTION_THROTTLED);
    } else if (invocation.kind === 'missing') {
      this.#deps.metrics.unavailable.inc({ ...labels, reason: 'function_missing' });
      this.#deps.report(this.#mapping.uuid, `PROBLEM: ${invocation.message}`);
    } else {
      this.#deps.metrics.records.inc(labels, records.length);
    }
    return invocation;
  }

  #outcomeOf(invocation: Extract<BatchInvocation, { kind: 'ran' }>, records: readonly SourceRecord[]): InvocationOutcome {
    if (invocation.functionError !== undefined) return { kind: 'failed' };
    if (!this.#mapping.settings.reportBatchItemFailures) return { kind: 'success' };
    return readBatchResponse(invocation.payload.toString('utf8'), records.map((record) => record.sequenceNumber));
  }

  #count(batch: Batch<SourceRecord>, outcome: InvocationOutcome): void {
    const label = outcome.kind === 'success' ? 'success' : outcome.kind === 'partial' ? 'partial_failure' : 'function_error';
    this.#deps.metrics.batches.inc({ ...this.#labels(), outcome: label });
    if (outcome.kind !== 'success') this.#deps.logger.debug({ mapping: this.#mapping.uuid, shardId: this.#shardId, records: batch.records.length, retries: batch.retries, outcome: outcome.kind }, 'a batch failed');
  }

  /** Records given up: the on-failure record to the destination (when there is one). */
  async #discard(discard: Discard<SourceRecord>, lastInvocation: LastInvocation | undefined): Promise<void> {
    const { uuid, settings, functionName, qualifier } = this.#mapping;
    const labels = this.#labels();
    this.#deps.metrics.discarded.inc({ ...labels, condition: discard.condition }, discard.records.length);
    this.#deps.logger.warn({ mapping: uuid, shardId: this.#shardId, records: discard.records.length, condition: discard.condition }, 'event source mapping gave up records');
    if (settings.onFailure === undefined) return;
    const record = failureRecord({
      records: discard.records,
      condition: discard.condition,
      invocations: discard.invocations,
      lastInvocation,
      functionArn: this.#deps.arns.function(functionName, qualifier),
      shardId: this.#shardId,
      streamArn: this.#stream.arn,
      nowMs: this.#deps.clock.now(),
      newRequestId: randomUUID,
    });
    try {
      await this.#deps.deliver(settings.onFailure, record);
      this.#deps.metrics.deliveries.inc({ ...labels, result: 'delivered' });
    } catch (error) {
      // The destination is gone or refused the record; the shard must not stall on it.
      this.#deps.metrics.deliveries.inc({ ...labels, result: 'failed' });
      this.#deps.logger.error({ err: error, mapping: uuid, destination: settings.onFailure }, 'delivering an on-failure record failed; the record is lost');
    }
  }

  async #checkpoint(record: SourceRecord): Promise<ShardPosition> {
    await this.#deps.checkpoints.set(this.#mapping.uuid, this.#shardId, this.#stream.generation, record.sequenceNumber);
    this.#deps.metrics.iteratorAge.set(this.#labels(), Math.max(0, this.#deps.clock.now() - record.arrivalMs));
    return after(record.sequenceNumber);
  }

  #eventContext(role: string): KinesisEventContext {
    return { shardId: this.#shardId, eventSourceArn: this.#stream.arn, awsRegion: this.#deps.region, invokeIdentityArn: role };
  }

  #labels(): { function: string; mapping: string } {
    return { function: this.#mapping.functionName, mapping: this.#mapping.uuid };
  }
}

function after(sequenceNumber: string): ShardPosition {
  return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber };
}
