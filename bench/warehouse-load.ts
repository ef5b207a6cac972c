/**
 * @module bench/warehouse-load — load throughput of the warehouse: 200-byte JSON records (the Firehose
 * bench's records) split into objects and loaded by `loadDocuments` into a file-backed DuckDB, one
 * transaction per batch, for inferred and declared columns and two batch sizes (1 MiB, and Firehose's
 * default 5 MiB buffer). Records/s counts from the raw record buffers to the committed batch.
 *
 * Run: `npm run build && node dist/bench/warehouse-load.js [records]` (default 200000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../src/core/logger.js';
import { createWarehouse, loadDocuments, splitJsonRecords, type LoadTarget } from '../src/streams/warehouse/index.js';
import { parseColumns } from '../src/streams/warehouse/schema.js';

const TOTAL = Number(process.argv[2] ?? 200_000);

function record(n: number): Buffer {
  const head = `{"n":${n},"device":"sensor-${n % 97}","t":${1_700_000_000 + n},"pad":"`;
  return Buffer.from(`${head}${'x'.repeat(200 - head.length - 3)}"}\n`);
}

async function run(label: string, target: LoadTarget, batch: number): Promise<string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hako-bench-warehouse-'));
  const warehouse = createWarehouse({ dataDir, filesRoot: path.join(dataDir, 'buckets'), inMemory: false, logger: silentLogger() });
  try {
    const records = Array.from({ length: TOTAL }, (_, n) => record(n));
    await warehouse.write(async (connection) => void (await connection.run('SELECT 1'))); // open outside the timing
    const started = performance.now();
    for (let from = 0; from < TOTAL; from += batch) {
      const documents = splitJsonRecords(records.slice(from, from + batch));
      await warehouse.write((connection) => loadDocuments(connection, target, documents));
    }
    const seconds = (performance.now() - started) / 1000;
    return `| ${label} | ${batch} | ${Math.round(TOTAL / seconds).toLocaleString('en')} | ${((TOTAL * 200) / 1e6 / seconds).toFixed(1)} |`;
  } finally {
    await warehouse.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const inferred: LoadTarget = { table: { schema: 'main', table: 'inferred' } };
const declared: LoadTarget = { table: { schema: 'main', table: 'declared' }, declared: parseColumns('n BIGINT, device VARCHAR, t BIGINT, pad VARCHAR') };
const lines = ['| columns | records per load | records/s | MB/s |', '| --- | --- | --- | --- |'];
for (const [label, target] of [['inferred', inferred], ['declared', declared]] as const) {
  for (const batch of [5_000, 25_000]) lines.push(await run(label, target, batch));
}
process.stdout.write(`${TOTAL} records of 200 bytes\n${lines.join('\n')}\n`);
