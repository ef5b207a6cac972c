/**
 * @module cli/mappings — `hako functions map-stream`, `hako functions mappings` and `hako functions unmap`: event
 * source mappings from hako's Kinesis streams to functions, through the Lambda API.
 */
import type { Command } from 'commander';
import { CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, ListEventSourceMappingsCommand, type EventSourceMappingConfiguration } from '@aws-sdk/client-lambda';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { addConnectionOptions, CliError, withConnection, type Connection, type ConnectionFlags } from './client.js';
import { wholeNumberFlag } from './flags.js';
import { emit, formatDate, table, withoutMetadata } from './output.js';

interface MapFlags extends ConnectionFlags {
  batchSize?: string;
  window?: string;
  from?: string;
  maxRetries?: string;
  maxAge?: string;
  bisect?: boolean;
  reportItemFailures?: boolean;
  onFailure?: string;
  disabled?: boolean;
}

const POSITIONS = { 'trim-horizon': 'TRIM_HORIZON', latest: 'LATEST' } as const;

/** A stream given by name becomes its ARN, as hako describes it (so a missing stream is reported as such). */
async function streamArn(c: Connection, stream: string): Promise<string> {
  if (stream.startsWith('arn:')) return stream;
  const described = await c.sendWith((config) => new KinesisClient(config))(new DescribeStreamSummaryCommand({ StreamName: stream }));
  return described.StreamDescriptionSummary?.StreamARN ?? stream;
}

function row(mapping: EventSourceMappingConfiguration): string[] {
  return [mapping.UUID ?? '', mapping.EventSourceArn?.replace(/^.*:stream\//, '') ?? '', mapping.FunctionArn?.replace(/^.*:function:/, '') ?? '', mapping.State ?? '', String(mapping.BatchSize ?? ''), mapping.LastProcessingResult ?? '', formatDate(mapping.LastModified)];
}

export function registerMappingCommands(functions: Command): void {
  addConnectionOptions(
    functions
      .command('map-stream')
      .description('invoke a function with the records of a data stream (an event source mapping)')
      .argument('<function>', 'function name, name:alias or ARN')
      .argument('<stream>', 'stream name or ARN')
      .option('--batch-size <n>', 'records per invocation (1–10000, default 100)')
      .option('--window <seconds>', 'wait up to this long to fill a batch (0–300, default 0)')
      .option('--from <position>', 'trim-horizon (the oldest records) or latest (default)')
      .option('--max-retries <n>', 'retries of a failing batch before it is given up (-1 = until the records expire)')
      .option('--max-age <seconds>', 'give up records older than this (-1 = never)')
      .option('--bisect', 'split a failing batch in two to find the bad record')
      .option('--report-item-failures', 'the function may answer {"batchItemFailures": [...]}')
      .option('--on-failure <arn>', 'a hako function or stream ARN for records given up')
      .option('--disabled', 'create it disabled'),
  ).action((functionName: string, stream: string, flags: MapFlags) =>
    withConnection('functions map-stream', flags, async (c) => {
      const what = 'functions map-stream';
      const position = flags.from === undefined ? 'LATEST' : POSITIONS[flags.from as keyof typeof POSITIONS];
      if (position === undefined) throw new CliError(`${what}: --from must be trim-horizon or latest, not ${flags.from ?? ''}`);
      const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [P in K]?: V }));
      const created = await c.lambda(
        new CreateEventSourceMappingCommand({
          FunctionName: functionName,
          EventSourceArn: await streamArn(c, stream),
          StartingPosition: position,
          Enabled: flags.disabled !== true,
          ...optional('BatchSize', wholeNumberFlag(what, '--batch-size', flags.batchSize)),
          ...optional('MaximumBatchingWindowInSeconds', wholeNumberFlag(what, '--window', flags.window)),
          ...optional('MaximumRetryAttempts', wholeNumberFlag(what, '--max-retries', flags.maxRetries)),
          ...optional('MaximumRecordAgeInSeconds', wholeNumberFlag(what, '--max-age', flags.maxAge)),
          ...optional('BisectBatchOnFunctionError', flags.bisect),
          ...(flags.reportItemFailures === true ? { FunctionResponseTypes: ['ReportBatchItemFailures' as const] } : {}),
          ...(flags.onFailure === undefined ? {} : { DestinationConfig: { OnFailure: { Destination: flags.onFailure } } }),
        }),
      );
      emit(flags.json, withoutMetadata(created), () => `mapped ${stream} → ${functionName} (${created.State ?? ''})\n  uuid  ${created.UUID ?? ''}`);
    }),
  );

  addConnectionOptions(functions.command('mappings').description('list event source mappings, of one function or all').argument('[function]', 'function name or ARN')).action((functionName: string | undefined, flags: ConnectionFlags) =>
    withConnection('functions mappings', flags, async (c) => {
      const mappings: EventSourceMappingConfiguration[] = [];
      let marker: string | undefined;
      do {
        const page = await c.lambda(new ListEventSourceMappingsCommand({ ...(functionName === undefined ? {} : { FunctionName: functionName }), ...(marker === undefined ? {} : { Marker: marker }) }));
        mappings.push(...(page.EventSourceMappings ?? []));
        marker = page.NextMarker;
      } while (marker !== undefined);
      emit(flags.json, { EventSourceMappings: mappings }, () =>
        table(['UUID', 'STREAM', 'FUNCTION', 'STATE', 'BATCH', 'LAST RESULT', 'MODIFIED'], mappings.map(row), 'no event source mappings (create one with `hako functions map-stream FUNCTION STREAM`)'),
      );
    }),
  );

  addConnectionOptions(functions.command('unmap').description('delete an event source mapping').argument('<uuid>', 'the mapping\'s UUID (see `hako functions mappings`)')).action((uuid: string, flags: ConnectionFlags) =>
    withConnection('functions unmap', flags, async (c) => {
      await c.lambda(new DeleteEventSourceMappingCommand({ UUID: uuid }));
      emit(flags.json, { UUID: uuid, deleted: true }, () => `deleted event source mapping ${uuid}`);
    }),
  );
}
