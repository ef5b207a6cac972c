/**
 * @module bench/load/tls-connect — one short-lived MQTT-over-TLS connection: TCP connect, a full TLS
 * handshake with a client certificate (no session resumption: no `session` is ever passed), CONNECT,
 * CONNACK, then DISCONNECT and close.
 */
import tls, { type SecureContext, type TLSSocket } from 'node:tls';
import { FrameReader } from './frame-reader.js';
import { DISCONNECT } from './packets.js';

export interface TlsAttempt {
  port: number;
  /** CA, client certificate and key, parsed once per slot rather than per connection. */
  secureContext: SecureContext;
  /** The CONNECT packet, encoded once per slot. */
  connect: Buffer;
  timeoutMs: number;
  /** Describe the negotiated parameters (the first connection of a run). */
  describe: boolean;
}

const CONNACK = 2;

/** Resolves once an accepting CONNACK arrived (with the description when asked), rejects otherwise. */
export function connectTls(attempt: TlsAttempt): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ port: attempt.port, host: '127.0.0.1', secureContext: attempt.secureContext });
    socket.setNoDelay(true); // CONNECT right after our last handshake flight must not wait for its ACK
    let description: string | undefined;
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === undefined) {
        socket.end(DISCONNECT);
        resolve(description);
      } else {
        socket.destroy();
        reject(error);
      }
    };
    const timer = setTimeout(() => settle(new Error(`no CONNACK within ${attempt.timeoutMs} ms`)), attempt.timeoutMs);
    const reader = new FrameReader((first, buf, start) => {
      const code = buf[start + 1] ?? 0xff;
      if (first >> 4 !== CONNACK) settle(new Error(`unexpected packet type ${first >> 4} instead of CONNACK`));
      else settle(code === 0 ? undefined : new Error(`CONNACK refused with code 0x${code.toString(16)}`));
      return false;
    });
    socket.once('secureConnect', () => {
      if (attempt.describe) description = describeTls(socket);
      socket.write(attempt.connect);
    });
    socket.on('data', (chunk: Buffer) => {
      if (settled) return;
      try {
        reader.push(chunk);
      } catch (error) {
        settle(error as Error);
      }
    });
    socket.on('error', (error) => settle(error));
    socket.on('close', () => settle(new Error('connection closed before CONNACK')));
  });
}

/** e.g. `TLSv1.3 TLS_AES_256_GCM_SHA384 X25519, server key prime256v1`. */
function describeTls(socket: TLSSocket): string {
  const cipher = socket.getCipher();
  const ephemeral = socket.getEphemeralKeyInfo() as { name?: string; type?: string } | null;
  const key = socket.getPeerX509Certificate()?.publicKey;
  const serverKey = key?.asymmetricKeyDetails?.namedCurve ?? key?.asymmetricKeyType ?? '?';
  return `${socket.getProtocol() ?? '?'} ${cipher.standardName ?? cipher.name} ${ephemeral?.name ?? ephemeral?.type ?? '?'}, server key ${serverKey}`;
}
