/**
 * @module test/helpers/cli — runs the real `hako` command line as a child process: `node src/cli/main.js`
 * from the same compiled tree this test runs from (dist/ or any --outDir), so tests exercise the code they
 * were built with. The child's environment has no inherited HAKO_* or AWS_* variables: each test sets the
 * ones it means.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';

/** This file runs as <out>/test/helpers/cli.js; the CLI entry is <out>/src/cli/main.js. */
export const cliEntry = path.resolve(import.meta.dirname, '../../src/cli/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** A CLI that runs longer fails the test instead of hanging it. */
  timeoutMs?: number;
  /** Written to the CLI's standard input (closed at once when absent). */
  input?: string;
}

/** Runs `hako <args>` to completion. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('HAKO_') && !key.startsWith('AWS_')) env[key] = value;
  Object.assign(env, options.env);
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry, ...args], { cwd: options.cwd ?? tmpdir(), env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (options.input !== undefined) child.stdin?.end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hako ${args.join(' ')} still running after ${timeoutMs} ms; stdout: ${stdout} stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // 'close': stdout and stderr have been read to the end.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the command, asserts it succeeded, and returns its stdout. */
export async function cliOk(args: readonly string[], options: CliOptions = {}): Promise<string> {
  const result = await runCli(args, options);
  assert.equal(result.code, 0, `hako ${args.join(' ')} failed: ${result.stderr}`);
  assert.equal(result.stderr, '', `hako ${args.join(' ')} wrote to stderr`);
  return result.stdout;
}

/** Runs the command with `--json`, asserts it succeeded, and parses what it printed. */
export async function cliJson<T = Record<string, unknown>>(args: readonly string[], options: CliOptions = {}): Promise<T> {
  const stdout = await cliOk([...args, '--json'], options);
  return JSON.parse(stdout) as T;
}

/** Runs the command, asserts it failed with `code` and returns stderr's lines. */
export async function cliFails(args: readonly string[], code: number, options: CliOptions = {}): Promise<string[]> {
  const result = await runCli(args, options);
  assert.equal(result.code, code, `hako ${args.join(' ')}: expected exit code ${code}; stdout: ${result.stdout} stderr: ${result.stderr}`);
  assert.equal(result.stdout, '', 'nothing on stdout when a command fails');
  return result.stderr.trimEnd().split('\n');
}

/** A fresh temporary directory, removed when the test ends. */
export function tempDir(t: TestContext, prefix = 'hako-cli-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
