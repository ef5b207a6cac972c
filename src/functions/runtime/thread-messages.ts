/**
 * @module functions/runtime/thread-messages — what a thread environment and its runtime thread say to each other
 * over the worker's port: the thread's counterpart of the Runtime API (spec §2.1). One port carries the log and the
 * answers alike, so every line an invocation printed arrives before its answer.
 */

/** hako → runtime: the next invocation (`invocation/next`'s answer). */
export interface InvocationMessage {
  requestId: string;
  /** The event, JSON text: a string crosses to the thread as one copy (a Buffer would take its whole pool slab along). */
  payload: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  clientContext: string | undefined;
}

/** runtime → hako. `heapBytes`: the thread's heap and external memory after the invocation, for `Max Memory Used`. */
export type RuntimeMessage =
  | { kind: 'log'; text: string }
  /** Init finished; the runtime waits for its first invocation. */
  | { kind: 'ready' }
  | { kind: 'init-error'; errorType: string; body: string }
  | { kind: 'response'; requestId: string; body: string; heapBytes: number }
  | { kind: 'error'; requestId: string; errorType: string; body: string; heapBytes: number }
  /** The thread's heap and buffers passed the memory size: it exits next. */
  | { kind: 'out-of-memory'; heapBytes: number };
