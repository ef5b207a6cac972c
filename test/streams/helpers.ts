/**
 * @module test/streams/helpers — a hako on a controllable clock with a real `@aws-sdk/client-kinesis`
 * (SigV4, root key) pointed at it, and small readers for the tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, type GetShardIteratorCommandInput, type _Record } from '@aws-sdk/client-kinesis';
import type { Clock } from '../../src/core/clock.js';
import { resolveConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { startHako, type RunningHako } from '../../src/main.js';
import { rootCredentials } from '../helpers/aws.js';

/** Real time, moved forward by `advance`, or held still by `freeze` (so a test controls the current second). */
export class TestClock implements Clock {
  #offsetMs = 0;
  #frozenAt: number | undefined;

  now(): number {
    return this.#frozenAt ?? Date.now() + this.#offsetMs;
  }

  monotonic(): number {
    return performance.now();
  }

  advance(ms: number): void {
    if (this.#frozenAt !== undefined) this.#frozenAt += ms;
    else this.#offsetMs += ms;
  }

  freeze(at: number): void {
    this.#frozenAt = at;
  }

  /** Back to real time (plus what `advance` added while running). */
  unfreeze(): void {
    this.#frozenAt = undefined;
  }
}

export interface KinesisHako {
  hako: RunningHako;
  kinesis: KinesisClient;
  clock: TestClock;
  dataDir: string;
  /** Stops hako (the data directory stays: `restart` reuses it). */
  stop(): Promise<void>;
  /** Stops and removes the data directory. */
  close(): Promise<void>;
}

/**
 * Starts hako on `dataDir` (fresh when absent) with `clock`. SigV4 tolerates 10 days of skew so tests
 * can move hako's clock past retention periods while the SDK signs with the real time.
 */
export async function startKinesisHako(options: { dataDir?: string; clock?: TestClock; store?: 'sqlite' | 'memory' } = {}): Promise<KinesisHako> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'hako-kinesis-'));
  const clock = options.clock ?? new TestClock();
  const config = resolveConfig({ mqttPort: 0, httpPort: 0, mqttsPort: 0, dataDir, store: options.store ?? 'sqlite', iam: { maxClockSkew: 10 * 24 * 3600 } });
  const hako = await startHako(config, silentLogger(), clock);
  // maxAttempts 1: a refused request must show its first answer, not a retry's. The client keeps its
  // default handler, HTTP/2 (h2c), as users' code does.
  const kinesis = new KinesisClient({ endpoint: `http://127.0.0.1:${hako.ports.http}`, region: 'us-east-1', credentials: rootCredentials(dataDir), maxAttempts: 1 });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    kinesis.destroy();
    await hako.stop();
  };
  return {
    hako,
    kinesis,
    clock,
    dataDir,
    stop,
    close: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Gets an iterator and reads one GetRecords page from it. */
export async function readFrom(kinesis: KinesisClient, input: GetShardIteratorCommandInput, limit?: number): Promise<{ records: _Record[]; next: string | undefined; millisBehind: number | undefined }> {
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand(input));
  const page = await kinesis.send(new GetRecordsCommand({ ShardIterator, ...(limit === undefined ? {} : { Limit: limit }) }));
  return { records: page.Records ?? [], next: page.NextShardIterator, millisBehind: page.MillisBehindLatest };
}

export const text = (record: Pick<_Record, 'Data'> | undefined): string => Buffer.from(record?.Data ?? new Uint8Array()).toString('utf8');
export const bytes = (value: string): Uint8Array => Buffer.from(value, 'utf8');
