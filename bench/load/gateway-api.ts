/**
 * @module bench/load/gateway-api — what the gateway scenarios set up on hako before the load: the function
 * (returning a small JSON object, so API Gateway's simple payload 2.0 response gives the same bytes a direct
 * Invoke answers), an HTTP API quick-created in front of it (CreateApi with `target`, signed for `apigateway`),
 * and a pre-signed Invoke request that autocannon can send as it is.
 */
import { strToU8, zipSync } from 'fflate';
import type { SignatureV4 } from '@smithy/signature-v4';
import type { FunctionEndpoint } from './config.js';
import { createFunction, expectStatus, invocationsPath, lambdaSigner, SignedConnection } from './lambda-api.js';

/** What every target answers: the function's return value, the bare route's body. */
export const GATEWAY_BODY = '{"ok":true,"from":"hako-bench"}';
/** Unique per run, so a hako started by hand (to profile it) takes any number of runs. */
const FUNCTION_NAME = `bench-gateway-${Date.now().toString(36)}`;
const HOST = '127.0.0.1';
/** The Invoke's event: the function ignores it. */
const INVOKE_EVENT = '{}';

export interface GatewayTargets {
  /** The HTTP API's `$default` stage, route `$default`: `http://127.0.0.1:<port>/_aws/execute-api/<apiId>/`. */
  apiUrl: string;
  invokeUrl: string;
  /** Signed once: SigV4 allows the same signature for 5 minutes, longer than a phase, and hako keeps no nonce. */
  invokeHeaders: Record<string, string>;
  invokeBody: string;
}

function functionZip(): string {
  return Buffer.from(zipSync({ 'index.mjs': strToU8(`const body = ${GATEWAY_BODY};\nexport const handler = async () => body;\n`) })).toString('base64');
}

/** `variables`: the function's environment variables (`HAKO_FUNCTION_ISOLATION`, say). */
export async function setUpGateway(endpoint: FunctionEndpoint, variables?: Record<string, string>): Promise<GatewayTargets> {
  const lambda = new SignedConnection(endpoint.port, lambdaSigner(endpoint));
  const control = new SignedConnection(endpoint.port, lambdaSigner(endpoint, 'apigateway'));
  try {
    const functionArn = await createFunction(lambda, FUNCTION_NAME, functionZip(), variables);
    const created = await control.request('POST', '/v2/apis', JSON.stringify({ name: 'bench-gateway', protocolType: 'HTTP', target: functionArn }));
    expectStatus(created, 201, 'CreateApi');
    const { apiEndpoint } = JSON.parse(created.body.toString('utf8')) as { apiEndpoint: string };
    const invokePath = invocationsPath(FUNCTION_NAME);
    return {
      apiUrl: `${apiEndpoint}/`,
      invokeUrl: `http://${HOST}:${endpoint.port}${invokePath}`,
      invokeHeaders: await presign(lambdaSigner(endpoint), endpoint.port, invokePath, INVOKE_EVENT),
      invokeBody: INVOKE_EVENT,
    };
  } finally {
    lambda.close();
    control.close();
  }
}

/** The headers of a signed Invoke, without `host` and `content-length` (autocannon writes both, the same). */
async function presign(signer: SignatureV4, port: number, path: string, body: string): Promise<Record<string, string>> {
  const { headers } = await signer.sign({ method: 'POST', protocol: 'http:', hostname: HOST, port, path, query: {}, headers: { host: `${HOST}:${port}`, 'content-type': 'application/json' }, body });
  const { host: _host, ...rest } = headers;
  return rest;
}

/** Why one request to a target does not get GATEWAY_BODY with a 200, or undefined: checked before each phase. */
export async function answerProblem(name: string, url: string, init: RequestInit): Promise<string | undefined> {
  try {
    const response = await fetch(url, init);
    const text = await response.text();
    if (response.status !== 200 || text !== GATEWAY_BODY) return `${name}: HTTP ${response.status} ${text.slice(0, 200)} instead of 200 ${GATEWAY_BODY}`;
    return undefined;
  } catch (error) {
    return `${name}: ${(error as Error).message}`;
  }
}
