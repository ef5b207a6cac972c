/**
 * @module test/helpers/apigateway — the real `@aws-sdk/client-apigatewayv2` pointed at a test hako, hako functions
 * to put behind HTTP APIs, and plain HTTP calls to the APIs.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import * as apigw from '@aws-sdk/client-apigatewayv2';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { rootCredentials, type HakoLike } from './aws.js';
import { hakoForFile, type TestHako } from './hako.js';
import { rejection, type AwsErrorShape } from './iot-api.js';
import { lambdaClient, ROLE, zipOf } from './lambda.js';

export function apiGatewayClient(hako: HakoLike): ApiGatewayV2Client {
  return new ApiGatewayV2Client({ endpoint: `http://127.0.0.1:${hako.ports.http}`, region: 'us-east-1', credentials: rootCredentials(hako.dataDir), maxAttempts: 1 });
}

/** Awaits a rejection with API Gateway's modelled exception `name`, HTTP `status` and a matching message. */
export async function rejectsWithGateway(promise: Promise<unknown>, name: string, status: number, message?: RegExp): Promise<AwsErrorShape> {
  const error = await rejection(promise, name);
  const modelled = (apigw as unknown as Record<string, unknown>)[name];
  assert.equal(typeof modelled, 'function', `${name} is not an exception the API Gateway v2 SDK models`);
  assert.ok(error instanceof (modelled as new (...args: never[]) => unknown), `the SDK did not recognise ${name} as its modelled exception`);
  assert.equal(error.$metadata.httpStatusCode, status);
  if (message !== undefined) assert.match(error.message, message);
  return error;
}

/** Creates a Node.js 20 function whose `index.mjs` is `source`; resolves to its ARN. */
export async function createFunction(lambda: LambdaClient, name: string, source: string, timeoutSeconds = 5): Promise<string> {
  const created = await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Timeout: timeoutSeconds, Code: { ZipFile: zipOf({ 'index.mjs': source }) } }));
  return created.FunctionArn ?? assert.fail('no FunctionArn');
}

export interface PlainResponse {
  status: number;
  /** Names lower-cased; repeated headers (set-cookie) as arrays. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** One HTTP/1.1 request with exactly these headers (a `host` of one's own included), the whole answer read. */
export function call(port: number, method: string, path: string, headers: Record<string, string | string[]> = {}, body?: Buffer | string): Promise<PlainResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: bytes, text: bytes.toString('utf8') });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

export interface GatewayTestbed {
  hako: TestHako;
  gateway: ApiGatewayV2Client;
  lambda: LambdaClient;
  /** Function ARNs by name. */
  arns: Record<string, string>;
}

/** Starts a hako for this test file with API Gateway and Lambda clients and the functions `sources` (name → index.mjs). */
export function gatewayTestbedForFile(sources: Record<string, string>): GatewayTestbed {
  const testbed = { arns: {} } as GatewayTestbed;
  hakoForFile(apiGatewayClient, async ({ hako, client }) => {
    testbed.hako = hako;
    testbed.gateway = client;
    testbed.lambda = lambdaClient(hako);
    for (const [name, source] of Object.entries(sources)) testbed.arns[name] = await createFunction(testbed.lambda, name, source);
  });
  return testbed;
}
