/**
 * @module test/helpers/iot-api — what the control-plane API tests share: asserting an AWS error the way an
 * SDK user sees it, hand-signed requests for hako's own routes (and for tampering), and PKCS#10 requests.
 */
import assert from 'node:assert/strict';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import * as iot from '@aws-sdk/client-iot';
import { X509Certificate } from 'node:crypto';
import { subtle, x509, type CryptoKey } from '../../src/iam/pki/x509-lib.js';
import { rootCredentials, type HakoLike } from './aws.js';

/** The HTTP status AWS's own model gives an IoT exception (`@aws-sdk/client-iot` schemas), if it has one. */
function modelledStatus(name: string): number | undefined {
  const schema = (iot as unknown as Record<string, unknown>)[`${name}$`];
  if (!Array.isArray(schema)) return undefined;
  return (schema[3] as { httpError?: number } | undefined)?.httpError;
}

export interface AwsErrorShape extends Error {
  $metadata: { httpStatusCode?: number; requestId?: string };
}

/** Awaits the promise and asserts it rejected with an error whose `name` (the AWS exception type) is `name`. */
export async function rejection(promise: Promise<unknown>, name: string): Promise<AwsErrorShape> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof Error, `expected ${name}, but the call succeeded`);
  const error = caught as AwsErrorShape;
  assert.equal(error.name, name, `expected ${name}, got ${error.name}: ${error.message}`);
  return error;
}

/**
 * Awaits a rejection and checks it is the AWS error `name`: the SDK's modelled exception class when the IoT
 * model has one, with the status that model gives it (or `status`), and a message matching `message`.
 */
export async function rejectsWithAws(promise: Promise<unknown>, name: string, options: { status?: number; message?: RegExp } = {}): Promise<AwsErrorShape> {
  const error = await rejection(promise, name);
  const modelled = (iot as unknown as Record<string, unknown>)[name];
  if (typeof modelled === 'function') assert.ok(error instanceof (modelled as new (...args: never[]) => unknown), `the SDK did not recognise ${name} as its modelled exception`);
  const status = options.status ?? modelledStatus(name);
  assert.ok(status !== undefined, `no status known for ${name}; pass one`);
  assert.equal(error.$metadata.httpStatusCode, status, `${name} travels with HTTP ${status}`);
  assert.match(error.$metadata.requestId ?? '', /\S/, 'an error response carries x-amzn-RequestId');
  if (options.message !== undefined) assert.match(error.message, options.message);
  return error;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedFetchOptions {
  body?: string;
  credentials?: Credentials;
  /** Headers to sign along (e.g. `x-amz-content-sha256`). */
  headers?: Record<string, string>;
  /** Runs on the signed request before it is sent: the place to tamper with it. */
  afterSigning?: (request: { headers: Record<string, string>; body: string | undefined; path: string }) => void;
}

/** A SigV4-signed (service `iot`, region us-east-1) request to hako's HTTP port, sent with fetch. */
export async function signedFetch(hako: HakoLike, method: string, pathAndQuery: string, options: SignedFetchOptions = {}): Promise<Response> {
  const credentials = options.credentials ?? rootCredentials(hako.dataDir);
  const url = new URL(pathAndQuery, `http://127.0.0.1:${hako.ports.http}`);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const headers: Record<string, string> = { host: url.host, ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'iot', sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query, headers, body: options.body });
  const request = { headers: { ...(signed.headers as Record<string, string>) }, body: options.body, path: pathAndQuery };
  options.afterSigning?.(request);
  delete request.headers.host; // fetch sets it, to the same value
  return fetch(new URL(request.path, url), { method, headers: request.headers, body: request.body });
}

/** A signed JSON call that must answer 200; the parsed body. */
export async function signedJson<T>(hako: HakoLike, method: string, pathAndQuery: string, body?: unknown, credentials?: Credentials): Promise<T> {
  const response = await signedFetch(hako, method, pathAndQuery, { body: body === undefined ? undefined : JSON.stringify(body), credentials });
  const text = await response.text();
  assert.equal(response.status, 200, `${method} ${pathAndQuery}: ${text}`);
  return JSON.parse(text) as T;
}

/** A PKCS#10 request for a new ECDSA P-256 key; the SPKI DER of that key comes along for comparison. */
export async function makeCsr(subject: string): Promise<{ pem: string; subjectDer: Buffer; publicKeyDer: Buffer }> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await subtle.generateKey(algorithm, true, ['sign', 'verify'])) as { publicKey: CryptoKey; privateKey: CryptoKey };
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: subject, keys, signingAlgorithm: algorithm });
  return {
    pem: csr.toString('pem'),
    subjectDer: Buffer.from(csr.subjectName.toArrayBuffer()),
    publicKeyDer: Buffer.from(await subtle.exportKey('spki', keys.publicKey)),
  };
}

/** The DER of a certificate's subject, as written in it. */
export function subjectDerOf(certificatePem: string): Buffer {
  return Buffer.from(new x509.X509Certificate(certificatePem).subjectName.toArrayBuffer());
}

/** AWS certificate id: lower-case hex SHA-256 of the DER, computed by node independently of hako. */
export function fingerprintId(pem: string): string {
  return new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase();
}
