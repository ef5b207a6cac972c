/**
 * @module http/sigv4-auth — every API request must carry a valid AWS Signature Version 4 by an active
 * hako access key. Routes marked `config: { public: true }` (health, metrics) are exempt.
 *
 * Verification needs the exact body bytes, so it runs once the body is read (preHandler); a refusal is
 * the 403 an AWS endpoint gives, with the exception type SDK clients expect.
 */
import type { FastifyInstance } from 'fastify';
import { AwsError, type AwsErrorType } from '../core/aws-error.js';
import type { Logger } from '../core/logger.js';
import { verifySigV4 } from '../iam/sigv4/index.js';
import { sendAwsError } from './aws-api.js';

export interface SigV4AuthOptions {
  secretOf: (accessKeyId: string) => string | undefined;
  maxSkewMs: number;
  now: () => number;
  logger: Logger;
  /** Counted on /metrics. */
  onRefused: () => void;
}

export function requireSigV4(app: FastifyInstance, options: SigV4AuthOptions): void {
  app.addHook('preHandler', async (request, reply) => {
    if ((request.routeOptions.config as { public?: boolean }).public === true) return;
    const url = request.raw.url ?? '/';
    const question = url.indexOf('?');
    const verification = await verifySigV4(
      {
        method: request.method,
        path: question === -1 ? url : url.slice(0, question),
        rawQuery: question === -1 ? '' : url.slice(question + 1),
        headers: request.headers,
        body: Buffer.isBuffer(request.body) ? request.body : undefined,
      },
      options.secretOf,
      new Date(options.now()),
      { maxSkewMs: options.maxSkewMs },
    );
    let refusal = verification.ok ? undefined : { code: verification.code as AwsErrorType, message: verification.message };
    // The SDKs sign every API body; an unsigned one would let whoever sees a request change what it does.
    if (verification.ok && request.headers['x-amz-content-sha256'] === 'UNSIGNED-PAYLOAD' && Buffer.isBuffer(request.body) && request.body.length > 0) {
      refusal = { code: 'InvalidSignatureException', message: 'x-amz-content-sha256: UNSIGNED-PAYLOAD is not accepted for a request with a body; sign the body' };
    }
    if (refusal === undefined) return;
    options.onRefused();
    options.logger.warn({ method: request.method, url: request.raw.url, remote: request.ip, code: refusal.code }, `refused API request: ${refusal.message}`);
    return sendAwsError(reply, new AwsError(refusal.code, refusal.message));
  });
}
