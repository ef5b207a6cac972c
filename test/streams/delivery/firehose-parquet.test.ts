/**
 * @module test/streams/delivery/firehose-parquet.test — JSON → Parquet record format conversion end to
 * end through `@aws-sdk/client-firehose`: objects named `….parquet`, read back with DuckDB's read_parquet
 * holding every record (the schema inferred from the records, or declared in the catalog folder, the
 * Glue stand-in), the serializer's compression, conversion combined with dynamic partitioning, and the
 * records that cannot be converted in `format-conversion-failed/` with AWS's error record. Deliveries are
 * waited for with `flush`; the clock is frozen.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DescribeDeliveryStreamCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { DuckDBInstance } from '@duckdb/node-api';
import { createFolderStream, readObjects, startFirehoseHako, TestClock, type FirehoseHako } from './helpers.js';
import { errorLines, readParquet } from './feature-helpers.js';

const T0 = Math.floor(Date.now() / 3600_000) * 3600_000 - 1000;
const iso = new Date(T0).toISOString();
const HOUR = `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}/`;
const STAMP = `${iso.slice(0, 4)}-${iso.slice(5, 7)}-${iso.slice(8, 10)}-${iso.slice(11, 13)}-59-59`;
const ERRORS = 'errors/!{firehose:error-output-type}/';

let h: FirehoseHako;
before(async () => {
  const clock = new TestClock();
  clock.freeze(T0);
  h = await startFirehoseHako({ clock });
});
after(async () => h.close());

const conversion = (table: string, serde: Record<string, unknown> = { OpenXJsonSerDe: {} }, compression: 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED' = 'SNAPPY') => ({
  Enabled: true,
  SchemaConfiguration: { DatabaseName: 'lake', TableName: table, RoleARN: 'arn:aws:iam::000000000000:role/glue' },
  InputFormatConfiguration: { Deserializer: serde },
  OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: compression } } },
});
async function putAll(stream: string, texts: string[]): Promise<void> {
  for (let i = 0; i < texts.length; i += 500) {
    const out = await h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: texts.slice(i, i + 500).map((text) => ({ Data: Buffer.from(text) })) }));
    assert.equal(out.FailedPutCount, 0);
  }
}
const fileOf = (bucket: string, key: string): string => path.join(h.bucketDir(bucket), ...key.split('/'));

describe('Firehose record format conversion to Parquet', () => {
  it('schema inferred from the records: one .parquet object holding all 2,000 records (and both objects of an aggregated one); the two that are not JSON objects go to format-conversion-failed/', async () => {
    await createFolderStream(h.firehose, 'to-parquet', { BucketARN: 'arn:aws:s3:::to-parquet', Prefix: 'parquet/', ErrorOutputPrefix: ERRORS, DataFormatConversionConfiguration: conversion('events') });
    const described = (await h.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'to-parquet' }))).DeliveryStreamDescription?.Destinations?.[0]?.ExtendedS3DestinationDescription;
    assert.equal(described?.BufferingHints?.SizeInMBs, 128, 'Firehose\'s buffer size for converting streams');
    const texts = Array.from({ length: 2000 }, (_, n) => `${JSON.stringify({ n, Device: `sensor-${n % 7}`, reading: n / 4, ok: n % 2 === 0, nested: { level: n % 3 } })}\n`);
    // One record holding two objects (aggregated, as Firehose allows for conversion): two rows.
    const aggregated = `{"n":2000,"Device":"x","reading":0,"ok":true,"nested":{"level":0}} {"n":2001,"Device":"y","reading":0,"ok":true,"nested":{"level":0}}`;
    await putAll('to-parquet', [...texts.slice(0, 1000), 'not json', ...texts.slice(1000), '[{"n":-1}]', aggregated]);
    await h.hako.delivery.flush('to-parquet');

    const objects = readObjects(h.bucketDir('to-parquet'));
    const data = objects.filter((o) => o.key.startsWith('parquet/'));
    assert.equal(data.length, 1);
    assert.match(data[0]?.key ?? '', new RegExp(`^parquet/${HOUR}to-parquet-1-${STAMP}-[0-9a-f-]{36}\\.parquet$`));
    assert.equal(data[0]?.body.subarray(0, 4).toString(), 'PAR1');
    const { rows, columns } = await readParquet(fileOf('to-parquet', data[0]?.key ?? ''));
    assert.deepEqual(columns, ['n BIGINT', 'device VARCHAR', 'reading DOUBLE', 'ok BOOLEAN', 'nested STRUCT("level" BIGINT)'], 'OpenX lower-cases keys by default');
    assert.equal(rows.length, 2002);
    assert.deepEqual(rows.map((row) => Number(row.n)).sort((a, b) => a - b), Array.from({ length: 2002 }, (_, n) => n), 'every record once');
    const row7 = rows.find((row) => Number(row.n) === 7);
    assert.deepEqual(row7, { n: '7', device: 'sensor-0', reading: 1.75, ok: false, nested: { level: '1' } });

    const failed = objects.filter((o) => o.key.startsWith('errors/'));
    assert.equal(failed.length, 1);
    assert.match(failed[0]?.key ?? '', /^errors\/format-conversion-failed\/to-parquet-1-[-\d]+-[0-9a-f-]{36}$/, 'error output is plain JSON lines, not Parquet');
    const lines = errorLines(failed[0]?.body ?? Buffer.alloc(0));
    assert.deepEqual(lines.map((line) => Buffer.from(String(line.rawData), 'base64').toString()), ['not json', '[{"n":-1}]']);
    for (const line of lines) {
      assert.deepEqual(Object.keys(line), ['attemptsMade', 'arrivalTimestamp', 'lastErrorCode', 'lastErrorMessage', 'attemptEndingTimestamp', 'rawData', 'dataCatalogTable']);
      assert.deepEqual([line.attemptsMade, line.arrivalTimestamp, line.lastErrorCode, line.attemptEndingTimestamp], [1, T0, 'DataFormatConversion.ParseError', T0]);
      assert.deepEqual(line.dataCatalogTable, { catalogId: '000000000000', databaseName: 'lake', tableName: 'events', region: 'us-east-1', versionId: 'LATEST', catalogArn: 'arn:aws:glue:us-east-1:000000000000:catalog' });
    }
  });

  it('declared columns (a table file in the catalog folder), GZIP, partitioned by device: typed columns, extra keys dropped, a value that does not fit fails its record', async () => {
    mkdirSync(path.join(h.dataDir, 'catalog', 'lake'), { recursive: true });
    writeFileSync(path.join(h.dataDir, 'catalog', 'lake', 'readings.json'), JSON.stringify({ Columns: [{ Name: 'device', Type: 'string' }, { Name: 'value', Type: 'double' }, { Name: 'at', Type: 'timestamp' }, { Name: 'tags', Type: 'array<string>' }] }));
    await createFolderStream(h.firehose, 'typed', {
      BucketARN: 'arn:aws:s3:::typed',
      Prefix: 'device=!{partitionKeyFromQuery:device}/',
      ErrorOutputPrefix: ERRORS,
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 300 },
      DynamicPartitioningConfiguration: { Enabled: true },
      ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'MetadataExtraction', Parameters: [{ ParameterName: 'MetadataExtractionQuery', ParameterValue: '{device:.device}' }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }] }] },
      DataFormatConversionConfiguration: conversion('readings', { OpenXJsonSerDe: { CaseInsensitive: true } }, 'GZIP'),
    });
    await putAll('typed', [
      '{"device":"pump","value":1.5,"at":1518033528,"extra":"dropped"}',
      '{"device":"valve","value":"2","at":"2017-02-07T15:13:01.39256Z","tags":["a","b"]}',
      '{"device":"pump","value":"high","at":1518033528}',
      '{"device":"pump","value":3,"at":1518033528123}',
      '{"device":"pump","value":4}',
    ]);
    await h.hako.delivery.flush('typed');

    const objects = readObjects(h.bucketDir('typed'));
    const pump = objects.find((o) => o.key.startsWith('device=pump/'));
    const valve = objects.find((o) => o.key.startsWith('device=valve/'));
    assert.match(pump?.key ?? '', /^device=pump\/typed-1-[-\d]+-[0-9a-f-]{36}\.parquet$/);
    const pumpFile = await readParquet(fileOf('typed', pump?.key ?? ''));
    assert.deepEqual(pumpFile.columns, ['device VARCHAR', 'value DOUBLE', 'at TIMESTAMP', 'tags VARCHAR[]']);
    assert.deepEqual(pumpFile.rows, [
      { device: 'pump', value: 1.5, at: '2018-02-07 19:58:48', tags: null },
      { device: 'pump', value: 3, at: '2018-02-07 19:58:48.123', tags: null },
      { device: 'pump', value: 4, at: null, tags: null },
    ]);
    assert.deepEqual((await readParquet(fileOf('typed', valve?.key ?? ''))).rows, [{ device: 'valve', value: 2, at: '2017-02-07 15:13:01.39256', tags: ['a', 'b'] }]);

    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const codecs = (await connection.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata('${fileOf('typed', pump?.key ?? '')}')`)).getRowObjectsJson();
    connection.closeSync();
    instance.closeSync();
    assert.deepEqual(codecs, [{ compression: 'GZIP' }]);

    const lines = errorLines(objects.find((o) => o.key.startsWith('errors/format-conversion-failed/'))?.body ?? Buffer.alloc(0));
    assert.deepEqual(lines.map((line) => [line.lastErrorCode, Buffer.from(String(line.rawData), 'base64').toString()]), [['DataFormatConversion.MalformedData', '{"device":"pump","value":"high","at":1518033528}']]);
    assert.match(String(lines[0]?.lastErrorMessage), /column 'value': "high" is not a double/);
  });
});
