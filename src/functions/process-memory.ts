/**
 * @module functions/process-memory — a runtime process's current and peak RSS, from the kernel
 * (`/proc/<pid>/status`, Linux), for the memory watchdog and `Max Memory Used`.
 *
 * The file stays open and is re-read from offset 0: opening and closing it on every read cost ~70 µs of
 * each invocation (a warm Invoke's budget is 1 ms; bench/RESULTS.md), a positioned read a fraction of that.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface MemoryReading {
  rssKiB: number;
  peakKiB: number;
}

const VM_RSS = /^VmRSS:\s+(\d+) kB/m;
const VM_HWM = /^VmHWM:\s+(\d+) kB/m;

export class ProcessMemory {
  readonly #pid: number | undefined;
  #fd: number | undefined;
  readonly #buffer = Buffer.allocUnsafe(4096);

  constructor(pid: number | undefined) {
    this.#pid = pid;
  }

  /** Undefined once the process is gone (or on a system without /proc). */
  read(): MemoryReading | undefined {
    if (this.#pid === undefined) return undefined;
    try {
      this.#fd ??= openSync(`/proc/${this.#pid}/status`, 'r');
      const length = readSync(this.#fd, this.#buffer, 0, this.#buffer.length, 0);
      const status = this.#buffer.toString('latin1', 0, length);
      return { rssKiB: Number(VM_RSS.exec(status)?.[1] ?? 0), peakKiB: Number(VM_HWM.exec(status)?.[1] ?? 0) };
    } catch {
      this.close();
      return undefined;
    }
  }

  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}
