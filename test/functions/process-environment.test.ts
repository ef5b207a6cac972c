/**
 * @module test/functions/process-environment.test — what only a process environment has to prove (the shared
 * contract is in test/contract/execution-environment): its invocations travel in the Runtime API's HTTP headers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { body, environmentFor, functionCode, invoke } from './environment-helpers.js';

test('an invocation whose client context cannot travel in a header fails alone; the environment stays usable', async (t) => {
  const dir = functionCode(t, { 'index.mjs': 'export const handler = async (event) => event;' });
  const environment = await environmentFor(t, dir, 'index.handler', { isolation: 'process' });
  await assert.rejects(invoke(environment, {}, { clientContext: '{"a":\n1}' }), /Invalid character in header content/);
  assert.equal(environment.state, 'idle', 'nothing reached the runtime');
  assert.deepEqual(body(await invoke(environment, { after: true })), { after: true });
});
