/**
 * @module mqtt/transport/tcp — MQTT over TCP: a `net` server whose sockets become byte streams.
 *
 * Writes made in one event-loop turn leave in one syscall (cork until the next tick), which is what lets
 * a fan-out of small packets go out at line rate.
 */
import net from 'node:net';
import type { ByteStream } from '../connection.js';

export function socketStream(socket: net.Socket): ByteStream {
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  socket.setNoDelay(true);
  return {
    remoteAddress: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`,
    onData: (listener) => socket.on('data', listener),
    bufferedBytes: () => socket.writableLength,
    onClose: (listener) => {
      socket.on('close', listener);
      // Errors (resets, timeouts) are followed by 'close'; handling them here keeps them from being thrown.
      socket.on('error', () => undefined);
    },
    write(data) {
      if (socket.destroyed) return;
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(uncork);
      }
      socket.write(data);
    },
    end() {
      if (socket.destroyed) return;
      socket.end();
      // A peer that never reads must not hold the socket open forever.
      setTimeout(() => socket.destroy(), 2000).unref();
    },
  };
}

export function createTcpServer(onStream: (stream: ByteStream) => void): net.Server {
  return net.createServer({ noDelay: true }, (socket) => onStream(socketStream(socket)));
}
