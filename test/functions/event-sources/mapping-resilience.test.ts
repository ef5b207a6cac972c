/**
 * @module test/functions/event-sources/mapping-resilience.test — what a mapping does when its function
 * cannot be called or its stream goes away: a throttled function (reserved concurrency 0) and a deleted
 * one are waited for with backoff, without using up retry attempts or skipping records; a deleted stream
 * disables the mapping, saying why, while hako keeps serving.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DeleteStreamCommand } from '@aws-sdk/client-kinesis';
import {
  CreateEventSourceMappingCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  PutFunctionConcurrencyCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { rejectsWithLambda } from '../../helpers/lambda.js';
import { batchesOf, batchLogger, createFunction, createStream, eventually, putRecords, startEsmHako, untilLogged, type EsmHako } from './helpers.js';

let esm: EsmHako;
before(async () => {
  esm = await startEsmHako();
});
after(async () => {
  await esm.close();
});

const mappingOf = (uuid: string) => esm.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));

async function map(functionName: string, eventSourceArn: string, maximumRetryAttempts: number): Promise<string> {
  const created = await esm.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: functionName, EventSourceArn: eventSourceArn, StartingPosition: 'TRIM_HORIZON', MaximumRetryAttempts: maximumRetryAttempts }));
  return created.UUID ?? assert.fail('no UUID');
}

test('a throttled function (reserved concurrency 0) is waited for with backoff; throttles are not attempts, so nothing is given up', async () => {
  const arn = await createStream(esm.kinesis, 'throttled');
  await createFunction(esm.lambda, 'squeezed', batchLogger());
  await esm.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'squeezed', ReservedConcurrentExecutions: 0 }));
  const uuid = await map('squeezed', arn, 0);
  await putRecords(esm.kinesis, 'throttled', ['t1', 't2']);
  await eventually(() => mappingOf(uuid), (m) => m.LastProcessingResult === 'PROBLEM: Function call throttled');
  assert.deepEqual(batchesOf(esm.hako, 'squeezed'), []);
  await esm.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'squeezed' }));
  assert.deepEqual(await untilLogged(esm.hako, 'squeezed', () => batchesOf(esm.hako, 'squeezed'), (b) => b.length === 1), [['t1', 't2']]);
  await eventually(() => mappingOf(uuid), (m) => m.LastProcessingResult === 'OK');
  const metrics = await esm.hako.functions.metrics.text();
  assert.match(metrics, new RegExp(`hako_event_source_unavailable_total\\{function="squeezed",mapping="${uuid}",reason="throttled"\\} [1-9]`));
  assert.doesNotMatch(metrics, /hako_event_source_discarded_records_total\{function="squeezed"/);
});

test('a deleted function: the mapping says so in LastProcessingResult and waits; the records reach the function once it is back', async () => {
  const arn = await createStream(esm.kinesis, 'orphaned');
  await createFunction(esm.lambda, 'phoenix', batchLogger());
  const uuid = await map('phoenix', arn, 0);
  await esm.lambda.send(new DeleteFunctionCommand({ FunctionName: 'phoenix' }));
  await putRecords(esm.kinesis, 'orphaned', ['p1']);
  const waiting = await eventually(() => mappingOf(uuid), (m) => m.LastProcessingResult?.startsWith('PROBLEM: Function not found') === true);
  assert.equal(waiting.LastProcessingResult, 'PROBLEM: Function not found: arn:aws:lambda:us-east-1:000000000000:function:phoenix');
  assert.equal(waiting.State, 'Enabled');
  await putRecords(esm.kinesis, 'orphaned', ['p2']);
  await createFunction(esm.lambda, 'phoenix', batchLogger());
  const batches = await untilLogged(esm.hako, 'phoenix', () => batchesOf(esm.hako, 'phoenix'), (b) => b.flat().includes('p2'));
  assert.deepEqual(batches.flat(), ['p1', 'p2'], 'nothing skipped, in order');
});

test('a deleted stream disables its mappings with the reason; hako keeps serving, and re-enabling is refused until the stream is back', async () => {
  const arn = await createStream(esm.kinesis, 'doomed');
  await createFunction(esm.lambda, 'bereaved', batchLogger());
  const uuid = await map('bereaved', arn, -1);
  await putRecords(esm.kinesis, 'doomed', ['d1']);
  await untilLogged(esm.hako, 'bereaved', () => batchesOf(esm.hako, 'bereaved'), (b) => b.length === 1);
  await esm.kinesis.send(new DeleteStreamCommand({ StreamName: 'doomed' }));
  const disabled = await eventually(() => mappingOf(uuid), (m) => m.State === 'Disabled');
  assert.deepEqual([disabled.StateTransitionReason, disabled.LastProcessingResult], [`PROBLEM: Stream not found: ${arn}`, 'PROBLEM: Stream not found']);
  assert.deepEqual((await esm.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: arn }))).EventSourceMappings?.map((m) => m.UUID), [uuid]);
  await rejectsWithLambda(esm.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true })), 'InvalidParameterValueException', 400, /Cannot access stream/);

  await createStream(esm.kinesis, 'doomed'); // a new stream of the same name: read from its start, not the old checkpoint
  await putRecords(esm.kinesis, 'doomed', ['n1']);
  const enabled = await esm.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
  assert.deepEqual([enabled.State, enabled.StateTransitionReason], ['Enabling', 'User action']);
  assert.deepEqual(await untilLogged(esm.hako, 'bereaved', () => batchesOf(esm.hako, 'bereaved'), (b) => b.length === 2), [['d1'], ['n1']]);
});
