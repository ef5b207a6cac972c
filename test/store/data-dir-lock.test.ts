/**
 * @module test/store/data-dir-lock.test — one hako per data directory: a second start on a directory in
 * use stops with DATA_DIR_IN_USE naming the holder, the directory is free again once hako stops, and a
 * lock left by a process that is gone (or that names no process) is taken over.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { isHakoError } from '../../src/core/errors.js';
import { lockDataDir } from '../../src/store/data-dir-lock.js';
import { startTestHako } from '../helpers/hako.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const freshDir = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hako-lock-'));
  dirs.push(dir);
  return dir;
};
const lockFile = (dir: string): string => path.join(dir, 'hako.lock');

/** A process that runs until killed; its pid, and how to end it. */
async function liveProcess(): Promise<{ pid: number; end(): Promise<void> }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], { stdio: 'ignore' });
  await new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { pid: child.pid as number, end: async () => void (child.kill('SIGKILL'), await exited) };
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

describe('data directory lock', () => {
  it('a second hako on a directory in use stops with DATA_DIR_IN_USE; after the first stops, it starts', async () => {
    const dir = freshDir();
    const first = await startTestHako({}, dir);
    assert.equal(readFileSync(lockFile(dir), 'utf8').trim(), String(process.pid));
    await assert.rejects(startTestHako({}, dir), (error: unknown) => {
      assert.ok(isHakoError(error, 'DATA_DIR_IN_USE'), String(error));
      assert.match((error as Error).message, /is in use by another hako in this process .*--data-dir/);
      return true;
    });
    await first.stop();
    assert.equal(existsSync(lockFile(dir)), false, 'stopping frees the directory');
    const second = await startTestHako({}, dir);
    await second.stop();
  });

  it('a lock held by another running process is respected, and names its pid', async () => {
    const dir = freshDir();
    const holder = await liveProcess();
    try {
      writeFileSync(lockFile(dir), `${holder.pid}\n`);
      assert.throws(() => lockDataDir(dir), (error: unknown) => isHakoError(error, 'DATA_DIR_IN_USE') && (error as Error).message.includes(`another hako (pid ${holder.pid})`));
      assert.equal(readFileSync(lockFile(dir), 'utf8').trim(), String(holder.pid), 'the holder keeps its lock');
    } finally {
      await holder.end();
    }
  });

  const stale: [string, () => Promise<string>][] = [
    ['a process that has exited (killed, crashed)', async () => `${await deadPid()}\n`],
    ['no pid at all (a write cut short)', async () => ''],
    ['something that is not a pid', async () => 'not a pid\n'],
  ];
  for (const [what, content] of stale) {
    it(`a lock naming ${what} is taken over`, async () => {
      const dir = freshDir();
      writeFileSync(lockFile(dir), await content());
      const lock = lockDataDir(dir);
      assert.equal(readFileSync(lockFile(dir), 'utf8').trim(), String(process.pid));
      lock.release();
      lock.release(); // idempotent
      assert.equal(existsSync(lockFile(dir)), false);
    });
  }

  it('a hako that fails to start releases the directory', async () => {
    const dir = freshDir();
    const holder = await startTestHako({}, dir);
    // Its MQTT port is taken: the second start fails after taking the lock of a directory of its own.
    const other = freshDir();
    await assert.rejects(startTestHako({ mqttPort: holder.ports.mqtt }, other), (error: unknown) => isHakoError(error, 'PORT_IN_USE'));
    assert.equal(existsSync(lockFile(other)), false);
    await holder.stop();
  });
});
