/**
 * @module test/helpers/lambda — the real `@aws-sdk/client-lambda` pointed at a test hako, function
 * packages zipped the way users zip them, and asserting a Lambda API error as an SDK user sees it.
 */
import assert from 'node:assert/strict';
import * as lambda from '@aws-sdk/client-lambda';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { rootCredentials, type HakoLike } from './aws.js';
import { rejection, type AwsErrorShape } from './iot-api.js';

export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

export function lambdaClient(hako: HakoLike): LambdaClient {
  // maxAttempts 1: a throttle or refusal must show its first answer, not a retry's.
  return new LambdaClient({ endpoint: `http://127.0.0.1:${hako.ports.http}`, region: 'us-east-1', credentials: rootCredentials(hako.dataDir), maxAttempts: 1 });
}

/** A .zip of `files` (path → source). */
export function zipOf(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, source]) => [name, Buffer.from(source)])));
}

/** Awaits a rejection: Lambda's modelled exception `name`, with HTTP `status` and a matching message. */
export async function rejectsWithLambda(promise: Promise<unknown>, name: string, status: number, message?: RegExp): Promise<AwsErrorShape> {
  const error = await rejection(promise, name);
  const modelled = (lambda as unknown as Record<string, unknown>)[name];
  assert.equal(typeof modelled, 'function', `${name} is not an exception the Lambda SDK models`);
  assert.ok(error instanceof (modelled as new (...args: never[]) => unknown), `the SDK did not recognise ${name} as its modelled exception`);
  assert.equal(error.$metadata.httpStatusCode, status, `${name} travels with HTTP ${status}`);
  if (message !== undefined) assert.match(error.message, message);
  return error;
}

/** The SDK's `Payload` blob as JSON. */
export function json(payload: Uint8Array | undefined): unknown {
  return JSON.parse(Buffer.from(payload ?? assert.fail('no payload')).toString('utf8'));
}
