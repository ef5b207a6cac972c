/**
 * @module bench/load/bare-server — the gateway scenarios' limit: a bare fastify route answering the same small
 * JSON body the benchmarked function returns, in a process of its own (forked by the load generator), as hako
 * is. Whatever the gateway path costs beyond this is hako's: routing, the proxy event, the function call.
 *
 * It prints nothing; it sends its port to the parent over IPC and exits when the parent disconnects.
 */
import Fastify from 'fastify';

/** The body to answer, from the parent (its first argument). */
const body = process.argv[2] ?? '{}';
const app = Fastify({ logger: false });
app.get('/', async (_request, reply) => reply.header('content-type', 'application/json').send(body));
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.send?.({ port: Number(new URL(address).port) });
process.once('disconnect', () => process.exit(0));
