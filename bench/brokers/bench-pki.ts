/**
 * @module bench/brokers/bench-pki — a throw-away PKI for the brokers that have no certificate API of their
 * own (Mosquitto, Aedes, the forwarder): a root CA, a server certificate for 127.0.0.1 and one client
 * certificate per TLS load slot, all ECDSA P-256 from hako's own `iam/pki`, so every broker's handshake
 * does the same crypto as hako's.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuthority, createKeysAndCertificate, createRootCa } from '../../src/iam/pki/index.js';
import type { TlsClientCredentials } from './broker-handle.js';
import { TLS_FILES } from './tls-args.js';

export interface BenchPki {
  caPem: string;
  clients: TlsClientCredentials[];
  /** Absolute paths of the files written. */
  files: { ca: string; cert: string; key: string };
}

/** Client ids the bench's TLS clients use, one per slot (hako's things have the same names). */
export const tlsClientId = (slot: number): string => `hb-tls-${slot}`;

/** Creates the PKI and writes the CA, the server certificate and its key into `dir` (TLS_FILES names). */
export async function writeBenchPki(dir: string, clients: number): Promise<BenchPki> {
  const root = await createRootCa();
  const ca = await createAuthority(root.certificatePem, root.privateKeyPem);
  const server = await ca.issueServerCertificate([]);
  const identities = await Promise.all(
    Array.from({ length: clients }, async (_, slot) => {
      const clientId = tlsClientId(slot);
      const { certificatePem, privateKeyPem } = await createKeysAndCertificate(ca, `CN=${clientId}`);
      return { clientId, certificatePem, privateKeyPem };
    }),
  );
  const files = { ca: join(dir, TLS_FILES.ca), cert: join(dir, TLS_FILES.cert), key: join(dir, TLS_FILES.key) };
  writeFileSync(files.ca, ca.certificatePem);
  writeFileSync(files.cert, server.certificatePem);
  // A throw-away key, readable by all: Mosquitto started as root reads it after dropping to user mosquitto.
  writeFileSync(files.key, server.privateKeyPem, { mode: 0o644 });
  return { caPem: ca.certificatePem, clients: identities, files };
}
