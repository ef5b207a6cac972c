/**
 * @module http/hako/function-logs — `GET /hako/functions/<name>/logs?after=<seq>&wait=<seconds>`: a
 * function's recent invocation logs, oldest first, for `hako functions logs`; with `wait`, an empty answer
 * is held until the next block arrives (at most 60 s), which is how `--follow` streams without polling.
 */
import type { FastifyInstance } from 'fastify';
import { AwsError } from '../../core/aws-error.js';
import type { Functions } from '../../functions/index.js';
import { apiRoute, optionalInteger } from '../aws-api.js';

const MAX_WAIT_SECONDS = 60;

export function registerFunctionLogRoutes(app: FastifyInstance, functions: Functions): void {
  apiRoute(app, 'GET', '/hako/functions/:name/logs', async ({ params, query }) => {
    const name = params.name ?? '';
    if (functions.registry.get(name) === undefined) throw new AwsError('ResourceNotFoundException', `Function not found: ${functions.arns.function(name)}`);
    const after = optionalInteger(query.after, 'after') ?? 0;
    const wait = Math.min(optionalInteger(query.wait, 'wait') ?? 0, MAX_WAIT_SECONDS);
    const blocks = await functions.logs.readOrWait(name, after, wait * 1000);
    return { blocks: blocks.map((block) => ({ seq: block.seq, time: block.time, text: block.text })) };
  });
}
