/**
 * @module test/gateway/throttle-access-log.test — token buckets and access log lines (table-driven, pure).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAccessLog, logGroupOf } from '../../src/gateway/access-log.js';
import { Throttles, TokenBucket } from '../../src/gateway/throttle.js';

test('TokenBucket: burst at once, then the rate; Retry-After is the wait for the next token', () => {
  const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 3 }, 0);
  assert.deepEqual([1, 2, 3].map(() => bucket.take(0).ok), [true, true, true]);
  assert.deepEqual(bucket.take(0), { ok: false, retryAfterSeconds: 1 });
  assert.deepEqual(bucket.take(499), { ok: false, retryAfterSeconds: 1 });
  assert.deepEqual(bucket.take(500), { ok: true }, 'one token after 1/rate seconds');
  assert.equal(bucket.take(10_000).ok, true);
  assert.equal(bucket.take(10_000).ok, true);
  assert.equal(bucket.take(10_000).ok, true);
  assert.equal(bucket.take(10_000).ok, false, 'never more than the burst, however long idle');
  const slow = new TokenBucket({ rateLimit: 0.1, burstLimit: 1 }, 0);
  assert.equal(slow.take(0).ok, true);
  assert.deepEqual(slow.take(0), { ok: false, retryAfterSeconds: 10 });
  assert.deepEqual(new TokenBucket({ rateLimit: 0, burstLimit: 0 }, 0).take(0), { ok: false, retryAfterSeconds: 60 });
});

test('Throttles: one bucket per key, replaced when its settings change', () => {
  const throttles = new Throttles();
  assert.equal(throttles.take('a', { rateLimit: 1, burstLimit: 1 }, 0).ok, true);
  assert.equal(throttles.take('a', { rateLimit: 1, burstLimit: 1 }, 0).ok, false);
  assert.equal(throttles.take('b', { rateLimit: 1, burstLimit: 1 }, 0).ok, true, 'keys are separate');
  assert.equal(throttles.take('a', { rateLimit: 1, burstLimit: 2 }, 0).ok, true, 'new settings, a full new bucket');
});

test('formatAccessLog substitutes $context variables, - for missing ones, JSON-escaped', () => {
  const values = { requestId: 'r1', status: 200, 'identity.sourceIp': '127.0.0.1', 'identity.userAgent': 'say "hi"\\', 'error.message': undefined, path: '' };
  const cases: [string, string][] = [
    ['$context.requestId $context.status', 'r1 200'],
    ['{"ip":"$context.identity.sourceIp","ua":"$context.identity.userAgent"}', '{"ip":"127.0.0.1","ua":"say \\"hi\\"\\\\"}'],
    ['$context.error.message|$context.path|$context.unknown.thing', '-|-|-'],
    ['$context.requestId, $context.status.', 'r1, 200.'],
    ['no variables', 'no variables'],
  ];
  for (const [format, expected] of cases) assert.equal(formatAccessLog(format, values), expected, format);
  assert.doesNotThrow(() => JSON.parse(formatAccessLog(cases[1]?.[0] ?? '', values)));
});

test('logGroupOf: CloudWatch Logs log group ARNs only', () => {
  assert.equal(logGroupOf('arn:aws:logs:us-east-1:000000000000:log-group:/aws/apigw/tickets'), '/aws/apigw/tickets');
  assert.equal(logGroupOf('arn:aws:logs:us-east-1:000000000000:log-group:access:*'), 'access');
  assert.equal(logGroupOf('arn:aws:s3:::bucket'), undefined);
  assert.equal(logGroupOf('arn:aws:firehose:us-east-1:000000000000:deliverystream/amazon-apigateway-x'), undefined);
});
