/**
 * @module store/data-dir-lock — one hako per data directory. Two would each truncate the other's delivery
 * buffer files as torn at start, write each other's ports and credentials, and interleave their SQLite
 * transactions with neither knowing; the second start must stop instead, saying who holds the directory.
 *
 * The lock is `<data-dir>/hako.lock`, created with O_EXCL and holding the owner's pid. A lock whose pid is
 * no longer running (the owner crashed or was killed) is stale and taken over. Inside one process (tests
 * start several hakos) the pid alone cannot tell owners apart, so the paths this process holds are kept
 * too: a lock with this process's pid that this process does not hold is stale (an earlier process had the
 * same pid).
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { HakoError } from '../core/errors.js';

const LOCK_FILE = 'hako.lock';
/** The lock files this process holds, by absolute path. */
const heldHere = new Set<string>();

export interface DataDirLock {
  /** Removes the lock file; the directory is free for the next start. Idempotent. */
  release(): void;
}

/** Takes `dataDir` for this hako, or throws DATA_DIR_IN_USE naming the pid that holds it. */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = path.resolve(dataDir, LOCK_FILE);
  if (!tryCreate(file)) {
    const owner = ownerOf(file);
    if (owner !== undefined && isHeld(file, owner)) throw inUse(dataDir, file, owner);
    // Stale: remove it and try once more; if another start won that race, it holds the directory now.
    unlinkQuietly(file);
    if (!tryCreate(file)) throw inUse(dataDir, file, ownerOf(file));
  }
  heldHere.add(file);
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      heldHere.delete(file);
      unlinkQuietly(file);
    },
  };
}

/** Creates the lock file with this pid; false if it exists. */
function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new HakoError('DATA_DIR_UNUSABLE', [path.dirname(file), `cannot create ${file}: ${(error as Error).message}`], { cause: error });
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The pid a lock file names; undefined when it names none (cut short by a crash, or not hako's). */
function ownerOf(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function isHeld(file: string, pid: number): boolean {
  if (pid === process.pid) return heldHere.has(file);
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // it exists, as another user
  }
}

function inUse(dataDir: string, file: string, pid: number | undefined): HakoError {
  const who = pid === undefined ? 'another hako' : pid === process.pid ? `another hako in this process (pid ${pid})` : `another hako (pid ${pid})`;
  return new HakoError('DATA_DIR_IN_USE', [path.resolve(dataDir), who, file]);
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
