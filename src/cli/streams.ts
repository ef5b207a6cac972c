/**
 * @module cli/streams — `hako streams …`: create, list, describe, delete, put and read Kinesis-compatible data
 * streams through hako's Kinesis API (the `@aws-sdk/client-kinesis` client, as users' code calls it).
 */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
  PutRecordCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import { addConnectionOptions, CliError, withConnection, type Connection, type ConnectionFlags } from './client.js';
import { dataArgument } from './data-argument.js';
import { wholeNumberFlag } from './flags.js';
import { emit, formatDate, table, withoutMetadata } from './output.js';

const kinesisOf = (c: Connection): KinesisClient['send'] => c.sendWith((config) => new KinesisClient(config));

export function registerStreamCommands(program: Command): void {
  const streams = program.command('streams').description('Kinesis-compatible data streams: shards, records, iterators');

  addConnectionOptions(streams.command('create').description('create a data stream').argument('<name>', 'stream name').option('--shards <n>', 'provisioned shards (default 1)').option('--on-demand', 'on-demand capacity (4 shards)')).action(
    (name: string, flags: ConnectionFlags & { shards?: string; onDemand?: boolean }) =>
      withConnection('streams create', flags, async (c) => {
        if (flags.onDemand === true && flags.shards !== undefined) throw new CliError('streams create: --shards and --on-demand do not go together', 'on-demand streams choose their shards');
        const mode = flags.onDemand === true ? { StreamModeDetails: { StreamMode: 'ON_DEMAND' as const } } : { ShardCount: flags.shards === undefined ? 1 : (wholeNumberFlag('streams create', '--shards', flags.shards, { min: 1 }) as number) };
        await kinesisOf(c)(new CreateStreamCommand({ StreamName: name, ...mode }));
        const summary = (await kinesisOf(c)(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary;
        emit(flags.json, withoutMetadata(summary ?? {}), () => `created stream ${name} (${summary?.OpenShardCount ?? '?'} shard(s))\n  arn  ${summary?.StreamARN ?? ''}`);
      }),
  );

  addConnectionOptions(streams.command('list').description('list data streams')).action((flags: ConnectionFlags) =>
    withConnection('streams list', flags, async (c) => {
      const listed = await kinesisOf(c)(new ListStreamsCommand({}));
      const summaries = listed.StreamSummaries ?? [];
      emit(flags.json, { StreamSummaries: summaries }, () =>
        table(['NAME', 'STATUS', 'MODE', 'CREATED'], summaries.map((s) => [s.StreamName ?? '', s.StreamStatus ?? '', s.StreamModeDetails?.StreamMode ?? '', formatDate(s.StreamCreationTimestamp)]), 'no streams (create one with `hako streams create NAME`)'),
      );
    }),
  );

  addConnectionOptions(streams.command('describe').description('show a stream and its shards').argument('<name>', 'stream name')).action((name: string, flags: ConnectionFlags) =>
    withConnection('streams describe', flags, async (c) => {
      const summary = (await kinesisOf(c)(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary;
      const shards = (await kinesisOf(c)(new ListShardsCommand({ StreamName: name }))).Shards ?? [];
      emit(flags.json, { StreamDescriptionSummary: summary, Shards: shards }, () => [
        `stream ${name}: ${summary?.StreamStatus ?? ''}, ${summary?.StreamModeDetails?.StreamMode ?? ''}, retention ${summary?.RetentionPeriodHours ?? '?'} h`,
        `  arn  ${summary?.StreamARN ?? ''}`,
        ...table(['SHARD', 'HASH KEYS', 'FIRST SEQUENCE NUMBER'], shards.map((s) => [s.ShardId ?? '', `${s.HashKeyRange?.StartingHashKey ?? ''}–${s.HashKeyRange?.EndingHashKey ?? ''}`, s.SequenceNumberRange?.StartingSequenceNumber ?? '']), 'no shards'),
      ]);
    }),
  );

  addConnectionOptions(streams.command('delete').description('delete a stream and its records').argument('<name>', 'stream name')).action((name: string, flags: ConnectionFlags) =>
    withConnection('streams delete', flags, async (c) => {
      await kinesisOf(c)(new DeleteStreamCommand({ StreamName: name }));
      emit(flags.json, { StreamName: name, deleted: true }, () => `deleted stream ${name}`);
    }),
  );

  addConnectionOptions(
    streams.command('put').description('put one record').argument('<name>', 'stream name').argument('<data>', 'the record: text, @FILE for a file, or - for standard input').option('--partition-key <key>', 'partition key (default: a random one)'),
  ).action((name: string, data: string, flags: ConnectionFlags & { partitionKey?: string }) =>
    withConnection('streams put', flags, async (c) => {
      const bytes = await dataArgument('streams put', data);
      const put = await kinesisOf(c)(new PutRecordCommand({ StreamName: name, Data: bytes, PartitionKey: flags.partitionKey ?? randomUUID() }));
      emit(flags.json, withoutMetadata(put), () => `${put.ShardId ?? ''} ${put.SequenceNumber ?? ''}`);
    }),
  );

  addConnectionOptions(
    streams
      .command('read')
      .description('print records of a shard, oldest first (data as UTF-8 text)')
      .argument('<name>', 'stream name')
      .option('--shard <id>', 'shard id (default shardId-000000000000)')
      .option('--from <position>', 'trim-horizon (default), latest, or a sequence number to start after')
      .option('--limit <n>', 'at most this many records (default 100)'),
  ).action((name: string, flags: ConnectionFlags & { shard?: string; from?: string; limit?: string }) =>
    withConnection('streams read', flags, async (c) => {
      const send = kinesisOf(c);
      const limit = flags.limit === undefined ? 100 : (wholeNumberFlag('streams read', '--limit', flags.limit, { min: 1 }) as number);
      const from = flags.from ?? 'trim-horizon';
      const position: { ShardIteratorType: ShardIteratorType; StartingSequenceNumber?: string } =
        from === 'trim-horizon' ? { ShardIteratorType: 'TRIM_HORIZON' } : from === 'latest' ? { ShardIteratorType: 'LATEST' } : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: from };
      let iterator = (await send(new GetShardIteratorCommand({ StreamName: name, ShardId: flags.shard ?? 'shardId-000000000000', ...position }))).ShardIterator;
      const records: { SequenceNumber: string; PartitionKey: string; ApproximateArrivalTimestamp: string; Data: string }[] = [];
      // Pages until the shard is read up to now (MillisBehindLatest 0) or the limit is reached.
      while (iterator !== undefined && records.length < limit) {
        const page = await send(new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.min(limit - records.length, 10_000) }));
        for (const record of page.Records ?? []) {
          records.push({ SequenceNumber: record.SequenceNumber ?? '', PartitionKey: record.PartitionKey ?? '', ApproximateArrivalTimestamp: formatDate(record.ApproximateArrivalTimestamp), Data: Buffer.from(record.Data ?? new Uint8Array()).toString('utf8') });
        }
        if ((page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0) break;
        iterator = page.NextShardIterator;
      }
      emit(flags.json, { Records: records }, () => table(['SEQUENCE NUMBER', 'PARTITION KEY', 'ARRIVED', 'DATA'], records.map((r) => [r.SequenceNumber, r.PartitionKey, r.ApproximateArrivalTimestamp, r.Data]), 'no records'));
    }),
  );
}
