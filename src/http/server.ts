/**
 * @module http/server — hako's HTTP port: health, metrics, and the AWS-compatible APIs. Business logic
 * stays in the services; routes here only translate.
 */
import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { AwsError } from '../core/aws-error.js';
import { newRequestId } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { addRequestIds, sendAwsError } from './aws-api.js';

export interface HttpServerOptions {
  logger: Logger;
  /** True once every listener is up; /healthz answers 503 until then. */
  isReady: () => boolean;
  /** Counters exposed on /metrics in Prometheus text format. */
  metrics: () => Record<string, number>;
  /** More Prometheus text for /metrics (metrics kept by prom-client registries). */
  moreMetrics?: () => Promise<string>;
  /** Largest request body accepted, bytes. */
  bodyLimit?: number;
  /** Maps a request's URL before routing (the API gateway serves `<apiId>.execute-api.…` hosts under a path). */
  rewriteUrl?: (request: IncomingMessage) => string;
}

export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  // Per-request lines would drown the broker's log; the HTTP component logs warnings and errors only.
  const loggerInstance = options.logger.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger;
  const app: FastifyInstance = Fastify({
    loggerInstance,
    // A pino child per request (fastify's default, for its request id) cost ~15 µs of every call, for
    // request logs hako does not write; errors are logged with their own context.
    childLoggerFactory: (logger) => logger,
    bodyLimit: options.bodyLimit ?? 6 * 1024 * 1024,
    ...(options.rewriteUrl === undefined ? {} : { rewriteUrl: options.rewriteUrl }),
    // Path parameters can be whole ARNs (ListAttachedPolicies' target); fastify's default limit is 100 characters.
    routerOptions: { maxParamLength: 2048 },
    // URLs the router itself refuses (bad percent-encoding, an over-long parameter) still get an AWS-shaped answer.
    frameworkErrors: (error, _request, reply) => {
      reply.header('x-amzn-RequestId', newRequestId());
      const clientFault = error.statusCode === undefined || error.statusCode < 500;
      return sendAwsError(reply, new AwsError(clientFault ? 'InvalidRequestException' : 'InternalFailureException', error.message));
    },
  });
  // Bodies stay raw bytes: SigV4 is computed over exactly what was sent, and each API parses its own format.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  addRequestIds(app);
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof AwsError) return sendAwsError(reply, error);
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) return sendAwsError(reply, new AwsError('InvalidRequestException', `the request body is larger than ${options.bodyLimit ?? 6 * 1024 * 1024} bytes`));
    if (status !== undefined && status >= 400 && status < 500) return sendAwsError(reply, new AwsError('InvalidRequestException', (error as Error).message));
    options.logger.error({ err: error }, 'internal error in an HTTP API');
    return sendAwsError(reply, new AwsError('InternalFailureException', 'internal error; see hako\'s log'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).header('x-amzn-ErrorType', 'UnknownOperationException').type('application/json').send({ __type: 'UnknownOperationException', message: `no operation at ${request.method} ${request.url.split('?')[0]}` }),
  );
  app.get('/healthz', { config: { public: true } }, async (_request, reply) => {
    if (!options.isReady()) return reply.code(503).send({ status: 'starting' });
    return { status: 'ok' };
  });
  app.get('/metrics', { config: { public: true } }, async (_request, reply) => {
    const lines = Object.entries(options.metrics()).map(([name, value]) => `${name} ${value}`);
    const more = options.moreMetrics === undefined ? '' : await options.moreMetrics();
    return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n${more}`);
  });
  return app;
}
