/**
 * @module test/functions/event-sources/checkpoint-restart.test — checkpoints and mappings survive a
 * restart of hako on the same data directory: processed records are not sent again, records stored while
 * the mapping was disabled (or hako was down) are not skipped, and a LATEST mapping keeps the position
 * it was created at.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { batchesOf, batchLogger, createFunction, createStream, putRecords, startEsmHako, untilLogged } from './helpers.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('after a restart a mapping resumes just after its checkpoint: nothing processed again, nothing skipped', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hako-esm-restart-'));
  dirs.push(dataDir);
  const first = await startEsmHako({ dataDir });
  let uuid: string;
  let pinned: string;
  try {
    const arn = await createStream(first.kinesis, 'durable');
    const later = await createStream(first.kinesis, 'pinned');
    await createFunction(first.lambda, 'steady', batchLogger());
    await createFunction(first.lambda, 'latecomer', batchLogger());
    uuid = (await first.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'steady', EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', BatchSize: 2 }))).UUID ?? '';
    await putRecords(first.kinesis, 'pinned', ['before-creation']);
    // Created disabled at LATEST: the records stored after this call are its, even if it starts later.
    pinned = (await first.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'latecomer', EventSourceArn: later, StartingPosition: 'LATEST', Enabled: false }))).UUID ?? '';
    await putRecords(first.kinesis, 'pinned', ['after-creation']);
    await putRecords(first.kinesis, 'durable', ['d1', 'd2', 'd3', 'd4', 'd5']);
    await untilLogged(first.hako, 'steady', () => batchesOf(first.hako, 'steady'), (b) => b.flat().includes('d5'));
    assert.deepEqual(batchesOf(first.hako, 'steady'), [['d1', 'd2'], ['d3', 'd4'], ['d5']]);
    await first.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
    await putRecords(first.kinesis, 'durable', ['d6', 'd7']); // stored while the mapping is disabled
  } finally {
    await first.stop();
  }

  const second = await startEsmHako({ dataDir });
  try {
    const kept = await second.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    assert.deepEqual([kept.State, kept.BatchSize, kept.LastProcessingResult], ['Disabled', 2, 'OK']);
    await putRecords(second.kinesis, 'durable', ['d8']);
    await second.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
    await second.lambda.send(new UpdateEventSourceMappingCommand({ UUID: pinned, Enabled: true }));
    const batches = await untilLogged(second.hako, 'steady', () => batchesOf(second.hako, 'steady'), (b) => b.flat().includes('d8'));
    assert.deepEqual(batches.flat(), ['d6', 'd7', 'd8'], 'd1–d5 were checkpointed before the restart; d6–d8 come in order');
    const pinnedBatches = await untilLogged(second.hako, 'latecomer', () => batchesOf(second.hako, 'latecomer'), (b) => b.length > 0);
    assert.deepEqual(pinnedBatches, [['after-creation']], 'LATEST is where the mapping was created, not where it first ran');
  } finally {
    await second.stop();
  }
});
