/**
 * @module functions/runtime/nodejs/thread-bootstrap — what a thread environment's worker runs: hako's Node.js
 * runtime (runtime-loop) over the worker's port instead of the Runtime API (runtime/thread-messages). Whatever the
 * function writes to stdout or stderr travels on that port too, in order with the answers.
 *
 * The port is ref'd only while waiting for an invocation: while the handler runs, an empty event loop must end the
 * way it does in a process (`beforeExit`, which finishes callback handlers).
 *
 * V8 caps the thread's old generation at the memory size; buffers live outside it, so a watchdog here (every 50 ms,
 * as a process environment's RSS watchdog) stops the thread once heap and buffers together pass the memory size.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { InvocationMessage, RuntimeMessage } from '../thread-messages.js';
import type { NextInvocation } from './runtime-client.js';
import { runRuntime } from './runtime-loop.js';

if (parentPort === null) throw new Error('thread-bootstrap runs in a worker thread');
const port = parentPort;
const post = (message: RuntimeMessage): void => port.postMessage(message);
let waiting: ((invocation: InvocationMessage) => void) | undefined;
let ready = false;

port.on('message', (invocation: InvocationMessage) => {
  port.unref();
  const resolve = waiting;
  waiting = undefined;
  resolve?.(invocation);
});
port.unref();
const { memoryBytes } = workerData as { memoryBytes: number };
setInterval(() => {
  const used = heapBytes();
  if (used <= memoryBytes) return;
  post({ kind: 'out-of-memory', heapBytes: used });
  process.exit(1);
}, 50).unref();
for (const stream of [process.stdout, process.stderr]) {
  stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean => {
    post({ kind: 'log', text: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8') });
    (typeof encoding === 'function' ? encoding : callback)?.();
    return true;
  }) as typeof stream.write;
}

await runRuntime({
  next() {
    if (!ready) {
      ready = true;
      post({ kind: 'ready' });
    }
    port.ref();
    return new Promise<NextInvocation>((resolve) => {
      waiting = (message) => resolve({
        requestId: message.requestId,
        deadlineMs: message.deadlineMs,
        invokedFunctionArn: message.invokedFunctionArn,
        traceId: message.traceId,
        clientContext: message.clientContext,
        cognitoIdentity: undefined,
        payload: message.payload,
      });
    });
  },
  async postResponse(requestId, body) {
    post({ kind: 'response', requestId, body, heapBytes: heapBytes() });
  },
  async postError(requestId, error) {
    post({ kind: 'error', requestId, errorType: error.errorType, body: JSON.stringify(error), heapBytes: heapBytes() });
  },
  async postInitError(error) {
    post({ kind: 'init-error', errorType: error.errorType, body: JSON.stringify(error) });
  },
  writeLog: (text) => post({ kind: 'log', text }),
  endOfOutput: () => undefined, // the log travels on the answers' port, ahead of them
});

function heapBytes(): number {
  const heap = getHeapStatistics();
  return heap.total_heap_size + heap.external_memory;
}
