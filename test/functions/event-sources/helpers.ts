/**
 * @module test/functions/event-sources/helpers — a hako on a controllable clock with the real
 * `@aws-sdk/client-lambda` and `@aws-sdk/client-kinesis` (SigV4, root key) pointed at it, functions that
 * log the batches they get, and waits that end on events (a function's log blocks) or on a deadline.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { CreateStreamCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { LogBlock } from '../../../src/functions/logs.js';
import type { RunningHako } from '../../../src/main.js';
import { lambdaClient, ROLE, zipOf } from '../../helpers/lambda.js';
import { startKinesisHako, type TestClock } from '../../streams/helpers.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function`;
export const streamArn = (name: string): string => `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;
export const SHARD0 = 'shardId-000000000000';

export interface EsmHako {
  hako: RunningHako;
  lambda: LambdaClient;
  kinesis: KinesisClient;
  clock: TestClock;
  dataDir: string;
  /** Stops hako; the data directory stays for a restart. */
  stop(): Promise<void>;
  /** Stops hako and removes its data directory. */
  close(): Promise<void>;
}

export async function startEsmHako(options: { dataDir?: string; clock?: TestClock } = {}): Promise<EsmHako> {
  const started = await startKinesisHako(options);
  const lambda = lambdaClient({ dataDir: started.dataDir, ports: started.hako.ports });
  const stop = async (): Promise<void> => {
    lambda.destroy();
    await started.stop();
  };
  return {
    hako: started.hako,
    lambda,
    kinesis: started.kinesis,
    clock: started.clock,
    dataDir: started.dataDir,
    stop,
    close: async () => {
      lambda.destroy();
      await started.close();
    },
  };
}

/**
 * A handler that logs `BATCH ["data", …]` for every batch (data decoded), then fails if one of them is
 * `poison`. `extra` runs before the check, with `records` ({seq, data}) in scope, and may return.
 */
export function batchLogger(extra = ''): string {
  return `
import { existsSync, writeFileSync } from 'node:fs';
export const handler = async (event) => {
  const records = event.Records.map((r) => ({ seq: r.kinesis.sequenceNumber, data: Buffer.from(r.kinesis.data, 'base64').toString('utf8') }));
  console.log('BATCH ' + JSON.stringify(records.map((r) => r.data)));
  ${extra}
  if (records.some((r) => r.data === 'poison')) throw new Error('poison record');
  return null;
};`;
}

/** Logs every event it gets as `RECORD <json>` (an on-failure destination, or a shape check). */
export const RECORDER = "export const handler = async (event) => { console.log('RECORD ' + JSON.stringify(event)); return null; };";

export async function createFunction(lambda: LambdaClient, name: string, source: string, variables: Record<string, string> = {}): Promise<void> {
  await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.mjs': source }) }, Environment: { Variables: variables } }));
}

export async function createStream(kinesis: KinesisClient, name: string, shardCount = 1): Promise<string> {
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }));
  return streamArn(name);
}

/** Puts records (data strings) in one PutRecords, all to shard 0 unless `hashKey` says otherwise; returns their sequence numbers. */
export async function putRecords(kinesis: KinesisClient, stream: string, data: readonly string[], hashKey = '0'): Promise<string[]> {
  const result = await kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: data.map((d) => ({ PartitionKey: `key-${d}`, ExplicitHashKey: hashKey, Data: Buffer.from(d) })) }));
  assert.equal(result.FailedRecordCount, 0);
  return (result.Records ?? []).map((record) => record.SequenceNumber ?? assert.fail('no sequence number'));
}

/** The messages a function logged after `prefix` (`BATCH `, `RECORD `), parsed, oldest first. */
export function logged<T>(hako: RunningHako, functionName: string, prefix: string): T[] {
  return hako.functions.logs
    .read(functionName)
    .flatMap((block) => block.text.split('\n'))
    .filter((line) => line.includes(`\tINFO\t${prefix}`))
    .map((line) => JSON.parse(line.slice(line.indexOf(`\tINFO\t${prefix}`) + 6 + prefix.length)) as T);
}

export const batchesOf = (hako: RunningHako, functionName: string): string[][] => logged<string[]>(hako, functionName, 'BATCH ');

/**
 * Resolves with `read()` once `done(read())` holds, checking now and after every log block the function
 * writes; fails after `timeoutMs` showing what was read last.
 */
export function untilLogged<T>(hako: RunningHako, functionName: string, read: () => T, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const value = read();
      if (!done(value)) return false;
      finish();
      resolve(value);
      return true;
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${functionName}: condition not met within ${timeoutMs} ms; last seen ${JSON.stringify(read())}`));
    }, timeoutMs);
    const unsubscribe = hako.functions.logs.subscribe((block: LogBlock) => {
      if (block.functionName === functionName) check();
    });
    const finish = (): void => {
      clearTimeout(timer);
      unsubscribe();
    };
    check();
  });
}

/** Polls `probe` until it returns a value that `done` accepts (state read through the API), or fails at the deadline. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last seen ${JSON.stringify(value)}`);
    await delay(25);
  }
}
