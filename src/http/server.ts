/**
 * @module http/server — hako's HTTP port: health, metrics, and (later) the AWS-compatible APIs and the
 * console. Business logic stays in the services; routes here only translate.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../core/logger.js';

export interface HttpServerOptions {
  logger: Logger;
  /** True once every listener is up; /healthz answers 503 until then. */
  isReady: () => boolean;
  /** Counters exposed on /metrics in Prometheus text format. */
  metrics: () => Record<string, number>;
}

export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  // Per-request lines would drown the broker's log; the HTTP component logs warnings and errors only.
  const loggerInstance = options.logger.child({ component: 'http' }, { level: 'warn' }) as FastifyBaseLogger;
  const app: FastifyInstance = Fastify({ loggerInstance });
  app.get('/healthz', async (_request, reply) => {
    if (!options.isReady()) return reply.code(503).send({ status: 'starting' });
    return { status: 'ok' };
  });
  app.get('/metrics', async (_request, reply) => {
    const lines = Object.entries(options.metrics()).map(([name, value]) => `${name} ${value}`);
    return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });
  return app;
}
