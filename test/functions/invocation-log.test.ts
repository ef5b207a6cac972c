/**
 * @module test/functions/invocation-log.test — what both kinds of environment report of a timed-out invocation: its
 * error and log line as AWS writes them, and a duration of at least the whole timeout, even when Node's timer fired a
 * fraction of a millisecond before `performance.now()` had counted it (seen: 999.97 ms for a 1 s timeout).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EnvironmentSpec } from '../../src/functions/environment.js';
import { timedOut, timedOutDuration } from '../../src/functions/invocation-log.js';

const spec = (timeoutSeconds: number): EnvironmentSpec => ({ functionName: 'f', version: '$LATEST', codeDir: '/code', handler: 'index.handler', memoryMB: 128, timeoutSeconds, variables: {}, region: 'us-east-1', tmpDir: '/tmp', logStreamName: 's' });

test('timedOutDuration: at least the timeout, the measurement when it is longer', () => {
  const cases: Array<[number, number, number]> = [
    [1, 999.972638, 1000],
    [1, 1000, 1000],
    [1, 1003.25, 1003.25],
    [3, 0, 3000],
  ];
  for (const [seconds, measured, reported] of cases) assert.equal(timedOutDuration(spec(seconds), measured), reported, `${seconds} s, ${measured} ms`);
});

test('timedOut: Sandbox.Timedout with AWS\'s message, and the log line', () => {
  const { result, logLine } = timedOut(spec(3), 'req-1');
  assert.equal(result.functionError, 'Sandbox.Timedout');
  assert.deepEqual(JSON.parse(result.payload.toString()), { errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: req-1 Error: Task timed out after 3.00 seconds' });
  assert.match(logLine, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z req-1 Task timed out after 3\.00 seconds\n$/);
});
