/**
 * @module test/iam/sigv4/helpers — signs requests client-side with `@smithy/signature-v4`, exactly as AWS
 * SDK v3 clients do, and turns them into what the server sees on the wire.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SecretLookup, SignedRequest } from '../../../src/iam/sigv4/index.js';

type SmithyRequest = Parameters<SignatureV4['presign']>[0];

/** AWS's documentation example key. */
export const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
export const HOST = 'abc123-ats.iot.us-east-1.amazonaws.com';
export const SIGNED_AT = new Date('2015-08-30T12:36:00Z');
export const lookup: SecretLookup = (id) => (id === KEY.accessKeyId ? KEY.secretAccessKey : undefined);

/** The SDK's `escapeUri`: RFC 3986 unreserved characters stay, everything else is %XX (upper case). */
export function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The query string as the SDK's node HTTP handler writes it (`buildQueryString`). */
export function buildQueryString(query: Record<string, string | string[] | null>): string {
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (Array.isArray(value)) for (const v of value) parts.push(`${escapeUri(key)}=${escapeUri(v)}`);
    else parts.push(typeof value === 'string' ? `${escapeUri(key)}=${escapeUri(value)}` : escapeUri(key));
  }
  return parts.join('&');
}

export interface ClientRequest {
  readonly method: string;
  /** Already percent-encoded, as the SDK's serializers produce it. */
  readonly path: string;
  readonly query?: Record<string, string | string[]>;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

export interface SignOptions {
  readonly service?: string;
  readonly region?: string;
  readonly key?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  readonly signingDate?: Date;
  readonly applyChecksum?: boolean;
  readonly signableHeaders?: readonly string[];
  readonly unsignableHeaders?: readonly string[];
}

function signer(options: SignOptions): SignatureV4 {
  return new SignatureV4({
    service: options.service ?? 'iot',
    region: options.region ?? 'us-east-1',
    credentials: options.key ?? KEY,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: options.applyChecksum ?? false,
  });
}

function smithyRequest(request: ClientRequest): SmithyRequest {
  const headers: Record<string, string> = { host: HOST };
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    method: request.method,
    protocol: 'https:',
    hostname: HOST,
    path: request.path,
    query: { ...request.query },
    headers,
    body: typeof request.body === 'string' ? Buffer.from(request.body) : request.body,
  };
}

function toWire(signed: SmithyRequest): SignedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return {
    method: signed.method,
    path: signed.path,
    rawQuery: buildQueryString(signed.query ?? {}),
    headers,
    body: signed.body as Buffer | undefined,
  };
}

/** Signs with an `Authorization` header. */
export async function signClient(request: ClientRequest, options: SignOptions = {}): Promise<SignedRequest> {
  const signed = await signer(options).sign(smithyRequest(request), {
    signingDate: options.signingDate ?? SIGNED_AT,
    ...(options.signableHeaders && { signableHeaders: new Set(options.signableHeaders) }),
    ...(options.unsignableHeaders && { unsignableHeaders: new Set(options.unsignableHeaders) }),
  });
  return toWire(signed);
}

/** Presigns into the query string. */
export async function presignClient(
  request: ClientRequest,
  options: SignOptions & { expiresIn?: number } = {},
): Promise<SignedRequest> {
  const signed = await signer(options).presign(smithyRequest(request), {
    signingDate: options.signingDate ?? SIGNED_AT,
    expiresIn: options.expiresIn ?? 3600,
  });
  return toWire(signed);
}

/** A copy of `request` with some fields replaced. */
export function tamper(request: SignedRequest, changes: Partial<SignedRequest>): SignedRequest {
  return { ...request, ...changes };
}
