/**
 * @module bench/firehose — PutRecordBatch ingest into a delivery stream with an object-folder destination
 * (gzip and uncompressed), against the limit of a plain Node write stream of the same bytes.
 *
 * hako runs as its own process (`bin/hako.js start`, like a deployment); this process is the producer:
 * `@aws-sdk/client-firehose` with SigV4, `CONCURRENCY` PutRecordBatch calls of 500 200-byte JSON records
 * in flight. "acked" is records/s until the last call answered (records durable in SQLite); "delivered"
 * is until /metrics counts every record in the folder. The plain write is `fs.createWriteStream` of the
 * same records (one write per record, and one per 500, through `zlib.createGzip` for the gzip row).
 * "delivered" includes up to ~2 s of the last partial buffer waiting for its 1-second interval and the
 * 1-second buffer check, so "acked" is the ingest figure.
 *
 * Run: `npm run build && node dist/bench/firehose.js [records] [concurrency]` (defaults 200000, 8).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { createGzip } from 'node:zlib';
import { CreateDeliveryStreamCommand, FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { parseCredentialsFile } from '../src/iam/sigv4/index.js';

const TOTAL = Number(process.argv[2] ?? 200_000);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const BATCH = 500;
const repoRoot = path.resolve(import.meta.dirname, '../..');

function record(n: number): Buffer {
  const head = `{"n":${n},"device":"sensor-${n % 97}","t":${1_700_000_000 + n},"pad":"`;
  return Buffer.from(`${head}${'x'.repeat(200 - head.length - 3)}"}\n`);
}
const records = Array.from({ length: TOTAL }, (_, n) => record(n));
const mb = (TOTAL * 200) / 1e6;

async function startHako(dataDir: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [...(process.env['HAKO_BENCH_PROF'] !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${process.env['HAKO_BENCH_PROF']}`] : []), path.join(repoRoot, 'bin/hako.js'), 'start', '--data-dir', dataDir, '--http-port', '0', '--mqtt-port', '0', '--mqtts-port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const file = path.join(dataDir, 'ports.json');
  while (!existsSync(file)) await delay(20);
  const { http } = JSON.parse(readFileSync(file, 'utf8')) as { http: number };
  return { port: http, stop: async () => void (child.kill('SIGTERM'), await once(child, 'close')) };
}

async function deliveredRecords(port: number, stream: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`hako_delivery_to_folder_records_total{stream="${stream}"}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

async function hakoRun(compression: 'GZIP' | 'UNCOMPRESSED'): Promise<{ acked: number; delivered: number }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hako-bench-firehose-'));
  const hako = await startHako(dataDir);
  try {
    const profile = parseCredentialsFile(readFileSync(path.join(dataDir, 'credentials'), 'utf8')).get('default');
    const client = new FirehoseClient({ endpoint: `http://127.0.0.1:${hako.port}`, region: 'us-east-1', credentials: profile });
    const stream = `bench-${compression.toLowerCase()}`;
    await client.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: stream, ExtendedS3DestinationConfiguration: { RoleARN: 'arn:aws:iam::000000000000:role/bench', BucketARN: 'arn:aws:s3:::bench', CompressionFormat: compression, BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 1 } } }));
    let next = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < TOTAL) {
        const from = next;
        next += BATCH;
        const out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: records.slice(from, from + BATCH).map((Data) => ({ Data })) }));
        if (out.FailedPutCount !== 0) throw new Error(`${out.FailedPutCount} records failed`);
      }
    }));
    const acked = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    process.stderr.write(`producer CPU ${((cpu.user + cpu.system) / 1000 / acked * 100).toFixed(0)}% of one core while sending\n`);
    while ((await deliveredRecords(hako.port, stream)) < TOTAL) await delay(10);
    const delivered = performance.now() - started;
    client.destroy();
    return { acked, delivered };
  } finally {
    await hako.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The same bytes through a write stream, one write per record (`batched`: one per 500 records). */
async function plainWrite(gzip: boolean, batched: boolean): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hako-bench-plain-'));
  const started = performance.now();
  const file = createWriteStream(path.join(dir, 'out'));
  const chunks = batched ? Array.from({ length: Math.ceil(TOTAL / BATCH) }, (_, i) => Buffer.concat(records.slice(i * BATCH, (i + 1) * BATCH))) : records;
  const source = Readable.from(chunks, { objectMode: true });
  await (gzip ? pipeline(source, createGzip(), file) : pipeline(source, file));
  const elapsed = performance.now() - started;
  rmSync(dir, { recursive: true, force: true });
  return elapsed;
}

const rate = (ms: number): string => `${Math.round(TOTAL / (ms / 1000)).toLocaleString('en')} rec/s, ${(mb / (ms / 1000)).toFixed(1)} MB/s`;
for (const compression of ['UNCOMPRESSED', 'GZIP'] as const) {
  const plain = await plainWrite(compression === 'GZIP', false);
  const batched = await plainWrite(compression === 'GZIP', true);
  const run = await hakoRun(compression);
  process.stdout.write(`${compression.padEnd(12)} hako acked ${rate(run.acked)} | delivered ${rate(run.delivered)} | plain write stream per record ${rate(plain)} (acked ${(run.acked / plain).toFixed(1)}x), per 500 ${rate(batched)} (acked ${(run.acked / batched).toFixed(1)}x)\n`);
}
