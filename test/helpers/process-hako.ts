/**
 * @module test/helpers/process-hako — runs the real `hako start` command (bin/hako.js) as a child process,
 * for tests of the start-up contract, signals and crashes. The CLI imports `dist/src/…`, so build first.
 *
 * Synchronisation is on events only: the child's exit, and `<data-dir>/ports.json`, which hako writes by
 * atomic rename once every listener is up (polled with a bounded loop, the one way to see a file appear).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { TestContext } from 'node:test';

/** The repository root: this file runs as dist/test/helpers/process-hako.js. */
export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const hakoBin = path.join(repoRoot, 'bin', 'hako.js');

export interface Ports {
  mqtt: number;
  mqtts: number;
  http: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface HakoProcess {
  readonly child: ChildProcess;
  /** Everything the child wrote so far. */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves when the child has exited. */
  readonly exited: Promise<Exit>;
  readonly hasExited: () => boolean;
  /** Kills with SIGKILL (if still running) and waits for the exit. */
  kill(): Promise<Exit>;
}

export interface SpawnOptions {
  /** Arguments after `start`. */
  args?: string[];
  /** HAKO_* variables (others are inherited; inherited HAKO_* are removed so the test controls them all). */
  env?: Record<string, string>;
  cwd?: string;
}

/** Spawns `node bin/hako.js start …` and kills it when the test ends. */
export function spawnHako(t: TestContext, options: SpawnOptions = {}): HakoProcess {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('HAKO_')) env[key] = value;
  Object.assign(env, options.env);
  const child = spawn(process.execPath, [hakoBin, 'start', ...(options.args ?? [])], {
    cwd: options.cwd ?? repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let done = false;
  // 'close' rather than 'exit': by then stdout and stderr have been read to the end.
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => {
    done = true;
    resolve({ code, signal });
  }));
  const kill = async (): Promise<Exit> => {
    if (!done) child.kill('SIGKILL');
    return exited;
  };
  t.after(kill);
  return { child, stdout: () => stdout, stderr: () => stderr, exited, hasExited: () => done, kill };
}

/** A fresh temporary directory, removed when the test ends. */
export function tempDir(t: TestContext, prefix = 'hako-proc-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Waits until `<dataDir>/ports.json` exists (hako is listening) and returns it; fails at once if the child
 * exits first, with what it wrote to stderr.
 */
export async function waitForPorts(hako: HakoProcess, dataDir: string, timeoutMs = 10_000): Promise<Ports> {
  const file = path.join(dataDir, 'ports.json');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Ports;
    if (hako.hasExited()) {
      const exit = await hako.exited;
      throw new Error(`hako exited (code ${exit.code}, signal ${exit.signal}) before writing ${file}; stderr: ${hako.stderr() || '(empty)'}`);
    }
    if (Date.now() > deadline) throw new Error(`no ${file} within ${timeoutMs} ms; stderr: ${hako.stderr() || '(empty)'}; stdout: ${hako.stdout()}`);
    await delay(20);
  }
}

/** Starts hako on free ports with the given data directory and waits until it is listening. */
export async function startHakoProcess(t: TestContext, dataDir: string, extraArgs: string[] = []): Promise<{ hako: HakoProcess; ports: Ports }> {
  rmSync(path.join(dataDir, 'ports.json'), { force: true }); // a previous run's file must not be mistaken for this one's
  const hako = spawnHako(t, { args: ['--data-dir', dataDir, '--mqtt-port', '0', '--http-port', '0', '--mqtts-port', '0', '--log-level', 'warn', ...extraArgs] });
  const ports = await waitForPorts(hako, dataDir);
  return { hako, ports };
}

/** Waits for the exit, failing after `timeoutMs` (a child that does not exit is a failure, not a hang). */
export async function waitForExit(hako: HakoProcess, timeoutMs = 10_000): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hako did not exit within ${timeoutMs} ms; stderr: ${hako.stderr() || '(empty)'}`)), timeoutMs);
  });
  try {
    return await Promise.race([hako.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
