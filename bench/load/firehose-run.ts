/**
 * @module bench/load/firehose-run — the Firehose scenarios (firehose-ndjson, firehose-gzip, firehose-parquet):
 * PutRecordBatch ingest into a delivery stream with the folder destination, against the limit of a plain Node
 * write stream of the same bytes in this process.
 *
 * The stream: ExtendedS3DestinationConfiguration with BufferingHints of 5 MiB (Firehose's default; 64 MiB for
 * Parquet, the least Firehose allows with format conversion) and 1 s, so the last partial buffer waits at most
 * a second (plus hako's 1-second buffer check) after the load stops. `gzip`: CompressionFormat GZIP. `parquet`:
 * DataFormatConversionConfiguration, OpenX JSON in, ParquetSerDe out (SNAPPY), the schema inferred from the
 * records (no table file in the catalog folder), so every delivery goes through DuckDB.
 *
 * The load: `callers` keep-alive connections, each with one PutRecordBatch of 500 200-byte JSON records in
 * flight. The bodies (BODIES distinct batches) are signed once and replayed (json-target.ts), so the generator
 * spends its CPU on socket writes, not on hashing 140 KB per call. A call counts when it answers 200 with
 * `"FailedPutCount":0` (its records are in hako's delivery buffer files, durable); anything else marks the cell ✗.
 *
 * The phases: warm-up (load, unmeasured), then until hako's delivery metric counts every warm-up record in the
 * folder, so the window starts with empty buffers; then the window: load for `durationMs`, the calls in flight
 * at its end answered (acknowledged rate: the window's records ÷ window start → last answer), then
 * `/metrics` polled every POLL_MS until `hako_delivery_to_folder_records_total` counts them all (delivered rate:
 * ÷ window start → that moment). The metric is incremented after the object's file is in place (renamed into
 * the bucket folder after an fsync), so it is the folder's content, read without walking it or decompressing
 * files. Last, the limit: the window's records, the same bytes in the same 500-record chunks, through
 * `fs.createWriteStream` (behind `zlib.createGzip` for gzip; as NDJSON for Parquet, whose input they are), and
 * an fsync, as hako's objects get one. For Parquet also the limit with the format's encoder in it, as zlib is in
 * gzip's: the same NDJSON file turned into Parquet by DuckDB alone, as hako's sink asks it (`read_json` inferring
 * from every record, SNAPPY), and the Parquet file fsynced.
 */
import { mkdtempSync, openSync, closeSync, fsyncSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { FirehoseFormat, FirehoseLoad, FirehoseResult, RecordRate } from './config.js';
import { cpuBetween, cpuSnapshot, type CpuSnapshot } from './function-tally.js';
import { BATCH_RECORDS, benchRecords, putRecordBatchBody, rateOf, RECORD_BYTES, streamCounter } from './firehose-records.js';
import { Histogram } from './histogram.js';
import { callTarget, presignTarget, ReplayConnection } from './json-target.js';
import { lambdaSigner, SignedConnection } from './lambda-api.js';

/** Distinct PutRecordBatch bodies, replayed in turn (records 0 … BODIES × 500 − 1). */
const BODIES = 8;
const POLL_MS = 20;
/** How long after the load the folder may take to hold every acknowledged record. */
const DELIVERY_TIMEOUT_MS = 60_000;
const BUCKET = 'bench-firehose';
const ROLE = 'arn:aws:iam::000000000000:role/hako-bench';
const DELIVERED = 'hako_delivery_to_folder_records_total';
const OBJECTS = 'hako_delivery_to_folder_objects_total';
const OBJECT_BYTES = 'hako_delivery_to_folder_bytes_total';

/** The ExtendedS3DestinationConfiguration of a scenario's stream. */
export function destinationOf(format: FirehoseFormat): Record<string, unknown> {
  const base = { RoleARN: ROLE, BucketARN: `arn:aws:s3:::${BUCKET}`, Prefix: `${format}/`, ErrorOutputPrefix: `errors/${format}/!{firehose:error-output-type}/` };
  if (format !== 'parquet') return { ...base, CompressionFormat: format === 'gzip' ? 'GZIP' : 'UNCOMPRESSED', BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 1 } };
  return {
    ...base,
    CompressionFormat: 'UNCOMPRESSED',
    BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 1 },
    DataFormatConversionConfiguration: {
      Enabled: true,
      SchemaConfiguration: { DatabaseName: 'bench', TableName: 'records', RoleARN: ROLE },
      InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
      OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY' } } },
    },
  };
}

interface Tally {
  calls: number;
  records: number;
  failures: Map<string, number>;
  latency: Histogram | undefined;
}

export async function runFirehose(cfg: FirehoseLoad): Promise<FirehoseResult> {
  const { port } = cfg.endpoint;
  const stream = `bench-${cfg.format}-${Date.now().toString(36)}`;
  const signer = lambdaSigner(cfg.endpoint, 'firehose');
  const control = new SignedConnection(port, signer);
  const callers = Array.from({ length: cfg.callers }, () => new ReplayConnection(port));
  const problems: string[] = [];
  try {
    await callTarget(control, 'Firehose_20150804.CreateDeliveryStream', { DeliveryStreamName: stream, DeliveryStreamType: 'DirectPut', ExtendedS3DestinationConfiguration: destinationOf(cfg.format) });
    const chunks = Array.from({ length: BODIES }, (_, b) => benchRecords(b * BATCH_RECORDS));
    const requests = await Promise.all(chunks.map((records) => presignTarget(signer, port, 'Firehose_20150804.PutRecordBatch', putRecordBatchBody(stream, records))));
    const metric = async (): Promise<{ delivered: number; objects: number; bytes: number }> => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return { delivered: streamCounter(text, DELIVERED, stream), objects: streamCounter(text, OBJECTS, stream), bytes: streamCounter(text, OBJECT_BYTES, stream) };
    };
    /** Polls until the folder holds `records` of the stream's records; the moment, or undefined after the timeout. */
    const deliveredBy = async (records: number): Promise<number | undefined> => {
      const deadline = performance.now() + DELIVERY_TIMEOUT_MS;
      while (performance.now() < deadline) {
        const { delivered } = await metric();
        if (delivered >= records) return performance.now();
        await sleep(POLL_MS);
      }
      return undefined;
    };

    let next = 0;
    /** Every caller sends call after call until `ms` have passed, then the phase ends when the last answers. */
    const phase = async (ms: number, tally: Tally): Promise<void> => {
      let stopped = false;
      const timer = setTimeout(() => (stopped = true), ms);
      await Promise.all(callers.map(async (caller) => {
        while (!stopped) {
          const request = requests[next++ % BODIES]!;
          const response = await caller.send(request);
          tally.calls++;
          const problem = response.status !== 200 ? `HTTP ${response.status} ${response.body.toString('utf8', 0, 200)}` : response.body.indexOf('"FailedPutCount":0') < 0 ? `records refused: ${response.body.toString('utf8', 0, 200)}` : undefined;
          if (problem !== undefined) tally.failures.set(problem, (tally.failures.get(problem) ?? 0) + 1);
          else {
            tally.records += BATCH_RECORDS;
            tally.latency?.record((performance.now() - response.sentAt) * 1000);
          }
        }
      }));
      clearTimeout(timer);
    };

    const warm: Tally = { calls: 0, records: 0, failures: new Map(), latency: undefined };
    await phase(cfg.warmupMs, warm);
    if ((await deliveredBy(warm.records)) === undefined) throw new Error(`the warm-up's ${warm.records} records were not all in the folder ${DELIVERY_TIMEOUT_MS} ms after the load`);
    const base = await metric();

    const window: Tally = { calls: 0, records: 0, failures: new Map(), latency: new Histogram() };
    const before: CpuSnapshot = cpuSnapshot(cfg.brokerPid);
    const started = before.at;
    await phase(cfg.durationMs, window);
    const answered = cpuSnapshot(cfg.brokerPid);
    const deliveredAt = await deliveredBy(warm.records + window.records);
    const done = cpuSnapshot(cfg.brokerPid);
    const after = await metric();
    for (const [problem, n] of [...warm.failures, ...window.failures]) problems.push(`${n} × ${problem}`);
    if (deliveredAt === undefined) problems.push(`the folder held ${after.delivered - base.delivered} of the window's ${window.records} records ${DELIVERY_TIMEOUT_MS} ms after the load`);
    else if (after.delivered !== warm.records + window.records) problems.push(`the folder holds ${after.delivered} records, ${warm.records + window.records} were acknowledged`);
    if (window.records === 0) problems.push('no call answered in the window');

    const plainChunks = chunks.map((records) => Buffer.concat(records));
    const plainMs = await plainWrite(cfg.format === 'gzip', plainChunks, window.records / BATCH_RECORDS);
    const acked = rateOf(window.records, answered.at - started);
    const plain = rateOf(window.records, plainMs);
    const plainParquet = cfg.format === 'parquet' ? rateOf(window.records, await plainParquetWrite(plainChunks, window.records / BATCH_RECORDS)) : undefined;
    const cpu = cpuBetween(before, answered);
    return {
      kind: 'firehose',
      format: cfg.format,
      callers: cfg.callers,
      records: window.records,
      bytes: window.records * RECORD_BYTES,
      acked,
      delivered: deliveredAt === undefined ? { recordsPerSec: 0, mbPerSec: 0 } : rateOf(window.records, deliveredAt - started),
      deliveryTailMs: deliveredAt === undefined ? -1 : Math.round(deliveredAt - answered.at),
      latency: window.latency!.summarize(),
      plain,
      plainRatio: ratio(plain, acked),
      ...(plainParquet === undefined ? {} : { plainParquet, plainParquetRatio: ratio(plainParquet, acked) }),
      cpuPerRecordUs: window.records === 0 ? 0 : Math.round(((done.brokerTreeMs - before.brokerTreeMs) * 1000 * 100) / window.records) / 100,
      objects: after.objects - base.objects,
      objectBytes: after.bytes - base.bytes,
      ok: problems.length === 0,
      problems,
      cpu: { brokerPct: cpu.brokerPct, loadPct: cpu.loadPct, otherPct: cpu.otherPct },
    };
  } finally {
    control.close();
    for (const caller of callers) caller.close();
  }
}

/**
 * Milliseconds to write `count` chunks (cycling through `chunks`, one write each) through a plain write stream,
 * behind gzip when asked, and fsync the file.
 */
export async function plainWrite(gzip: boolean, chunks: readonly Buffer[], count: number): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hako-bench-plain-'));
  try {
    const file = path.join(dir, gzip ? 'out.gz' : 'out');
    const started = performance.now();
    const source = cycled(chunks, count);
    const sink = createWriteStream(file);
    await (gzip ? pipeline(source, createGzip(), sink) : pipeline(source, sink));
    const fd = openSync(file, 'r');
    fsyncSync(fd);
    closeSync(fd);
    return performance.now() - started;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `count` chunks, cycling through `chunks`, as a stream for the plain writes. */
function cycled(chunks: readonly Buffer[], count: number): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < count; i++) yield chunks[i % chunks.length]!;
  })(), { objectMode: true });
}

/** How many times `limit`'s rate is `hako`'s, to two decimals. */
const ratio = (limit: RecordRate, hako: RecordRate): number => (hako.recordsPerSec === 0 ? 0 : Math.round((limit.recordsPerSec / hako.recordsPerSec) * 100) / 100);

/**
 * Milliseconds to write `count` chunks as NDJSON (as plainWrite does) and have DuckDB alone turn that file into
 * Parquet as hako's sink asks it, the Parquet file fsynced. DuckDB is opened before the clock starts.
 */
export async function plainParquetWrite(chunks: readonly Buffer[], count: number): Promise<number> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const dir = mkdtempSync(path.join(tmpdir(), 'hako-bench-parquet-'));
  try {
    const rows = path.join(dir, 'rows.ndjson');
    const parquet = path.join(dir, 'out.parquet');
    const started = performance.now();
    await pipeline(cycled(chunks, count), createWriteStream(rows));
    await connection.run(`COPY (SELECT * FROM read_json('${rows}', format = 'newline_delimited', sample_size = -1)) TO '${parquet}' (FORMAT PARQUET, COMPRESSION snappy, USE_TMP_FILE false)`);
    const fd = openSync(parquet, 'r');
    fsyncSync(fd);
    closeSync(fd);
    return performance.now() - started;
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
