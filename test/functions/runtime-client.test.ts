/**
 * @module test/functions/runtime-client.test — the runtime's side of the Runtime API against a raw TCP server that
 * plays hako: an answer goes out with the next poll behind it in the same write, and responses that arrive together
 * in one chunk are each handed to their request, in order; a 4xx answer is not fatal and the poll still completes.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { RuntimeClient } from '../../src/functions/runtime/nodejs/runtime-client.js';

const invocation = (id: string, event: string): string =>
  `HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: ${id}\r\nLambda-Runtime-Deadline-Ms: 1700000000000\r\nLambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:000000000000:function:f\r\nContent-Length: ${Buffer.byteLength(event)}\r\n\r\n${event}`;
const status = (code: number, text: string, body: string): string => `HTTP/1.1 ${code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** A server that answers each chunk it reads with the next of `replies` (whole, in one write), and records the chunks. */
async function fakeRuntimeApi(replies: string[]): Promise<{ address: string; chunks: string[]; close: () => Promise<void> }> {
  const chunks: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => {
      chunks.push(chunk.toString('utf8'));
      const reply = replies.shift();
      if (reply !== undefined) socket.write(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const close = (): Promise<void> => new Promise((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  });
  return { address: `127.0.0.1:${port}`, chunks, close };
}

test('an answer and the next poll go out in one write; two responses in one chunk settle both, in order', { timeout: 10_000 }, async (t) => {
  const api = await fakeRuntimeApi([
    invocation('req-1', '{"n":1}'),
    // The 202 for req-1's answer and the next invocation, in one write.
    status(202, 'Accepted', '{"status":"OK"}') + invocation('req-2', '{"n":2}'),
    status(413, 'Payload Too Large', '{"errorType":"RequestEntityTooLarge"}') + invocation('req-3', '{"n":3}'),
  ]);
  t.after(() => api.close());
  const client = new RuntimeClient(api.address);
  const first = await client.next();
  assert.deepEqual([first.requestId, first.payload], ['req-1', '{"n":1}']);
  await client.postResponse('req-1', '"one"');
  const second = await client.next();
  assert.deepEqual([second.requestId, second.payload], ['req-2', '{"n":2}']);
  await client.postError('req-2', { errorType: 'TypeError', errorMessage: 'too big, say', trace: [] });
  const third = await client.next();
  assert.deepEqual([third.requestId, third.payload], ['req-3', '{"n":3}']);
  assert.equal(api.chunks.length, 3);
  assert.match(api.chunks[1] ?? '', /^POST \/2018-06-01\/runtime\/invocation\/req-1\/response HTTP\/1\.1\r\n[\s\S]*\r\n\r\n"one"GET \/2018-06-01\/runtime\/invocation\/next HTTP\/1\.1\r\n/);
  assert.match(api.chunks[2] ?? '', /^POST \/2018-06-01\/runtime\/invocation\/req-2\/error HTTP\/1\.1\r\nHost: [^\r]+\r\nLambda-Runtime-Function-Error-Type: TypeError\r\n[\s\S]*GET \/2018-06-01\/runtime\/invocation\/next HTTP\/1\.1\r\n/);
});
