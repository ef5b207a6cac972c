/**
 * @module gateway/access-log-writer — where access log lines go: hako has no CloudWatch Logs, so log group
 * `<name>` is the file `<logs dir>/<name>.log` (slashes in the name become dots: `/aws/apigw/tickets` →
 * `aws.apigw.tickets.log`). Lines are gathered per event-loop turn and appended in one write per file; a failed
 * write is logged once per file and the lines dropped, never the request.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { logGroupOf } from './access-log.js';

export class AccessLogWriter {
  readonly #dir: string;
  readonly #logger: Logger;
  readonly #pending = new Map<string, string[]>();
  readonly #failed = new Set<string>();
  #flushing: Promise<void> = Promise.resolve();
  #scheduled = false;

  constructor(dir: string, logger: Logger) {
    this.#dir = dir;
    this.#logger = logger;
  }

  /** The file a destination's lines go to. */
  fileOf(destinationArn: string): string {
    const group = logGroupOf(destinationArn) ?? 'unknown';
    return path.join(this.#dir, `${group.replace(/^\/+/, '').replaceAll('/', '.')}.log`);
  }

  write(destinationArn: string, line: string): void {
    const file = this.fileOf(destinationArn);
    const lines = this.#pending.get(file);
    if (lines === undefined) this.#pending.set(file, [line]);
    else lines.push(line);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#flushing = this.#flushing.then(() => this.#flush());
    });
  }

  /** Resolves once every line written so far is in its file. */
  async drained(): Promise<void> {
    while (this.#scheduled || this.#pending.size > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      await this.#flushing;
    }
    await this.#flushing;
  }

  async #flush(): Promise<void> {
    const batches = [...this.#pending];
    this.#pending.clear();
    await mkdir(this.#dir, { recursive: true }).catch(() => undefined);
    await Promise.all(
      batches.map(async ([file, lines]) => {
        try {
          await appendFile(file, `${lines.join('\n')}\n`);
          this.#failed.delete(file);
        } catch (error) {
          if (!this.#failed.has(file)) this.#logger.warn({ err: error, file }, `could not write API gateway access log lines to ${file}; dropping them`);
          this.#failed.add(file);
        }
      }),
    );
  }
}
