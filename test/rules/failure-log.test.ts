import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FailureLog, FAILURE_LOG_INTERVAL_MS } from '../../src/rules/failure-log.js';
import { captureLog } from '../helpers/log-capture.js';

test('action failures are logged once per rule per minute; the next line counts the ones left out', () => {
  const log = captureLog();
  let now = 1_000_000;
  const failures = new FailureLog(log.logger, () => now);
  failures.failed('webhook', { topic: 'a' }, 'topic rule webhook: 1 action(s) failed');
  for (let i = 0; i < 500; i++) failures.failed('webhook', { topic: 'a' }, 'topic rule webhook: 1 action(s) failed');
  failures.failed('other', {}, 'topic rule other: 1 action(s) failed');
  assert.deepEqual(log.lines.map((l) => [l.rule, l.msg]), [['webhook', 'topic rule webhook: 1 action(s) failed'], ['other', 'topic rule other: 1 action(s) failed']]);
  now += FAILURE_LOG_INTERVAL_MS;
  failures.failed('webhook', { topic: 'b' }, 'topic rule webhook: 1 action(s) failed');
  const last = log.lines.at(-1);
  assert.equal(last?.msg, 'topic rule webhook: 1 action(s) failed (and 500 more failure(s) of this rule since the last line)');
  assert.deepEqual([last?.topic, last?.similarFailuresNotLogged], ['b', 500]);
  now += FAILURE_LOG_INTERVAL_MS;
  failures.failed('webhook', {}, 'again');
  assert.equal(log.lines.at(-1)?.similarFailuresNotLogged, undefined, 'the count starts over');
});
