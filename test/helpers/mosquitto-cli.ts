/**
 * @module test/helpers/mosquitto-cli — runs Eclipse Mosquitto's command-line clients (Debian
 * `mosquitto-clients`) to completion, and waits until a subscriber's filter is live in hako.
 */
import { spawn } from 'node:child_process';
import type { Hooks } from '../../src/core/hooks.js';

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** How long one CLI may run before it is killed and the test fails (mosquitto_sub also gives up by itself: -W 8). */
const CLI_TIMEOUT_MS = 10_000;

/** Runs a mosquitto CLI to completion; a missing binary fails with how to get it. */
export function runMosquitto(command: 'mosquitto_pub' | 'mosquitto_sub', args: string[]): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} still running after ${CLI_TIMEOUT_MS} ms; stdout: ${stdout} stderr: ${stderr}`));
    }, CLI_TIMEOUT_MS);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new Error(`${command} is not installed: .ci/run installs mosquitto-clients (apt-get install mosquitto-clients)`) : error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Starts `mosquitto_sub` and resolves once its subscription is in hako's router, so a publish after that
 * reaches it. hako's `subscription.added` hook fires before the SUBACK; mosquitto_sub's own "received
 * SUBACK" (-d) would do too, but its stdout is block-buffered on a pipe and only arrives when it exits.
 */
/** Returned wrapped: an async function returning a bare promise would wait for it to settle. */
export async function startSubscriber(hooks: Hooks, clientId: string, filter: string, args: string[]): Promise<{ exited: Promise<Exit> }> {
  let stopWatching = (): void => undefined;
  const subscribed = new Promise<void>((resolve) => {
    stopWatching = hooks.on('subscription.added', ({ clientId: id, filter: added }) => {
      if (id === clientId && added === filter) resolve();
    });
  });
  const subscriber = runMosquitto('mosquitto_sub', ['-i', clientId, '-t', filter, ...args]);
  try {
    // If the subscriber dies before subscribing, report that rather than wait on the hook forever.
    await Promise.race([subscribed, subscriber.then((exit) => Promise.reject(new Error(`mosquitto_sub exited before subscribing: ${JSON.stringify(exit)}`)))]);
  } finally {
    stopWatching();
  }
  return { exited: subscriber };
}
