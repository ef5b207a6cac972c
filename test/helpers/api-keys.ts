/**
 * @module test/helpers/api-keys — the real `@aws-sdk/client-api-gateway` (API Gateway v1: API keys and usage plans)
 * pointed at a test hako, its errors checked against the SDK's model, and a hako on a `TestClock` that can be
 * stopped and started again on the same data directory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as v1 from '@aws-sdk/client-api-gateway';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { resolveConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { startHako, type RunningHako } from '../../src/main.js';
import { TestClock } from '../streams/helpers.js';
import { rootCredentials, type HakoLike } from './aws.js';
import { rejection, type AwsErrorShape } from './iot-api.js';

export { TestClock };

export function apiGatewayV1Client(hako: HakoLike): APIGatewayClient {
  // maxAttempts 1: a refused request must show its first answer, not a retry's.
  return new APIGatewayClient({ endpoint: `http://127.0.0.1:${hako.ports.http}`, region: 'us-east-1', credentials: rootCredentials(hako.dataDir), maxAttempts: 1 });
}

/** Awaits a rejection with API Gateway v1's modelled exception `name`, HTTP `status` and a matching message. */
export async function rejectsWithV1(promise: Promise<unknown>, name: string, status: number, message?: RegExp): Promise<AwsErrorShape> {
  const error = await rejection(promise, name);
  const modelled = (v1 as unknown as Record<string, unknown>)[name];
  assert.equal(typeof modelled, 'function', `${name} is not an exception the API Gateway SDK models`);
  assert.ok(error instanceof (modelled as new (...args: never[]) => unknown), `the SDK did not recognise ${name} as its modelled exception`);
  assert.equal(error.$metadata.httpStatusCode, status);
  if (message !== undefined) assert.match(error.message, message);
  return error;
}

export interface ClockedHako extends HakoLike {
  hako: RunningHako;
  clock: TestClock;
  dataDir: string;
  ports: RunningHako['ports'];
}

/**
 * Starts hako on `dataDir` (fresh when absent) with `clock`. SigV4 tolerates 10 days of skew, so a test can move
 * hako's clock a day or two while the SDKs sign with the real time.
 */
export async function startClockedHako(clock: TestClock, dataDir = mkdtempSync(path.join(tmpdir(), 'hako-keys-'))): Promise<ClockedHako> {
  const config = resolveConfig({ mqttPort: 0, httpPort: 0, mqttsPort: 0, dataDir, iam: { maxClockSkew: 10 * 24 * 3600 } });
  const hako = await startHako(config, silentLogger(), clock);
  return { hako, clock, dataDir, ports: hako.ports };
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}
