/**
 * @module iam/sigv4/node-request — builds a `SignedRequest` from node's `IncomingMessage` (HTTP request or
 * WebSocket upgrade), keeping the path and query exactly as they arrived.
 */
import type { IncomingMessage } from 'node:http';
import type { SignedRequest } from './verify.js';

/** `/a%20b?x=1` → `{ path: '/a%20b', rawQuery: 'x=1' }`; an absolute-form target loses its origin. */
export function splitRequestTarget(target: string): { path: string; rawQuery: string } {
  const originless = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?]*/i, '');
  const q = originless.indexOf('?');
  const path = q < 0 ? originless : originless.slice(0, q);
  return { path: path === '' ? '/' : path, rawQuery: q < 0 ? '' : originless.slice(q + 1) };
}

/** Repeated headers stay separate (node would join them with `, `; SigV4 joins with `,`). */
export function signedRequestFromNode(request: IncomingMessage, body: Buffer | undefined): SignedRequest {
  return {
    method: request.method ?? 'GET',
    ...splitRequestTarget(request.url ?? '/'),
    headers: request.headersDistinct,
    body,
  };
}
