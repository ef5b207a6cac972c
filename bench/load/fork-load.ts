/** @module bench/load/fork-load — the orchestrator's side: runs one load in a forked worker process. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadConfig, LoadResult, RunMessage, WorkerMessage } from './config.js';

const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Runs `config` in a fresh worker; rejects if it fails, dies or overruns `timeoutMs`. */
export function runLoad(config: LoadConfig, timeoutMs: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(() => reject(new Error(`load generator did not finish within ${timeoutMs} ms`)));
    }, timeoutMs);
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'result') settle(() => resolve(message.result));
      else settle(() => reject(new Error(message.message)));
    });
    child.on('exit', (code, signal) => {
      settle(() => reject(new Error(`load generator exited (${signal ?? code}) without a result`)));
    });
    child.on('error', (err) => settle(() => reject(err)));
    const message: RunMessage = { type: 'run', config };
    child.send(message);
  });
}
