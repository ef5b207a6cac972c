/**
 * @module test/streams/warehouse/firehose-postgres.test — delivery streams whose
 * RedshiftDestinationConfiguration names a PostgreSQL server (`jdbc:postgresql://…`), through a real
 * `@aws-sdk/client-firehose` and a real PostgreSQL (one server for this file, `test/helpers/postgres.ts`):
 * 10,000 records land exactly once, buffered by size and by time (a frozen clock moved by the test), into
 * inferred and declared columns; DescribeDeliveryStream never shows the password, which the stored stream
 * keeps across a restart; a wrong password and a stopped server are retried (logged once) until the
 * records land, or, past RetryOptions.DurationInSeconds, go to the error output with Firehose's error code; deleting the stream and stopping hako end its connections; CreateDeliveryStream refuses
 * URLs, names and types PostgreSQL cannot take, without connecting.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeleteDeliveryStreamCommand, DescribeDeliveryStreamCommand, PutRecordBatchCommand, type RedshiftDestinationConfiguration } from '@aws-sdk/client-firehose';
import { captureLog } from '../../helpers/log-capture.js';
import { postgresForFile } from '../../helpers/postgres.js';
import { jsonRecord, readObjects, startFirehoseHako, TestClock, type FirehoseHako } from '../delivery/helpers.js';
import { createWarehouseStream, delivered, putAll, redshift, type S3Configuration } from './firehose-helpers.js';

const TOTAL = 10_000;
const T0 = Math.floor(Date.now() / 3600_000) * 3600_000 - 1000;
const DATABASE = 'lake';
const PASSWORD = 'loader-pw';

const server = postgresForFile(async (started) => {
  await started.query(`CREATE ROLE loader LOGIN PASSWORD '${PASSWORD}'`);
  await started.query(`CREATE DATABASE ${DATABASE} OWNER loader`);
});

/** A configuration loading `table` of the test server's database as `loader`. */
function toPostgres(table: string, extra: Partial<RedshiftDestinationConfiguration> = {}, s3: Partial<S3Configuration> = {}): RedshiftDestinationConfiguration {
  return redshift(table, { ClusterJDBCURL: server().jdbcUrl(DATABASE), Username: 'loader', Password: PASSWORD, ...extra }, s3);
}

function rows(sql: string): Promise<Array<Record<string, unknown>>> {
  return server().query(sql, [], DATABASE);
}

async function columnsOf(table: string): Promise<string[]> {
  const found = await rows(`SELECT attname || ' ' || format_type(atttypid, atttypmod) AS c FROM pg_attribute WHERE attrelid = to_regclass('${table}') AND attnum > 0 AND NOT attisdropped ORDER BY attnum`);
  return found.map((row) => String(row.c));
}

/** hako's connections to the test database. */
async function hakoConnections(): Promise<number> {
  const [row] = await server().query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'hako' AND datname = $1", [DATABASE]);
  return row?.n ?? -1;
}

async function frozenHako(logger?: ReturnType<typeof captureLog>['logger']): Promise<FirehoseHako> {
  const clock = new TestClock();
  clock.freeze(T0);
  return startFirehoseHako({ clock, ...(logger === undefined ? {} : { logger }) });
}

test('by size, then by time: 10,000 records land in PostgreSQL once each, columns inferred', async () => {
  const h = await frozenHako();
  try {
    await createWarehouseStream(h.firehose, 'to-pg', toPostgres('readings', {}, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } }));
    // 500 records of 200 bytes a call: ten calls fit in 1 MiB, so the load by size holds 5,000 records.
    const bySize = delivered(h.hako.delivery, 'to-pg', 5_000);
    await putAll(h.firehose, 'to-pg', jsonRecord, TOTAL);
    assert.equal(await bySize, 1);
    assert.deepEqual(await rows('SELECT count(*)::int AS n FROM readings'), [{ n: 5_000 }]);
    h.clock.advance(899_000);
    h.hako.delivery.tick();
    await h.hako.delivery.idle();
    assert.deepEqual(await rows('SELECT count(*)::int AS n FROM readings'), [{ n: 5_000 }], 'the tail waits for the interval');
    const tail = delivered(h.hako.delivery, 'to-pg', 5_000);
    h.clock.advance(1_000);
    h.hako.delivery.tick();
    assert.equal(await tail, 1);
    assert.deepEqual(await rows('SELECT count(*)::int AS n, count(DISTINCT n)::int AS d, min(n)::int AS lo, max(n)::int AS hi, count(DISTINCT device)::int AS devices FROM readings'), [
      { n: TOTAL, d: TOTAL, lo: 0, hi: TOTAL - 1, devices: 97 },
    ]);
    assert.deepEqual(await columnsOf('readings'), ['n bigint', 'device text', 'pad text']);
    assert.deepEqual(readObjects(h.bucketDir('staging')), [], 'no error output');
  } finally {
    await h.close();
  }
});

test('by time, declared columns: 10,000 records in one load once the interval has passed', async () => {
  const h = await frozenHako();
  try {
    const copy = { DataTableName: 'Analytics.Readings', DataTableColumns: 'n BIGINT, device VARCHAR(16), at TIMESTAMPTZ', CopyOptions: "JSON 'auto'" };
    await createWarehouseStream(h.firehose, 'timed', toPostgres('ignored', { CopyCommand: copy }, { BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 60 } }));
    await putAll(h.firehose, 'timed', jsonRecord, TOTAL);
    h.clock.advance(59_999);
    h.hako.delivery.tick();
    await h.hako.delivery.idle();
    assert.deepEqual(await rows("SELECT to_regclass('analytics.readings') IS NULL AS missing"), [{ missing: true }], 'nothing loaded before the interval');
    const all = delivered(h.hako.delivery, 'timed', TOTAL);
    h.clock.advance(1);
    h.hako.delivery.tick();
    assert.equal(await all, 1, 'one load');
    // Unquoted names fold to lower case, as in PostgreSQL and Redshift; the undeclared pad key is not loaded.
    assert.deepEqual(await columnsOf('analytics.readings'), ['n bigint', 'device character varying(16)', 'at timestamp with time zone']);
    assert.deepEqual(await rows('SELECT count(*)::int AS n, count(DISTINCT n)::int AS d, sum(n)::text AS total, count(at)::int AS ats FROM analytics.readings'), [
      { n: TOTAL, d: TOTAL, total: String((TOTAL * (TOTAL - 1)) / 2), ats: 0 },
    ]);
  } finally {
    await h.close();
  }
});

test('DescribeDeliveryStream shows the Username, never the Password; the stored stream keeps it across a restart', async () => {
  const first = await frozenHako();
  const dataDir = first.dataDir;
  let second: FirehoseHako | undefined;
  try {
    await createWarehouseStream(first.firehose, 'kept', toPostgres('kept', { RetryOptions: { DurationInSeconds: 60 } }, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 } }));
    const described = await first.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'kept' }));
    const destination = described.DeliveryStreamDescription?.Destinations?.[0]?.RedshiftDestinationDescription;
    assert.deepEqual(destination?.ClusterJDBCURL, server().jdbcUrl(DATABASE));
    assert.equal(destination?.Username, 'loader');
    assert.equal(destination !== undefined && 'Password' in destination, false);
    assert.equal(JSON.stringify(described).includes(PASSWORD), false, 'the password appears nowhere in the description');
    await first.stop();
    second = await startFirehoseHako({ dataDir, clock: first.clock });
    const landed = delivered(second.hako.delivery, 'kept', 3);
    await second.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'kept', Records: [0, 1, 2].map((n) => ({ Data: jsonRecord(n) })) }));
    await landed;
    assert.deepEqual(await rows('SELECT n FROM kept ORDER BY n'), [{ n: '0' }, { n: '1' }, { n: '2' }]);
  } finally {
    await second?.close();
    await first.close();
  }
});

test('a wrong password: the load is retried, logged once with what PostgreSQL said, and lands once the password is right', async () => {
  const log = captureLog();
  const h = await frozenHako(log.logger);
  try {
    await server().query("ALTER ROLE loader PASSWORD 'rotated'");
    await createWarehouseStream(h.firehose, 'locked-out', toPostgres('late', {}, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 } }));
    const landed = delivered(h.hako.delivery, 'locked-out', 500);
    await putAll(h.firehose, 'locked-out', jsonRecord, 500);
    const failed = await log.waitFor(/^delivery failed; retrying/);
    assert.match(String((failed.err as { message?: string }).message), new RegExp(`^cannot connect to PostgreSQL loader@127\\.0\\.0\\.1:${server().port}/${DATABASE} \\(table public\\.late\\): password authentication failed for user "loader" \\[SQLSTATE 28P01\\]$`));
    await server().query(`ALTER ROLE loader PASSWORD '${PASSWORD}'`);
    await landed;
    assert.deepEqual(await rows('SELECT count(*)::int AS n, count(DISTINCT n)::int AS d FROM late'), [{ n: 500, d: 500 }]);
    assert.equal(log.matching(/^delivery failed/).length, 1, 'the failure is logged once');
    assert.equal(log.matching(/^delivery of 500 record\(s\) succeeded after \d+ attempts$/).length, 1);
  } finally {
    await server().query(`ALTER ROLE loader PASSWORD '${PASSWORD}'`);
    await h.close();
  }
});

test('the server down: CreateDeliveryStream does not connect; the load is retried and lands once the server is back', async () => {
  const log = captureLog();
  const h = await frozenHako(log.logger);
  try {
    await server().stop();
    await createWarehouseStream(h.firehose, 'patient', toPostgres('patient', {}, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 } }));
    const landed = delivered(h.hako.delivery, 'patient', 500);
    await putAll(h.firehose, 'patient', jsonRecord, 500);
    const failed = await log.waitFor(/^delivery failed; retrying/);
    assert.match(String((failed.err as { message?: string }).message), new RegExp(`^cannot connect to PostgreSQL loader@127\\.0\\.0\\.1:${server().port}/${DATABASE} \\(table public\\.patient\\): connect ECONNREFUSED`));
    await server().start();
    await landed;
    assert.deepEqual(await rows('SELECT count(*)::int AS n, count(DISTINCT n)::int AS d FROM patient'), [{ n: 500, d: 500 }]);
    assert.equal(log.matching(/^delivery failed/).length, 1, 'the failure is logged once');
  } finally {
    if (!server().running) await server().start();
    await h.close();
  }
});

test('past RetryOptions.DurationInSeconds the records go to the error output, as put, with why; the stream goes on', async () => {
  const log = captureLog();
  const h = await frozenHako(log.logger);
  const errorOutput = { ErrorOutputPrefix: 'failed/!{firehose:error-output-type}/', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 } };
  try {
    await server().query("ALTER ROLE loader PASSWORD 'rotated'");
    // DurationInSeconds 0: Firehose does not retry at all.
    await createWarehouseStream(h.firehose, 'skipping', toPostgres('skipped', { RetryOptions: { DurationInSeconds: 0 } }, errorOutput));
    await h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'skipping', Records: [0, 1, 2].map((n) => ({ Data: jsonRecord(n) })) }));
    await log.waitFor(/^delivery failed for the whole retry duration: 3 record\(s\) written to the error output instead$/);
    await server().query(`ALTER ROLE loader PASSWORD '${PASSWORD}'`);
    await server().stop();
    await h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'skipping', Records: [{ Data: jsonRecord(3) }] }));
    await log.waitFor(/^delivery failed for the whole retry duration: 1 record\(s\) written to the error output instead$/);
    const objects = readObjects(h.bucketDir('staging'));
    assert.equal(objects.length, 2);
    const lines = objects.flatMap((object) => {
      assert.match(object.key, /^failed\/warehouse-failed\/skipping-1-/);
      return object.body.toString('utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    });
    // Both objects carry the frozen clock's time, so their keys sort by their random part: order the lines by record.
    const rawOf = (line: Record<string, unknown>): string => Buffer.from(String(line.rawData), 'base64').toString('utf8');
    lines.sort((a, b) => rawOf(a).localeCompare(rawOf(b)));
    const as = (code: string, n: number): unknown[] => [code, 1, jsonRecord(n).toString('utf8')];
    assert.deepEqual(lines.map((line) => [line.errorCode, line.attemptsMade, rawOf(line)]), [
      as('Redshift.AuthenticationFailed', 0),
      as('Redshift.AuthenticationFailed', 1),
      as('Redshift.AuthenticationFailed', 2),
      as('Redshift.ConnectionFailed', 3),
    ]);
    assert.match(String(lines[0]?.errorMessage), /^not delivered within the retry duration \(0 s, 1 attempt\(s\)\): cannot connect to PostgreSQL .*password authentication failed for user "loader" \[SQLSTATE 28P01\]$/);
    assert.match(String(lines[3]?.errorMessage), /^not delivered within the retry duration \(0 s, 1 attempt\(s\)\): cannot connect to PostgreSQL .*ECONNREFUSED/);
    await server().start();
    const landed = delivered(h.hako.delivery, 'skipping', 1);
    await h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'skipping', Records: [{ Data: jsonRecord(4) }] }));
    await landed;
    assert.deepEqual(await rows('SELECT n::int FROM skipped'), [{ n: 4 }]);
    assert.equal(log.matching(/^delivery failed; retrying/).length, 0, 'no retries announced: there are none');
  } finally {
    if (!server().running) await server().start();
    await server().query(`ALTER ROLE loader PASSWORD '${PASSWORD}'`);
    await h.close();
  }
});

test("DeleteDeliveryStream and a stop end the stream's PostgreSQL connections", async () => {
  const h = await frozenHako();
  try {
    for (const name of ['deleted', 'stopped']) {
      await createWarehouseStream(h.firehose, name, toPostgres(name, {}, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 } }));
      const landed = delivered(h.hako.delivery, name, 1);
      await h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: jsonRecord(1) }] }));
      await landed;
    }
    assert.equal(await hakoConnections(), 2, 'one idle connection kept by each stream');
    await h.firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'deleted' }));
    assert.equal(await hakoConnections(), 1);
    await h.stop();
    assert.equal(await hakoConnections(), 0);
  } finally {
    await h.close();
  }
});

test('CreateDeliveryStream refuses what PostgreSQL cannot take, with InvalidArgumentException, before connecting', async () => {
  const h = await frozenHako();
  try {
    const port = server().port;
    const url = (tail: string): Partial<RedshiftDestinationConfiguration> => ({ ClusterJDBCURL: `jdbc:postgresql://${tail}` });
    const refusals: Array<[Partial<RedshiftDestinationConfiguration>, RegExp]> = [
      [{ ClusterJDBCURL: 'jdbc:redshift://c.abc.us-east-1.redshift.amazonaws.com:5439/dev' }, /is not a warehouse hako can load: use jdbc:hako:warehouse .* or jdbc:postgresql:\/\/host\[:port\]\/database\[\?sslmode=…\] \(a table in a PostgreSQL server\)\.$/],
      [{ ClusterJDBCURL: `jdbc:mysql://127.0.0.1:${port}/${DATABASE}` }, /is not a warehouse hako can load/],
      [url(`127.0.0.1:${port}`), /is not a PostgreSQL URL hako can load \(jdbc:postgresql:\/\/host\[:port\]\/database\[\?sslmode=…\]\): the database is missing\.$/],
      [url(`loader:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`), /the user goes in Username and the password in Password, not in the URL/],
      [url(`127.0.0.1:${port}/${DATABASE}?sslmode=prefer`), /sslmode=prefer would fall back to plain text/],
      [url(`127.0.0.1:70000/${DATABASE}`), /the port '70000' is not 1 to 65535/],
      [{ Username: undefined }, /^Username is required to load into PostgreSQL/],
      [{ CopyCommand: { DataTableName: 't', DataTableColumns: 'id UBIGINT' } }, /^DataTableColumns 'id UBIGINT': the type 'UBIGINT' of column id cannot be a PostgreSQL column: PostgreSQL has no unsigned integers: declare DECIMAL\(20,0\)$/],
      [{ CopyCommand: { DataTableName: 't', DataTableColumns: 'id BIGINT, doc STRUCT(a INTEGER)' } }, /the type 'STRUCT\(a INTEGER\)' of column doc cannot be a PostgreSQL column: PostgreSQL has no STRUCT columns/],
      [{ CopyCommand: { DataTableName: 't', DataTableColumns: 'id BIGNUMBER' } }, /the type 'BIGNUMBER' of column id is not a type hako can load into PostgreSQL/],
      [{ CopyCommand: { DataTableName: `s.${'t'.repeat(64)}` } }, /a PostgreSQL name is at most 63 bytes/],
    ];
    for (const [extra, message] of refusals) {
      await assert.rejects(createWarehouseStream(h.firehose, 'refused', toPostgres('t', extra)), (error: Error) => {
        assert.equal(error.name, 'InvalidArgumentException', error.message);
        assert.match(error.message, message);
        return true;
      });
    }
    assert.equal(await hakoConnections(), 0, 'nothing connected');
  } finally {
    await h.close();
  }
});
