/**
 * @module http/api-auth — who may call the APIs: every request carries a valid AWS Signature Version 4 by
 * an active hako access key, or — on the HTTPS port, for the data-plane routes that declare
 * `certificateAccess` — a client certificate whose IoT policies allow what the request does (AWS IoT's
 * HTTPS on 8443 / ALPN `x-amzn-http-ca`, spec §1.1, §3.8, §5.3). Routes marked `config: { public: true }`
 * (health, metrics) are exempt.
 *
 * A signature wins when both are present (an operator's SDK over the HTTPS port). Verification needs the
 * exact body bytes, so it runs once the body is read (preHandler); a refusal is the 403 an AWS endpoint
 * gives, with the exception type SDK clients expect, and is logged once with its reason.
 */
import type { X509Certificate } from 'node:crypto';
import { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AwsError, type AwsErrorType } from '../core/aws-error.js';
import type { Logger } from '../core/logger.js';
import { sessionTokenOf, verifySigV4 } from '../iam/sigv4/index.js';
import type { PeerVerdict } from '../mqtt/transport/tls.js';
import { sendAwsError, type ApiRouteConfig, type CertificateAccess, type CertificatePermission } from './aws-api.js';

export type CertificateDecision = { allowed: true } | { allowed: false; reason: string };

export interface ApiAuthOptions {
  secretOf: (accessKeyId: string) => string | undefined;
  /** Whether the request's session token is the one its (temporary) key needs; see AccessKeys. */
  sessionTokenMatches: (accessKeyId: string, token: string | undefined) => boolean;
  maxSkewMs: number;
  now: () => number;
  logger: Logger;
  /** Counted on /metrics, by what was refused. */
  onRefused: (credential: 'signature' | 'certificate') => void;
  /** The TLS listener's check of a client certificate: registered, ACTIVE, its CA ACTIVE, within validity. */
  verifyPeer: (presented: X509Certificate) => PeerVerdict;
  /** Whether the certificate's policies allow every one of `permissions`; why not, when they do not. */
  authorizeCertificate: (certificateId: string, sourceIp: string, permissions: readonly CertificatePermission[]) => CertificateDecision;
}

type Refusal = { credential: 'signature' | 'certificate'; code: AwsErrorType; message: string };

export function requireApiAuth(app: FastifyInstance, options: ApiAuthOptions): void {
  app.addHook('preHandler', async (request, reply) => {
    const config = request.routeOptions.config as ApiRouteConfig;
    if (config.public === true) return;
    const certificate = isSigned(request) ? undefined : clientCertificateOf(request);
    const refusal = certificate === undefined ? await checkSignature(request, options) : checkCertificate(request, certificate, config.certificateAccess, options);
    if (refusal === undefined) return;
    options.onRefused(refusal.credential);
    options.logger.warn({ method: request.method, url: request.raw.url, remote: request.ip, code: refusal.code }, `refused API request: ${refusal.message}`);
    return sendAwsError(reply, new AwsError(refusal.code, refusal.message));
  });
}

async function checkSignature(request: FastifyRequest, options: ApiAuthOptions): Promise<Refusal | undefined> {
  const { path, rawQuery } = splitUrl(request);
  const verification = await verifySigV4(
    { method: request.method, path, rawQuery, headers: request.headers, body: Buffer.isBuffer(request.body) ? request.body : undefined },
    options.secretOf,
    new Date(options.now()),
    { maxSkewMs: options.maxSkewMs },
  );
  if (!verification.ok) return { credential: 'signature', code: verification.code as AwsErrorType, message: verification.message };
  if (!options.sessionTokenMatches(verification.accessKeyId, sessionTokenOf(request.headers, rawQuery))) {
    return { credential: 'signature', code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  // The SDKs sign every API body; an unsigned one would let whoever sees a request change what it does.
  if (request.headers['x-amz-content-sha256'] === 'UNSIGNED-PAYLOAD' && Buffer.isBuffer(request.body) && request.body.length > 0) {
    return { credential: 'signature', code: 'InvalidSignatureException', message: 'x-amz-content-sha256: UNSIGNED-PAYLOAD is not accepted for a request with a body; sign the body' };
  }
  return undefined;
}

function checkCertificate(request: FastifyRequest, certificate: X509Certificate, access: CertificateAccess | undefined, options: ApiAuthOptions): Refusal | undefined {
  const verdict = options.verifyPeer(certificate);
  if (!verdict.ok) return { credential: 'certificate', code: 'ForbiddenException', message: `client certificate refused: ${verdict.reason}` };
  if (access === undefined) {
    const { path } = splitUrl(request);
    return {
      credential: 'certificate',
      code: 'ForbiddenException',
      message: `${request.method} ${path} takes SigV4-signed requests only; a client certificate authorizes the data plane (shadows, Publish, retained messages)`,
    };
  }
  const permissions = access({ params: request.params as Record<string, string>, query: request.query as Record<string, string | undefined> });
  const decision = options.authorizeCertificate(verdict.peer.id, request.ip, permissions);
  return decision.allowed ? undefined : { credential: 'certificate', code: 'ForbiddenException', message: decision.reason };
}

/** A signature in the Authorization header or in the query (a presigned URL). */
function isSigned(request: FastifyRequest): boolean {
  return request.headers.authorization !== undefined || splitUrl(request).rawQuery.includes('X-Amz-Signature=');
}

/** The certificate a client presented on the HTTPS port; undefined on the plain HTTP port or without one. */
function clientCertificateOf(request: FastifyRequest): X509Certificate | undefined {
  const socket = request.raw.socket;
  return socket instanceof TLSSocket ? socket.getPeerX509Certificate() : undefined;
}

function splitUrl(request: FastifyRequest): { path: string; rawQuery: string } {
  const url = request.raw.url ?? '/';
  const question = url.indexOf('?');
  return question === -1 ? { path: url, rawQuery: '' } : { path: url.slice(0, question), rawQuery: url.slice(question + 1) };
}
