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
import type { PeerIdentity } from '../auth.js';

const SUBPROTOCOLS = ['mqtt', 'mqttv3.1'];

/** Who signed the upgrade request (AWS IoT's SigV4-presigned `/mqtt` URL), or why it may not upgrade. */
export type UpgradeCheck = { ok: true; peer: PeerIdentity | undefined } | { ok: false; status: number; type: string; message: string };

function webSocketStream(socket: WebSocket, request: IncomingMessage, peer: PeerIdentity | undefined): ByteStream {
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
    peer,
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

/**
 * Serves MQTT on `path` of existing HTTP servers (plain and TLS); other upgrade requests are refused with
 * 404, and a request `checkUpgrade` refuses gets its status with an AWS-style JSON body (specs §1.2).
 */
export function attachWebSocket(servers: readonly Server[], path: string, maxPayload: number, checkUpgrade: (request: IncomingMessage) => Promise<UpgradeCheck>, onStream: (stream: ByteStream) => void): WebSocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
    handleProtocols: (protocols) => SUBPROTOCOLS.find((p) => protocols.has(p)) ?? false,
  });
  const upgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const url = request.url ?? '';
    const pathname = url.split('?')[0];
    if (pathname !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    socket.on('error', () => undefined); // a client gone while its signature is checked must not throw
    const check = await checkUpgrade(request);
    if (!check.ok) {
      const body = JSON.stringify({ message: check.message });
      socket.end(`HTTP/1.1 ${check.status} Forbidden\r\nContent-Type: application/json\r\nx-amzn-ErrorType: ${check.type}:\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    if (socket.destroyed) return;
    wss.handleUpgrade(request, socket, head, (ws) => onStream(webSocketStream(ws, request, check.peer)));
  };
  for (const server of servers) server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(request, socket, head));
  return wss;
}
