/**
 * @module test/streams/delivery/pipeline.test — the delivery pipeline's record processing: a batch converted for
 * Parquet gives the event loop back as it goes (a converting stream's batch holds hundreds of thousands of records,
 * seconds of work, which once held up every request and MQTT packet of hako until it was done).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../../src/core/logger.js';
import type { BufferedChunk } from '../../../src/streams/delivery/buffer-store.js';
import type { TableCatalog } from '../../../src/streams/delivery/catalog.js';
import type { FolderDestination } from '../../../src/streams/delivery/config.js';
import { processorFor } from '../../../src/streams/delivery/pipeline.js';
import { destinationPrefixes } from '../../../src/streams/delivery/prefix.js';

const RECORDS = 10_240;

test('converting a batch for Parquet yields to the event loop every 1,024 records, and still converts every record in order', async () => {
  const destination: FolderDestination = {
    kind: 'folder',
    extended: true,
    roleArn: 'arn:aws:iam::000000000000:role/firehose',
    bucketArn: 'arn:aws:s3:::lake',
    bufferingHints: { sizeInMBs: 128, intervalInSeconds: 60 },
    compression: 'UNCOMPRESSED',
    formatConversion: {
      enabled: true,
      deserializer: { kind: 'OpenXJsonSerDe', caseInsensitive: true, convertDotsInJsonKeysToUnderscores: false, columnToJsonKeyMappings: {} },
      compression: 'SNAPPY',
      parquetOptions: {},
      schema: { databaseName: 'lake', tableName: 'events' },
    },
  };
  // No table file: the schema is inferred. Answered at once, so nothing but the conversion's own yields lets a turn pass.
  const catalog = { columnsOf: async () => undefined } as unknown as TableCatalog;
  const processor = processorFor(destination, destinationPrefixes(undefined, undefined), {
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/events',
    region: 'us-east-1',
    account: '000000000000',
    logger: silentLogger(),
    catalog,
    checkKey: () => undefined,
  });
  const records = Array.from({ length: RECORDS }, (_, n) => Buffer.from(`{"N":${n},"Room":"r${n % 5}"}`));
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
  assert.ok(turns >= RECORDS / 1024 - 1, `${turns} turns of the event loop passed while ${RECORDS} records converted`);
  const rows = processed.groups[0]?.records ?? [];
  assert.equal(rows.length, RECORDS);
  assert.deepEqual([rows[0]?.toString(), rows[RECORDS - 1]?.toString().trim()], ['{"n":0,"room":"r0"}\n', `{"n":${RECORDS - 1},"room":"r${(RECORDS - 1) % 5}"}`]);
});
