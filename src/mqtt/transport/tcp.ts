/**
 * @module mqtt/transport/tcp — MQTT over TCP: a `net` server whose sockets become byte streams.
 *
 * Packets written during one event-loop turn are joined and leave in one write in that turn's check phase
 * (`setImmediate`): one syscall and one write request instead of one per packet, which is what lets a
 * burst of small packets (acks, a fan-out) go out at line rate. The check phase rather than the next tick,
 * so that work finished there joins too: the store's group commit runs in the same phase, and a Device
 * Shadow update's PUBACK leaves in one write with its `…/update/accepted` (measured: 7.3k → 8.7k shadow
 * updates/s; the pub/sub scenarios unchanged within their run-to-run spread).
 */
import net from 'node:net';
import type { ByteStream } from '../connection.js';
import type { PeerIdentity } from '../auth.js';

/** A socket (plain or TLS) as a byte stream; `peer` is who a TLS listener verified the client to be. */
export function socketStream(socket: net.Socket, peer?: PeerIdentity): ByteStream {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    const chunks = pending;
    pending = [];
    pendingBytes = 0;
    // Nothing left when end() flushed first: writing after end() would be an error that resets the socket.
    if (chunks.length === 0 || socket.destroyed || socket.writableEnded) return;
    socket.write(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
  };
  socket.setNoDelay(true);
  return {
    remoteAddress: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`,
    peer,
    onData: (listener) => socket.on('data', listener),
    bufferedBytes: () => socket.writableLength + pendingBytes,
    onClose: (listener) => {
      socket.on('close', listener);
      // Errors (resets, timeouts) are followed by 'close'; handling them here keeps them from being thrown.
      socket.on('error', () => undefined);
    },
    write(data) {
      if (socket.destroyed) return;
      if (pending.length === 0) setImmediate(flush);
      pending.push(data);
      pendingBytes += data.length;
    },
    end() {
      if (socket.destroyed) return;
      if (pending.length > 0) flush();
      socket.end();
      // A peer that never reads must not hold the socket open forever.
      setTimeout(() => socket.destroy(), 2000).unref();
    },
  };
}

export function createTcpServer(onStream: (stream: ByteStream) => void): net.Server {
  return net.createServer({ noDelay: true }, (socket) => onStream(socketStream(socket)));
}
