/** @module core/logger — the process-wide structured logger (pino). */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, destination ?? process.stdout);
}

/** A logger that drops everything, for tests that assert on behaviour rather than log lines. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
