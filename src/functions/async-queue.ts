/**
 * @module functions/async-queue — asynchronous invocation (`InvocationType: Event`, spec §3): an event is
 * stored before the caller gets its 202, then run when a concurrency slot is free, retried, and its
 * outcome sent to the configured destination.
 *
 * - Function errors (thrown, timeouts, crashes) are retried up to `MaximumRetryAttempts` (default 2),
 *   `retryDelayMs` × attempt apart (AWS: about 1 and 2 minutes).
 * - Throttles are not attempts: the event waits 1, 2, 4 … up to 300 s (capped by `retryDelayMs`) and
 *   tries again, until `MaximumEventAgeInSeconds`. A function with reserved concurrency 0 fails its events
 *   at once, without retries.
 * - Every attempt of an event has the same request id (idempotency keys for handlers).
 * - The outcome goes, as AWS's invocation record, to the OnSuccess / OnFailure destination (a Lambda
 *   function, invoked asynchronously in turn).
 * - At least once: the event record is updated before each retry and deleted only after its outcome is
 *   delivered, so an event acknowledged with 202 survives `kill -9`, and one running at the crash runs
 *   again after the restart.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../core/aws-error.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { RecordCollection, RecordStore } from '../store/records.js';
import type { ConcurrencyLimiter } from './concurrency.js';
import type { FunctionMetrics } from './metrics.js';
import { DEFAULT_EVENT_INVOKE_CONFIG } from './event-invoke-config.js';
import { checkJson, type Invoker } from './invoker.js';
import { parseFunctionReference, type FunctionArns, type FunctionReference } from './names.js';
import type { FunctionRegistry } from './registry.js';

/** 1 MB, the asynchronous payload limit (spec §1.5). */
export const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;
const MAX_THROTTLE_BACKOFF_MS = 300_000;

interface QueuedEvent {
  requestId: string;
  functionName: string;
  qualifier: string | undefined;
  /** The event, JSON text. */
  payload: string;
  enqueuedAt: number;
  /** Invocations made so far. */
  attempts: number;
  throttles: number;
  nextAttemptAt: number;
}

type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

export interface AsyncQueueDeps {
  records: RecordStore;
  registry: FunctionRegistry;
  invoker: Invoker;
  concurrency: ConcurrencyLimiter;
  metrics: FunctionMetrics;
  arns: FunctionArns;
  clock: Clock;
  logger: Logger;
  /** The delay before the first retry of a failed event; the second waits twice as long. AWS: ~60 s. */
  retryDelayMs: number;
}

export interface AsyncMetrics {
  received: number;
  dropped: number;
}

export const ASYNC_EVENT_COLLECTION = 'functions.async-events';

export class AsyncQueue {
  readonly metrics: AsyncMetrics = { received: 0, dropped: 0 };
  readonly #deps: AsyncQueueDeps;
  readonly #collection: RecordCollection<QueuedEvent>;
  readonly #waiting = new Map<string, QueuedEvent>();
  readonly #running = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  /** Until `start`: events are stored, none is dispatched (functions need hako's endpoint to be up). */
  #stopped = true;

  private constructor(deps: AsyncQueueDeps, collection: RecordCollection<QueuedEvent>, pending: Map<string, QueuedEvent>) {
    this.#deps = deps;
    this.#collection = collection;
    for (const event of pending.values()) this.#waiting.set(event.requestId, event);
  }

  /** Loads the events that were waiting (or running) when hako last stopped; `start` dispatches them. */
  static async open(deps: AsyncQueueDeps): Promise<AsyncQueue> {
    const collection = deps.records.collection<QueuedEvent>(ASYNC_EVENT_COLLECTION);
    return new AsyncQueue(deps, collection, await collection.loadAll());
  }

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  /** Events stored and not yet finished. */
  get size(): number {
    return this.#waiting.size + this.#running.size;
  }

  /** Checks and stores an event; resolved (the caller's 202) once it is durable. Returns its request id. */
  async enqueue(reference: FunctionReference, payload: Buffer): Promise<string> {
    this.#deps.registry.resolve(reference, this.#deps.arns.function); // 404 now, not later
    if (payload.length > MAX_ASYNC_PAYLOAD_BYTES) {
      throw new AwsError('RequestTooLargeException', `Request must be smaller than ${MAX_ASYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`, { fields: { Type: 'User' } });
    }
    checkJson(payload);
    const now = this.#deps.clock.now();
    const event: QueuedEvent = {
      requestId: randomUUID(),
      functionName: reference.name,
      qualifier: reference.qualifier,
      payload: payload.length === 0 ? '{}' : payload.toString('utf8'),
      enqueuedAt: now,
      attempts: 0,
      throttles: 0,
      nextAttemptAt: now,
    };
    await this.#collection.put(event.requestId, event);
    this.metrics.received++;
    this.#deps.metrics.asyncEventsReceived.inc({ function: event.functionName });
    this.#waiting.set(event.requestId, event);
    this.#schedule();
    return event.requestId;
  }

  /** Stops dispatching; events in flight are stored back as they were (see `#attempt`). */
  pause(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Resolves when the invocations in flight have ended (after `pause`, once environments are stopped). */
  async drained(): Promise<void> {
    await Promise.all([...this.#running]);
  }

  #schedule(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    let next = Number.POSITIVE_INFINITY;
    for (const event of this.#waiting.values()) next = Math.min(next, event.nextAttemptAt);
    if (next === Number.POSITIVE_INFINITY) return;
    this.#timer = setTimeout(() => this.#dispatch(), Math.max(0, next - this.#deps.clock.now()));
    this.#timer.unref();
  }

  #dispatch(): void {
    const now = this.#deps.clock.now();
    for (const event of [...this.#waiting.values()]) {
      if (event.nextAttemptAt > now) continue;
      this.#waiting.delete(event.requestId);
      const running = this.#attempt(event).catch((error: unknown) => {
        this.#deps.logger.error({ err: error, requestId: event.requestId, functionName: event.functionName }, 'asynchronous invocation failed inside hako; it will be retried');
        this.#requeue({ ...event, nextAttemptAt: this.#deps.clock.now() + this.#deps.retryDelayMs });
      });
      this.#running.add(running);
      void running.finally(() => this.#running.delete(running));
    }
    this.#schedule();
  }

  async #attempt(event: QueuedEvent): Promise<void> {
    const { registry, concurrency, invoker, arns, clock } = this.#deps;
    let resolved;
    try {
      resolved = registry.resolve({ name: event.functionName, qualifier: event.qualifier }, arns.function);
    } catch {
      // The function (or its version or alias) was deleted after the event was accepted.
      this.#deps.logger.warn({ requestId: event.requestId, functionName: event.functionName, qualifier: event.qualifier }, 'asynchronous event dropped: its function no longer exists');
      this.#dropped(event);
      await this.#collection.delete(event.requestId);
      return;
    }
    const { record, version } = resolved;
    const config = registry.eventInvokeConfig(record.name, event.qualifier) ?? DEFAULT_EVENT_INVOKE_CONFIG;
    const maxAgeMs = config.maximumEventAgeSeconds * 1000;
    if (record.reservedConcurrency === 0) return this.#finish(event, 'RetriesExhausted', undefined, config.onFailure);

    this.#deps.metrics.asyncEventAge.observe({ function: record.name }, clock.now() - event.enqueuedAt);
    const slot = concurrency.tryAcquire(record.name, record.reservedConcurrency);
    if (!slot.ok) {
      this.#deps.metrics.throttles.inc({ function: record.name });
      const throttles = event.throttles + 1;
      const delay = Math.min(1000 * 2 ** (throttles - 1), MAX_THROTTLE_BACKOFF_MS, Math.max(this.#deps.retryDelayMs, 1));
      const nextAttemptAt = clock.now() + delay;
      if (nextAttemptAt - event.enqueuedAt > maxAgeMs) return this.#finish(event, 'EventAgeExceeded', undefined, config.onFailure);
      return this.#requeue({ ...event, throttles, nextAttemptAt });
    }
    let result;
    try {
      result = await invoker.run({ functionName: record.name, version, qualifier: event.qualifier, requestId: event.requestId, payload: Buffer.from(event.payload) });
    } finally {
      slot.release();
    }
    // Stopped under it (hako is shutting down): not an attempt; it runs again after the restart.
    if (this.#stopped) return this.#requeue(event);
    const attempts = event.attempts + 1;
    const outcome = { executedVersion: version.version, result };
    if (result.functionError === undefined) return this.#finish({ ...event, attempts }, 'Success', outcome, config.onSuccess);
    if (attempts > config.maximumRetryAttempts) return this.#finish({ ...event, attempts }, 'RetriesExhausted', outcome, config.onFailure);
    const nextAttemptAt = clock.now() + this.#deps.retryDelayMs * attempts;
    if (nextAttemptAt - event.enqueuedAt > maxAgeMs) return this.#finish({ ...event, attempts }, 'EventAgeExceeded', outcome, config.onFailure);
    await this.#requeue({ ...event, attempts, nextAttemptAt });
  }

  #dropped(event: QueuedEvent): void {
    this.metrics.dropped++;
    this.#deps.metrics.asyncEventsDropped.inc({ function: event.functionName });
  }

  async #requeue(event: QueuedEvent): Promise<void> {
    await this.#collection.put(event.requestId, event);
    if (this.#stopped) return; // picked up from the store at the next start
    this.#waiting.set(event.requestId, event);
    this.#schedule();
  }

  /** Sends the invocation record to the destination (if any), then forgets the event. */
  async #finish(
    event: QueuedEvent,
    condition: Condition,
    outcome: { executedVersion: string; result: { payload: Buffer; functionError: string | undefined } } | undefined,
    destination: string | undefined,
  ): Promise<void> {
    if (condition !== 'Success') {
      this.#deps.logger.warn({ requestId: event.requestId, functionName: event.functionName, condition, attempts: event.attempts }, `asynchronous invocation ${condition === 'EventAgeExceeded' ? 'expired' : 'failed for good'}`);
      if (destination === undefined) this.#dropped(event);
    }
    if (destination !== undefined) {
      const record = invocationRecord(event, condition, outcome, this.#deps.arns, this.#deps.clock.now());
      try {
        await this.enqueue(parseFunctionReference(destination, undefined), Buffer.from(JSON.stringify(record)));
      } catch (error) {
        this.#dropped(event);
        this.#deps.logger.error({ err: error, requestId: event.requestId, destination }, 'delivering an asynchronous invocation record to its destination failed; the record is lost');
      }
    }
    await this.#collection.delete(event.requestId);
  }
}

/** What destinations receive (spec §3, "Invocation record"). */
function invocationRecord(
  event: QueuedEvent,
  condition: Condition,
  outcome: { executedVersion: string; result: { payload: Buffer; functionError: string | undefined } } | undefined,
  arns: FunctionArns,
  now: number,
): Record<string, unknown> {
  const record: Record<string, unknown> = {
    version: '1.0',
    timestamp: new Date(now).toISOString(),
    requestContext: {
      requestId: event.requestId,
      functionArn: arns.function(event.functionName, outcome?.executedVersion ?? event.qualifier ?? '$LATEST'),
      condition,
      approximateInvokeCount: event.attempts,
    },
    requestPayload: parseOrText(event.payload),
  };
  if (outcome !== undefined) {
    record.responseContext = { statusCode: 200, executedVersion: outcome.executedVersion, ...(outcome.result.functionError === undefined ? {} : { functionError: 'Unhandled' }) };
    record.responsePayload = parseOrText(outcome.result.payload.toString('utf8'));
  }
  return record;
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
