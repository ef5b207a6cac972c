/**
 * @module test/http/h2c.test — HTTP/2 with prior knowledge and HTTP/1.1 on the same plain port: the
 * Kinesis SDK client with its default (HTTP/2) handler works against hako unchanged, and HTTP/1.1
 * clients are unaffected; a connection that never speaks is closed.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { CreateStreamCommand, KinesisClient, ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { rootCredentials } from '../helpers/aws.js';
import { hakoForFile, type TestHako } from '../helpers/hako.js';
import { acceptH2c } from '../../src/http/h2c.js';

let hako: TestHako;
let kinesis: KinesisClient;
// No requestHandler: the SDK's default for Kinesis, NodeHttp2Handler, as users' code has it.
hakoForFile((started) => new KinesisClient({ endpoint: `http://127.0.0.1:${started.ports.http}`, region: 'us-east-1', credentials: rootCredentials(started.dataDir), maxAttempts: 1 }), (started) => {
  ({ hako, client: kinesis } = started);
});

test('the Kinesis SDK client speaks HTTP/2 (its default) to hako, SigV4 and all', async () => {
  await kinesis.send(new CreateStreamCommand({ StreamName: 'h2', ShardCount: 1 }));
  const put = await kinesis.send(new PutRecordCommand({ StreamName: 'h2', PartitionKey: 'k', Data: Buffer.from('over h2c') }));
  assert.match(put.SequenceNumber ?? '', /^\d{56}$/);
  assert.deepEqual((await kinesis.send(new ListStreamsCommand({}))).StreamNames, ['h2']);
});

test('HTTP/1.1 on the same port is unchanged', async () => {
  const response = await fetch(`http://127.0.0.1:${hako.ports.http}/healthz`);
  assert.deepEqual([response.status, await response.json()], [200, { status: 'ok' }]);
});

test('an HTTP/2 request that is not signed gets the AWS error, over HTTP/2', async () => {
  const session = http2.connect(`http://127.0.0.1:${hako.ports.http}`);
  try {
    const stream = session.request({ ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.ListStreams' });
    stream.end('{}');
    const [headers] = (await new Promise((resolve) => stream.once('response', (h) => resolve([h])))) as [http2.IncomingHttpHeaders];
    let body = '';
    for await (const chunk of stream) body += String(chunk);
    assert.equal(headers[':status'], 403);
    assert.equal((JSON.parse(body) as { __type: string }).__type, 'MissingAuthenticationTokenException');
  } finally {
    session.close();
  }
});

test('a connection that sends nothing is closed after the first-bytes timeout', async () => {
  const server = http.createServer((_request, response) => response.end('h1'));
  acceptH2c(server, (_request, response) => response.end('h2'), { firstBytesTimeoutMs: 50 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    assert.equal(socket.bytesRead, 0);
  } finally {
    server.close();
  }
});
