/**
 * @module test/streams/delivery/pipeline.test — the delivery pipeline's record processing gives the event loop back
 * as it goes: a converting or partitioning stream's batch holds hundreds of thousands of records, a second or two of
 * work, which once held up every request and MQTT packet of hako until it was done. Each case counts the turns of the
 * event loop that pass while 10,240 records are processed (none did before), and checks every record came through.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../../src/core/logger.js';
import type { BufferedChunk } from '../../../src/streams/delivery/buffer-store.js';
import type { TableCatalog } from '../../../src/streams/delivery/catalog.js';
import type { FolderDestination } from '../../../src/streams/delivery/config.js';
import { processorFor } from '../../../src/streams/delivery/pipeline.js';
import type { ProcessedRecords } from '../../../src/streams/delivery/processor.js';
import { destinationPrefixes } from '../../../src/streams/delivery/prefix.js';

const RECORDS = 10_240;
const BASE: FolderDestination = {
  kind: 'folder',
  extended: true,
  roleArn: 'arn:aws:iam::000000000000:role/firehose',
  bucketArn: 'arn:aws:s3:::lake',
  bufferingHints: { sizeInMBs: 128, intervalInSeconds: 60 },
  compression: 'UNCOMPRESSED',
};

/** Processes one chunk of RECORDS records; resolves with the result and how many turns of the event loop passed. */
async function processCounting(destination: FolderDestination, prefix?: string, recordOf: (n: number) => string = (n) => `{"N":${n},"Room":"r${n % 5}"}`): Promise<{ processed: ProcessedRecords; turns: number }> {
  // No table file (an inferred schema), answered at once: nothing but the pipeline's own yields lets a turn pass.
  const catalog = { columnsOf: async () => undefined } as unknown as TableCatalog;
  const processor = processorFor(destination, destinationPrefixes(prefix, 'errors/!{firehose:error-output-type}/'), {
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/events',
    region: 'us-east-1',
    account: '000000000000',
    logger: silentLogger(),
    catalog,
    checkKey: () => undefined,
  });
  const records = Array.from({ length: RECORDS }, (_, n) => Buffer.from(recordOf(n)));
  const chunk: BufferedChunk = { stream: 'events', seq: 1, arrivalMs: 0, count: RECORDS, bytes: 0, data: Buffer.concat(records), lengths: records.map((record) => record.length) };
  let turns = 0;
  let done = false;
  const turn = (): void => {
    turns++;
    if (!done) setImmediate(turn);
  };
  setImmediate(turn);
  const processed = await processor.process([chunk]);
  done = true;
  return { processed, turns };
}

const TO_PARQUET: FolderDestination['formatConversion'] = {
  enabled: true,
  deserializer: { kind: 'OpenXJsonSerDe', caseInsensitive: true, convertDotsInJsonKeysToUnderscores: false, columnToJsonKeyMappings: {} },
  compression: 'SNAPPY',
  parquetOptions: {},
  schema: { databaseName: 'lake', tableName: 'events' },
};
const BY_ROOM: Pick<FolderDestination, 'dynamicPartitioning' | 'processing'> = {
  dynamicPartitioning: { enabled: true, retryDurationInSeconds: 300 },
  processing: { enabled: true, processors: [{ type: 'MetadataExtraction', query: '{room: .Room}', jsonParsingEngine: 'JQ-1.6' }] },
};

test('converting a batch for Parquet yields every 1,024 records, and converts every record in order', async () => {
  const { processed, turns } = await processCounting({ ...BASE, formatConversion: TO_PARQUET });
  assert.ok(turns >= RECORDS / 1024 - 1, `${turns} turns of the event loop passed while ${RECORDS} records converted`);
  const rows = processed.groups[0]?.records ?? [];
  assert.equal(rows.length, RECORDS);
  assert.deepEqual([rows[0]?.toString(), rows[RECORDS - 1]?.toString().trim()], ['{"n":0,"room":"r0"}\n', `{"n":${RECORDS - 1},"room":"r${(RECORDS - 1) % 5}"}`]);
});

test('partitioning a batch by a query yields every 1,024 records, and puts every record in its partition', async () => {
  const { processed, turns } = await processCounting({ ...BASE, ...BY_ROOM }, 'by-room/!{partitionKeyFromQuery:room}/');
  assert.ok(turns >= RECORDS / 1024 - 1, `${turns} turns of the event loop passed while ${RECORDS} records were partitioned`);
  const byRoom = Object.fromEntries(processed.groups.map((group) => [group.partitionKeys?.query['room'], group.count]));
  assert.deepEqual(byRoom, { r0: RECORDS / 5, r1: RECORDS / 5, r2: RECORDS / 5, r3: RECORDS / 5, r4: RECORDS / 5 });
  assert.deepEqual(processed.failed, []);
});

test('partitioned 500 ways, then converted: the conversion still yields every 1,024 records, counted across the small groups', async () => {
  const { processed, turns } = await processCounting({ ...BASE, ...BY_ROOM, formatConversion: TO_PARQUET }, 'by-room/!{partitionKeyFromQuery:room}/', (n) => `{"N":${n},"Room":"r${n % 500}"}`);
  // Partitioning gives ~9 turns; each of the 500 groups (~20 records) alone would never reach a turn of its own.
  assert.ok(turns >= 2 * (RECORDS / 1024 - 1), `${turns} turns of the event loop passed while ${RECORDS} records were partitioned and converted`);
  assert.equal(processed.groups.length, 500);
  assert.equal(processed.groups.reduce((sum, group) => sum + group.count, 0), RECORDS);
  assert.deepEqual(processed.failed, []);
});
