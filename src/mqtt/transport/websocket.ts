/**
 * @module mqtt/transport/websocket — MQTT over WebSocket at `/mqtt` on the HTTP port [MQTT-6.0].
 *
 * Accepts the subprotocols `mqtt` and `mqttv3.1` (the AWS IoT device SDK's). Packets may span frames, so
 * the byte stream is the concatenation of binary frames; writes made in one turn go out as one frame.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ByteStream } from '../connection.js';

const SUBPROTOCOLS = ['mqtt', 'mqttv3.1'];

function webSocketStream(socket: WebSocket, request: IncomingMessage): ByteStream {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    if (pending.length === 0) return; // end() flushed already
    const frame = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    if (socket.readyState === socket.OPEN) socket.send(frame, { binary: true });
  };
  return {
    remoteAddress: `${request.socket.remoteAddress ?? '?'}:${request.socket.remotePort ?? '?'}`,
    onData: (listener) =>
      socket.on('message', (data, isBinary) => {
        if (!isBinary) {
          // Text frames are not MQTT [MQTT-6.0.0-1].
          socket.close(1003, 'MQTT needs binary frames');
          return;
        }
        if (Array.isArray(data)) for (const part of data) listener(part);
        else listener(Buffer.isBuffer(data) ? data : Buffer.from(data));
      }),
    onClose: (listener) => {
      socket.on('close', listener);
      socket.on('error', () => undefined);
    },
    bufferedBytes: () => socket.bufferedAmount + pendingBytes,
    write(data) {
      if (pending.length === 0) process.nextTick(flush);
      pending.push(data);
      pendingBytes += data.length;
    },
    end() {
      if (pending.length > 0) flush();
      socket.close();
    },
  };
}

/** Serves MQTT on `path` of an existing HTTP server; other upgrade requests are refused with 404. */
export function attachWebSocket(server: Server, path: string, maxPayload: number, onStream: (stream: ByteStream) => void): WebSocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
    handleProtocols: (protocols) => SUBPROTOCOLS.find((p) => protocols.has(p)) ?? false,
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = request.url ?? '';
    const pathname = url.split('?')[0];
    if (pathname !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => onStream(webSocketStream(ws, request)));
  });
  return wss;
}
