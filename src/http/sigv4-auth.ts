/**
 * @module http/sigv4-auth — every API request must carry a valid AWS Signature Version 4 by an active
 * hako access key. Routes marked `config: { public: true }` (health, metrics) are exempt.
 *
 * Verification needs the exact body bytes, so it runs once the body is read (preHandler); a refusal is
 * the 403 an AWS endpoint gives, with the exception type SDK clients expect.
 */
import type { FastifyInstance } from 'fastify';
import { AwsError } from '../core/aws-error.js';
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
    if (verification.ok) return;
    options.onRefused();
    options.logger.warn({ method: request.method, url: request.raw.url, remote: request.ip, code: verification.code }, `refused API request: ${verification.message}`);
    return sendAwsError(reply, new AwsError(verification.code as ConstructorParameters<typeof AwsError>[0], verification.message));
  });
}
