/**
 * @module test/process/async-crash.test — asynchronous invocations acknowledged with 202 survive `kill -9`:
 * the events still queued, and the one running at the crash, all run after the restart, each with the
 * request id its 202 carried (at least once).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { rootCredentials } from '../helpers/aws.js';
import { ROLE, zipOf } from '../helpers/lambda.js';
import { startHakoProcess, tempDir, waitForExit } from '../helpers/process-hako.js';

/** Connects to the test, says its request id, and finishes when the test answers. */
const REPORTING = `
import net from 'node:net';
export const handler = (event, context) => new Promise((resolve, reject) => {
  const socket = net.connect(event.port, '127.0.0.1', () => socket.write(context.awsRequestId + '\\n'));
  socket.on('data', () => { socket.destroy(); resolve('ok'); });
  socket.on('error', reject);
});`;

/** Where invocations report; `release` decides whether they are let go at once. */
async function reportServer(): Promise<{ port: number; seen: string[]; waitFor: (predicate: () => boolean) => Promise<void>; release: boolean; close: () => void }> {
  const state = { seen: [] as string[], release: false, waiters: [] as Array<{ predicate: () => boolean; resolve: () => void }> };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // a function killed with hako resets its socket
    socket.once('data', (data) => {
      state.seen.push(data.toString().trim());
      if (handle.release) socket.end('go');
      for (const waiter of [...state.waiters]) {
        if (!waiter.predicate()) continue;
        state.waiters.splice(state.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const handle = {
    port: (server.address() as net.AddressInfo).port,
    seen: state.seen,
    release: false,
    waitFor: (predicate: () => boolean) => (predicate() ? Promise.resolve() : new Promise<void>((resolve) => state.waiters.push({ predicate, resolve }))),
    close: () => {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
  return handle;
}

function clientFor(port: number, dataDir: string): LambdaClient {
  return new LambdaClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: rootCredentials(dataDir), maxAttempts: 1 });
}

test('kill -9 with one asynchronous event running and two queued: after the restart all three run, with their request ids', async (t) => {
  const dataDir = tempDir(t);
  const config = path.join(dataDir, 'hako.yaml');
  writeFileSync(config, 'functions:\n  asyncRetryDelay: 0.05\n');
  const reports = await reportServer();
  t.after(() => reports.close());

  const first = await startHakoProcess(t, dataDir, ['--config', config]);
  const lambda = clientFor(first.ports.http, dataDir);
  t.after(() => lambda.destroy());
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'reporting', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Timeout: 60, Code: { ZipFile: zipOf({ 'index.mjs': REPORTING }) } }));
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'reporting', ReservedConcurrentExecutions: 1 })); // one at a time
  const accepted: string[] = [];
  for (let i = 0; i < 3; i++) {
    const answer = await lambda.send(new InvokeCommand({ FunctionName: 'reporting', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ port: reports.port, i })) }));
    assert.equal(answer.StatusCode, 202);
    accepted.push(answer.$metadata.requestId as string);
  }
  await reports.waitFor(() => reports.seen.length >= 1); // one is running (held), two wait for the slot
  const runningAtCrash = reports.seen[0] as string;
  assert.ok(accepted.includes(runningAtCrash));
  first.hako.child.kill('SIGKILL');
  assert.equal((await waitForExit(first.hako)).signal, 'SIGKILL');

  reports.release = true;
  const before = reports.seen.length;
  const second = await startHakoProcess(t, dataDir, ['--config', config]);
  await reports.waitFor(() => new Set(reports.seen.slice(before)).size >= 3);
  assert.deepEqual(new Set(reports.seen.slice(before)), new Set(accepted), 'every acknowledged event ran after the restart, the interrupted one again');
  second.hako.child.kill('SIGTERM');
  await waitForExit(second.hako);
});
