/**
 * @module test/functions/runtime-api-transport.test — the Runtime API server and hako's runtime client over both of
 * their connections: loopback TCP (`AWS_LAMBDA_RUNTIME_API`, what the official runtime interface clients use) and the
 * socket pair hako hands its own runtime on descriptor 3 at spawn (`RuntimeApiServer.accept`). Over the pair, the
 * TCP address given to the client is a port nothing listens on, so an answer proves the pair carried it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RuntimeApiServer } from '../../src/functions/runtime-api/server.js';
import { RuntimeClient } from '../../src/functions/runtime/nodejs/runtime-client.js';

const CLIENT = fileURLToPath(new URL('../../src/functions/runtime/nodejs/runtime-client.js', import.meta.url));

const invocation = (requestId: string, event: string) => ({ requestId, payload: Buffer.from(event), deadlineMs: Date.now() + 3000, invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', traceId: 'Root=1-00000000-000000000000000000000000' });

test('over TCP: the client polls, gets the event, and its answer reaches the server', { timeout: 10_000 }, async (t) => {
  const api = await RuntimeApiServer.start();
  t.after(() => api.close());
  const client = new RuntimeClient(api.address);
  const answered = api.deliver(invocation('req-tcp', '{"via":"tcp"}'));
  const next = await client.next();
  assert.deepEqual([next.requestId, next.payload], ['req-tcp', '{"via":"tcp"}']);
  await client.postResponse(next.requestId, '{"ok":"tcp"}');
  const answer = await answered;
  assert.equal(answer.kind, 'response');
  assert.equal(answer.kind === 'response' && answer.body.toString(), '{"ok":"tcp"}');
});

test('over the socket pair on descriptor 3: two invocations in a child process, its TCP address unused', { timeout: 15_000 }, async (t) => {
  const api = await RuntimeApiServer.start();
  t.after(() => api.close());
  // The child answers each event with the event's text reversed, over fd 3; 127.0.0.1:1 would refuse a connection.
  // After its second answer it polls again, as a runtime does, and waits until it is killed.
  const script = `
    const { RuntimeClient } = await import(${JSON.stringify(CLIENT)});
    const client = new RuntimeClient('127.0.0.1:1', { fd: 3 });
    for (let i = 0; i < 2; i++) {
      const next = await client.next();
      await client.postResponse(next.requestId, JSON.stringify([...next.payload].reverse().join('')));
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'inherit', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  t.after(() => void child.kill());
  api.accept(child.stdio[3] as Socket);
  for (const [id, event] of [['req-1', '{"n":1}'], ['req-2', '{"n":2}']] as const) {
    const answer = await api.deliver(invocation(id, event));
    assert.equal(answer.kind, 'response', stderr);
    assert.equal(answer.kind === 'response' && JSON.parse(answer.body.toString()), [...event].reverse().join(''));
  }
  assert.equal(stderr, '');
});
