/**
 * @module bench/load/firehose-records — the records and request bodies of the Firehose scenarios, pure so they
 * can be tested: 200-byte JSON records (the shape bench/firehose.ts and bench/warehouse-load.ts use, newline
 * included, as NDJSON producers send them) and PutRecordBatch bodies of 500 of them, base64 in AWS JSON 1.1.
 */

/** Records per PutRecordBatch call: Firehose's maximum. */
export const BATCH_RECORDS = 500;
export const RECORD_BYTES = 200;

/** Record `n`: `{"n":…,"device":"sensor-…","t":…,"pad":"xx…"}` and a newline, RECORD_BYTES bytes in all. */
export function benchRecord(n: number): Buffer {
  const head = `{"n":${n},"device":"sensor-${n % 97}","t":${1_700_000_000 + n},"pad":"`;
  const record = Buffer.from(`${head}${'x'.repeat(RECORD_BYTES - head.length - 3)}"}\n`);
  if (record.length !== RECORD_BYTES) throw new Error(`record ${n} is ${record.length} bytes, not ${RECORD_BYTES}`);
  return record;
}

/** Records `first` … `first + count − 1`. */
export function benchRecords(first: number, count = BATCH_RECORDS): Buffer[] {
  return Array.from({ length: count }, (_, i) => benchRecord(first + i));
}

/** The JSON body of a PutRecordBatch of `records` into `stream`. */
export function putRecordBatchBody(stream: string, records: readonly Buffer[]): string {
  return JSON.stringify({ DeliveryStreamName: stream, Records: records.map((record) => ({ Data: record.toString('base64') })) });
}

/** Megabytes (10^6 bytes) per second of `records` records of RECORD_BYTES in `ms` milliseconds, and records/s. */
export function rateOf(records: number, ms: number): { recordsPerSec: number; mbPerSec: number } {
  if (ms <= 0) return { recordsPerSec: 0, mbPerSec: 0 };
  return { recordsPerSec: Math.round((records * 1000) / ms), mbPerSec: Math.round((records * RECORD_BYTES) / ms / 100) / 10 };
}

/** A counter's value for one stream in Prometheus text (`name{stream="s"} 123`), 0 when absent. */
export function streamCounter(metricsText: string, name: string, stream: string): number {
  const prefix = `${name}{stream="${stream}"} `;
  for (const line of metricsText.split('\n')) {
    if (line.startsWith(prefix)) return Number(line.slice(prefix.length));
  }
  return 0;
}
