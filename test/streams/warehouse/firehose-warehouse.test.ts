/**
 * @module test/streams/warehouse/firehose-warehouse.test — delivery streams with a Redshift-shaped
 * destination loading into hako's warehouse, through a real `@aws-sdk/client-firehose` (SigV4): 100,000
 * 200-byte JSON records put with PutRecordBatch land in the table, none lost or duplicated, buffered by
 * size and by time (a frozen clock moved by the test; `delivery.tick` instead of waiting); records that
 * cannot load go to the error output of the S3Configuration's bucket; CreateDeliveryStream's checks and
 * DescribeDeliveryStream's RedshiftDestinationDescription; the warehouse file exists only once used.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand, PutRecordBatchCommand, type RedshiftDestinationConfiguration } from '@aws-sdk/client-firehose';
import { runQuery } from '../../../src/streams/warehouse/index.js';
import { jsonRecord, readObjects, startFirehoseHako, TestClock, type FirehoseHako } from '../delivery/helpers.js';
import { createWarehouseStream, delivered, putAll, redshift } from './firehose-helpers.js';

const TOTAL = 100_000;
const T0 = Math.floor(Date.now() / 3600_000) * 3600_000 - 1000;

async function scalar(h: FirehoseHako, sql: string): Promise<unknown[]> {
  return (await runQuery(h.hako.warehouse, sql)).rows[0] as unknown[];
}

test('by size: 100,000 records in 1 MiB loads, the tail by time; each record once', async () => {
  const clock = new TestClock();
  clock.freeze(T0);
  const h = await startFirehoseHako({ clock });
  try {
    assert.equal(existsSync(path.join(h.dataDir, 'warehouse.duckdb')), false, 'not opened before first use');
    await createWarehouseStream(h.firehose, 'to-table', redshift('readings', {}, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } }));
    // 500 records of 200 bytes a call: ten calls fit in 1 MiB, so a load holds 5,000 records.
    const bySize = delivered(h.hako.delivery, 'to-table', 95_000);
    await putAll(h.firehose, 'to-table', jsonRecord, TOTAL);
    assert.equal(await bySize, 19);
    assert.deepEqual(await scalar(h, 'SELECT count(*) FROM readings'), ['95000']);
    clock.advance(899_000);
    h.hako.delivery.tick();
    assert.deepEqual(await scalar(h, 'SELECT count(*) FROM readings'), ['95000'], 'the tail waits for the interval');
    const tail = delivered(h.hako.delivery, 'to-table', 5_000);
    clock.advance(1_000);
    h.hako.delivery.tick();
    await tail;
    assert.deepEqual(await scalar(h, 'SELECT count(*), count(DISTINCT n), min(n), max(n), count(DISTINCT device) FROM readings'), ['100000', '100000', '0', '99999', '97']);
    assert.deepEqual(readObjects(h.bucketDir('staging')), [], 'no error output');
  } finally {
    await h.close();
  }
});

test('by time: 100,000 records in one load once the interval has passed, into declared columns', async () => {
  const clock = new TestClock();
  clock.freeze(T0);
  const h = await startFirehoseHako({ clock });
  try {
    await createWarehouseStream(h.firehose, 'timed', redshift('analytics.readings', { CopyCommand: { DataTableName: 'analytics.readings', DataTableColumns: 'n BIGINT, device' } }, { BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 60 } }));
    await putAll(h.firehose, 'timed', jsonRecord, TOTAL);
    clock.advance(59_999);
    h.hako.delivery.tick();
    await h.hako.delivery.idle();
    assert.deepEqual(await scalar(h, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'readings'"), ['0'], 'nothing loaded before the interval');
    const all = delivered(h.hako.delivery, 'timed', TOTAL);
    clock.advance(1);
    h.hako.delivery.tick();
    assert.equal(await all, 1, 'one load');
    assert.deepEqual(await scalar(h, 'SELECT count(*), count(DISTINCT n), sum(n) FROM analytics.readings'), ['100000', '100000', String((TOTAL * (TOTAL - 1)) / 2)]);
    const columns = await runQuery(h.hako.warehouse, "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'readings'");
    assert.deepEqual(columns.rows, [['n', 'BIGINT'], ['device', 'VARCHAR']], 'the undeclared pad key is not loaded');
  } finally {
    await h.close();
  }
});

test('records that cannot load go to the S3Configuration bucket as error output; the rest load', async () => {
  const clock = new TestClock();
  clock.freeze(T0);
  const h = await startFirehoseHako({ clock });
  try {
    await createWarehouseStream(h.firehose, 'mixed', redshift('typed', { CopyCommand: { DataTableName: 'typed', DataTableColumns: 'id INTEGER, at TIMESTAMP' } }, { ErrorOutputPrefix: 'failed/!{firehose:error-output-type}/' }));
    const records = ['{"id":1,"at":"2024-05-06T07:08:09Z"}\n', 'not json\n', '{"id":"two"}\n', '{"id":3}\n{"id":4}\n'];
    await h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'mixed', Records: records.map((record) => ({ Data: Buffer.from(record) })) }));
    await h.hako.delivery.flush('mixed');
    assert.deepEqual((await runQuery(h.hako.warehouse, 'SELECT id, "at" FROM typed ORDER BY id')).rows, [[1, '2024-05-06 07:08:09'], [3, null], [4, null]]);
    const objects = readObjects(h.bucketDir('staging'));
    assert.equal(objects.length, 1);
    assert.match(objects[0]?.key ?? '', /^failed\/warehouse-failed\/mixed-1-/);
    const lines = (objects[0]?.body.toString('utf8') ?? '').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(lines.map((line) => [line.errorCode, Buffer.from(String(line.rawData), 'base64').toString('utf8'), line.arrivalTimestamp, line.attemptsMade]), [
      ['Redshift.DataLoadFailed', 'not json\n', T0, 1],
      ['Redshift.DataLoadFailed', '{"id":"two"}\n', T0, 1],
    ]);
    assert.match(String(lines[0]?.errorMessage), /^expected a JSON object at byte 0/);
    assert.equal(lines[1]?.errorMessage, "key 'id': the value two does not fit column id (INTEGER)");
  } finally {
    await h.close();
  }
});

test('CreateDeliveryStream checks the Redshift configuration; DescribeDeliveryStream describes it', async () => {
  const h = await startFirehoseHako();
  try {
    await createWarehouseStream(h.firehose, 'described', redshift('events', { CopyCommand: { DataTableName: 'events', DataTableColumns: 'id BIGINT, note', CopyOptions: "FORMAT AS JSON 'auto' GZIP" }, RetryOptions: { DurationInSeconds: 600 } }));
    const described = await h.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'described' }));
    const destination = described.DeliveryStreamDescription?.Destinations?.[0];
    assert.deepEqual(destination?.RedshiftDestinationDescription, {
      RoleARN: 'arn:aws:iam::000000000000:role/firehose',
      ClusterJDBCURL: 'jdbc:hako:warehouse',
      CopyCommand: { DataTableName: 'events', DataTableColumns: 'id BIGINT, note', CopyOptions: "FORMAT AS JSON 'auto' GZIP" },
      Username: 'loader',
      RetryOptions: { DurationInSeconds: 600 },
      S3DestinationDescription: {
        RoleARN: 'arn:aws:iam::000000000000:role/firehose',
        BucketARN: 'arn:aws:s3:::staging',
        BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
        CompressionFormat: 'UNCOMPRESSED',
        EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
        CloudWatchLoggingOptions: { Enabled: false },
      },
      S3BackupMode: 'Disabled',
      CloudWatchLoggingOptions: { Enabled: false },
    });
    assert.equal(destination?.ExtendedS3DestinationDescription, undefined);

    const refusals: Array<[RedshiftDestinationConfiguration, RegExp]> = [
      [redshift('t', { ClusterJDBCURL: 'jdbc:redshift://c.abc.us-east-1.redshift.amazonaws.com:5439/dev' }), /is not a warehouse hako can load: use jdbc:hako:warehouse .* or jdbc:postgresql:\/\/host\[:port\]\/database/],
      [redshift('bad-name'), /DataTableName 'bad-name' must be a table name or schema\.table/],
      [redshift('t', { CopyCommand: { DataTableName: 't', CopyOptions: "CSV DELIMITER ','" } }), /CSV is not supported by hako/],
      [redshift('t', { CopyCommand: { DataTableName: 't', DataTableColumns: 'id BIGNUMBER' } }), /DataTableColumns 'id BIGNUMBER': the type 'BIGNUMBER' of column id is not a DuckDB type/],
      [redshift('t', { CopyCommand: { DataTableName: 't', DataTableColumns: 'id, ID' } }), /names column ID twice/],
      [redshift('t', {}, { Prefix: 'x/!{timestamp:yyyy}/' }), /cannot use expressions for a Redshift destination/],
      [redshift('t', { S3BackupMode: 'Enabled' }), /S3BackupMode Enabled is not supported by hako yet/],
    ];
    for (const [config, message] of refusals) {
      await assert.rejects(createWarehouseStream(h.firehose, 'refused', config), (error: Error) => {
        assert.equal(error.name, 'InvalidArgumentException', error.message);
        assert.match(error.message, message);
        return true;
      });
    }
    await assert.rejects(
      h.firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'both', RedshiftDestinationConfiguration: redshift('t'), ExtendedS3DestinationConfiguration: { RoleARN: 'arn:aws:iam::000000000000:role/r', BucketARN: 'arn:aws:s3:::b' } })),
      /Only one destination configuration can be specified/,
    );
  } finally {
    await h.close();
  }
});

test('a stop loads what is buffered; the table is there after a restart', async () => {
  const clock = new TestClock();
  clock.freeze(T0);
  const first = await startFirehoseHako({ clock });
  const dataDir = first.dataDir;
  await createWarehouseStream(first.firehose, 'kept', redshift('kept', {}, { BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 300 } }));
  await putAll(first.firehose, 'kept', jsonRecord, 2_000);
  await first.stop();
  const second = await startFirehoseHako({ dataDir, clock });
  try {
    assert.deepEqual(await scalar(second, 'SELECT count(*), count(DISTINCT n) FROM kept'), ['2000', '2000']);
  } finally {
    await second.close();
  }
});
