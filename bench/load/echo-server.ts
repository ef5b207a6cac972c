/**
 * @module bench/load/echo-server — the fn-warm anchor's server: a plain Node `http` server on a loopback
 * port that answers every POST with its body, in a process of its own (forked by the load generator), as
 * hako is. An Invoke of the trivial function does this and more: the difference is what hako adds.
 *
 * It prints nothing; it sends its port to the parent over IPC and exits when the parent disconnects.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.once('disconnect', () => process.exit(0));
