/**
 * @module test/functions/aliases-concurrency.test — aliases and concurrency through `@aws-sdk/client-lambda`
 * (spec §4, §5): an alias names a version, weighted routing sends a share to one more version, versions
 * an alias uses cannot be deleted; reserved concurrency caps a function, and synchronous calls over the cap
 * get 429 TooManyRequestsException with Lambda's Reason at once. Environments: an update lets the call in
 * flight finish on the old code, and a crash makes the next call a cold start.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  InvokeCommand,
  ListAliasesCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { hakoForFile } from '../helpers/hako.js';
import { json, lambdaClient, rejectsWithLambda, ROLE, zipOf } from '../helpers/lambda.js';

let client: LambdaClient;
hakoForFile(lambdaClient, (started) => {
  ({ client } = started);
});

const VERSIONED = (label: string): string => `export const handler = async (event, context) => ({ label: ${JSON.stringify(label)}, version: context.functionVersion, arn: context.invokedFunctionArn });`;

/** A function with versions 1 and 2, whose code says which it is. */
async function twoVersions(name: string): Promise<void> {
  await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.mjs': VERSIONED('one') }) }, Publish: true }));
  await client.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zipOf({ 'index.mjs': VERSIONED('two') }), Publish: true }));
}

async function invokeVia(qualified: string): Promise<{ executed: string | undefined; body: { label: string; version: string; arn: string } }> {
  const answer = await client.send(new InvokeCommand({ FunctionName: qualified }));
  return { executed: answer.ExecutedVersion, body: json(answer.Payload) as { label: string; version: string; arn: string } };
}

test('an alias invokes its version: the executed version, context.functionVersion and the alias ARN the function sees', async () => {
  await twoVersions('aliased');
  const created = await client.send(new CreateAliasCommand({ FunctionName: 'aliased', Name: 'prod', FunctionVersion: '1', Description: 'stable' }));
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.deepEqual([created.AliasArn, created.FunctionVersion, created.Description], ['arn:aws:lambda:us-east-1:000000000000:function:aliased:prod', '1', 'stable']);
  const viaAlias = await invokeVia('aliased:prod');
  assert.deepEqual([viaAlias.executed, viaAlias.body.label, viaAlias.body.version, viaAlias.body.arn], ['1', 'one', '1', 'arn:aws:lambda:us-east-1:000000000000:function:aliased:prod']);

  const moved = await client.send(new UpdateAliasCommand({ FunctionName: 'aliased', Name: 'prod', FunctionVersion: '2' }));
  assert.deepEqual([moved.FunctionVersion, moved.Description], ['2', 'stable'], 'fields not given are kept');
  assert.equal((await invokeVia('aliased:prod')).body.label, 'two');
  await rejectsWithLambda(client.send(new UpdateAliasCommand({ FunctionName: 'aliased', Name: 'prod', FunctionVersion: '1', RevisionId: created.RevisionId })), 'PreconditionFailedException', 412);

  const got = await client.send(new GetAliasCommand({ FunctionName: 'aliased', Name: 'prod' }));
  assert.equal(got.RevisionId, moved.RevisionId);
  await client.send(new CreateAliasCommand({ FunctionName: 'aliased', Name: 'beta', FunctionVersion: '1' }));
  assert.deepEqual((await client.send(new ListAliasesCommand({ FunctionName: 'aliased' }))).Aliases?.map((a) => a.Name), ['beta', 'prod']);
  assert.deepEqual((await client.send(new ListAliasesCommand({ FunctionName: 'aliased', FunctionVersion: '1' }))).Aliases?.map((a) => a.Name), ['beta']);
  assert.equal((await client.send(new DeleteAliasCommand({ FunctionName: 'aliased', Name: 'beta' }))).$metadata.httpStatusCode, 204);
  await rejectsWithLambda(client.send(new GetAliasCommand({ FunctionName: 'aliased', Name: 'beta' })), 'ResourceNotFoundException', 404, /Alias not found: beta/);
});

test('weighted routing: weight 1 sends every invocation to the additional version, weight 0 none', async () => {
  await twoVersions('canary');
  await client.send(new CreateAliasCommand({ FunctionName: 'canary', Name: 'live', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: { '1': 1 } } }));
  for (let i = 0; i < 5; i++) assert.deepEqual(await invokeVia('canary:live').then((r) => [r.executed, r.body.label]), ['1', 'one']);
  const none = await client.send(new UpdateAliasCommand({ FunctionName: 'canary', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '1': 0 } } }));
  assert.deepEqual(none.RoutingConfig?.AdditionalVersionWeights, { '1': 0 });
  for (let i = 0; i < 5; i++) assert.deepEqual(await invokeVia('canary:live').then((r) => [r.executed, r.body.label]), ['2', 'two']);
});

test('alias refusals: a numeric name, a duplicate, a missing version, two extra versions, deleting a version an alias uses', async () => {
  await twoVersions('strict');
  await client.send(new PublishVersionCommand({ FunctionName: 'strict' })); // unchanged: still 2 versions
  await rejectsWithLambda(client.send(new CreateAliasCommand({ FunctionName: 'strict', Name: '123', FunctionVersion: '1' })), 'InvalidParameterValueException', 400, /at 'name' failed to satisfy constraint/);
  await client.send(new CreateAliasCommand({ FunctionName: 'strict', Name: 'prod', FunctionVersion: '1' }));
  await rejectsWithLambda(client.send(new CreateAliasCommand({ FunctionName: 'strict', Name: 'prod', FunctionVersion: '2' })), 'ResourceConflictException', 409, /Alias already exists: prod/);
  await rejectsWithLambda(client.send(new CreateAliasCommand({ FunctionName: 'strict', Name: 'ghost', FunctionVersion: '9' })), 'ResourceNotFoundException', 404);
  await rejectsWithLambda(client.send(new UpdateAliasCommand({ FunctionName: 'strict', Name: 'prod', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5, $LATEST: 0.1 } } })), 'InvalidParameterValueException', 400, /cannot be greater than 1/);
  await rejectsWithLambda(client.send(new DeleteFunctionCommand({ FunctionName: 'strict', Qualifier: '1' })), 'ResourceConflictException', 409, /following aliases reference it: \[prod\]/);
  await rejectsWithLambda(client.send(new InvokeCommand({ FunctionName: 'strict:nope' })), 'ResourceNotFoundException', 404, /function:strict:nope$/);
});

/** A TCP server the test function connects to and waits on, so the test decides when invocations end. */
async function holdServer(): Promise<{ port: number; held: () => number; waitForHeld: (n: number) => Promise<void>; releaseAll: () => void; close: () => void }> {
  const sockets: net.Socket[] = [];
  let waiter: { n: number; resolve: () => void } | undefined;
  const server = net.createServer((socket) => {
    sockets.push(socket);
    if (waiter !== undefined && sockets.length >= waiter.n) waiter.resolve();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    held: () => sockets.length,
    waitForHeld: (n) => (sockets.length >= n ? Promise.resolve() : new Promise((resolve) => (waiter = { n, resolve }))),
    releaseAll: () => sockets.splice(0).forEach((socket) => socket.end('go')),
    close: () => server.close(),
  };
}

const HELD = `
import net from 'node:net';
export const handler = (event) => new Promise((resolve, reject) => {
  const socket = net.connect(event.port, '127.0.0.1');
  socket.on('data', () => { socket.destroy(); resolve('released'); });
  socket.on('error', reject);
});`;

test('reserved concurrency 2 with 5 parallel sync calls: 2 run, 3 get 429 ReservedFunctionConcurrentInvocationLimitExceeded at once', async (t) => {
  const hold = await holdServer();
  t.after(() => hold.close());
  await client.send(new CreateFunctionCommand({ FunctionName: 'capped', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Timeout: 30, Code: { ZipFile: zipOf({ 'index.mjs': HELD }) } }));
  assert.deepEqual((await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'capped', ReservedConcurrentExecutions: 2 }))).ReservedConcurrentExecutions, 2);
  assert.equal((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'capped' }))).ReservedConcurrentExecutions, 2);
  assert.equal((await client.send(new GetFunctionCommand({ FunctionName: 'capped' }))).Concurrency?.ReservedConcurrentExecutions, 2);

  const payload = Buffer.from(JSON.stringify({ port: hold.port }));
  const running = [1, 2].map(() => client.send(new InvokeCommand({ FunctionName: 'capped', Payload: payload })));
  await hold.waitForHeld(2); // both are inside the function
  for (let i = 0; i < 3; i++) {
    const error = await rejectsWithLambda(client.send(new InvokeCommand({ FunctionName: 'capped', Payload: payload })), 'TooManyRequestsException', 429, /^Rate Exceeded\.$/);
    assert.equal((error as unknown as { Reason?: string }).Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
  }
  assert.equal(hold.held(), 2, 'the throttled calls never reached the function');
  hold.releaseAll();
  assert.deepEqual((await Promise.all(running)).map((answer) => json(answer.Payload)), ['released', 'released']);

  await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'capped', ReservedConcurrentExecutions: 0 }));
  const disabled = await rejectsWithLambda(client.send(new InvokeCommand({ FunctionName: 'capped', Payload: payload })), 'TooManyRequestsException', 429);
  assert.equal((disabled as unknown as { Reason?: string }).Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded', 'reserved 0 disables the function');
  assert.equal((await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'capped' }))).$metadata.httpStatusCode, 204);
  assert.equal((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'capped' }))).ReservedConcurrentExecutions, undefined);
});

test('reserving so much that fewer than 100 stay unreserved is refused', async () => {
  await client.send(new CreateFunctionCommand({ FunctionName: 'greedy', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.mjs': VERSIONED('x') }) } }));
  await rejectsWithLambda(client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'greedy', ReservedConcurrentExecutions: 950 })), 'InvalidParameterValueException', 400, /below its minimum value of \[100\]/);
  assert.equal((await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'greedy', ReservedConcurrentExecutions: 900 }))).ReservedConcurrentExecutions, 900);
});

test('an update does not interrupt an invocation in flight: it finishes on the old code while new calls run the new', async (t) => {
  const hold = await holdServer();
  t.after(() => hold.close());
  const OLD = HELD.replace("resolve('released')", "resolve('old code')");
  await client.send(new CreateFunctionCommand({ FunctionName: 'rolling', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Timeout: 30, Code: { ZipFile: zipOf({ 'index.mjs': OLD }) } }));
  const inFlight = client.send(new InvokeCommand({ FunctionName: 'rolling', Payload: Buffer.from(JSON.stringify({ port: hold.port })) }));
  await hold.waitForHeld(1);
  await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'rolling', ZipFile: zipOf({ 'index.mjs': 'export const handler = async () => "new code";' }) }));
  assert.equal(json((await client.send(new InvokeCommand({ FunctionName: 'rolling' }))).Payload), 'new code');
  hold.releaseAll();
  const finished = await inFlight;
  assert.deepEqual([finished.FunctionError, json(finished.Payload)], [undefined, 'old code']);
});

test('after a crash the next invocation is a cold start in a new environment', async () => {
  const source = "let count = 0;\nexport const handler = async (e) => { count++; if (e.exit) process.exit(2); return count; };";
  await client.send(new CreateFunctionCommand({ FunctionName: 'phoenix', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.mjs': source }) } }));
  const invoke = (event: object) => client.send(new InvokeCommand({ FunctionName: 'phoenix', Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }));
  const log = (answer: { LogResult?: string | undefined }): string => Buffer.from(answer.LogResult ?? '', 'base64').toString();
  assert.equal(json((await invoke({})).Payload), 1);
  const warm = await invoke({});
  assert.equal(json(warm.Payload), 2);
  assert.doesNotMatch(log(warm), /Init Duration/);
  const crashed = await invoke({ exit: true });
  assert.equal((json(crashed.Payload) as { errorType: string }).errorType, 'Runtime.ExitError');
  const reborn = await invoke({});
  assert.equal(json(reborn.Payload), 1, 'module state started over');
  assert.match(log(reborn), /Init Duration: [\d.]+ ms/);
});
