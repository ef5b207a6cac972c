/**
 * @module test/functions/event-sources/mapping-api.test — Create/Get/List/Update/DeleteEventSourceMapping
 * through the real `@aws-sdk/client-lambda` (spec §1.7, §7.1, §7.2): AWS's status codes and response
 * shape, the states each call reports, function names as names, ARNs, partial ARNs and with qualifiers,
 * list filters and paging, and the validation errors with AWS's types and statuses.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  PublishVersionCommand,
  UpdateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
  type EventSourceMappingConfiguration,
  type FunctionResponseType,
} from '@aws-sdk/client-lambda';
import { rejectsWithLambda } from '../../helpers/lambda.js';
import { ACCOUNT, createFunction, createStream, FUNCTION_ARN, RECORDER, REGION, startEsmHako, streamArn, type EsmHako } from './helpers.js';

let esm: EsmHako;
let orders: string;
let audit: string;
before(async () => {
  esm = await startEsmHako();
  orders = await createStream(esm.kinesis, 'orders');
  audit = await createStream(esm.kinesis, 'audit');
  for (const name of ['api-target', 'api-other', 'api-dest']) await createFunction(esm.lambda, name, RECORDER);
});
after(async () => {
  await esm.close();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function create(input: Partial<CreateEventSourceMappingCommandInput>): Promise<EventSourceMappingConfiguration & { $metadata: { httpStatusCode?: number } }> {
  return esm.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'api-target', EventSourceArn: orders, StartingPosition: 'LATEST', Enabled: false, ...input }));
}

test('CreateEventSourceMapping: 202 with AWS\'s configuration, State Creating, then Enabled; defaults as AWS\'s', async () => {
  const created = await create({ FunctionName: 'api-target', EventSourceArn: audit, StartingPosition: 'TRIM_HORIZON', Enabled: undefined });
  assert.equal(created.$metadata.httpStatusCode, 202);
  assert.match(created.UUID ?? '', UUID);
  assert.ok(created.LastModified instanceof Date && Math.abs(created.LastModified.getTime() - Date.now()) < 60_000);
  const { $metadata: _, LastModified: __, ...rest } = created;
  assert.deepEqual(rest, {
    UUID: created.UUID,
    StartingPosition: 'TRIM_HORIZON',
    BatchSize: 100,
    MaximumBatchingWindowInSeconds: 0,
    ParallelizationFactor: 1,
    EventSourceArn: audit,
    FunctionArn: `${FUNCTION_ARN}:api-target`,
    LastProcessingResult: 'No records processed',
    State: 'Creating',
    StateTransitionReason: 'User action',
    DestinationConfig: { OnFailure: {} },
    MaximumRecordAgeInSeconds: -1,
    BisectBatchOnFunctionError: false,
    MaximumRetryAttempts: -1,
    TumblingWindowInSeconds: 0,
    FunctionResponseTypes: [],
    EventSourceMappingArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:${created.UUID}`,
  });
  const got = await esm.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
  assert.equal(got.$metadata.httpStatusCode, 200);
  assert.deepEqual([got.State, got.UUID, got.LastModified?.getTime()], ['Enabled', created.UUID, created.LastModified?.getTime()]);
  await esm.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
});

test('every setting given is kept and answered; AT_TIMESTAMP keeps its timestamp', async () => {
  const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
  const created = await create({
    StartingPosition: 'AT_TIMESTAMP',
    StartingPositionTimestamp: at,
    BatchSize: 25,
    MaximumBatchingWindowInSeconds: 5,
    ParallelizationFactor: 1,
    MaximumRetryAttempts: 3,
    MaximumRecordAgeInSeconds: 3600,
    BisectBatchOnFunctionError: true,
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    DestinationConfig: { OnFailure: { Destination: `${FUNCTION_ARN}:api-dest` } },
    TumblingWindowInSeconds: 0,
  });
  const got = await esm.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
  for (const answer of [created, got]) {
    assert.deepEqual(
      [answer.StartingPosition, answer.StartingPositionTimestamp?.getTime(), answer.BatchSize, answer.MaximumBatchingWindowInSeconds, answer.MaximumRetryAttempts, answer.MaximumRecordAgeInSeconds, answer.BisectBatchOnFunctionError, answer.FunctionResponseTypes, answer.DestinationConfig],
      ['AT_TIMESTAMP', at.getTime(), 25, 5, 3, 3600, true, ['ReportBatchItemFailures'], { OnFailure: { Destination: `${FUNCTION_ARN}:api-dest` } }],
    );
  }
  assert.equal(got.State, 'Disabled');
  await esm.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
});

test('FunctionName as a full ARN, a partial ARN, or with an alias or version qualifier; FunctionArn answers as named', async () => {
  await esm.lambda.send(new PublishVersionCommand({ FunctionName: 'api-other' }));
  await esm.lambda.send(new CreateAliasCommand({ FunctionName: 'api-other', Name: 'live', FunctionVersion: '1' }));
  const cases: Array<[name: string, arn: string]> = [
    [`${FUNCTION_ARN}:api-other`, `${FUNCTION_ARN}:api-other`],
    [`${ACCOUNT}:function:api-other:1`, `${FUNCTION_ARN}:api-other:1`],
    ['api-other:live', `${FUNCTION_ARN}:api-other:live`],
  ];
  for (const [name, arn] of cases) {
    const created = await create({ FunctionName: name });
    assert.equal(created.FunctionArn, arn, name);
    await esm.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
  }
  await rejectsWithLambda(create({ FunctionName: 'api-other:nope' }), 'ResourceNotFoundException', 404, /Function not found: arn:aws:lambda:us-east-1:000000000000:function:api-other:nope/);
});

test('one mapping per stream and function: a second is 409 naming the first', async () => {
  const first = await create({});
  await rejectsWithLambda(create({ FunctionName: `${FUNCTION_ARN}:api-target` }), 'ResourceConflictException', 409, new RegExp(`provided mapping already exists\\. Please update or delete the existing mapping with UUID ${first.UUID}`));
  await esm.lambda.send(new DeleteEventSourceMappingCommand({ UUID: first.UUID }));
});

test('ListEventSourceMappings: filtered by EventSourceArn and FunctionName, paged with MaxItems and Marker', async () => {
  const made = [
    await create({ FunctionName: 'api-target', EventSourceArn: orders }),
    await create({ FunctionName: 'api-other', EventSourceArn: orders }),
    await create({ FunctionName: 'api-target', EventSourceArn: audit }),
  ].map((m) => m.UUID);
  const list = async (input: { EventSourceArn?: string; FunctionName?: string }): Promise<string[]> => {
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await esm.lambda.send(new ListEventSourceMappingsCommand({ ...input, MaxItems: 1, ...(marker === undefined ? {} : { Marker: marker }) }));
      assert.ok((page.EventSourceMappings ?? []).length <= 1);
      seen.push(...(page.EventSourceMappings ?? []).map((m) => m.UUID ?? ''));
      marker = page.NextMarker;
    } while (marker !== undefined);
    return seen;
  };
  assert.deepEqual(await list({}), made, 'creation order, every page of one');
  assert.deepEqual(await list({ EventSourceArn: orders }), [made[0], made[1]]);
  assert.deepEqual(await list({ FunctionName: `${FUNCTION_ARN}:api-target` }), [made[0], made[2]]);
  assert.deepEqual(await list({ FunctionName: 'api-target', EventSourceArn: audit }), [made[2]]);
  await rejectsWithLambda(esm.lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 0 })), 'InvalidParameterValueException', 400);
  for (const uuid of made) await esm.lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
});

test('UpdateEventSourceMapping: 202 with Updating / Enabling / Disabling, then the settled state; only given fields change', async () => {
  const created = await create({ BatchSize: 10, MaximumRetryAttempts: 4 });
  const updated = await esm.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, BatchSize: 50 }));
  assert.deepEqual([updated.$metadata.httpStatusCode, updated.State, updated.BatchSize, updated.MaximumRetryAttempts], [202, 'Updating', 50, 4]);
  const enabling = await esm.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: true }));
  assert.equal(enabling.State, 'Enabling');
  assert.equal((await esm.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State, 'Enabled');
  const disabling = await esm.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: false, FunctionName: 'api-other', DestinationConfig: { OnFailure: { Destination: streamArn('audit') } } }));
  assert.deepEqual([disabling.State, disabling.FunctionArn, disabling.DestinationConfig?.OnFailure?.Destination], ['Disabling', `${FUNCTION_ARN}:api-other`, audit]);
  const got = await esm.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
  assert.deepEqual([got.State, got.BatchSize, got.StartingPosition], ['Disabled', 50, 'LATEST']);
  const cleared = await esm.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, DestinationConfig: { OnFailure: { Destination: '' } } }));
  assert.deepEqual(cleared.DestinationConfig, { OnFailure: {} });
  await rejectsWithLambda(esm.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, BatchSize: 0 })), 'InvalidParameterValueException', 400, /batchSize/);
  await esm.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
});

test('DeleteEventSourceMapping: 202 with State Deleting; then Get, Update and Delete are 404 as AWS words it', async () => {
  const created = await create({});
  const deleted = await esm.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
  assert.deepEqual([deleted.$metadata.httpStatusCode, deleted.State, deleted.UUID], [202, 'Deleting', created.UUID]);
  const gone = /^The resource you requested does not exist\.$/;
  await rejectsWithLambda(esm.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID })), 'ResourceNotFoundException', 404, gone);
  await rejectsWithLambda(esm.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, BatchSize: 5 })), 'ResourceNotFoundException', 404, gone);
  await rejectsWithLambda(esm.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID })), 'ResourceNotFoundException', 404, gone);
});

test('validation: AWS\'s ranges (InvalidParameterValueException 400) and what hako refuses, in plain words', async () => {
  const invalid: Array<[input: Partial<CreateEventSourceMappingCommandInput>, message: RegExp]> = [
    [{ BatchSize: 0 }, /Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1/],
    [{ BatchSize: 10_001 }, /at 'batchSize'.*less than or equal to 10000/],
    [{ MaximumBatchingWindowInSeconds: 301 }, /maximumBatchingWindowInSeconds.*less than or equal to 300/],
    [{ MaximumRetryAttempts: -2 }, /maximumRetryAttempts.*greater than or equal to -1/],
    [{ MaximumRetryAttempts: 10_001 }, /maximumRetryAttempts.*less than or equal to 10000/],
    [{ MaximumRecordAgeInSeconds: 30 }, /MaximumRecordAgeInSeconds must be -1 \(no limit\) or between 60 and 604800/],
    [{ MaximumRecordAgeInSeconds: 604_801 }, /maximumRecordAgeInSeconds.*less than or equal to 604800/],
    [{ ParallelizationFactor: 2 }, /ParallelizationFactor 2 is not supported: hako processes one batch per shard at a time/],
    [{ ParallelizationFactor: 11 }, /parallelizationFactor.*less than or equal to 10/],
    [{ TumblingWindowInSeconds: 60 }, /TumblingWindowInSeconds is not supported/],
    [{ FilterCriteria: { Filters: [{ Pattern: '{"data":{"a":[1]}}' }] } }, /FilterCriteria is not supported/],
    [{ FunctionResponseTypes: ['Everything' as FunctionResponseType] }, /functionResponseTypes.*ReportBatchItemFailures/],
    [{ StartingPosition: undefined }, /StartingPosition is required/],
    [{ StartingPosition: 'AT_TIMESTAMP' }, /StartingPositionTimestamp must be given/],
    [{ StartingPosition: 'AT_SEQUENCE_NUMBER' as 'LATEST' }, /startingPosition.*TRIM_HORIZON, LATEST, AT_TIMESTAMP/],
    [{ EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:queue' }, /not supported: hako's event source mappings read hako's Kinesis streams/],
    [{ EventSourceArn: streamArn('no-such-stream') }, /Cannot access stream arn:aws:kinesis:us-east-1:000000000000:stream\/no-such-stream/],
    [{ EventSourceArn: 'arn:aws:kinesis:eu-west-1:000000000000:stream/orders' }, /Cannot access stream/],
    [{ DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:dlq' } } }, /is an SQS queue: hako has no SQS, SNS or S3/],
    [{ DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:us-east-1:000000000000:topic' } } }, /is an SNS topic/],
    [{ DestinationConfig: { OnFailure: { Destination: `${FUNCTION_ARN}:no-such-function` } } }, /does not exist in hako/],
    [{ DestinationConfig: { OnFailure: { Destination: streamArn('no-such-stream') } } }, /does not exist in hako/],
    [{ DestinationConfig: { OnSuccess: { Destination: `${FUNCTION_ARN}:api-dest` } } }, /Unsupported DestinationConfig parameter/],
    [{ FunctionName: 'bad name!' }, /failed to satisfy constraint: Member must satisfy regular expression pattern/],
  ];
  for (const [input, message] of invalid) await rejectsWithLambda(create(input), 'InvalidParameterValueException', 400, message);
  await rejectsWithLambda(create({ FunctionName: 'no-such-function' }), 'ResourceNotFoundException', 404, /Function not found/);
  const { EventSourceMappings } = await esm.lambda.send(new ListEventSourceMappingsCommand({}));
  assert.deepEqual(EventSourceMappings, [], 'nothing was created by a refused request');
});
