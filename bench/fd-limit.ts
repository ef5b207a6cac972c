/**
 * @module bench/fd-limit — makes sure this process (and so every broker and worker it starts, which
 * inherit the limit) may open enough file descriptors for the idle-connection scenario.
 *
 * Node has no setrlimit, so the soft limit is raised to the hard limit with util-linux `prlimit` on our
 * own pid; without `prlimit` the current limit stands and the caller is told how far it reaches.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

interface Limits {
  soft: number;
  hard: number;
}

function readOpenFileLimits(): Limits | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const [soft, hard] = (line ?? '').slice('Max open files'.length).trim().split(/\s+/);
    const parse = (v: string | undefined): number => (v === 'unlimited' ? Infinity : Number(v));
    return line === undefined ? null : { soft: parse(soft), hard: parse(hard) };
  } catch {
    return null;
  }
}

/** Raises the soft open-files limit towards `wanted` (up to the hard limit); returns the limit in force. */
export function ensureOpenFileLimit(wanted: number): number {
  const limits = readOpenFileLimits();
  if (limits === null) return wanted;
  if (limits.soft >= wanted || limits.soft >= limits.hard) return limits.soft;
  const target = Math.min(limits.hard, Math.max(wanted, limits.soft));
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${target}:${limits.hard}`], { stdio: 'ignore' });
  } catch {
    // No prlimit (or not allowed): keep the current limit.
  }
  return readOpenFileLimits()?.soft ?? limits.soft;
}
