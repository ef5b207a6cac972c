/**
 * @module cli/delivery — `hako delivery …`: create, list, describe, delete and put into Firehose-compatible delivery
 * streams through hako's Firehose API. `create` makes the common case (a bucket folder, a prefix, gzip, buffering
 * hints) from flags; `--config FILE` takes any ExtendedS3DestinationConfiguration.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  ListDeliveryStreamsCommand,
  PutRecordCommand,
  type ExtendedS3DestinationConfiguration,
} from '@aws-sdk/client-firehose';
import { addConnectionOptions, CliError, withConnection, type Connection, type ConnectionFlags } from './client.js';
import { dataArgument } from './data-argument.js';
import { wholeNumberFlag } from './flags.js';
import { emit, formatDate, table } from './output.js';

const ROLE = 'arn:aws:iam::000000000000:role/hako-delivery';
const firehoseOf = (c: Connection): FirehoseClient['send'] => c.sendWith((config) => new FirehoseClient(config));

interface CreateFlags extends ConnectionFlags {
  bucket?: string;
  prefix?: string;
  errorPrefix?: string;
  gzip?: boolean;
  sizeMb?: string;
  intervalSeconds?: string;
  config?: string;
}

async function destinationOf(flags: CreateFlags): Promise<ExtendedS3DestinationConfiguration> {
  let base: Partial<ExtendedS3DestinationConfiguration> = {};
  if (flags.config !== undefined) {
    try {
      base = JSON.parse(await readFile(flags.config, 'utf8')) as Partial<ExtendedS3DestinationConfiguration>;
    } catch (error) {
      throw new CliError(`delivery create: cannot read ${flags.config}: ${(error as Error).message}`, 'it holds an ExtendedS3DestinationConfiguration as JSON', { cause: error });
    }
  }
  const bucketArn = flags.bucket === undefined ? base.BucketARN : flags.bucket.startsWith('arn:') ? flags.bucket : `arn:aws:s3:::${flags.bucket}`;
  if (bucketArn === undefined) throw new CliError('delivery create: a bucket is needed: --bucket NAME (the folder <data-dir>/buckets/NAME)', 'or give --config FILE with BucketARN');
  const hints = { ...base.BufferingHints };
  const size = wholeNumberFlag('delivery create', '--size-mb', flags.sizeMb, { hint: 'Firehose buffers 1 to 128 MiB' });
  const interval = wholeNumberFlag('delivery create', '--interval-seconds', flags.intervalSeconds, { hint: 'Firehose buffers 0 to 900 seconds' });
  if (size !== undefined) hints.SizeInMBs = size;
  if (interval !== undefined) hints.IntervalInSeconds = interval;
  return {
    ...base,
    RoleARN: base.RoleARN ?? ROLE,
    BucketARN: bucketArn,
    ...(flags.prefix === undefined ? {} : { Prefix: flags.prefix }),
    ...(flags.errorPrefix === undefined ? {} : { ErrorOutputPrefix: flags.errorPrefix }),
    ...(flags.gzip === true ? { CompressionFormat: 'GZIP' as const } : {}),
    ...(Object.keys(hints).length === 0 ? {} : { BufferingHints: hints }),
  };
}

export function registerDeliveryCommands(program: Command): void {
  const delivery = program.command('delivery').description('Firehose-compatible delivery streams into bucket folders');

  addConnectionOptions(
    delivery
      .command('create')
      .description('create a delivery stream into a bucket folder (<data-dir>/buckets/BUCKET)')
      .argument('<name>', 'delivery stream name')
      .option('--bucket <name>', 'bucket name or arn:aws:s3:::NAME')
      .option('--prefix <prefix>', "object prefix, with Firehose's namespaces, e.g. 'raw/!{timestamp:yyyy/MM/dd}/'")
      .option('--error-prefix <prefix>', 'prefix for records that failed')
      .option('--gzip', 'compress objects with gzip')
      .option('--size-mb <n>', 'deliver when this many MiB are buffered (1–128, default 5)')
      .option('--interval-seconds <n>', 'deliver when the oldest record is this old (0–900, default 300)')
      .option('--config <file>', 'an ExtendedS3DestinationConfiguration as JSON (flags override its fields)'),
  ).action((name: string, flags: CreateFlags) =>
    withConnection('delivery create', flags, async (c) => {
      const destination = await destinationOf(flags);
      await firehoseOf(c)(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, DeliveryStreamType: 'DirectPut', ExtendedS3DestinationConfiguration: destination }));
      const described = (await firehoseOf(c)(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription;
      emit(flags.json, { DeliveryStreamDescription: described }, () => `created delivery stream ${name} into ${destination.BucketARN ?? ''}\n  arn  ${described?.DeliveryStreamARN ?? ''}`);
    }),
  );

  addConnectionOptions(delivery.command('list').description('list delivery streams')).action((flags: ConnectionFlags) =>
    withConnection('delivery list', flags, async (c) => {
      const names = (await firehoseOf(c)(new ListDeliveryStreamsCommand({}))).DeliveryStreamNames ?? [];
      emit(flags.json, { DeliveryStreamNames: names }, () => (names.length === 0 ? 'no delivery streams (create one with `hako delivery create NAME --bucket BUCKET`)' : names));
    }),
  );

  addConnectionOptions(delivery.command('describe').description('show a delivery stream and its destination').argument('<name>', 'delivery stream name')).action((name: string, flags: ConnectionFlags) =>
    withConnection('delivery describe', flags, async (c) => {
      const described = (await firehoseOf(c)(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription;
      const destination = described?.Destinations?.[0]?.ExtendedS3DestinationDescription;
      emit(flags.json, { DeliveryStreamDescription: described }, () =>
        table(
          ['FIELD', 'VALUE'],
          [
            ['status', described?.DeliveryStreamStatus ?? ''],
            ['created', formatDate(described?.CreateTimestamp)],
            ['bucket', destination?.BucketARN ?? ''],
            ['prefix', destination?.Prefix ?? '(default yyyy/MM/dd/HH/)'],
            ['error prefix', destination?.ErrorOutputPrefix ?? '-'],
            ['compression', destination?.CompressionFormat ?? ''],
            ['buffering', `${destination?.BufferingHints?.SizeInMBs ?? '?'} MiB or ${destination?.BufferingHints?.IntervalInSeconds ?? '?'} s`],
          ],
          '',
        ),
      );
    }),
  );

  addConnectionOptions(delivery.command('delete').description('delete a delivery stream (what it buffered is delivered once more first)').argument('<name>', 'delivery stream name')).action((name: string, flags: ConnectionFlags) =>
    withConnection('delivery delete', flags, async (c) => {
      await firehoseOf(c)(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name }));
      emit(flags.json, { DeliveryStreamName: name, deleted: true }, () => `deleted delivery stream ${name}`);
    }),
  );

  addConnectionOptions(
    delivery.command('put').description('put one record').argument('<name>', 'delivery stream name').argument('<data>', 'the record: text, @FILE or - (standard input)').option('--newline', 'end the record with a newline (Firehose adds no delimiter)'),
  ).action((name: string, data: string, flags: ConnectionFlags & { newline?: boolean }) =>
    withConnection('delivery put', flags, async (c) => {
      const bytes = await dataArgument('delivery put', data);
      const put = await firehoseOf(c)(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: flags.newline === true ? Buffer.concat([bytes, Buffer.from('\n')]) : bytes } }));
      emit(flags.json, { RecordId: put.RecordId }, () => put.RecordId ?? '');
    }),
  );
}
