import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { certificateIdOf, createKeysAndCertificate, loadOrCreateAuthority } from '../../../src/iam/pki/index.js';
import { makeCa } from '../../helpers/pki.js';

const root = mkdtempSync(path.join(tmpdir(), 'hako-pki-tls-'));
after(() => rmSync(root, { recursive: true, force: true }));
const { ca, server } = await loadOrCreateAuthority(root, { serverNames: [] });
const device = await createKeysAndCertificate(ca, 'CN=tls-device');

interface Handshake {
  clientAuthorized: boolean;
  clientError: Error | undefined;
  serverSawAuthorized: boolean;
  serverAuthorizationError: string | undefined;
  serverPeerFingerprint: string | undefined;
}

/** One mutual-TLS handshake against a server using hako's server certificate, like the MQTTS listener. */
async function handshake(client: tls.ConnectionOptions): Promise<Handshake> {
  let resolveServer: (value: tls.TLSSocket) => void = () => {};
  const accepted = new Promise<tls.TLSSocket>((resolve) => (resolveServer = resolve));
  const listener = tls.createServer({ cert: server.certificatePem, key: server.privateKeyPem, ca: ca.certificatePem, requestCert: true, rejectUnauthorized: false }, resolveServer);
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as AddressInfo;
  try {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: ca.certificatePem, ...client });
    const clientResult = await new Promise<{ authorized: boolean; error: Error | undefined }>((resolve) => {
      socket.once('secureConnect', () => resolve({ authorized: socket.authorized, error: undefined }));
      socket.once('error', (error) => resolve({ authorized: false, error }));
    });
    if (clientResult.error !== undefined) {
      socket.destroy();
      return { clientAuthorized: false, clientError: clientResult.error, serverSawAuthorized: false, serverAuthorizationError: undefined, serverPeerFingerprint: undefined };
    }
    const peer = await accepted;
    const result: Handshake = {
      clientAuthorized: clientResult.authorized,
      clientError: undefined,
      serverSawAuthorized: peer.authorized,
      serverAuthorizationError: peer.authorizationError?.toString(),
      serverPeerFingerprint: peer.getPeerCertificate().fingerprint256,
    };
    socket.destroy();
    peer.destroy();
    return result;
  } finally {
    await new Promise((resolve) => listener.close(resolve));
  }
}

test('a device certificate from createKeysAndCertificate completes mutual TLS with hako\'s server certificate', async () => {
  const result = await handshake({ servername: 'localhost', cert: device.certificatePem, key: device.privateKeyPem });
  assert.equal(result.clientError, undefined);
  assert.equal(result.clientAuthorized, true, 'the client trusts the server certificate via ca.pem and the name localhost');
  assert.equal(result.serverSawAuthorized, true, 'the server trusts the device certificate via the same CA');
  const certificateId = (result.serverPeerFingerprint ?? '').replace(/:/g, '').toLowerCase();
  assert.equal(certificateId, certificateIdOf(device.certificatePem));
});

test('connecting to 127.0.0.1 by IP (no SNI) validates against the IP SAN', async () => {
  const result = await handshake({ cert: device.certificatePem, key: device.privateKeyPem });
  assert.equal(result.clientError, undefined);
  assert.equal(result.clientAuthorized, true);
});

test('a host name the server certificate does not cover is refused by the client', async () => {
  const result = await handshake({ servername: 'elsewhere.example', cert: device.certificatePem, key: device.privateKeyPem });
  assert.equal((result.clientError as NodeJS.ErrnoException | undefined)?.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
});

test('a device certificate from another CA is not authorized by the server', async () => {
  const stranger = await (await makeCa('stranger CA')).issue('CN=intruder');
  const result = await handshake({ servername: 'localhost', cert: stranger.certificatePem, key: stranger.privateKeyPem });
  assert.equal(result.clientAuthorized, true);
  assert.equal(result.serverSawAuthorized, false);
  assert.equal(result.serverAuthorizationError, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
});

test('node tls accepts the generated private key', () => {
  assert.doesNotThrow(() => tls.createSecureContext({ key: device.privateKeyPem, cert: device.certificatePem }));
  assert.doesNotThrow(() => tls.createSecureContext({ key: server.privateKeyPem, cert: server.certificatePem }));
});
