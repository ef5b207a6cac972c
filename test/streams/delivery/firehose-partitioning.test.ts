/**
 * @module test/streams/delivery/firehose-partitioning.test — dynamic partitioning end to end through
 * `@aws-sdk/client-firehose` (and `client-lambda` for the function): records land in one object per
 * partition under the prefix their keys make — keys from the inline jq query (MetadataExtraction), from
 * the transforming function's `metadata.partitionKeys`, or both — with AppendDelimiterToRecord adding the
 * newline; records without their keys go to `partitioning-failed/` (AWS's place for them). Deliveries are
 * waited for with `flush`; the clock is frozen.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { createFolderStream, readObjects, startFirehoseHako, TestClock, type FirehoseHako } from './helpers.js';
import { createFunction, errorLines, FUNCTION_ARN, parameters } from './feature-helpers.js';

const T0 = Math.floor(Date.now() / 3600_000) * 3600_000 - 1000;
const iso = new Date(T0).toISOString();
const STAMP = `${iso.slice(0, 4)}-${iso.slice(5, 7)}-${iso.slice(8, 10)}-${iso.slice(11, 13)}-59-59`;
const Y2023 = Date.UTC(2023, 5, 1) / 1000;
const Y2024 = Date.UTC(2024, 5, 1) / 1000;

let h: FirehoseHako;
before(async () => {
  const clock = new TestClock();
  clock.freeze(T0);
  h = await startFirehoseHako({ clock });
  // Keeps each record, adds `via`, and gives its `region` as a partition key (none when the record has none).
  await createFunction(h, 'keys', `
export const handler = async (event) => ({
  records: event.records.map((r) => {
    const record = JSON.parse(Buffer.from(r.data, 'base64').toString());
    return { recordId: r.recordId, result: 'Ok', data: Buffer.from(JSON.stringify({ ...record, via: 'lambda' }) + '\\n').toString('base64'), metadata: { partitionKeys: { region: record.region } } };
  }),
});`);
});
after(async () => h.close());

const put = async (stream: string, records: string[]): Promise<void> => {
  const out = await h.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: records.map((text) => ({ Data: Buffer.from(text) })) }));
  assert.equal(out.FailedPutCount, 0);
};
/** Objects by their prefix (the key without the object name), each as its lines. */
const byPrefix = (bucket: string): Record<string, string[]> =>
  Object.fromEntries(readObjects(h.bucketDir(bucket)).map((object) => [object.key.slice(0, object.key.lastIndexOf('/') + 1), object.body.toString().split('\n').filter((line) => line !== '')]));

describe('Firehose dynamic partitioning', () => {
  it('keys from the jq query: one object per customer and year, newline-delimited by AppendDelimiterToRecord; records without keys go to partitioning-failed/', async () => {
    await createFolderStream(h.firehose, 'by-customer', {
      BucketARN: 'arn:aws:s3:::by-customer',
      Prefix: 'customer_id=!{partitionKeyFromQuery:customer_id}/year=!{partitionKeyFromQuery:year}/',
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
      DynamicPartitioningConfiguration: { Enabled: true },
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          { Type: 'MetadataExtraction', Parameters: parameters({ MetadataExtractionQuery: '{customer_id:.customer_id, year:.ts|strftime("%Y")}', JsonParsingEngine: 'JQ-1.6' }) },
          { Type: 'AppendDelimiterToRecord', Parameters: [] },
        ],
      },
    });
    const records = [
      { customer_id: 'a', ts: Y2023, n: 1 }, { customer_id: 'b', ts: Y2024, n: 2 }, { customer_id: 'a', ts: Y2024, n: 3 },
      { customer_id: 'a', ts: Y2023, n: 4 }, { customer_id: 42, ts: Y2024, n: 5 }, { ts: Y2024, n: 6 },
    ].map((record) => JSON.stringify(record));
    await put('by-customer', [...records, 'not json']);
    await h.hako.delivery.flush('by-customer');

    const objects = readObjects(h.bucketDir('by-customer'));
    for (const object of objects.filter((o) => !o.key.startsWith('errors/'))) assert.match(object.key, new RegExp(`^customer_id=\\w+/year=\\d{4}/by-customer-1-${STAMP}-[0-9a-f-]{36}$`));
    const numbers = (lines: string[] | undefined): number[] => (lines ?? []).map((line) => (JSON.parse(line) as { n: number }).n);
    const partitions = byPrefix('by-customer');
    assert.deepEqual(Object.keys(partitions).filter((p) => !p.startsWith('errors/')).sort(), ['customer_id=42/year=2024/', 'customer_id=a/year=2023/', 'customer_id=a/year=2024/', 'customer_id=b/year=2024/']);
    assert.deepEqual(numbers(partitions['customer_id=a/year=2023/']), [1, 4]);
    assert.deepEqual(numbers(partitions['customer_id=a/year=2024/']), [3]);
    assert.deepEqual(numbers(partitions['customer_id=42/year=2024/']), [5]);

    const failed = objects.filter((o) => o.key.startsWith('errors/'));
    assert.equal(failed.length, 1);
    assert.match(failed[0]?.key ?? '', /^errors\/partitioning-failed\/by-customer-1-/);
    const lines = errorLines(failed[0]?.body ?? Buffer.alloc(0));
    assert.deepEqual(lines.map((line) => [line.errorCode, line.attemptsMade, line.arrivalTimestamp]), [1, 2].map(() => ['DynamicPartitioning.MetadataExtractionFailed', 1, T0]));
    assert.match(String(lines[0]?.errorMessage), /partition key 'customer_id' is null/);
    assert.match(String(lines[1]?.errorMessage), /not valid JSON/);
    // The raw data of a failed record is as the partitioning step got it: after AppendDelimiterToRecord.
    assert.deepEqual(lines.map((line) => Buffer.from(String(line.rawData), 'base64').toString()), [`${records[5]}\n`, 'not json\n']);
  });

  it('keys from the function and from the query together; a record the function gave no key goes to partitioning-failed/', async () => {
    await createFolderStream(h.firehose, 'by-region', {
      BucketARN: 'arn:aws:s3:::by-region',
      Prefix: 'region=!{partitionKeyFromLambda:region}/device=!{partitionKeyFromQuery:device}/',
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/!{timestamp:yyyy}/',
      DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 60 } },
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          { Type: 'Lambda', Parameters: parameters({ LambdaArn: FUNCTION_ARN('keys') }) },
          { Type: 'MetadataExtraction', Parameters: parameters({ MetadataExtractionQuery: '{device:.device|ascii_downcase}', JsonParsingEngine: 'JQ-1.6' }) },
        ],
      },
    });
    await put('by-region', ['{"region":"eu","device":"Pump","n":1}', '{"region":"us","device":"pump","n":2}', '{"region":"eu","device":"valve","n":3}', '{"device":"pump","n":4}', '{"region":"eu","device":"PUMP","n":5}']);
    await h.hako.delivery.flush('by-region');
    const partitions = byPrefix('by-region');
    const numbers = (lines: string[] | undefined): number[] => (lines ?? []).map((line) => (JSON.parse(line) as { n: number }).n);
    assert.deepEqual(numbers(partitions['region=eu/device=pump/']), [1, 5]);
    assert.deepEqual(numbers(partitions['region=us/device=pump/']), [2]);
    assert.deepEqual(numbers(partitions['region=eu/device=valve/']), [3]);
    assert.ok((partitions['region=eu/device=pump/'] ?? []).every((line) => (JSON.parse(line) as { via: string }).via === 'lambda'), 'the transformed records are delivered');
    const failed = partitions[`errors/partitioning-failed/${new Date(T0).getUTCFullYear()}/`] ?? [];
    assert.equal(failed.length, 1);
    const [line] = failed.map((text) => JSON.parse(text) as Record<string, unknown>);
    assert.match(String(line?.errorMessage), /no partition key 'region' \(partitionKeyFromLambda\)/);
    assert.deepEqual(JSON.parse(Buffer.from(String(line?.rawData), 'base64').toString()), { device: 'pump', n: 4, via: 'lambda' });
  });
});
