/**
 * @module http/h2c — HTTP/2 without TLS ("prior knowledge" h2c) on the plain HTTP port, beside HTTP/1.1.
 *
 * Some AWS SDK v3 clients speak HTTP/2 by default — `@aws-sdk/client-kinesis` does, for SubscribeToShard
 * — and against an `http://` endpoint they open with the HTTP/2 connection preface. Without this,
 * `new KinesisClient({ endpoint })` fails with a protocol error and users would have to change their code.
 *
 * Each new connection's first bytes decide: the preface (`PRI * HTTP/2.0…`) goes to an HTTP/2 session
 * whose requests reach the same routes (fastify's `routing`, which takes the compatibility
 * request/response objects); anything else goes, bytes intact, to the HTTP/1.1 server as before. A
 * connection that sends nothing is closed after `firstBytesTimeoutMs`, as the HTTP/1.1 server's header
 * timeout would have.
 */
import type http from 'node:http';
import http2 from 'node:http2';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');

export interface H2cOptions {
  firstBytesTimeoutMs: number;
}

/** Makes `server` accept h2c too; `onRequest` serves HTTP/2 requests. Returns a closer for its sessions. */
export function acceptH2c(server: http.Server, onRequest: (request: http2.Http2ServerRequest, response: http2.Http2ServerResponse) => void, options: H2cOptions): { close(): void } {
  const h2 = http2.createServer();
  h2.on('request', (request, response) => onRequest(request, withoutConnectionHeaders(response)));
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  // The HTTP/1.1 server's own connection handling, kept and called for every HTTP/1.1 connection.
  const http1 = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    socket.setTimeout(options.firstBytesTimeoutMs, () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      if (isPreface(chunk)) {
        h2.emit('connection', wrap(socket, chunk));
        return;
      }
      socket.unshift(chunk);
      for (const listener of http1) listener.call(server, socket);
      socket.resume();
    });
  });
  return {
    close: () => {
      for (const session of sessions) session.close(); // GOAWAY: streams in flight finish, no new ones start
    },
  };
}

/**
 * HTTP/2 forbids connection-specific headers, and Node's compatibility response throws on them; the
 * routes are HTTP/1.1 code (fastify sets `connection: close` on a body over the limit, for one), so such
 * headers are dropped here instead of failing the response.
 */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

function withoutConnectionHeaders(response: http2.Http2ServerResponse): http2.Http2ServerResponse {
  const setHeader = response.setHeader.bind(response);
  response.setHeader = (name: string, value: number | string | readonly string[]) => (CONNECTION_HEADERS.has(name.toLowerCase()) ? response : setHeader(name, value));
  const writeHead = response.writeHead.bind(response) as (status: number, headers?: http.OutgoingHttpHeaders) => http2.Http2ServerResponse;
  response.writeHead = ((status: number, ...rest: unknown[]) => {
    const headers = rest.find((item): item is http.OutgoingHttpHeaders => typeof item === 'object' && item !== null && !Array.isArray(item));
    if (headers === undefined) return writeHead(status);
    return writeHead(status, Object.fromEntries(Object.entries(headers).filter(([name]) => !CONNECTION_HEADERS.has(name.toLowerCase()))));
  }) as typeof response.writeHead;
  return response;
}

/** Compares as much of the preface as arrived (a client may send it in pieces; the first is enough to tell). */
function isPreface(chunk: Buffer): boolean {
  const length = Math.min(chunk.length, PREFACE.length);
  return length >= 3 && chunk.subarray(0, length).equals(PREFACE.subarray(0, length));
}

/**
 * The socket as a plain duplex stream that starts with `first`: Node's HTTP/2 server reads a real socket
 * from its handle, past anything put back into the JavaScript stream, so it gets a stream of its own.
 */
function wrap(socket: Socket, first: Buffer): Duplex {
  const duplex = new Duplex({
    read: () => void socket.resume(),
    write: (data: Buffer, _encoding, done) => void socket.write(data, done),
    final: (done) => void socket.end(done),
    destroy: (error, done) => {
      socket.destroy(error ?? undefined);
      done(error);
    },
  });
  duplex.push(first);
  socket.on('data', (data: Buffer) => {
    if (!duplex.push(data)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('error', (error) => duplex.destroy(error));
  socket.on('close', () => duplex.destroy());
  // What the routes read of the connection (request.ip, socket checks) comes from the real socket.
  Object.defineProperties(duplex, {
    remoteAddress: { get: () => socket.remoteAddress },
    remotePort: { get: () => socket.remotePort },
    remoteFamily: { get: () => socket.remoteFamily },
    localAddress: { get: () => socket.localAddress },
    localPort: { get: () => socket.localPort },
  });
  return duplex;
}
