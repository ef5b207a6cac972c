/**
 * @module test/functions/lambda-api.test — the Lambda API through the real `@aws-sdk/client-lambda` with
 * SigV4 (spec §1): CreateFunction from a zip or a hot-reload directory, Get/List/GetConfiguration with the
 * lifecycle fields tools wait on, Invoke (result, function error, log tail, client context, DryRun,
 * executed version), code and configuration updates taking effect for new invocations, PublishVersion
 * and ListVersionsByFunction, DeleteFunction, and the errors Lambda answers with.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { hakoForFile, startTestHako, type TestHako } from '../helpers/hako.js';
import { json, lambdaClient, rejectsWithLambda, ROLE, zipOf } from '../helpers/lambda.js';

let hako: TestHako;
let client: LambdaClient;
hakoForFile(lambdaClient, (started) => {
  ({ hako, client } = started);
});

const ECHO = `
let invocations = 0;
export const handler = async (event, context) => {
  invocations++;
  console.log('event', JSON.stringify(event));
  if (event.fail) throw new RangeError('asked to fail');
  return { echo: event, invocations, version: context.functionVersion, arn: context.invokedFunctionArn, mode: process.env.MODE ?? null, client: context.clientContext ?? null };
};`;

async function createEcho(name: string, extra: Record<string, unknown> = {}): Promise<void> {
  await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.mjs': ECHO }) }, ...extra }));
}

test('CreateFunction from a zip: 201 with the configuration, Active at once; the SDK waiter returns; GetFunction and ListFunctions agree', async () => {
  const created = await client.send(new CreateFunctionCommand({
    FunctionName: 'echo', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Description: 'echoes', MemorySize: 256, Timeout: 5,
    Environment: { Variables: { MODE: 'test' } }, Code: { ZipFile: zipOf({ 'index.mjs': ECHO }) },
  }));
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.deepEqual(
    [created.FunctionName, created.FunctionArn, created.Runtime, created.Handler, created.MemorySize, created.Timeout, created.Version, created.State, created.LastUpdateStatus, created.PackageType],
    ['echo', 'arn:aws:lambda:us-east-1:000000000000:function:echo', 'nodejs20.x', 'index.handler', 256, 5, '$LATEST', 'Active', 'Successful', 'Zip'],
  );
  assert.match(created.CodeSha256 ?? '', /^[A-Za-z0-9+/]{43}=$/);
  assert.ok((created.CodeSize ?? 0) > 0);
  assert.match(created.LastModified ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  assert.deepEqual(created.Environment?.Variables, { MODE: 'test' });
  await waitUntilFunctionActiveV2({ client, maxWaitTime: 5 }, { FunctionName: 'echo' });

  const got = await client.send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:echo' }));
  assert.equal(got.Configuration?.RevisionId, created.RevisionId);
  assert.ok(got.Code?.Location !== undefined);
  const configuration = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'echo' }));
  assert.equal(configuration.Description, 'echoes');
  const listed = await client.send(new ListFunctionsCommand({}));
  assert.ok(listed.Functions?.some((f) => f.FunctionName === 'echo'));
});

test('Invoke: the result with X-Amz-Executed-Version, a warm second call, the log tail, the client context', async () => {
  await createEcho('invoke-me', { Environment: { Variables: { MODE: 'warm' } } });
  // Pretty-printed (line breaks) and beyond Latin-1: both must survive the trip through a header.
  const clientContext = Buffer.from(JSON.stringify({ custom: { from: 'test 箱' } }, null, 2)).toString('base64');
  const first = await client.send(new InvokeCommand({ FunctionName: 'invoke-me', Payload: Buffer.from('{"n":1}'), LogType: 'Tail', ClientContext: clientContext }));
  assert.deepEqual([first.StatusCode, first.ExecutedVersion, first.FunctionError], [200, '$LATEST', undefined]);
  assert.deepEqual(json(first.Payload), { echo: { n: 1 }, invocations: 1, version: '$LATEST', arn: 'arn:aws:lambda:us-east-1:000000000000:function:invoke-me', mode: 'warm', client: { custom: { from: 'test 箱' } } });
  const log = Buffer.from(first.LogResult ?? '', 'base64').toString();
  assert.match(log, /START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
  assert.match(log, /\tINFO\tevent \{"n":1\}\n/);
  assert.match(log, /REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms/);
  const second = await client.send(new InvokeCommand({ FunctionName: 'invoke-me', Payload: Buffer.from('{"n":2}') }));
  assert.equal((json(second.Payload) as { invocations: number }).invocations, 2, 'the same (warm) environment answered');
  assert.equal(second.LogResult, undefined);
});

test('a function error is a 200 with X-Amz-Function-Error: Unhandled and the error document', async () => {
  await createEcho('failing');
  const failed = await client.send(new InvokeCommand({ FunctionName: 'failing', Payload: Buffer.from('{"fail":true}') }));
  assert.deepEqual([failed.StatusCode, failed.FunctionError], [200, 'Unhandled']);
  const error = json(failed.Payload) as { errorType: string; errorMessage: string; trace: string[] };
  assert.deepEqual([error.errorType, error.errorMessage], ['RangeError', 'asked to fail']);
  assert.ok(error.trace.length > 0);
});

test('DryRun answers 204 without running the function; a bad payload, an unknown function and an oversized request are refused as Lambda refuses them', async () => {
  await createEcho('dry');
  const dry = await client.send(new InvokeCommand({ FunctionName: 'dry', InvocationType: 'DryRun', Payload: Buffer.from('{}') }));
  assert.equal(dry.StatusCode, 204);
  assert.equal(hako.functions.logs.read('dry').length, 0, 'nothing ran');
  await rejectsWithLambda(client.send(new InvokeCommand({ FunctionName: 'dry', Payload: Buffer.from('{not json') })), 'InvalidRequestContentException', 400, /^Could not parse request body into json/);
  await rejectsWithLambda(client.send(new InvokeCommand({ FunctionName: 'nobody', Payload: Buffer.from('{}') })), 'ResourceNotFoundException', 404, /^Function not found: arn:aws:lambda:us-east-1:000000000000:function:nobody$/);
  await rejectsWithLambda(client.send(new InvokeCommand({ FunctionName: 'dry', Payload: Buffer.alloc(7 * 1024 * 1024, 0x20) })), 'RequestTooLargeException', 413, /Request must be smaller than 6291456 bytes for the InvokeFunction operation/);
});

test('UpdateFunctionCode and UpdateFunctionConfiguration: new invocations see the change (a cold start), RevisionId guards updates', async () => {
  await createEcho('changing');
  const before = json((await client.send(new InvokeCommand({ FunctionName: 'changing' }))).Payload) as { invocations: number; mode: string | null };
  assert.deepEqual([before.invocations, before.mode], [1, null]);
  const updated = await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'changing', Environment: { Variables: { MODE: 'updated' } }, Timeout: 10 }));
  assert.deepEqual([updated.Timeout, updated.Environment?.Variables?.MODE, updated.Handler], [10, 'updated', 'index.handler']);
  await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 5 }, { FunctionName: 'changing' });
  const after = json((await client.send(new InvokeCommand({ FunctionName: 'changing' }))).Payload) as { invocations: number; mode: string };
  assert.deepEqual([after.invocations, after.mode], [1, 'updated'], 'a new environment with the new configuration');

  const code = await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'changing', ZipFile: zipOf({ 'index.mjs': 'export const handler = async () => "new code";' }) }));
  assert.notEqual(code.CodeSha256, updated.CodeSha256);
  assert.equal(json((await client.send(new InvokeCommand({ FunctionName: 'changing' }))).Payload), 'new code');
  await rejectsWithLambda(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'changing', Timeout: 4, RevisionId: updated.RevisionId })), 'PreconditionFailedException', 412, /Revision Id provided does not match/);
});

test('PublishVersion snapshots $LATEST (again only after a change); a version keeps running its own code', async () => {
  await createEcho('versioned');
  const v1 = await client.send(new PublishVersionCommand({ FunctionName: 'versioned' }));
  assert.deepEqual([v1.$metadata.httpStatusCode, v1.Version, v1.FunctionArn], [201, '1', 'arn:aws:lambda:us-east-1:000000000000:function:versioned:1']);
  assert.equal((await client.send(new PublishVersionCommand({ FunctionName: 'versioned' }))).Version, '1', 'nothing changed: the same version');
  await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'versioned', ZipFile: zipOf({ 'index.mjs': 'export const handler = async (e, c) => "v2 code " + c.functionVersion;' }) }));
  const v2 = await client.send(new PublishVersionCommand({ FunctionName: 'versioned', Description: 'second' }));
  assert.deepEqual([v2.Version, v2.Description], ['2', 'second']);
  const onV1 = await client.send(new InvokeCommand({ FunctionName: 'versioned', Qualifier: '1', Payload: Buffer.from('{"x":1}') }));
  assert.deepEqual([onV1.ExecutedVersion, (json(onV1.Payload) as { version: string; arn: string }).version, (json(onV1.Payload) as { arn: string }).arn], ['1', '1', 'arn:aws:lambda:us-east-1:000000000000:function:versioned:1']);
  const onV2 = await client.send(new InvokeCommand({ FunctionName: 'versioned:2' }));
  assert.deepEqual([onV2.ExecutedVersion, json(onV2.Payload)], ['2', 'v2 code 2']);
  const versions = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'versioned' }));
  assert.deepEqual(versions.Versions?.map((v) => v.Version), ['$LATEST', '1', '2']);
  await rejectsWithLambda(client.send(new InvokeCommand({ FunctionName: 'versioned', Qualifier: '7' })), 'ResourceNotFoundException', 404, /function:versioned:7$/);
});

test('hot reload: a function whose code is a directory on this machine picks up edits in its next environment', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hako-hot-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'app.js'), 'exports.handler = async () => "first edit";');
  const created = await client.send(new CreateFunctionCommand({ FunctionName: 'hot', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'app.handler', Code: { S3Bucket: 'hot-reload', S3Key: dir } }));
  assert.equal(created.State, 'Active');
  assert.equal(json((await client.send(new InvokeCommand({ FunctionName: 'hot' }))).Payload), 'first edit');
  writeFileSync(path.join(dir, 'app.js'), 'exports.handler = async () => "second edit";');
  await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'hot', Description: 'reload' })); // a new revision: new environments
  assert.equal(json((await client.send(new InvokeCommand({ FunctionName: 'hot' }))).Payload), 'second edit');
});

test('CreateFunction refusals: duplicate name 409, bad runtime, reserved variables, bad memory, missing code, not a zip', async () => {
  await createEcho('taken');
  const base = { Runtime: 'nodejs20.x' as const, Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.mjs': ECHO }) } };
  await rejectsWithLambda(client.send(new CreateFunctionCommand({ FunctionName: 'taken', ...base })), 'ResourceConflictException', 409, /^Function already exist: taken$/);
  await rejectsWithLambda(client.send(new CreateFunctionCommand({ FunctionName: 'py', ...base, Runtime: 'python3.12' })), 'InvalidParameterValueException', 400, /python3\.12 is not supported by hako; use one of nodejs18\.x, nodejs20\.x, nodejs22\.x/);
  await rejectsWithLambda(client.send(new CreateFunctionCommand({ FunctionName: 'env', ...base, Environment: { Variables: { AWS_REGION: 'x', FINE: 'y' } } })), 'InvalidParameterValueException', 400, /Reserved keys used in this request: AWS_REGION$/);
  await rejectsWithLambda(client.send(new CreateFunctionCommand({ FunctionName: 'mem', ...base, MemorySize: 64 })), 'InvalidParameterValueException', 400, /at 'memorySize' failed to satisfy constraint: Member must have value between 128 and 10240/);
  await rejectsWithLambda(client.send(new CreateFunctionCommand({ FunctionName: 'nocode', ...base, Code: {} })), 'InvalidParameterValueException', 400, /Code is required/);
  await rejectsWithLambda(client.send(new CreateFunctionCommand({ FunctionName: 'notzip', ...base, Code: { ZipFile: Buffer.from('not a zip at all') } })), 'InvalidParameterValueException', 400, /Could not unzip uploaded file/);
  await rejectsWithLambda(client.send(new CreateFunctionCommand({ FunctionName: 'bad name!', ...base })), 'InvalidParameterValueException', 400, /at 'functionName' failed to satisfy constraint/);
});

test('DeleteFunction: a version, then the whole function; its environments are stopped', async () => {
  await createEcho('doomed', { Publish: true });
  await client.send(new InvokeCommand({ FunctionName: 'doomed' }));
  await rejectsWithLambda(client.send(new DeleteFunctionCommand({ FunctionName: 'doomed', Qualifier: '$LATEST' })), 'InvalidParameterValueException', 400, /\$LATEST version cannot be deleted/);
  const deletedVersion = await client.send(new DeleteFunctionCommand({ FunctionName: 'doomed', Qualifier: '1' }));
  assert.equal(deletedVersion.$metadata.httpStatusCode, 204);
  assert.deepEqual((await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'doomed' }))).Versions?.map((v) => v.Version), ['$LATEST']);
  await client.send(new DeleteFunctionCommand({ FunctionName: 'doomed' }));
  await rejectsWithLambda(client.send(new GetFunctionCommand({ FunctionName: 'doomed' })), 'ResourceNotFoundException', 404);
});

test('functions survive a restart of hako with the same data directory', async () => {
  // A hako of its own, stopped and started again: one hako holds a data directory at a time.
  const first = await startTestHako();
  const dataDir = first.dataDir;
  const before = lambdaClient(first);
  try {
    await before.send(new CreateFunctionCommand({ FunctionName: 'durable', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.mjs': ECHO }) } }));
  } finally {
    before.destroy();
    await first.stop();
  }
  const restarted = await startTestHako({}, dataDir);
  const other = lambdaClient(restarted);
  try {
    assert.equal((await other.send(new GetFunctionConfigurationCommand({ FunctionName: 'durable' }))).Handler, 'index.handler');
    assert.deepEqual((json((await other.send(new InvokeCommand({ FunctionName: 'durable', Payload: Buffer.from('{"k":"v"}') }))).Payload) as { echo: unknown }).echo, { k: 'v' });
  } finally {
    other.destroy();
    await restarted.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
