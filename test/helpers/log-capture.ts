/**
 * @module test/helpers/log-capture — a real pino logger whose lines a test can read, to assert that a
 * refusal was logged once and says why.
 */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/core/logger.js';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface CapturedLog {
  logger: Logger;
  lines: LogLine[];
  /** Lines whose message matches. */
  matching(pattern: RegExp): LogLine[];
  /** Resolves with the first line matching, waiting for it if it has not been written yet. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the next line matching, written after this call (when earlier lines match too). */
  waitForNext(pattern: RegExp, timeoutMs?: number): Promise<LogLine>;
}

export function captureLog(level = 'info'): CapturedLog {
  const lines: LogLine[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: LogLine) => void }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (text === '') continue;
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        for (const waiter of [...waiters]) {
          if (!waiter.pattern.test(line.msg)) continue;
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
      done();
    },
  });
  return {
    logger: createLogger(level, sink),
    lines,
    matching: (pattern) => lines.filter((line) => pattern.test(line.msg)),
    waitFor: (pattern, timeoutMs = 5000) => {
      const found = lines.find((line) => pattern.test(line.msg));
      return found !== undefined ? Promise.resolve(found) : next(pattern, timeoutMs);
    },
    waitForNext: (pattern, timeoutMs = 5000) => next(pattern, timeoutMs),
  };

  function next(pattern: RegExp, timeoutMs: number): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms; lines:\n${lines.map((l) => l.msg).join('\n')}`)), timeoutMs);
      waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  }
}
