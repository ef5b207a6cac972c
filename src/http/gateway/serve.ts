/**
 * @module http/gateway/serve — serves HTTP APIs on hako's HTTP port, at two addresses:
 *   - `/_aws/execute-api/<apiId>/<stage>/<path>` (LocalStack's path, so scripts written for it work), and
 *   - `http://<apiId>.execute-api.<anything>/<stage>/<path>` by Host, as AWS addresses APIs
 *     (`<apiId>.execute-api.localhost` reaches loopback in browsers and curl).
 * No SigV4 here: an API is public unless its routes say otherwise. Bodies up to 10 MB (spec §8.1); a larger one
 * gets the gateway's 413. The request line and headers together up to 10,240 bytes (spec §8.1); more gets 431
 * `{"message":"Request Header Fields Too Large"}` (the status is HTTP's for it; AWS documents only the limit).
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { gatewayErrorResponse } from '../../gateway/gateway-responses.js';
import type { GatewayHandler } from '../../gateway/handler.js';
import type { HttpResponse } from '../../gateway/responses.js';
import { endInOneChunk } from '../one-chunk.js';

export const EXECUTE_API_BASE = '/_aws/execute-api';
export const GATEWAY_BODY_LIMIT = 10 * 1024 * 1024;
export const GATEWAY_HEADER_LIMIT = 10_240;
const API_HOST = /^([a-z0-9]{10})\.execute-api\./i;

/** Fastify's `rewriteUrl`: a request to `<apiId>.execute-api.…` is served under the API's path. */
export function rewriteApiHost(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const apiId = API_HOST.exec(request.headers.host ?? '')?.[1];
  return apiId === undefined ? url : `${EXECUTE_API_BASE}/${apiId.toLowerCase()}${url}`;
}

export function registerGatewayServing(app: FastifyInstance, handler: GatewayHandler): void {
  const serve = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { apiId = '' } = request.params as { apiId?: string };
    const url = request.url;
    const query = url.indexOf('?');
    const base = `${EXECUTE_API_BASE}/${apiId}`;
    const pathEnd = query === -1 ? url.length : query;
    const rawPath = url.slice(base.length, pathEnd) || '/';
    const raw = request.raw.rawHeaders;
    const headers: [string, string][] = [];
    // `METHOD URL HTTP/1.1\r\n`, then `Name: value\r\n` each: the bytes the limit counts.
    let headerBytes = request.method.length + Buffer.byteLength(request.raw.url ?? '') + 11;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      headers.push([raw[i] as string, raw[i + 1] as string]);
      headerBytes += Buffer.byteLength(raw[i] as string) + Buffer.byteLength(raw[i + 1] as string) + 4;
    }
    if (headerBytes > GATEWAY_HEADER_LIMIT) {
      const body = Buffer.from('{"message":"Request Header Fields Too Large"}');
      return send(reply, { kind: 'response', status: 431, headers: [['content-type', 'application/json']], body });
    }
    const outcome = await handler.handle({
      apiId,
      method: request.method,
      rawPath,
      rawQueryString: query === -1 ? '' : url.slice(query + 1),
      headers,
      body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      sourceIp: request.ip,
      protocol: `HTTP/${request.raw.httpVersion}`,
      domainName: request.headers.host ?? '',
    });
    send(reply, outcome.response);
  };
  const options = {
    config: { public: true },
    bodyLimit: GATEWAY_BODY_LIMIT,
    errorHandler: (error: Error & { statusCode?: number }, request: FastifyRequest, reply: FastifyReply) => {
      if (error.statusCode === 413) return send(reply, gatewayErrorResponse('requestTooLarge', 'http'));
      return app.errorHandler(error as Parameters<FastifyInstance['errorHandler']>[0], request, reply);
    },
  };
  app.all(`${EXECUTE_API_BASE}/:apiId`, options, serve);
  app.all(`${EXECUTE_API_BASE}/:apiId/*`, options, serve);
}

/** Writes the gateway's response exactly: its headers only (repeated names kept), no content type added. */
function send(reply: FastifyReply, response: HttpResponse): void {
  reply.hijack();
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of response.headers) {
    const lower = name.toLowerCase();
    const previous = headers[lower];
    headers[lower] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  headers['content-length'] = String(response.body.length);
  reply.raw.writeHead(response.status, headers);
  endInOneChunk(reply.raw, response.body);
}
