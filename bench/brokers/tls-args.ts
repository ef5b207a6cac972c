/**
 * @module bench/brokers/tls-args — how the bench hands a TLS listener to its own broker scripts
 * (aedes-server.js, forwarder-server.js): `--tls-port N --tls-dir DIR`, the directory holding the CA, the
 * server certificate and its key under fixed names. Kept free of PKI code, so a broker process that does
 * not serve TLS loads nothing more than before.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TlsOptions } from 'node:tls';

/** File names inside the `--tls-dir` directory (Mosquitto's config names them too). */
export const TLS_FILES = { ca: 'ca.pem', cert: 'server.pem', key: 'server.key' } as const;

export interface TlsListenerArgs {
  port: number;
  /** Mutual TLS: a client certificate from the CA is required (`rejectUnauthorized`), as Mosquitto's
   *  `require_certificate true`. */
  options: TlsOptions;
}

/** The TLS listener asked for on the command line, or undefined when there is none. */
export function tlsListenerArgs(argv: readonly string[]): TlsListenerArgs | undefined {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const dir = value('--tls-dir');
  if (dir === undefined) return undefined;
  const port = Number(value('--tls-port'));
  if (!Number.isInteger(port) || port <= 0) throw new Error('usage: --tls-port <port> --tls-dir <dir>');
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  return {
    port,
    options: { ca: read(TLS_FILES.ca), cert: read(TLS_FILES.cert), key: read(TLS_FILES.key), requestCert: true, rejectUnauthorized: true },
  };
}
