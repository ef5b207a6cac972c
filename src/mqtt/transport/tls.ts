/**
 * @module mqtt/transport/tls — MQTT over TLS with client certificates (AWS IoT's port 8883, specs §1.1).
 *
 * TLS 1.2 or newer only. Every client must present a certificate; whether it may connect is decided by
 * `verify` (identity's registry: registered, ACTIVE, its CA ACTIVE, within validity) right after the
 * handshake and before a single MQTT byte is read, and a refusal is reported with its reason. OpenSSL's
 * own chain verdict is not used: registration already proved the chain, and the registry can say far
 * more precisely why a certificate is refused.
 */
import tls from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import type { ByteStream } from '../connection.js';
import type { PeerIdentity } from '../auth.js';
import { socketStream } from './tcp.js';

export type PeerVerdict = { ok: true; peer: PeerIdentity } | { ok: false; reason: string };

export interface TlsListenerOptions {
  key: string;
  cert: string;
  /** CA certificates named in the handshake's certificate request (clients pick their certificate by them). */
  caCertificates: () => string[];
  verify: (presented: X509Certificate | undefined) => PeerVerdict;
  /** A client refused after the handshake, or a handshake that failed (old TLS version, bad certificate). */
  onRefused: (remoteAddress: string, reason: string) => void;
  /** One port for MQTT and something else (AWS IoT's 443): only connections that negotiate ALPN `protocol`
   *  speak MQTT; every other connection, certificate or not, goes to `other` (an HTTPS server). */
  alpn?: { protocol: string; otherProtocols: string[]; other: (socket: tls.TLSSocket) => void };
}

/** How long a client may take to finish the handshake before its socket is closed. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

export interface TlsListener extends tls.Server {
  /** Re-reads the CA list after a CA certificate was registered, activated or removed. */
  refreshCaCertificates(): void;
}

export function createTlsServer(options: TlsListenerOptions, onStream: (stream: ByteStream) => void): TlsListener {
  const context = (): tls.SecureContextOptions => ({ key: options.key, cert: options.cert, ca: options.caCertificates(), minVersion: 'TLSv1.2' });
  const { alpn } = options;
  const ALPNProtocols = alpn === undefined ? undefined : [alpn.protocol, ...alpn.otherProtocols];
  const server = tls.createServer({ ...context(), requestCert: true, rejectUnauthorized: false, handshakeTimeout: HANDSHAKE_TIMEOUT_MS, ALPNProtocols }, (socket) => {
    if (alpn !== undefined && socket.alpnProtocol !== alpn.protocol) {
      alpn.other(socket);
      return;
    }
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const verdict = options.verify(socket.getPeerX509Certificate());
    if (!verdict.ok) {
      options.onRefused(remote, verdict.reason);
      socket.destroy();
      return;
    }
    onStream(socketStream(socket, verdict.peer));
  }) as TlsListener;
  server.on('tlsClientError', (error, socket) => {
    options.onRefused(`${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`, `TLS handshake failed: ${error.message}`);
  });
  server.refreshCaCertificates = () => server.setSecureContext(context());
  return server;
}
