/**
 * @module test/streams/delivery/helpers — a hako on a controllable clock with a real
 * `@aws-sdk/client-firehose` (SigV4, root key) pointed at it, and readers of bucket folders: every
 * object's key and its bytes (gunzipped when the name says `.gz`).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CreateDeliveryStreamCommand, FirehoseClient, type ExtendedS3DestinationConfiguration } from '@aws-sdk/client-firehose';
import { resolveConfig } from '../../../src/core/config.js';
import { silentLogger, type Logger } from '../../../src/core/logger.js';
import { startHako, type RunningHako } from '../../../src/main.js';
import { rootCredentials } from '../../helpers/aws.js';
import { TestClock } from '../helpers.js';

export { TestClock };

export interface FirehoseHako {
  hako: RunningHako;
  firehose: FirehoseClient;
  clock: TestClock;
  dataDir: string;
  /** `<data-dir>/buckets/<bucket>`. */
  bucketDir(bucket: string): string;
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** Starts hako (fresh data dir unless given; silent unless given a logger). The Firehose client speaks HTTP/1.1 by default: no handler needed. */
export async function startFirehoseHako(options: { dataDir?: string; clock?: TestClock; store?: 'sqlite' | 'memory'; logger?: Logger } = {}): Promise<FirehoseHako> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'hako-firehose-'));
  const clock = options.clock ?? new TestClock();
  const config = resolveConfig({ mqttPort: 0, httpPort: 0, mqttsPort: 0, dataDir, store: options.store ?? 'sqlite', iam: { maxClockSkew: 10 * 24 * 3600 } });
  const hako = await startHako(config, options.logger ?? silentLogger(), clock);
  // maxAttempts 1: a refused request must show its first answer, not a retry's.
  const firehose = new FirehoseClient({ endpoint: `http://127.0.0.1:${hako.ports.http}`, region: 'us-east-1', credentials: rootCredentials(dataDir), maxAttempts: 1 });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    firehose.destroy();
    await hako.stop();
  };
  return {
    hako,
    firehose,
    clock,
    dataDir,
    bucketDir: (bucket) => path.join(dataDir, 'buckets', bucket),
    stop,
    close: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function createFolderStream(firehose: FirehoseClient, name: string, destination: Partial<ExtendedS3DestinationConfiguration> = {}): Promise<void> {
  await firehose.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: name,
    DeliveryStreamType: 'DirectPut',
    ExtendedS3DestinationConfiguration: { RoleARN: 'arn:aws:iam::000000000000:role/firehose', BucketARN: 'arn:aws:s3:::test-bucket', ...destination },
  }));
}

export interface StoredObject {
  /** Relative to the bucket folder, '/'-separated. */
  key: string;
  /** Decompressed when the key ends in `.gz`. */
  body: Buffer;
}

/** Every file under `dir`, sorted by key; none when `dir` does not exist (nothing delivered yet). */
export function readObjects(dir: string): StoredObject[] {
  const out: StoredObject[] = [];
  if (!existsSync(dir)) return out;
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const key = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(key);
      else {
        const raw = readFileSync(path.join(dir, key));
        out.push({ key, body: key.endsWith('.gz') ? gunzipSync(raw) : raw });
      }
    }
  };
  walk('');
  return out.sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** A 200-byte JSON record ending in a newline, numbered. */
export function jsonRecord(n: number): Buffer {
  const head = `{"n":${n},"device":"sensor-${n % 97}","pad":"`;
  return Buffer.from(`${head}${'x'.repeat(200 - head.length - 3)}"}\n`);
}

/** Record numbers in newline-delimited JSON objects, in order. */
export function numbersIn(body: Buffer): number[] {
  return body.toString('utf8').split('\n').filter((line) => line !== '').map((line) => (JSON.parse(line) as { n: number }).n);
}
