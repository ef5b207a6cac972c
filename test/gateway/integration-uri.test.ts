/**
 * @module test/gateway/integration-uri.test — which integration URIs name a function, and the function ARN one
 * resolves to for a stage's variables (table-driven).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkIntegrationUri, resolveIntegrationUri } from '../../src/gateway/integration-uri.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function';
const SERVICE = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions';

const CHECKS: [uri: string, ok: boolean][] = [
  [`${FN}:hello`, true],
  [`${FN}:hello:live`, true],
  [`${FN}:hello:$LATEST`, true],
  [`${FN}:hello:7`, true],
  [`${SERVICE}/${FN}:hello/invocations`, true],
  [`${SERVICE}/${FN}:hello:live/invocations`, true],
  [`${FN}:\${stageVariables.fn}`, true],
  [`${FN}:hello:\${stageVariables.alias}`, true],
  [`${SERVICE}/${FN}:\${stageVariables.fn}:\${stageVariables.alias}/invocations`, true],
  ['hello', false],
  ['https://example.com/hook', false],
  [`${FN}:bad name`, false],
  [`${FN}:${'x'.repeat(65)}`, false],
  [`arn:aws:lambda:us-east-1:0000:function:hello`, false],
  [`${SERVICE}/${FN}:hello`, false],
  [`${FN}:\${stageVariables.bad-name}`, false],
  [`${FN}:hello:\${other.alias}`, false],
];

for (const [uri, ok] of CHECKS) {
  test(`checkIntegrationUri ${ok ? 'accepts' : 'refuses'} ${uri}`, () => {
    const result = checkIntegrationUri(uri);
    assert.equal(result.ok, ok);
    if (!result.ok) assert.match(result.reason, /Invalid integration URI specified/);
  });
}

const RESOLVES: [uri: string, variables: Record<string, string>, expected: string | RegExp][] = [
  [`${FN}:hello`, {}, `${FN}:hello`],
  [`${SERVICE}/${FN}:hello:live/invocations`, {}, `${FN}:hello:live`],
  [`${FN}:\${stageVariables.fn}`, { fn: 'tickets' }, `${FN}:tickets`],
  [`${FN}:tickets:\${stageVariables.alias}`, { alias: 'prod' }, `${FN}:tickets:prod`],
  [`${FN}:\${stageVariables.fn}`, {}, /stage variable fn is not set/],
  [`${FN}:\${stageVariables.fn}`, { fn: 'a b' }, /not a function ARN/],
  [`${FN}:\${stageVariables.fn}`, { fn: 'x:y:z' }, /not a function ARN/],
];

for (const [uri, variables, expected] of RESOLVES) {
  test(`resolveIntegrationUri ${uri} with ${JSON.stringify(variables)}`, () => {
    const result = resolveIntegrationUri(uri, variables);
    if (typeof expected === 'string') assert.deepEqual(result, { ok: true, functionArn: expected });
    else {
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.reason, expected);
    }
  });
}
