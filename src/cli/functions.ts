/**
 * @module cli/functions — `hako functions …`: deploy a directory as a function (zipped and uploaded, or
 * updated in place), invoke it, read and follow its logs, publish versions, point aliases, reserve
 * concurrency, list functions — through the Lambda API, as any AWS tool would.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionCommand,
  InvokeCommand,
  ListFunctionsCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { wholeNumberFlag } from './flags.js';
import { registerMappingCommands } from './mappings.js';
import { addConnectionOptions, CliError, withConnection, type Connection, type ConnectionFlags } from './client.js';
import { emit, table, withoutMetadata } from './output.js';

/** Lambda requires a role; hako does not assume it, so any well-formed ARN does. */
const DEFAULT_ROLE = 'arn:aws:iam::000000000000:role/hako-function';
/** Directories a package never needs. */
const SKIPPED = new Set(['.git', '.hako']);

interface DeployFlags extends ConnectionFlags {
  name: string;
  handler?: string;
  runtime?: string;
  memory?: string;
  timeout?: string;
  env?: string[];
  publish?: boolean;
}

/** Every file under `dir` (following symlinks), relative paths with `/`. */
function filesOf(dir: string, prefix = ''): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const entry of readdirSync(path.join(dir, prefix))) {
    if (SKIPPED.has(entry)) continue;
    const relative = prefix === '' ? entry : `${prefix}/${entry}`;
    const stats = statSync(path.join(dir, relative));
    if (stats.isDirectory()) Object.assign(files, filesOf(dir, relative));
    else if (stats.isFile()) files[relative] = readFileSync(path.join(dir, relative));
  }
  return files;
}

function zipDirectory(dir: string): Uint8Array {
  let stats;
  try {
    stats = statSync(dir);
  } catch (error) {
    throw new CliError(`functions deploy: ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'pass the directory holding the function code', { cause: error });
  }
  if (!stats.isDirectory()) throw new CliError(`functions deploy: ${dir} is not a directory`, 'pass the directory holding the function code');
  return zipSync(filesOf(dir));
}

/** `--env K=V` (repeatable) as Lambda's variables map. */
function variablesOf(pairs: string[] | undefined): Record<string, string> | undefined {
  if (pairs === undefined || pairs.length === 0) return undefined;
  return Object.fromEntries(pairs.map((pair) => {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new CliError(`--env ${pair}: expected NAME=VALUE`);
    return [pair.slice(0, equals), pair.slice(equals + 1)];
  }));
}

async function exists(c: Connection, name: string): Promise<boolean> {
  try {
    await c.lambda(new GetFunctionCommand({ FunctionName: name }));
    return true;
  } catch (error) {
    if (error instanceof CliError && /ResourceNotFoundException/.test(error.message)) return false;
    throw error;
  }
}

function describe(configuration: FunctionConfiguration): string[] {
  return [
    `  arn      ${configuration.FunctionArn ?? '-'}`,
    `  runtime  ${configuration.Runtime ?? '-'}  handler ${configuration.Handler ?? '-'}  memory ${configuration.MemorySize ?? '-'} MB  timeout ${configuration.Timeout ?? '-'} s`,
    `  code     ${configuration.CodeSha256 ?? '-'} (${configuration.CodeSize ?? 0} bytes)`,
  ];
}

export function registerFunctionCommands(program: Command): void {
  const functions = program.command('functions').description('Lambda-compatible functions: deploy, invoke, logs, versions, aliases, stream mappings');
  registerMappingCommands(functions);

  addConnectionOptions(
    functions
      .command('deploy')
      .description('create or update a function from a directory')
      .argument('<dir>', 'directory with the code (zipped as it is, node_modules included)')
      .requiredOption('--name <name>', 'function name')
      .option('--handler <handler>', 'file.export to call (default index.handler on create)')
      .option('--runtime <runtime>', 'nodejs18.x, nodejs20.x or nodejs22.x (default nodejs20.x on create)')
      .option('--memory <mb>', 'memory size in MB (128–10240)')
      .option('--timeout <seconds>', 'timeout in seconds (1–900)')
      .option('--env <NAME=VALUE...>', 'environment variables (replace all of them)')
      .option('--publish', 'publish a version afterwards'),
  ).action((dir: string, flags: DeployFlags) =>
    withConnection('functions deploy', flags, async (c) => {
      const zip = zipDirectory(dir);
      const settings = {
        ...(flags.handler === undefined ? {} : { Handler: flags.handler }),
        ...(flags.runtime === undefined ? {} : { Runtime: flags.runtime as 'nodejs20.x' }),
        ...(flags.memory === undefined ? {} : { MemorySize: wholeNumberFlag('functions deploy', '--memory', flags.memory) }),
        ...(flags.timeout === undefined ? {} : { Timeout: wholeNumberFlag('functions deploy', '--timeout', flags.timeout) }),
        ...(flags.env === undefined ? {} : { Environment: { Variables: variablesOf(flags.env) } }),
      };
      let configuration: FunctionConfiguration;
      let verb: string;
      if (await exists(c, flags.name)) {
        configuration = await c.lambda(new UpdateFunctionCodeCommand({ FunctionName: flags.name, ZipFile: zip }));
        if (Object.keys(settings).length > 0) configuration = await c.lambda(new UpdateFunctionConfigurationCommand({ FunctionName: flags.name, ...settings }));
        verb = 'updated';
      } else {
        configuration = await c.lambda(new CreateFunctionCommand({ FunctionName: flags.name, Role: DEFAULT_ROLE, Handler: 'index.handler', Runtime: 'nodejs20.x', ...settings, Code: { ZipFile: zip } }));
        verb = 'created';
      }
      const published = flags.publish === true ? await c.lambda(new PublishVersionCommand({ FunctionName: flags.name })) : undefined;
      emit(flags.json, { ...withoutMetadata(configuration), ...(published === undefined ? {} : { PublishedVersion: published.Version }) }, () => [
        `${verb} function ${flags.name}${published === undefined ? '' : ` and published version ${published.Version}`}`,
        ...describe(configuration),
      ]);
    }),
  );

  addConnectionOptions(
    functions
      .command('invoke')
      .description('invoke a function and print its result (exit code 1 on a function error)')
      .argument('<name>', 'function name, name:qualifier or ARN')
      .option('--payload <json>', 'the event (JSON; @file reads a file)', '{}')
      .option('--qualifier <q>', 'version or alias')
      .option('--async', 'invoke asynchronously (InvocationType Event): print the request id')
      .option('--log', 'print the invocation log to stderr'),
  ).action((name: string, flags: ConnectionFlags & { payload: string; qualifier?: string; async?: boolean; log?: boolean }) =>
    withConnection('functions invoke', flags, async (c) => {
      const payload = flags.payload.startsWith('@') ? readFileSync(flags.payload.slice(1)) : Buffer.from(flags.payload);
      const answer = await c.lambda(new InvokeCommand({
        FunctionName: name,
        Payload: payload,
        ...(flags.qualifier === undefined ? {} : { Qualifier: flags.qualifier }),
        InvocationType: flags.async === true ? 'Event' : 'RequestResponse',
        LogType: flags.log === true ? 'Tail' : 'None',
      }));
      if (flags.async === true) {
        emit(flags.json, { StatusCode: answer.StatusCode, RequestId: answer.$metadata.requestId }, () => `queued (request id ${answer.$metadata.requestId ?? '-'})`);
        return;
      }
      if (answer.LogResult !== undefined) process.stderr.write(Buffer.from(answer.LogResult, 'base64').toString('utf8'));
      const text = Buffer.from(answer.Payload ?? new Uint8Array()).toString('utf8');
      emit(flags.json, { StatusCode: answer.StatusCode, ExecutedVersion: answer.ExecutedVersion, FunctionError: answer.FunctionError, Payload: text === '' ? null : (JSON.parse(text) as unknown) }, () => text);
      if (answer.FunctionError !== undefined) process.exitCode = 1;
    }),
  );

  addConnectionOptions(
    functions.command('logs').description("print a function's recent invocation logs").argument('<name>', 'function name').option('--follow', 'keep printing new invocations as they end'),
  ).action((name: string, flags: ConnectionFlags & { follow?: boolean }) =>
    withConnection('functions logs', flags, async (c) => {
      // The first request prints what is there; with --follow, each next one waits for new invocations.
      let after = 0;
      for (let first = true; ; first = false) {
        const wait = flags.follow === true && !first ? 30 : 0;
        const answer = await c.hakoApi('logs', 'GET', `/hako/functions/${encodeURIComponent(name)}/logs?after=${after}&wait=${wait}`);
        const blocks = (answer.blocks ?? []) as Array<{ seq: number; text: string }>;
        for (const block of blocks) process.stdout.write(flags.json === true ? `${JSON.stringify(block)}\n` : block.text);
        after = blocks.at(-1)?.seq ?? after;
        if (flags.follow !== true) return;
      }
    }),
  );

  addConnectionOptions(functions.command('publish').description('publish $LATEST as a new version').argument('<name>', 'function name').option('--description <text>', 'version description')).action(
    (name: string, flags: ConnectionFlags & { description?: string }) =>
      withConnection('functions publish', flags, async (c) => {
        const version = await c.lambda(new PublishVersionCommand({ FunctionName: name, ...(flags.description === undefined ? {} : { Description: flags.description }) }));
        emit(flags.json, withoutMetadata(version), () => `published ${name} version ${version.Version ?? '-'}`);
      }),
  );

  addConnectionOptions(
    functions
      .command('alias')
      .description('create an alias, or point an existing one at a version')
      .argument('<name>', 'function name')
      .argument('<alias>', 'alias name')
      .argument('<version>', 'version number (or $LATEST)')
      .option('--weight <version=weight>', 'send a share (0–1) of invocations to one more version, e.g. 3=0.1'),
  ).action((name: string, alias: string, version: string, flags: ConnectionFlags & { weight?: string }) =>
    withConnection('functions alias', flags, async (c) => {
      let routing: { AdditionalVersionWeights: Record<string, number> } | undefined;
      if (flags.weight !== undefined) {
        const [other, weight] = flags.weight.split('=');
        if (other === undefined || weight === undefined || Number.isNaN(Number(weight))) throw new CliError(`--weight ${flags.weight}: expected VERSION=WEIGHT, e.g. 3=0.1`);
        routing = { AdditionalVersionWeights: { [other]: Number(weight) } };
      }
      const input = { FunctionName: name, Name: alias, FunctionVersion: version, ...(routing === undefined ? {} : { RoutingConfig: routing }) };
      let result;
      try {
        result = await c.lambda(new CreateAliasCommand(input));
      } catch (error) {
        if (!(error instanceof CliError && /ResourceConflictException/.test(error.message))) throw error;
        result = await c.lambda(new UpdateAliasCommand(input));
      }
      emit(flags.json, withoutMetadata(result), () => `${name}:${alias} → version ${result.FunctionVersion ?? '-'}${routing === undefined ? '' : ` (${flags.weight})`}`);
    }),
  );

  addConnectionOptions(
    functions.command('concurrency').description("reserve concurrency for a function, or --delete the reservation").argument('<name>', 'function name').argument('[count]', 'reserved concurrent executions (0 disables the function)').option('--delete', 'remove the reservation'),
  ).action((name: string, count: string | undefined, flags: ConnectionFlags & { delete?: boolean }) =>
    withConnection('functions concurrency', flags, async (c) => {
      if (flags.delete === true) {
        await c.lambda(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
        emit(flags.json, {}, () => `${name}: no reserved concurrency`);
        return;
      }
      const reserved = wholeNumberFlag('functions concurrency', 'count', count);
      if (reserved === undefined) throw new CliError('functions concurrency: give a count or --delete');
      const result = await c.lambda(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: reserved }));
      emit(flags.json, withoutMetadata(result), () => `${name}: ${result.ReservedConcurrentExecutions ?? reserved} reserved concurrent executions`);
    }),
  );

  addConnectionOptions(functions.command('list').description('list functions')).action((flags: ConnectionFlags) =>
    withConnection('functions list', flags, async (c) => {
      const listed = await c.lambda(new ListFunctionsCommand({}));
      const rows = (listed.Functions ?? []).map((f) => [f.FunctionName ?? '-', f.Runtime ?? '-', f.Handler ?? '-', `${f.MemorySize ?? '-'} MB`, f.LastModified ?? '-']);
      emit(flags.json, withoutMetadata(listed), () => table(['NAME', 'RUNTIME', 'HANDLER', 'MEMORY', 'LAST MODIFIED'], rows, 'no functions'));
    }),
  );
}
