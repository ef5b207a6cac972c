/**
 * @module test/helpers/iot-data — the real `@aws-sdk/client-iot-data-plane` client pointed at a test hako,
 * and asserting a data-plane error the way an SDK user sees it.
 */
import assert from 'node:assert/strict';
import * as dataPlane from '@aws-sdk/client-iot-data-plane';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { rootCredentials, type HakoLike } from './aws.js';
import { rejection, type AwsErrorShape } from './iot-api.js';

export function iotDataClient(hako: HakoLike): IoTDataPlaneClient {
  // maxAttempts 1: a refused request must show its first answer, not a retry's.
  return new IoTDataPlaneClient({ endpoint: `http://127.0.0.1:${hako.ports.http}`, region: 'us-east-1', credentials: rootCredentials(hako.dataDir), maxAttempts: 1 });
}

/** Awaits a rejection: the data plane's modelled exception `name`, with HTTP `status` and a matching message. */
export async function rejectsWithData(promise: Promise<unknown>, name: string, status: number, message?: RegExp): Promise<AwsErrorShape> {
  const error = await rejection(promise, name);
  const modelled = (dataPlane as unknown as Record<string, unknown>)[name];
  assert.equal(typeof modelled, 'function', `${name} is not an exception the data-plane SDK models`);
  assert.ok(error instanceof (modelled as new (...args: never[]) => unknown), `the SDK did not recognise ${name} as its modelled exception`);
  assert.equal(error.$metadata.httpStatusCode, status, `${name} travels with HTTP ${status}`);
  if (message !== undefined) assert.match(error.message, message);
  return error;
}

/** A JSON document as the SDK's `payload` blob, and back. */
export const toPayload = (document: unknown): Uint8Array => Buffer.from(JSON.stringify(document));
export const fromPayload = (payload: Uint8Array | undefined): Record<string, unknown> => JSON.parse(Buffer.from(payload ?? assert.fail('no payload')).toString('utf8')) as Record<string, unknown>;
