/**
 * @module test/iam/sigv4/verifying-server — a plain `node:http` server that verifies every request's
 * SigV4 signature and answers like an AWS REST-JSON service: 200 `{}`, or the failure's status with
 * `x-amzn-ErrorType: <code>` and `{"__type": code, "message": …}`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  signedRequestFromNode,
  verifySigV4,
  type SecretLookup,
  type SignedRequest,
  type Verification,
} from '../../../src/iam/sigv4/index.js';

export interface Seen {
  readonly request: SignedRequest;
  readonly result: Verification;
  /** SignedHeaders from the Authorization header, if any. */
  readonly signedHeaders: readonly string[];
}

export interface VerifyingServer {
  readonly endpoint: string;
  readonly seen: Seen[];
  close(): Promise<void>;
}

export async function startVerifyingServer(lookup: SecretLookup): Promise<VerifyingServer> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const request = signedRequestFromNode(req, body.length > 0 ? body : undefined);
      void verifySigV4(request, lookup, new Date()).then((result) => {
        const signedHeaders = /SignedHeaders=([^,\s]+)/.exec(req.headers.authorization ?? '')?.[1]?.split(';') ?? [];
        seen.push({ request, result, signedHeaders });
        const headers = { 'content-type': 'application/json', 'x-amzn-RequestId': randomUUID() };
        if (result.ok) {
          res.writeHead(200, headers).end('{}');
          return;
        }
        res
          .writeHead(result.status, { ...headers, 'x-amzn-ErrorType': result.code })
          .end(JSON.stringify({ __type: result.code, message: result.message }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
