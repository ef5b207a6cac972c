/**
 * @module functions/event-sources/batch-invoker — runs a batch's function synchronously through the
 * invoker, as the asynchronous queue does: resolve the function (its version, through an alias), take a
 * concurrency slot, run, give the slot back. A function that cannot be called now (no slot: throttled;
 * deleted) is told apart from one that ran, because those are not attempts (spec §7.2).
 */
import { randomUUID } from 'node:crypto';
import type { ConcurrencyLimiter } from '../concurrency.js';
import type { Invoker } from '../invoker.js';
import type { FunctionMetrics } from '../metrics.js';
import type { FunctionArns, FunctionReference } from '../names.js';
import type { FunctionRegistry, ResolvedFunction } from '../registry.js';

export type BatchInvocation =
  | { kind: 'ran'; requestId: string; executedVersion: string; functionError: string | undefined; payload: Buffer }
  | { kind: 'throttled'; reason: string }
  | { kind: 'missing'; message: string };

export interface BatchInvokerDeps {
  registry: FunctionRegistry;
  concurrency: ConcurrencyLimiter;
  invoker: Invoker;
  metrics: FunctionMetrics;
  arns: FunctionArns;
}

export class BatchInvoker {
  readonly #deps: BatchInvokerDeps;

  constructor(deps: BatchInvokerDeps) {
    this.#deps = deps;
  }

  /** The function and version a mapping's reference names now, or undefined (deleted). */
  resolve(reference: FunctionReference): ResolvedFunction | undefined {
    try {
      return this.#deps.registry.resolve(reference, this.#deps.arns.function);
    } catch {
      return undefined;
    }
  }

  /** Invokes with the event `payload` builds for the version that will run (it names the role). */
  async invoke(reference: FunctionReference, payload: (resolved: ResolvedFunction) => Buffer): Promise<BatchInvocation> {
    const resolved = this.resolve(reference);
    if (resolved === undefined) return { kind: 'missing', message: `Function not found: ${this.#deps.arns.function(reference.name, reference.qualifier)}` };
    const { record, version } = resolved;
    const slot = this.#deps.concurrency.tryAcquire(record.name, record.reservedConcurrency);
    if (!slot.ok) {
      this.#deps.metrics.throttles.inc({ function: record.name });
      return { kind: 'throttled', reason: slot.reason };
    }
    const requestId = randomUUID();
    try {
      const result = await this.#deps.invoker.run({ functionName: record.name, version, qualifier: reference.qualifier, requestId, payload: payload(resolved) });
      return { kind: 'ran', requestId, executedVersion: version.version, functionError: result.functionError, payload: result.payload };
    } finally {
      slot.release();
    }
  }
}
