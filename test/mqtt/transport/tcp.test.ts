import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { createTcpServer } from '../../../src/mqtt/transport/tcp.js';
import type { ByteStream } from '../../../src/mqtt/connection.js';

/** A real loopback connection: the server side as hako's byte stream, the client side as a socket. */
async function connectedPair(): Promise<{ stream: ByteStream; client: net.Socket; close: () => void }> {
  let accept: (stream: ByteStream) => void = () => undefined;
  const accepted = new Promise<ByteStream>((resolve) => (accept = resolve));
  const server = createTcpServer((stream) => accept(stream));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  // Half-open like most MQTT clients (Paho's Python one among them): after the server's FIN it may still send.
  const client = net.connect({ port: (server.address() as net.AddressInfo).port, host: '127.0.0.1', allowHalfOpen: true });
  const stream = await accepted;
  return { stream, client, close: () => server.close() };
}

test('writes of one tick arrive whole and in order', async (t) => {
  const { stream, client, close } = await connectedPair();
  t.after(close);
  const received: Buffer[] = [];
  client.on('data', (chunk) => received.push(chunk));
  for (let i = 0; i < 100; i++) stream.write(Buffer.from([i]));
  assert.equal(stream.bufferedBytes() >= 100, true, 'queued bytes count as buffered until flushed');
  stream.end();
  await once(client, 'end');
  assert.deepEqual([...Buffer.concat(received)], Array.from({ length: 100 }, (_, i) => i));
  client.destroy();
});

test('end() right after writes closes gracefully: the peer can still send without a reset', async (t) => {
  const { stream, client, close } = await connectedPair();
  t.after(close);
  const errors: Error[] = [];
  const clientSaw: Buffer[] = [];
  client.on('error', (error) => errors.push(error));
  client.on('data', (chunk) => clientSaw.push(chunk));
  const serverSaw: Buffer[] = [];
  stream.onData((chunk) => serverSaw.push(chunk));
  const serverClosed = new Promise<void>((resolve) => stream.onClose(resolve));
  stream.write(Buffer.from('last words'));
  stream.end(); // same tick as the write: the case that used to write after end() and reset the socket
  await once(client, 'end');
  assert.equal(Buffer.concat(clientSaw).toString(), 'last words');
  client.write('late packet'); // a client still answering what it received (e.g. PUBREL for PUBREC)
  client.end();
  await Promise.all([once(client, 'close'), serverClosed]);
  assert.deepEqual(errors.map((e) => (e as NodeJS.ErrnoException).code), []);
  assert.equal(Buffer.concat(serverSaw).toString(), 'late packet');
});
